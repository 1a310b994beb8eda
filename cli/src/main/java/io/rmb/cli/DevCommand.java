package io.rmb.cli;

import io.rmb.peer.RmbException;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import io.rmb.streams.GatewayConfig;
import io.rmb.streams.StreamsGateway;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rmb dev}: the whole stack in one process, for trying the gateway and for demos: a
 * single-node Kafka broker, a relay, generated identities and twins file, the Streams gateway
 * (twin 1) and an echo twin (twin 2).
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {"Runs Kafka (single-node KRaft), a relay, the Streams gateway (twin 1) and",
        "an echo twin (twin 2) in this process, with generated identities; creates the",
        "topics and prints how to send a request. With --demo N it sends N echo requests",
        "through Kafka, prints a summary and exits; otherwise runs until Ctrl-C."},
    footer = {"", "Examples:", "  rmb dev --demo 1000", "  rmb dev --demo 1000 --direct",
        "  rmb dev            (then, in another shell: rmb send --bootstrap-servers ...)",
        "  rmb dev --admin 127.0.0.1:9400   (gateway /metrics, /health, /ready)",
        "", "Exit codes: 0 ok (with --demo: every request got a response), 1 otherwise."})
final class DevCommand implements Callable<Integer> {
  static final long GATEWAY_TWIN = 1;
  static final long ECHO_TWIN = 2;
  static final long DIRECT_TWIN = 3;

  @Spec CommandSpec spec;

  /** Counted down when everything is closed and the temporary files are gone. */
  private final CountDownLatch cleanedUp = new CountDownLatch(1);

  @Option(names = "--demo", paramLabel = "N",
      description = "Send N echo requests through Kafka, print a summary and exit.")
  Integer demo;

  @Option(names = "--concurrency", paramLabel = "C", defaultValue = "200",
      description = "Requests in flight at once during --demo (default 200).")
  int concurrency;

  @Option(names = "--direct",
      description = "With --demo: also run the same load directly on a peer (no Kafka), first,"
          + " and print both, for comparison.")
  boolean direct;

  @Option(names = "--warmup", paramLabel = "W", defaultValue = "0",
      description = "With --demo: first send W requests on each path (Kafka, and direct with"
          + " --direct) and discard their figures, so the measured runs find the code"
          + " compiled (default 0).")
  int warmup;

  @Option(names = "--settle",
      description = "With --warmup: after the W warm-up requests of a path, go on warming it"
          + " in rounds of W/5 until the JIT compiler threads used under "
          + WarmUp.SETTLED_JIT_PERCENT + "%% of the process CPU in a round (at most "
          + WarmUp.MAX_ROUNDS + " rounds; the share is read from Linux /proc), so that"
          + " each path is measured at its steady state; the Kafka path (broker, Streams,"
          + " clients) has far more code to compile than the peer.")
  boolean settle;

  @Option(names = "--stages",
      description = "With --demo: also read the gateway's internal answers topic and print"
          + " where the time of a round trip goes (request+network, answers hop, outcome"
          + " hop); this costs the load generator a second topic, so leave it off when"
          + " measuring throughput.")
  boolean stages;

  @Option(names = "--partitions", paramLabel = "P", defaultValue = "3",
      description = "Partitions of the topics (default 3).")
  int partitions;

  @Option(names = "--eos", description = "Run the gateway with processing.guarantee="
      + "exactly_once_v2.")
  boolean exactlyOnce;

  @Option(names = "--gateway-prop", paramLabel = "KEY=VALUE",
      description = "A gateway or Kafka Streams setting, as in the file of rmb streams"
          + " --config (repeatable; e.g. num.stream.threads=2), for tuning experiments.")
  Map<String, String> gatewayProps = new HashMap<>();

  @Option(names = "--broker-prop", paramLabel = "KEY=VALUE",
      description = "A setting of the embedded Kafka broker (repeatable; e.g."
          + " num.io.threads=4), applied over rmb dev's own.")
  Map<String, String> brokerProps = new HashMap<>();

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where Kafka data, state and twins.json go (default: a temporary"
          + " directory, deleted at exit).")
  Path dir;

  @Option(names = "--admin", paramLabel = "HOST:PORT",
      description = "Serve the gateway's /metrics, /health and /ready here (default: off);"
          + " the relay's metrics are on its own port (GET /metrics).")
  String admin;

