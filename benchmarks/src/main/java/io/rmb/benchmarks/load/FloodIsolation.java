package io.rmb.benchmarks.load;

import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import io.rmb.relay.limit.RateLimit;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * Rate-limit isolation (issue 9): twin 3 makes sequential request/response round trips with
 * twin 4 through the relay (raw signed envelopes, 64 B, no e2e crypto), first alone, then while
 * twin 1 floods twin 2 as fast as its socket takes frames. The relay runs with
 * {@code --limit COUNT 1GiB}; the flooder goes over it within seconds and gets rate-limit
 * errors, the others stay under it. Reports p50/p99 of the round trips in both phases of one
 * run and their ratio.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.rmb.benchmarks.load.FloodIsolation [roundTrips]
 * [limitCount]}, defaults {@code 3000 20000}.
 */
public final class FloodIsolation {
  private static final int SIZE = 64;

  public static void main(String[] args) throws Exception {
    int roundTrips = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    long limit = args.length > 1 ? Long.parseLong(args[1]) : 20_000;
    Path twins = Fixtures.twinsFile(1, 4);
    try (RelayServer relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain("localhost").twinsFile(twins).rateLimit(new RateLimit(limit, 1L << 30))
        .build())) {
      int port = relay.port();
      BlockingQueue<byte[]> replies = new LinkedBlockingQueue<>();
      LongAdder flooderErrors = new LongAdder();
      LongAdder sunk = new LongAdder();
      WebSocketClient caller = client(port, 3, replies::add);
      WebSocketClient echo = client(port, 4, null);
      WebSocketClient echoSender = echo;
      replaceHandler(echo, bytes -> echoSender.send(Fixtures.envelope(4, 3, SIZE)));
      WebSocketClient flooder = client(port, 1, bytes -> flooderErrors.increment());
      WebSocketClient sink = client(port, 2, bytes -> sunk.increment());
      for (WebSocketClient c : new WebSocketClient[] {caller, echo, flooder, sink}) {
        if (!c.connectBlocking(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("could not connect " + c.getURI());
        }
      }
      System.out.printf("round trips per phase=%d, limit=%d per 60 s, payload=%d B, cores=%d,"
          + " load average %.2f%n", roundTrips, limit, SIZE,
          Runtime.getRuntime().availableProcessors(), loadAverage());
      measure(caller, replies, roundTrips / 3); // JIT warm-up, discarded
      long[] quiet = measure(caller, replies, roundTrips);

      AtomicBoolean flooding = new AtomicBoolean(true);
      LongAdder flooded = new LongAdder();
      byte[][] pool = new byte[256][];
      for (int i = 0; i < pool.length; i++) {
        pool[i] = Fixtures.envelope(1, 2, SIZE);
      }
      Thread flood = new Thread(() -> {
        int i = 0;
        while (flooding.get() && flooder.isOpen()) {
          if (flooder.hasBufferedData()) {
            // as fast as the socket takes frames, without an unbounded queue; parking rather
            // than spinning, so the flooder's own client does not take a core from the relay
            // on a small machine (a real flooder runs elsewhere)
            LockSupport.parkNanos(20_000);
            continue;
          }
          flooder.send(pool[i++ & (pool.length - 1)]);
          flooded.increment();
        }
      }, "flooder");
      flood.start();
      long limitedBefore = relay.stats().rateLimited();
      long t0 = System.nanoTime();
      // let the flooder pass its limit first, so the second phase is measured while refused
      while (relay.stats().rateLimited() == limitedBefore && System.nanoTime() - t0 < 60e9) {
        Thread.sleep(10);
      }
      long floodStart = flooded.sum();
      long f0 = System.nanoTime();
      long[] loaded = measure(caller, replies, roundTrips);
      double floodSeconds = (System.nanoTime() - f0) / 1e9;
      long floodedDuring = flooded.sum() - floodStart;
      flooding.set(false);
      flood.join();

      System.out.printf("unloaded: p50 %.3f ms, p99 %.3f ms%n", ms(quiet, 50), ms(quiet, 99));
      System.out.printf("flooded:  p50 %.3f ms, p99 %.3f ms (flooder sent %d frames in %.1f s,"
          + " %.0f/s, during the phase)%n", ms(loaded, 50), ms(loaded, 99), floodedDuring,
          floodSeconds, floodedDuring / floodSeconds);
      System.out.printf("p99 ratio flooded/unloaded: %.2f (target <= 2)%n",
          ms(loaded, 99) / ms(quiet, 99));
      System.out.printf("relay: rate limited %d, flooder got %d error envelopes, sink got %d;"
          + " load average %.2f%n", relay.stats().rateLimited(), flooderErrors.sum(), sunk.sum(),
          loadAverage());
      for (WebSocketClient c : new WebSocketClient[] {caller, echo, flooder, sink}) {
        c.closeBlocking();
      }
    }
    System.exit(0);
  }

  /** Sequential round trips; nanoseconds each, sorted. */
  private static long[] measure(WebSocketClient caller, BlockingQueue<byte[]> replies, int n)
      throws InterruptedException {
    long[] took = new long[n];
    for (int i = 0; i < n; i++) {
      byte[] request = Fixtures.envelope(3, 4, SIZE);
      long t = System.nanoTime();
      caller.send(request);
      if (replies.poll(30, TimeUnit.SECONDS) == null) {
        throw new IllegalStateException("no reply to round trip " + i);
      }
      took[i] = System.nanoTime() - t;
    }
    Arrays.sort(took);
    return took;
  }

  private static double ms(long[] sorted, int percentile) {
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage();
  }

  private static void replaceHandler(WebSocketClient client, Consumer<byte[]> handler) {
    ((Client) client).handler = handler;
  }

  private static WebSocketClient client(int port, long twin, Consumer<byte[]> onBinary) {
    return new Client(URI.create("ws://127.0.0.1:" + port + "/?" + Fixtures.token(twin)),
        onBinary);
  }

  private static final class Client extends WebSocketClient {
    private volatile Consumer<byte[]> handler;

    Client(URI uri, Consumer<byte[]> handler) {
      super(uri);
      this.handler = handler;
      setConnectionLostTimeout(0);
    }

    @Override
    public void onOpen(ServerHandshake handshake) { }

    @Override
    public void onMessage(String message) { }

    @Override
    public void onMessage(ByteBuffer bytes) {
      byte[] copy = new byte[bytes.remaining()];
      bytes.get(copy);
      Consumer<byte[]> h = handler;
      if (h != null) {
        h.accept(copy);
      }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) { }

    @Override
    public void onError(Exception ex) {
      ex.printStackTrace();
    }
  }
}
