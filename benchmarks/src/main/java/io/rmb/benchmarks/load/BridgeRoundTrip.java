package io.rmb.benchmarks.load;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rmb.bridge.redis.RedisBridge;
import io.rmb.bridge.redis.RedisBridgeOptions;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.RequestHandler;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Round trips through two Redis bridges and our relay (client LPUSH on Redis A -> bridge twin
 * 7 -> relay -> bridge twin 8 -> msgbus.echo on Redis B -> a BRPOP/LPUSH echo service ->
 * back to the client's BLPOP; 1 KiB payload encrypted both ways) against the crypto-only
 * ceiling of {@link PeerRoundTrip} in the same run, and the latency the bridges add: p50/p99
 * of one-at-a-time calls through the bridges vs direct {@link RmbPeer} calls over the same
 * relay. The bridged throughput is measured after a discarded warm-up round of
 * {@code 2 * warmupSeconds} (JIT), then {@code warmupSeconds} more. Printed apart, not part
 * of the target's ratio: the figure per CPU-second without the load generator's own threads
 * (clients, services and their Lettuce event loop, all named {@code bench-*}), and the CPU
 * the two redis-servers used per round trip (from /proc), which no per CPU-second figure has.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.rmb.benchmarks.load.BridgeRoundTrip [inFlight]
 * [warmupSeconds] [measureSeconds] [latencyCalls]}, defaults {@code 32 3 8 1000}; needs
 * {@code redis-server} on PATH.
 */
public final class BridgeRoundTrip {
  private static final int SIZE = 1024;
  /** Thread names of the load generator (clients, services, their Lettuce threads). */
  private static final List<String> LOAD = List.of("bench-");
  /** One Lettuce event loop group for all of the load generator's connections, named apart. */
  private static final ClientResources LOAD_RESOURCES = ClientResources.builder()
      .threadFactoryProvider(pool -> new DefaultThreadFactory("bench-" + pool, true)).build();

