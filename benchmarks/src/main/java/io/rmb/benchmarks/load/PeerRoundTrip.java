package io.rmb.benchmarks.load;

import com.google.protobuf.ByteString;
import io.rmb.peer.crypto.E2eCipher;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.RequestHandler;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.proto.Address;
import io.rmb.proto.Envelope;
import io.rmb.proto.Request;
import io.rmb.proto.Response;
import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Peer request/response round trips per second (RmbPeer twin 7, sr25519 -> our relay ->
 * RmbPeer twin 8, ed25519, echo handler; 1 KiB payload encrypted both ways; everything in this
 * JVM on loopback) against the crypto-only ceiling measured in the same run: per round trip
 * 2 signs (sr25519 + ed25519), 2 verifies, 2 encrypts and 2 decrypts of 1 KiB with warm shared
 * keys, on several thread counts.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.rmb.benchmarks.load.PeerRoundTrip [inFlight]
 * [warmupSeconds] [measureSeconds] [threadCounts]}, defaults {@code 32 3 10 1,<cores>,8}.
 * The ceiling is measured for each thread count and the best one is the reference: on a
 * shared machine a process with more runnable threads gets a larger share of the cores, and
 * the peer run has more than {@code cores} busy threads (relay event loops, peer pipelines,
 * handlers, WebSocket clients). Both are also reported per CPU-second of this process, which
 * does not depend on that share.
 */
public final class PeerRoundTrip {
  private static final int SIZE = 1024;

  public static void main(String[] args) throws Exception {
    int inFlight = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int measure = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int cores = Runtime.getRuntime().availableProcessors();
    int[] threadCounts = java.util.Arrays.stream(
        (args.length > 3 ? args[3] : "1," + cores + ",8").split(","))
        .mapToInt(x -> Integer.parseInt(x.trim())).toArray();
    int threads = java.util.Arrays.stream(threadCounts).max().getAsInt();
    Identity a = Identity.fromSecret(Fixtures.SR_SECRET, KeyType.SR25519);
    Identity b = Identity.fromSecret(Fixtures.ED_SECRET, KeyType.ED25519);
    byte[] payload = new byte[SIZE];
    new SecureRandom().nextBytes(payload);
    System.out.printf("payload=%d B inFlight=%d warmup=%ds measure=%ds cores=%d%n", SIZE,
        inFlight, warmup, measure, Runtime.getRuntime().availableProcessors());

    // JVM warm-up (JIT of sr25519, ed25519, AES-GCM and protobuf), result discarded
    ceiling(a, b, payload, threads, 0, warmup * 2);
    double best = 0;
    double bestPerCpu = 0;
    for (int t : threadCounts) {
      double[] c = ceiling(a, b, payload, t, warmup, measure);
      System.out.printf("crypto ceiling, %d thread(s): %.0f round trips/s, %.0f per CPU-second%n",
          t, c[0], c[1]);
      best = Math.max(best, c[0]);
      bestPerCpu = Math.max(bestPerCpu, c[1]);
    }
    // the same JVM warm-up for the peer path (relay, WebSocket, protobuf, futures), discarded:
    // without it the measured window still pays for C2 compiling that path
    System.out.println("(peer path warm-up, discarded)");
    peers(a, b, payload, inFlight, 0, warmup * 2);
    double[] peers = peers(a, b, payload, inFlight, warmup, measure);
    System.out.printf("peer -> relay -> peer echo: %.0f round trips/s, %.0f per CPU-second%n",
        peers[0], peers[1]);
    System.out.printf("ratio vs best crypto ceiling: wall %.2f (%.0f / %.0f), per CPU-second %.2f"
        + " (%.0f / %.0f)%n", peers[0] / best, peers[0], best, peers[1] / bestPerCpu, peers[1],
        bestPerCpu);
    System.exit(0);
  }

