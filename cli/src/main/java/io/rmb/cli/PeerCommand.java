package io.rmb.cli;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rmb.bridge.redis.RedisBridge;
import io.rmb.bridge.redis.RedisBridgeOptions;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.metrics.AdminServer;
import io.rmb.peer.metrics.HealthCheck;
import io.rmb.peer.metrics.PeerMetrics;
import io.rmb.peer.metrics.PublishMetrics;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.transport.RelayOptions;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rmb peer}: the Redis queue bridge, a drop-in replacement for rmb-peer. Takes
 * rmb-peer's flags, so existing service files only change the binary.
 */
@Command(
    name = "peer",
    mixinStandardHelpOptions = true,
    description = {"Serves rmb-peer's Redis queues (msgbus.system.local, msgbus.system.reply,",
        "msgbus.<cmd>, ret queues, msgbus.backlog.<uid>) for our twin: a drop-in replacement",
        "for rmb-peer that keeps what it took from Redis across crashes and dead-letters what",
        "it cannot use (msgbus.system.dead). Runs until interrupted."},
    footer = {"", "Examples:", "  rmb peer -m \"<mnemonic>\" -r redis://localhost:6379",
        "  rmb peer -k ed25519 -m \"<mnemonic>\" --relay ws://127.0.0.1:8080 --twins twins.json"
            + " --admin 127.0.0.1:9464"})
final class PeerCommand implements Callable<Integer> {
  static final String DEFAULT_RELAY = "wss://relay.grid.tf:443";

  @Spec CommandSpec spec;
  @Mixin TwinSourceOptions twins;

  @Option(names = {"-m", "--mnemonic", "--mnemonics", "--seed"}, paramLabel = "SECRET",
      required = true, description = "Twin secret: BIP39 mnemonic, 0x seed or //Dev URI.")
  String secret;

  @Option(names = {"-k", "--key-type"}, paramLabel = "TYPE", defaultValue = "sr25519",
      description = "sr25519 (default) or ed25519.")
  String keyType;

  @Option(names = {"-r", "--redis"}, paramLabel = "URL",
      defaultValue = RedisBridgeOptions.DEFAULT_REDIS_URI,
      description = "Redis address (default ${DEFAULT-VALUE}).")
  String redis;

  @Option(names = "--relay", paramLabel = "URL",
      description = "Relay URL with a domain (repeatable, at most 4; default " + DEFAULT_RELAY
          + ").")
  List<String> relays = new ArrayList<>();

  @Option(names = "--no-update",
      description = "Do not publish our relays and e2e key on tfchain at start.")
  boolean noUpdate;

  @Option(names = {"-d", "--debug"},
      description = "Debug logs (-dd: trace).")
  boolean[] debug = new boolean[0];

  @Option(names = "--twin", paramLabel = "ID",
      description = "Our twin id (default: looked up by our account).")
  Long twin;

  @Option(names = "--admin", paramLabel = "HOST:PORT",
      description = "Serve /metrics (Prometheus), /health and /ready here (default: off).")
  String admin;

  @Option(names = "--silent-timeouts",
      description = {"Push nothing to ret when a destination does not answer before the "
          + "deadline, as rmb-peer (default: error 102 \"no answer from twin N before the "
          + "deadline\", so every destination gets exactly one answer or error)."})
  boolean silentTimeouts;

  @Override
  public Integer call() throws Exception {
    if (debug.length > 0) {
      LogSetup.level("io.rmb", debug.length > 1 ? "trace" : "debug");
    }
    Identity identity = Identity.fromSecret(secret, KeyType.fromLabel(keyType));
    List<String> relayUrls = relays.isEmpty() ? List.of(DEFAULT_RELAY) : relays;
    if (relayUrls.size() > RelayOptions.MAX_RELAYS) {
      throw new IllegalArgumentException("at most " + RelayOptions.MAX_RELAYS
          + " relays, got " + relayUrls.size());
    }
    ServeEchoCommand.relayDomains(relayUrls); // a relay URL without a host is an error
    RedisBridgeOptions.Builder bridgeOptions = RedisBridgeOptions.builder().redisUri(redis)
        .timeoutErrors(!silentTimeouts);
    InetSocketAddress adminAddress = admin == null ? null : ServeEchoCommand.adminAddress(admin);
    try (TwinSourceOptions source = twins) {
      long ownTwin = source.resolveOwnTwin(twin, identity.publicKey(), identity.ss58());
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      RmbPeer peer = RmbPeer.create(RmbPeerOptions.builder().identity(identity).twin(ownTwin)
          .relays(relayUrls.toArray(String[]::new)).twins(source.directory()).build());
      new PeerMetrics(peer, Tags.empty()).bindTo(registry);
      ServeEchoCommand.publishTwin(source, identity, relayUrls, noUpdate)
          .thenAccept(new PublishMetrics(registry));
      RedisBridge bridge = RedisBridge.create(peer, bridgeOptions.meterRegistry(registry)
          .build());
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        bridge.close();
        stopped.countDown();
      }, "rmb-peer-shutdown"));
      bridge.start(); // waits for Redis, retrying with backoff and saying so in the log
      AdminServer server = adminAddress == null ? null : AdminServer.builder()
          .address(adminAddress).registry(registry)
          .liveness("redis", bridge.redisHealth())
          .readiness("redis", bridge.redisHealth())
          .readiness("relays", () -> peer.isConnected()
              ? HealthCheck.Result.up("connected to a relay")
              : HealthCheck.Result.down("no relay connection"))
          .build().start();
      spec.commandLine().getErr().println("rmb: twin " + ownTwin + " (" + identity.ss58()
          + ") serving rmb-peer's Redis queues on " + redis + " via " + relayUrls
          + (server != null ? "; admin on http://" + hostPort(server.address()) : ""));
      spec.commandLine().getErr().flush();
      stopped.await();
      if (server != null) {
        server.close();
      }
      return 0;
    }
  }

  private static String hostPort(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }
}