  public static void main(String[] args) throws Exception {
    int inFlight = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int measure = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int calls = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
    int cores = Runtime.getRuntime().availableProcessors();
    Identity a = Identity.fromSecret(Fixtures.SR_SECRET, KeyType.SR25519);
    Identity b = Identity.fromSecret(Fixtures.ED_SECRET, KeyType.ED25519);
    byte[] payload = new byte[SIZE];
    new SecureRandom().nextBytes(payload);
    System.out.printf("payload=%d B inFlight=%d warmup=%ds measure=%ds latencyCalls=%d cores=%d%n",
        SIZE, inFlight, warmup, measure, calls, cores);
    PeerRoundTrip.ceiling(a, b, payload, 8, 0, warmup * 2); // JIT warm-up, discarded
    double best = 0;
    double bestPerCpu = 0;
    for (int t : new int[] {1, cores, 8}) {
      double[] c = PeerRoundTrip.ceiling(a, b, payload, t, warmup, measure);
      System.out.printf("crypto ceiling, %d thread(s): %.0f round trips/s, %.0f per CPU-second%n",
          t, c[0], c[1]);
      best = Math.max(best, c[0]);
      bestPerCpu = Math.max(bestPerCpu, c[1]);
    }
    Path twins = Fixtures.echoTwins(a, b);
    Process redisA = redis();
    Process redisB = redis();
    try (RelayServer relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain("localhost").twinsFile(twins).build())) {
      String url = "ws://127.0.0.1:" + relay.port();
      long[] direct = directLatencies(a, b, twins, url, payload, calls);
      try (RedisBridge bridgeA = RedisBridge.create(peer(a, 7, twins, url),
              RedisBridgeOptions.builder().redisUri(uri(redisA)).build()).start();
          RedisBridge bridgeB = RedisBridge.create(peer(b, 8, twins, url),
              RedisBridgeOptions.builder().redisUri(uri(redisB)).build()).start()) {
        waitFor(() -> bridgeA.peer().isConnected() && bridgeB.peer().isConnected());
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> services = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          services.add(service(uri(redisB), running));
        }
        LongSupplier redisCpu = () -> cpuNanos(redisA) + cpuNanos(redisB);
        List<Thread> threads = new ArrayList<>();
        long[] bridged = bridgedLatencies(uri(redisA), payload, calls);
        LongAdder done = new LongAdder();
        int clients = 4;
        for (int i = 0; i < clients; i++) {
          threads.add(client(uri(redisA), "bench.ret." + i, payload, inFlight / clients, done,
              running));
        }
        threads.forEach(Thread::start);
        // a discarded round first, as PeerRoundTrip's ceiling has: C2 compiles the bridged
        // path here instead of inside the measured window
        double[] first = PeerRoundTrip.measureRate(done, 0, warmup * 2, LOAD, redisCpu);
        System.out.printf("warm-up round (discarded): %.0f round trips/s, %.0f per "
            + "CPU-second%n", first[0], first[1]);
        double[] rate = PeerRoundTrip.measureRate(done, warmup, measure, LOAD, redisCpu);
        running.set(false);
        threads.addAll(services);
        for (Thread t : threads) {
          t.join(5000);
        }
        System.out.printf("client -> bridge -> relay -> bridge -> service echo: %.0f round "
            + "trips/s, %.0f per CPU-second%n", rate[0], rate[1]);
        System.out.printf("ratio vs best crypto ceiling: wall %.2f (%.0f / %.0f), per "
            + "CPU-second %.2f (%.0f / %.0f)%n", rate[0] / best, rate[0], best,
            rate[1] / bestPerCpu, rate[1], bestPerCpu);
        // not the target's measure, printed apart: in production the clients and services
        // are other processes (Python, Go), and redis-server's CPU is outside the JVM
        System.out.printf("  without the benchmark's own clients and services (bench-* "
            + "threads): %.0f per CPU-second, ratio %.2f; redis-servers (outside the JVM): "
            + "%.0f us CPU per round trip%n", rate[2], rate[2] / bestPerCpu, rate[3]);
        report("direct peer API", direct);
        report("through the bridges", bridged);
        System.out.printf("added by the bridges: p50 %+.2f ms, p99 %+.2f ms%n",
            (pct(bridged, 50) - pct(direct, 50)) / 1e6, (pct(bridged, 99) - pct(direct, 99)) / 1e6);
      }
    } finally {
      redisA.destroyForcibly();
      redisB.destroyForcibly();
    }
    System.exit(0);
  }

  private static RmbPeer peer(Identity identity, long twin, Path twins, String url) {
    return RmbPeer.create(RmbPeerOptions.builder().identity(identity).twin(twin).relays(url)
        .twins(new FileTwinDirectory(twins)).build());
  }

  private static long[] directLatencies(Identity a, Identity b, Path twins, String url,
      byte[] payload, int calls) throws Exception {
    try (RmbPeer echo = peer(b, 8, twins, url).handleOthers(RequestHandler.sync(
            req -> Reply.of(req.payload(), req.schema().orElse(null)))).start();
        RmbPeer caller = peer(a, 7, twins, url).start()) {
      waitFor(() -> echo.isConnected() && caller.isConnected());
      long[] nanos = new long[calls];
      for (int i = -calls / 5; i < calls; i++) { // the first fifth warms up
        long t0 = System.nanoTime();
        Outcome o = caller.request(List.of(8L), "echo", payload, Duration.ofSeconds(30))
            .outcome(8L).get(30, TimeUnit.SECONDS);
        if (o.kind() != Outcome.Kind.RESPONSE) {
          throw new IllegalStateException("direct call failed: " + o);
        }
        if (i >= 0) {
          nanos[i] = System.nanoTime() - t0;
        }
      }
      return nanos;
    }
  }

  private static long[] bridgedLatencies(String redisUri, byte[] payload, int calls) {
    RedisClient client = RedisClient.create(LOAD_RESOURCES, redisUri);
    try {
      RedisCommands<String, String> redis = client.connect().sync();
      long[] nanos = new long[calls];
      for (int i = -calls / 5; i < calls; i++) {
        long t0 = System.nanoTime();
        redis.lpush("msgbus.system.local", request(payload, "bench.latency"));
        KeyValue<String, String> answer = redis.blpop(30, "bench.latency");
        if (answer == null || !answer.getValue().contains("\"err\":null")) {
          throw new IllegalStateException("bridged call failed: " + answer);
        }
        if (i >= 0) {
          nanos[i] = System.nanoTime() - t0;
        }
      }
      return nanos;
    } finally {
      client.shutdown();
    }
  }

  private static String request(byte[] payload, String ret) {
    return "{\"ver\":1,\"ref\":\"b\",\"cmd\":\"echo\",\"exp\":60,\"dat\":\""
        + Base64.getEncoder().encodeToString(payload) + "\",\"dst\":[8],\"ret\":\"" + ret
        + "\",\"shm\":\"application/octet-stream\",\"now\":" + System.currentTimeMillis() / 1000
        + "}";
  }

  /** msg_handler.py: BRPOP msgbus.echo, answer on msgbus.system.reply with dst = src. */
  private static Thread service(String redisUri, AtomicBoolean running) {
    Thread t = new Thread(() -> {
      RedisClient client = RedisClient.create(LOAD_RESOURCES, redisUri);
      RedisCommands<String, String> redis = client.connect().sync();
      while (running.get()) {
        KeyValue<String, String> kv = redis.brpop(1, "msgbus.echo");
        if (kv == null) {
          continue;
        }
        String m = kv.getValue();
        String ref = field(m, "ref");
        String src = field(m, "src");
        String dat = field(m, "dat");
        redis.lpush("msgbus.system.reply", "{\"ver\":1,\"ref\":\"" + ref + "\",\"dat\":\"" + dat
            + "\",\"dst\":\"" + src + "\",\"shm\":null,\"now\":0}");
      }
      client.shutdown();
    }, "bench-echo-service");
    t.start();
    return t; // started
  }

  private static Thread client(String redisUri, String ret, byte[] payload, int window,
      LongAdder done, AtomicBoolean running) {
    return new Thread(() -> {
      RedisClient client = RedisClient.create(LOAD_RESOURCES, redisUri);
      RedisCommands<String, String> redis = client.connect().sync();
      for (int i = 0; i < window; i++) {
        redis.lpush("msgbus.system.local", request(payload, ret));
      }
      while (running.get()) {
        if (redis.blpop(1, ret) != null) {
          done.increment();
          redis.lpush("msgbus.system.local", request(payload, ret));
        }
      }
      client.shutdown();
    }, "bench-client-" + ret);
  }

  /** A string field of rmb-peer's JSON (the benchmark's own messages; no escapes). */
  private static String field(String json, String name) {
    int at = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
    return json.substring(at, json.indexOf('"', at));
  }

  private static void report(String what, long[] nanos) {
    System.out.printf("latency %s: p50 %.2f ms, p99 %.2f ms (%d calls, one at a time)%n", what,
        pct(nanos, 50) / 1e6, pct(nanos, 99) / 1e6, nanos.length);
  }

  private static double pct(long[] nanos, int p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static final java.util.Map<Process, Integer> PORTS = new java.util.HashMap<>();

  private static Process redis() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind",
        "127.0.0.1", "--save", "", "--appendonly", "no").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    PORTS.put(p, port);
    waitFor(() -> {
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        return false; // still free: not listening yet
      } catch (java.io.IOException inUse) {
        return true;
      }
    });
    return p;
  }

  /** User + system CPU of a process from /proc (Linux; 0 where there is none). */
  private static long cpuNanos(Process process) {
    try {
      String stat = java.nio.file.Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // 100 ticks/s
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  private static String uri(Process redis) {
    return "redis://127.0.0.1:" + PORTS.get(redis);
  }

  private static void waitFor(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("timed out waiting for the setup");
      }
      Thread.sleep(20); // setup polling in a benchmark main, not a test
    }
  }
}
