package io.rmb.benchmarks.load;

import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import io.rmb.relay.redis.RedisOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Relay forwarding throughput by offline-queue backend, in one run, with {@link RelayLoad}'s
 * clients (pre-signed 1 KiB requests, a window of in-flight messages per pair):
 *
 * <ol>
 *   <li>{@code memory}: one relay, in-memory queue; senders and receivers on it (live delivery);
 *   <li>{@code redis-1}: one relay on Redis; the same traffic (live delivery; Redis is only
 *       touched for presence), i.e. what Redis costs a single instance's hot path;
 *   <li>{@code redis-2}: two relay instances on one Redis, senders on the first, receivers on
 *       the second: every envelope goes through the receiver's Redis stream (XADD, XTRIM,
 *       PEXPIRE, PUBLISH wake-up, XRANGE, write, XDEL).
 * </ol>
 *
 * <p>Starts its own {@code redis-server} (persistence off) unless {@code REDIS_URL} is set.
 * Usage: {@code java -cp benchmarks.jar io.rmb.benchmarks.load.QueueBackendLoad [pairs,...]
 * [warmupSeconds] [measureSeconds] [window]}, defaults {@code 1,4 2 5 64}.
 */
public final class QueueBackendLoad {
  private QueueBackendLoad() {}

  public static void main(String[] args) throws Exception {
    String[] pairList = (args.length > 0 ? args[0] : "1,4").split(",");
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int measure = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int window = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    Path twins = Fixtures.twinsFile(1, 1000 + 64);
    Process redisProcess = null;
    String redis = System.getenv("REDIS_URL");
    if (redis == null) {
      int port = freePort();
      Path dir = Files.createTempDirectory("rmb-bench-redis");
      redisProcess = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port),
          "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()))
          .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
      redis = "redis://127.0.0.1:" + port;
      awaitRedis(port);
    }
    System.out.printf("payload=1024 B window=%d warmup=%ds measure=%ds cores=%d redis=%s%n",
        window, warmup, measure, Runtime.getRuntime().availableProcessors(), redis);
    try {
      // JVM warm-up round on each configuration, results discarded
      memory(twins, 4, 0, warmup * 2, window);
      redis(twins, redis, "warm.", 2, 4, 0, warmup * 2, window);
      System.out.println("pairs  memory_msg_s  redis1_msg_s  redis2_msg_s  redis1/memory"
          + "  redis2/memory");
      for (String p : pairList) {
        int pairs = Integer.parseInt(p.trim());
        double memory = memory(twins, pairs, warmup, measure, window);
        double one = redis(twins, redis, "one" + pairs + ".", 1, pairs, warmup, measure, window);
        double two = redis(twins, redis, "two" + pairs + ".", 2, pairs, warmup, measure, window);
        System.out.printf("%5d  %12.0f  %12.0f  %12.0f  %13.2f  %13.2f%n", pairs, memory, one,
            two, one / memory, two / memory);
      }
    } finally {
      if (redisProcess != null) {
        redisProcess.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    System.exit(0);
  }

  private static double memory(Path twins, int pairs, int warmup, int measure, int window)
      throws Exception {
    try (RelayServer relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain("localhost").twinsFile(twins).build())) {
      return RelayLoad.run(relay.port(), pairs, warmup, measure, window);
    }
  }

  private static double redis(Path twins, String url, String prefix, int instances, int pairs,
      int warmup, int measure, int window) throws Exception {
    RelayOptions options = RelayOptions.builder().listen("127.0.0.1:0").domain("localhost")
        .twinsFile(twins).redis(RedisOptions.builder(url).prefix("bench." + prefix).build())
        .build();
    try (RelayServer first = RelayServer.start(options);
        RelayServer second = instances > 1 ? RelayServer.start(options) : null) {
      int receivers = second != null ? second.port() : first.port();
      return RelayLoad.run(first.port(), receivers, pairs, warmup, measure, window);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void awaitRedis(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("redis-server did not start on port " + port);
  }
}