  @Override
  public Integer call() throws Exception {
    if (demo != null && demo < 1) {
      throw new IllegalArgumentException("--demo must be at least 1");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("--concurrency must be at least 1");
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup must not be negative");
    }
    if (settle && warmup == 0) {
      throw new IllegalArgumentException("--settle needs --warmup W (its rounds are W/5)");
    }
    quietLogs();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    boolean temporary = dir == null;
    Path root = temporary ? Files.createTempDirectory("rmb-dev-") : Files.createDirectories(dir);
    try {
      return run(root, out, err);
    } finally {
      if (temporary) {
        DevFiles.deleteRecursively(root);
      }
      cleanedUp.countDown();
    }
  }

  private int run(Path root, PrintWriter out, PrintWriter err) throws Exception {
    SecureRandom random = new SecureRandom();
    Identity gatewayId = Identity.fromSecret(seed(random), KeyType.SR25519);
    Identity echoId = Identity.fromSecret(seed(random), KeyType.ED25519);
    Identity directId = Identity.fromSecret(seed(random), KeyType.SR25519);
    Path twins = root.resolve("twins.json");
    DevFiles.writeTwins(twins, Map.of(GATEWAY_TWIN, gatewayId, ECHO_TWIN, echoId,
        DIRECT_TWIN, directId));
    err.println("rmb dev: starting Kafka, a relay, the gateway and an echo twin in " + root);
    err.flush();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(
        Files.createDirectories(root.resolve("kafka")), brokerProps);
        RelayServer relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
            .domain("localhost").twinsFile(twins).build())) {
      String relayUrl = "ws://127.0.0.1:" + relay.port();
      try (RmbPeer echo = RmbPeer.create(peer(echoId, ECHO_TWIN, relayUrl, twins))
              .handleOthers(ServeEchoCommand.ECHO).start();
          StreamsGateway gateway = StreamsGateway.start(gatewayConfig(kafka, root),
              peer(gatewayId, GATEWAY_TWIN, relayUrl, twins))) {
        awaitReady(gateway, echo);
        printBanner(out, kafka.bootstrapServers(), relayUrl, twins);
        if (demo == null) {
          CountDownLatch stopped = new CountDownLatch(1);
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            try {
              // Ctrl-C: let the main thread close everything and delete its files first
              cleanedUp.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }, "rmb-dev-stop"));
          stopped.await();
          return 0;
        }
        return runDemo(kafka, gateway, relayUrl, twins, directId, out, err);
      }
    }
  }

  private int runDemo(EmbeddedKafka kafka, StreamsGateway gateway, String relayUrl, Path twins,
      Identity directId, PrintWriter out, PrintWriter err) throws Exception {
    Duration timeout = Duration.ofSeconds(60);
    String requests = gateway.config().topics().requests();
    String responses = gateway.config().topics().responses();
    String answers = stages ? gateway.config().topics().answers() : null;
    try (RmbPeer peer = direct
        ? RmbPeer.create(peer(directId, DIRECT_TWIN, relayUrl, twins)).start() : null) {
      if (peer != null) {
        await(peer::isConnected, Duration.ofSeconds(30), "the direct peer to connect");
      }
      // without a warm-up of both paths the comparison favours whichever runs second (the
      // peer's code is shared); the direct path goes first: what the Kafka path leaves behind
      // (done markers purged a deadline plus a retention after their requests, with their
      // changelog tombstones; compiles of Kafka code) would otherwise load the direct window
      // and flatter the ratio
      DemoRun load = new DemoRun(demo, concurrency, err);
      out.println("demo: " + demo + " echo requests to twin " + ECHO_TWIN + ", " + concurrency
          + " in flight" + (peer != null ? ", directly on a peer first, then through Kafka" : ""));
      out.flush();
      DemoRun.Summary plain = null;
      if (peer != null) {
        warmUp(out, run -> run.direct(peer, ECHO_TWIN, timeout));
        plain = load.direct(peer, ECHO_TWIN, timeout);
      }
      warmUp(out, run -> run.throughKafka(kafka.bootstrapServers(), requests, responses,
          answers, ECHO_TWIN, timeout));
      DemoRun.Summary viaKafka = load.throughKafka(kafka.bootstrapServers(), requests,
          responses, answers, ECHO_TWIN, timeout);
      out.println(viaKafka.line());
      if (plain != null) {
        out.println(plain.line());
        out.printf(Locale.ROOT, "ratio:       kafka/direct throughput %.2f (per CPU-second"
            + " %.2f); Kafka adds %.1f ms at p50%n", viaKafka.perSecond() / plain.perSecond(),
            viaKafka.perCpuSecond() / plain.perCpuSecond(),
            viaKafka.p50Millis() - plain.p50Millis());
      }
      out.flush();
      return viaKafka.responses() == demo ? 0 : 1;
    }
  }

  /** The warm-up of one path (--warmup, --settle); its figures are printed, then discarded. */
  private void warmUp(PrintWriter out, WarmUp.DemoPath path) throws Exception {
    if (warmup > 0) {
      WarmUp.run(path, new DemoRun(warmup, concurrency, new PrintWriter(Writer.nullWriter())),
          settle ? WarmUp.MAX_ROUNDS : 0, out);
    }
  }

  private GatewayConfig gatewayConfig(EmbeddedKafka kafka, Path root) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put("application.id", "rmb-dev");
    props.put("state.dir", root.resolve("state").toString());
    // commit.interval.ms is left to Streams: 30 s under at-least-once (an ALOS commit flushes
    // the producer and commits offsets synchronously on the stream thread, which at 100 ms
    // kept that thread blocked about a third of the time under load), 100 ms with --eos
    props.put(GatewayConfig.TOPICS_PARTITIONS, Integer.toString(partitions));
    props.put(GatewayConfig.REPLY_TOPICS_PATTERN, ".*");
    // a throw-away broker: RocksDB buys nothing here (the stores are still changelogged)
    props.put(GatewayConfig.STATE_IN_MEMORY, "true");
    if (exactlyOnce) {
      props.put("processing.guarantee", "exactly_once_v2");
    }
    if (admin != null) {
      props.put(GatewayConfig.ADMIN_LISTEN, admin);
    }
    // last, so a tuning experiment can override any of the above
    props.putAll(gatewayProps);
    return GatewayConfig.load(Optional.empty(), Map.of(), props);
  }

  private static RmbPeerOptions peer(Identity identity, long twin, String relayUrl,
      Path twins) {
    return RmbPeerOptions.builder().identity(identity).twin(twin).relays(relayUrl)
        .twins(new FileTwinDirectory(twins)).build();
  }

  private static void awaitReady(StreamsGateway gateway, RmbPeer echo) {
    await(() -> gateway.isReady() && echo.isConnected(), Duration.ofSeconds(120),
        "the gateway and the echo twin to be ready");
  }

  /** Polls {@code condition} until true; startup only, where waiting is the point. */
  private static void await(BooleanSupplier condition, Duration limit, String what) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new RmbException("timed out after " + limit.toSeconds() + " s waiting for "
            + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RmbException("interrupted while waiting for " + what);
      }
    }
  }

  private void printBanner(PrintWriter out, String bootstrap, String relayUrl, Path twins) {
    out.println("rmb dev is running.");
    out.println("  Kafka bootstrap:  " + bootstrap);
    out.println("  relay:            " + relayUrl + "   twins: " + twins
        + "   metrics: GET " + relayUrl.replace("ws://", "http://") + "/metrics");
    if (admin != null) {
      out.println("  gateway admin:    http://" + admin + "/metrics, /health, /ready");
    }
    out.println("  gateway twin " + GATEWAY_TWIN + " reads rmb.requests, writes rmb.responses;"
        + " echo twin " + ECHO_TWIN + " answers any command");
    out.println("  send a request:   bin/rmb send --bootstrap-servers " + bootstrap
        + " --dst " + ECHO_TWIN + " --cmd test.echo --data '{\"hello\":1}'");
    out.println("  or produce to rmb.requests: {\"ref\":\"r1\",\"cmd\":\"test.echo\",\"dst\":["
        + ECHO_TWIN + "],\"json\":{\"hello\":1}}");
    out.flush();
  }

  /** The demo's output is the summary: only errors from Kafka and our own components. */
  private static void quietLogs() {
    for (String logger : new String[] {"org.apache.kafka", "kafka", "state.change.logger",
        "io.rmb"}) {
      LogSetup.level(logger, "error");
    }
  }

  private static String seed(SecureRandom random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return "0x" + HexFormat.of().formatHex(seed);
  }
}
