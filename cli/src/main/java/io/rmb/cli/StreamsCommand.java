package io.rmb.cli;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.metrics.PublishMetrics;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.streams.GatewayConfig;
import io.rmb.streams.StreamsGateway;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rmb streams}: runs the Kafka Streams gateway. */
@Command(
    name = "streams",
    mixinStandardHelpOptions = true,
    description = {"Runs the Kafka Streams gateway: requests from rmb.requests go to twins",
        "through the relays, one outcome per destination goes to rmb.responses; requests",
        "for our twin go to rmb.incoming and replies from rmb.replies go back.",
        "Settings: --config FILE (properties), then RMB_*/KAFKA_* environment variables",
        "(RMB_TOPIC_REQUESTS=rmb.topic.requests, KAFKA_BOOTSTRAP_SERVERS=bootstrap.servers),",
        "then flags. Runs until interrupted (Ctrl-C)."},
    footer = {"", "Example:",
        "  rmb streams --bootstrap-servers 127.0.0.1:9092 -m //Alice \\",
        "      --relay ws://127.0.0.1:8080 --twins twins.json --admin 127.0.0.1:9400"})
final class StreamsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PeerOptions peer;
  @Mixin TwinSourceOptions twins;

  @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (else from the config file or environment).")
  String bootstrap;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Properties file: rmb.* gateway keys, other keys go to Kafka Streams.")
  Path config;

  @Option(names = "--application-id", paramLabel = "ID",
      description = "Kafka Streams application id (default rmb-gateway).")
  String applicationId;

  @Option(names = "--admin", paramLabel = "HOST:PORT",
      description = "Serve /metrics, /health and /ready here.")
  String admin;

  @Option(names = "--value-format", paramLabel = "json|avro",
      description = "Value format of the user topics (default json; avro needs a registry).")
  String valueFormat;

  @Option(names = "--schema-registry-url", paramLabel = "URL",
      description = "Apicurio Registry 2.x API for Avro, e.g. http://host:8080/apis/registry/v2.")
  String schemaRegistryUrl;

  @Option(names = "--no-update",
      description = "Do not publish our relays and e2e key on tfchain at start.")
  boolean noUpdate;

  @Override
  public Integer call() throws Exception {
    Map<String, String> overrides = new HashMap<>();
    if (bootstrap != null) {
      overrides.put("bootstrap.servers", bootstrap);
    }
    if (applicationId != null) {
      overrides.put("application.id", applicationId);
    }
    if (admin != null) {
      overrides.put(GatewayConfig.ADMIN_LISTEN, admin);
    }
    if (valueFormat != null) {
      overrides.put(GatewayConfig.VALUE_FORMAT, valueFormat);
    }
    if (schemaRegistryUrl != null) {
      overrides.put(GatewayConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    }
    GatewayConfig settings = GatewayConfig.load(Optional.ofNullable(config), System.getenv(),
        overrides);
    Identity identity = peer.identity();
    try (TwinSourceOptions source = twins) {
      RmbPeerOptions options = peer.runtimeOptions(identity, source);
      CountDownLatch stopped = new CountDownLatch(1);
      try (StreamsGateway gateway = StreamsGateway.start(settings, options)) {
        // like rmb-peer: publish our relays and key in the background (tfchain only); the
        // outcome is logged and exported as rmb_twin_publish_* on /metrics
        ServeEchoCommand.publishTwin(source, identity, peer.relays, noUpdate)
            .thenAccept(new PublishMetrics(gateway.registry()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          gateway.close();
          stopped.countDown();
        }, "rmb-streams-shutdown"));
        spec.commandLine().getErr().println("rmb: gateway twin " + options.twin() + " on "
            + settings.bootstrapServers() + " (" + settings.topics().requests() + " -> "
            + settings.topics().responses() + ")"
            + gateway.admin().map(a -> ", admin on " + a.address()).orElse(""));
        spec.commandLine().getErr().flush();
        stopped.await();
      }
      return 0;
    }
  }
}
