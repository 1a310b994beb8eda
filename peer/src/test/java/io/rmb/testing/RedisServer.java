package io.rmb.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian package {@code redis-server}) on a free loopback port,
 * for integration tests; never a fake. Persistence is off ({@link #startWithAof()}: on) and
 * its files live in a temp dir.
 * Start it once per test class:
 *
 * <pre>{@code
 * static RedisServer redis;
 * @BeforeAll static void up() throws Exception { redis = RedisServer.start(); }
 * @AfterAll static void down() { redis.close(); }
 * }</pre>
 *
 * <p>The binary is {@code $REDIS_SERVER}, else {@code redis-server} from PATH, else
 * {@code /usr/bin/redis-server}; when none exists, {@link #start()} fails and says how to
 * install it (CI installs it in {@code .ci/run}).
 */
public final class RedisServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Path dir;
  private final int port;
  private final boolean aof;
  private Process process;

  private RedisServer(Path dir, int port, boolean aof) {
    this.dir = dir;
    this.port = port;
    this.aof = aof;
  }

  /** Starts a server on a free port and waits until it answers PING. */
  public static RedisServer start() throws IOException {
    RedisServer server = new RedisServer(Files.createTempDirectory("rmb-redis-"), freePort(),
        false);
    server.launch();
    return server;
  }

  /**
   * Like {@link #start()} with the append-only file on ({@code appendfsync everysec}): a
   * {@link #restart()} after {@link #kill()} reloads every write the server acknowledged,
   * since Redis writes the AOF buffer to the file before it replies (a SIGKILL loses nothing
   * the kernel has; only a machine crash could lose the last second).
   */
  public static RedisServer startWithAof() throws IOException {
    RedisServer server = new RedisServer(Files.createTempDirectory("rmb-redis-"), freePort(),
        true);
    server.launch();
    return server;
  }

  /** The port it listens on (127.0.0.1). */
  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Stops the server abruptly (SIGKILL): what a crash looks like to clients. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor(process);
      process = null;
    }
  }

  /**
   * Starts it again on the same port after {@link #kill()}: empty, or with its data when it
   * was started with {@link #startWithAof()}.
   */
  public void restart() throws IOException {
    kill();
    launch();
  }

  /** Sends one inline command and returns the first line of the reply, e.g. {@code +PONG}. */
  public String command(String inline) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }

  @Override
  public void close() {
    kill();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }

  private void launch() throws IOException {
    List<String> cmd = List.of(binary(), "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", aof ? "yes" : "no",
        "--appendfsync", "everysec", "--dir", dir.toString(),
        "--protected-mode", "no", "--loglevel", "warning");
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile()).start();
    long until = System.nanoTime() + START_TIMEOUT.toNanos();
    IOException last = null;
    while (System.nanoTime() < until) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited with " + process.exitValue() + ": "
            + Files.readString(dir.resolve("redis.log")));
      }
      try {
        if ("+PONG".equals(command("PING"))) {
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      try {
        Thread.sleep(20); // polling a starting process: there is nothing to wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting redis-server", e);
      }
    }
    kill();
    throw new IOException("redis-server did not answer PING within " + START_TIMEOUT, last);
  }

  private static String binary() {
    String configured = System.getenv("REDIS_SERVER");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    Optional<Path> onPath = java.util.Arrays.stream(
            System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .map(p -> Path.of(p, "redis-server")).filter(Files::isExecutable).findFirst();
    if (onPath.isPresent()) {
      return onPath.get().toString();
    }
    if (Files.isExecutable(Path.of("/usr/bin/redis-server"))) {
      return "/usr/bin/redis-server";
    }
    throw new IllegalStateException("redis-server not found: install the Debian package "
        + "(apt-get install redis-server) or set REDIS_SERVER to its path");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void waitFor(Process p) {
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
