package io.rmb.benchmarks.load;

import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * Relay forwarding throughput: N sender/receiver pairs of raw Java-WebSocket clients send one
 * pre-signed 1 KiB request envelope over and over (at most {@code window} in flight per pair,
 * released when the receiver gets a frame), for a warm-up and then a measured period; messages
 * per second are frames delivered at the receivers. The same clients run against our relay and
 * against {@link BareForwarder}, alternately, in one JVM.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.rmb.benchmarks.load.RelayLoad [pairs,...]
 * [warmupSeconds] [measureSeconds] [window]}, defaults {@code 1,4,16 3 10 64}.
 */
public final class RelayLoad {
  private static final int SIZE = 1024;
  private static final long RECEIVER_BASE = 1000;

  public static void main(String[] args) throws Exception {
    String[] pairList = (args.length > 0 ? args[0] : "1,4,16").split(",");
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int measure = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int window = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    Path twins = Fixtures.twinsFile(1, RECEIVER_BASE + 64);
    System.out.printf("payload=%d B window=%d warmup=%ds measure=%ds cores=%d%n", SIZE, window,
        warmup, measure, Runtime.getRuntime().availableProcessors());
    // JVM warm-up (JIT of the shared client, protobuf and Netty code), results discarded
    try (RelayServer relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain("localhost").twinsFile(twins).build())) {
      run(relay.port(), 4, 0, warmup * 2, window);
    }
    try (BareForwarder fwd = new BareForwarder(0)) {
      run(fwd.port(), 4, 0, warmup * 2, window);
    }
    System.out.println("pairs  relay_msg_s  bare_msg_s  ratio");
    for (String p : pairList) {
      int pairs = Integer.parseInt(p.trim());
      double ours;
      try (RelayServer relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
          .domain("localhost").twinsFile(twins).build())) {
        ours = run(relay.port(), pairs, warmup, measure, window);
      }
      double bare;
      try (BareForwarder fwd = new BareForwarder(0)) {
        bare = run(fwd.port(), pairs, warmup, measure, window);
      }
      System.out.printf("%5d  %11.0f  %10.0f  %5.2f%n", pairs, ours, bare, ours / bare);
    }
    System.exit(0);
  }

  /** Connects the pairs, drives them and returns delivered messages per second. */
  static double run(int port, int pairs, int warmup, int measure, int window) throws Exception {
    return run(port, port, pairs, warmup, measure, window);
  }

  /**
   * Like {@link #run(int, int, int, int, int)} with senders connected to {@code senderPort} and
   * receivers to {@code receiverPort} (two relay instances sharing a backend).
   */
  static double run(int senderPort, int receiverPort, int pairs, int warmup, int measure,
      int window) throws Exception {
    LongAdder delivered = new LongAdder();
    AtomicBoolean running = new AtomicBoolean(true);
    List<WebSocketClient> clients = new ArrayList<>();
    List<Thread> senders = new ArrayList<>();
    for (int i = 1; i <= pairs; i++) {
      long src = i;
      long dst = RECEIVER_BASE + i;
      Semaphore inFlight = new Semaphore(window);
      WebSocketClient receiver = client(receiverPort, dst, () -> {
        delivered.increment();
        inFlight.release();
      });
      WebSocketClient sender = client(senderPort, src, () -> { });
      clients.add(receiver);
      clients.add(sender);
      if (!receiver.connectBlocking(30, TimeUnit.SECONDS)
          || !sender.connectBlocking(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("could not connect pair " + i);
      }
      byte[] envelope = Fixtures.envelope(src, dst, SIZE);
      Thread t = new Thread(() -> {
        try {
          while (running.get()) {
            if (inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
              sender.send(envelope);
            }
          }
        } catch (InterruptedException | RuntimeException e) {
          if (running.get()) {
            e.printStackTrace();
          }
        }
      }, "sender-" + i);
      senders.add(t);
    }
    senders.forEach(Thread::start);
    Thread.sleep(warmup * 1000L);
    long before = delivered.sum();
    long t0 = System.nanoTime();
    Thread.sleep(measure * 1000L);
    long after = delivered.sum();
    long t1 = System.nanoTime();
    running.set(false);
    for (Thread t : senders) {
      t.join(5000);
    }
    for (WebSocketClient c : clients) {
      c.closeBlocking();
    }
    return (after - before) / ((t1 - t0) / 1e9);
  }

  private static WebSocketClient client(int port, long twin, Runnable onBinary) {
    URI uri = URI.create("ws://127.0.0.1:" + port + "/?" + Fixtures.token(twin));
    return new WebSocketClient(uri) {
      @Override
      public void onOpen(ServerHandshake handshake) { }

      @Override
      public void onMessage(String message) { }

      @Override
      public void onMessage(ByteBuffer bytes) {
        onBinary.run();
      }

      @Override
      public void onClose(int code, String reason, boolean remote) { }

      @Override
      public void onError(Exception ex) {
        ex.printStackTrace();
      }
    };
  }
}