  /** One round trip's crypto, run back to back on {@code threads} threads. */
  static double[] ceiling(Identity a, Identity b, byte[] payload, int threads, int warmup,
      int measure) throws InterruptedException {
    byte[] pkA = a.e2ePublicKey().orElseThrow();
    byte[] pkB = b.e2ePublicKey().orElseThrow();
    LongAdder done = new LongAdder();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      E2eCipher ca = new E2eCipher(a.e2eKeyPair().orElseThrow(), new SecureRandom());
      E2eCipher cb = new E2eCipher(b.e2eKeyPair().orElseThrow(), new SecureRandom());
      workers.add(new Thread(() -> {
        long i = 0;
        while (running.get()) {
          // request: A encrypts and signs, B verifies and decrypts
          Envelope req = Envelopes.sign(Envelope.newBuilder().setUid("u" + i++)
              .setTimestamp(System.currentTimeMillis() / 1000).setExpiration(60)
              .setSource(Address.newBuilder().setTwin(7)).setDestination(Address.newBuilder()
                  .setTwin(8)).setRequest(Request.newBuilder().setCommand("echo"))
              .setCipher(ByteString.copyFrom(ca.encrypt(pkB, payload))), a.signer()).build();
          Envelopes.verify(req, a.publicKey());
          byte[] got = cb.decrypt(pkA, req.getCipher().toByteArray());
          // response: B encrypts and signs, A verifies and decrypts
          Envelope resp = Envelopes.sign(Envelope.newBuilder().setUid(req.getUid())
              .setTimestamp(System.currentTimeMillis() / 1000).setExpiration(60)
              .setSource(Address.newBuilder().setTwin(8)).setDestination(Address.newBuilder()
                  .setTwin(7)).setResponse(Response.newBuilder())
              .setCipher(ByteString.copyFrom(cb.encrypt(pkA, got))), b.signer()).build();
          Envelopes.verify(resp, b.publicKey());
          if (ca.decrypt(pkB, resp.getCipher().toByteArray()).length != payload.length) {
            throw new AssertionError("round trip changed the payload");
          }
          done.increment();
        }
      }, "crypto-" + t));
    }
    workers.forEach(Thread::start);
    double[] rate = measureRate(done, warmup, measure);
    running.set(false);
    for (Thread t : workers) {
      t.join();
    }
    return rate;
  }

  static double[] peers(Identity a, Identity b, byte[] payload, int inFlight, int warmup,
      int measure) throws Exception {
    Path twins = Fixtures.echoTwins(a, b);
    try (RelayServer relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain("localhost").twinsFile(twins).build())) {
      String url = "ws://127.0.0.1:" + relay.port();
      RmbPeer echo = RmbPeer.create(RmbPeerOptions.builder().identity(b).twin(8).relays(url)
          .twins(new FileTwinDirectory(twins)).build())
          .handleOthers(RequestHandler.sync(req -> Reply.of(req.payload(),
              req.schema().orElse(null))))
          .start();
      RmbPeer caller = RmbPeer.create(RmbPeerOptions.builder().identity(a).twin(7).relays(url)
          .twins(new FileTwinDirectory(twins)).build()).start();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!(echo.isConnected() && caller.isConnected()) && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      LongAdder done = new LongAdder();
      LongAdder failed = new LongAdder();
      Semaphore window = new Semaphore(inFlight);
      AtomicBoolean running = new AtomicBoolean(true);
      Thread driver = new Thread(() -> {
        try {
          while (running.get()) {
            if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
              continue;
            }
            caller.request(List.of(8L), "echo", payload, Duration.ofSeconds(30)).outcome(8L)
                .whenComplete((o, e) -> {
                  if (e == null && o.kind() == Outcome.Kind.RESPONSE) {
                    done.increment();
                  } else {
                    failed.increment();
                  }
                  window.release();
                });
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "driver");
      driver.start();
      double[] rate = measureRate(done, warmup, measure);
      running.set(false);
      driver.join();
      window.tryAcquire(inFlight, 30, TimeUnit.SECONDS);
      System.out.printf("peer run: %d responses, %d failed/other outcomes%n", done.sum(),
          failed.sum());
      caller.close();
      echo.close();
      return rate;
    }
  }

  /**
   * Counts over the measured period: {events per wall second, events per CPU-second of this
   * process}. The second figure does not depend on how much of the shared cores the process
   * got, which on a busy machine depends on how many runnable threads it has.
   */
  static double[] measureRate(LongAdder counter, int warmup, int measure)
      throws InterruptedException {
    return measureRate(counter, warmup, measure, List.of(), () -> 0L);
  }

  /**
   * {@link #measureRate(LongAdder, int, int)}, plus [2]: events per CPU-second of the JVM
   * without its Java threads whose names start with one of {@code loadPrefixes} (the load
   * generator's own clients), and [3]: the CPU of other processes ({@code outsideCpuNanos},
   * e.g. redis-server) per event, in microseconds, which the per CPU-second figures leave out.
   */
  static double[] measureRate(LongAdder counter, int warmup, int measure,
      List<String> loadPrefixes, java.util.function.LongSupplier outsideCpuNanos)
      throws InterruptedException {
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    Thread.sleep(warmup * 1000L);
    long before = counter.sum();
    java.util.Map<Long, Long> threads0 = ThreadCpu.snapshot();
    long outside0 = outsideCpuNanos.getAsLong();
    long allocated0 = ThreadCpu.allocatedBytes();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Thread.sleep(measure * 1000L);
    long after = counter.sum();
    long cpu = os.getProcessCpuTime() - cpu0;
    long wall = System.nanoTime() - t0;
    long outside = outsideCpuNanos.getAsLong() - outside0;
    // threads that ended inside the window are missed: none do in these benchmarks
    long allocated = ThreadCpu.allocatedBytes() - allocated0;
    long load = loadPrefixes.isEmpty() ? 0 : ThreadCpu.cpuOf(threads0, loadPrefixes);
    ThreadCpu.print(threads0, cpu, after - before);
    long events = after - before;
    if (events > 0) {
      System.out.printf("  allocated per event: %.1f KiB (all Java threads)%n",
          allocated / 1024.0 / events);
    }
    return new double[] {events / (wall / 1e9), events / (cpu / 1e9),
        events / ((cpu - load) / 1e9), events == 0 ? 0 : outside / 1e3 / events};
  }
}
