package io.rmb.benchmarks.load;

import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Heap per idle session: runs a server in this JVM, lets a separate client process
 * ({@link SessionClients}) open {@code first} sessions, measures used heap after full GCs, lets
 * it open the rest up to {@code total}, measures again, and reports
 * {@code (after - before) / (total - first)} bytes per session. Measuring between two session
 * counts leaves out one-time costs (class loading, the twins directory, Netty's pools). Done for
 * our relay and, for comparison, for {@link BareForwarder} (a Netty WebSocket channel and a map
 * entry per session).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.rmb.benchmarks.load.SessionHeap [total] [first]},
 * defaults {@code 10000 500}.
 */
public final class SessionHeap {
  public static void main(String[] args) throws Exception {
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int first = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    Path twins = Fixtures.twinsFile(1, total);
    long ours;
    try (RelayServer relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain("localhost").twinsFile(twins).build())) {
      ours = measure("relay", relay.port(), first, total,
          () -> (int) relay.stats().sessionsOpen());
    }
    long bare;
    try (BareForwarder fwd = new BareForwarder(0)) {
      bare = measure("bare", fwd.port(), first, total, () -> -1);
    }
    System.out.printf("bytes per idle session: relay %d, bare forwarder %d, relay - bare %d%n",
        ours, bare, ours - bare);
    System.exit(0);
  }

  static long measure(String name, int port, int first, int total, IntSupplier sessions)
      throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process clients = new ProcessBuilder(java, "-Xmx512m", "-cp",
        System.getProperty("java.class.path"), SessionClients.class.getName(),
        Integer.toString(port), Integer.toString(first), Integer.toString(total))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
    OutputStream in = clients.getOutputStream();
    try {
      String line = out.readLine();
      Thread.sleep(1000);
      long before = usedHeapAfterGc();
      System.out.printf("%s: clients %s, server sessions %d, used heap %d%n", name, line,
          sessions.getAsInt(), before);
      in.write('\n');
      in.flush();
      line = out.readLine();
      Thread.sleep(1000);
      long after = usedHeapAfterGc();
      System.out.printf("%s: clients %s, server sessions %d, used heap %d%n", name, line,
          sessions.getAsInt(), after);
      long perSession = (after - before) / (total - first);
      System.out.printf("%s: %d bytes per session%n", name, perSession);
      return perSession;
    } finally {
      in.close();
      if (!clients.waitFor(30, TimeUnit.SECONDS)) {
        clients.destroy();
      }
    }
  }

  static long usedHeapAfterGc() throws InterruptedException {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(200);
      min = Math.min(min, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return min;
  }
}
