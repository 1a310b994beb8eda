package io.rmb.benchmarks.load;

import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import io.rmb.relay.websocket.KeepAlive;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

/**
 * Idle connections held by one relay (issue 9): a separate client process
 * ({@link SessionClients}) opens {@code total} authenticated WebSocket sessions (one twin and
 * JWT each) on loopback; the relay pings every quiet client after {@code pingMs} and evicts it
 * after {@code pongMs} more; the clients answer pings. Then the sessions are held for
 * {@code holdSeconds} (several ping rounds) while the relay's open sessions and connections are
 * sampled every second: all must stay. Both processes need {@code total} + a few file
 * descriptors ({@code ulimit -n}).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.rmb.benchmarks.load.ConnectionHold [total]
 * [holdSeconds] [pingMs] [pongMs]}, defaults {@code 10000 30 2000 3000}.
 */
public final class ConnectionHold {
  public static void main(String[] args) throws Exception {
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int hold = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    long pingMs = args.length > 2 ? Long.parseLong(args[2]) : 2000;
    long pongMs = args.length > 3 ? Long.parseLong(args[3]) : 3000;
    Path twins = Fixtures.twinsFile(1, total);
    KeepAlive keepAlive = new KeepAlive(Duration.ofMillis(pingMs), Duration.ofMillis(pongMs));
    try (RelayServer relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain("localhost").twinsFile(twins).keepAlive(keepAlive).build())) {
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      Process clients = new ProcessBuilder(java, "-Xmx512m", "-cp",
          System.getProperty("java.class.path"), SessionClients.class.getName(),
          Integer.toString(relay.port()), "1", Integer.toString(total))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader out = new BufferedReader(
          new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
      OutputStream in = clients.getOutputStream();
      System.out.printf("sessions=%d hold=%ds keepAlive=%s load average %.2f%n", total, hold,
          keepAlive, loadAverage());
      out.readLine(); // the first session
      long t0 = System.nanoTime();
      in.write('\n');
      in.flush();
      String ready = out.readLine();
      double openSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("clients: %s after %.1f s; relay sessions %d, connections %d%n", ready,
          openSeconds, relay.stats().sessionsOpen(), relay.stats().connectionsOpen());
      long minSessions = Long.MAX_VALUE;
      long minConnections = Long.MAX_VALUE;
      for (int s = 0; s < hold; s++) {
        Thread.sleep(1000);
        minSessions = Math.min(minSessions, relay.stats().sessionsOpen());
        minConnections = Math.min(minConnections, relay.stats().connectionsOpen());
      }
      System.out.printf("held %d s (%d ping rounds at least): min sessions %d, min connections"
          + " %d, now %d sessions; load average %.2f%n", hold, hold * 1000 / (pingMs + pongMs),
          minSessions, minConnections, relay.stats().sessionsOpen(), loadAverage());
      System.out.println(minSessions == total ? "RESULT all " + total + " sessions held"
          : "RESULT FAILED: only " + minSessions + " of " + total + " held");
      in.close();
      clients.waitFor();
    }
    System.exit(0);
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage();
  }
}
