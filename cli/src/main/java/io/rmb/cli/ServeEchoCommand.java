package io.rmb.cli;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.metrics.AdminServer;
import io.rmb.peer.metrics.HealthCheck;
import io.rmb.peer.metrics.PeerMetrics;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.RequestHandler;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.PublishOutcome;
import io.rmb.peer.twin.TfchainTwinDirectory;
import io.rmb.peer.twin.TwinPublisher;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rmb serve-echo}: runs a twin that answers every command with its request payload,
 * for tests, demos and benchmarks.
 */
@Command(
    name = "serve-echo",
    mixinStandardHelpOptions = true,
    description = {"Runs a twin that answers every command with the request's payload",
        "(and schema). Runs until interrupted (Ctrl-C).",
        "With twins from tfchain it publishes our relays (the hosts of --relay) and e2e key",
        "on our twin in the background at start, like rmb-peer, unless --no-update."},
    footer = {"", "Example:",
        "  rmb serve-echo -m //Bob --relay ws://127.0.0.1:8080 --twins twins.json",
        "  rmb serve-echo -m //Bob --relay ws://127.0.0.1:8080 --twins twins.json \\",
        "      --admin 127.0.0.1:9465"})
final class ServeEchoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PeerOptions peer;
  @Mixin TwinSourceOptions twins;

  @Option(names = "--no-update",
      description = "Do not publish our relays and e2e key on tfchain at start.")
  boolean noUpdate;

  @Option(names = "--admin", paramLabel = "HOST:PORT",
      description = "Serve /metrics (Prometheus), /health and /ready here (default: off).")
  String admin;

  private static final Logger LOG = LoggerFactory.getLogger(ServeEchoCommand.class);

  /** The echo handler: the request's own payload and schema. */
  static final RequestHandler ECHO = RequestHandler.sync(request ->
      Reply.of(request.payload(), request.schema().orElse(null)));

  @Override
  public Integer call() throws Exception {
    Identity identity = peer.identity();
    InetSocketAddress adminAddress = admin == null ? null : adminAddress(admin);
    try (TwinSourceOptions source = twins) {
      RmbPeerOptions options = peer.runtimeOptions(identity, source);
      publishTwin(source, identity, peer.relays, noUpdate); // background; never waited for
      CountDownLatch stopped = new CountDownLatch(1);
      try (RmbPeer rmb = RmbPeer.create(options).handleOthers(ECHO).start()) {
        AdminServer server = adminAddress == null ? null : adminServer(rmb, adminAddress);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          rmb.close();
          if (server != null) {
            server.close();
          }
          stopped.countDown();
        }, "rmb-serve-echo-shutdown"));
        spec.commandLine().getErr().println("rmb: echo twin " + options.twin() + " ("
            + identity.ss58() + ") serving on " + peer.relays
            + (server != null ? "; admin on http://" + server.address().getHostString() + ":"
                + server.address().getPort()
                : ""));
        spec.commandLine().getErr().flush();
        stopped.await();
      }
      return 0;
    }
  }

  /** {@code --admin}'s HOST:PORT; a clear error otherwise. */
  static InetSocketAddress adminAddress(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      return new InetSocketAddress(hostPort.substring(0, colon),
          Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--admin must be HOST:PORT, got " + hostPort);
    }
  }

  /** The peer's metrics on /metrics; /ready while connected to a relay; /health always up. */
  static AdminServer adminServer(RmbPeer rmb, InetSocketAddress address) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new PeerMetrics(rmb, Tags.empty()).bindTo(registry);
    return AdminServer.builder().address(address).registry(registry)
        .liveness("process", () -> HealthCheck.Result.up("running"))
        .readiness("relays", () -> rmb.isConnected()
            ? HealthCheck.Result.up("connected to a relay")
            : HealthCheck.Result.down("no relay connection"))
        .build().start();
  }

  /**
   * Starts publishing our relay domains (the hosts of {@code relayUrls}) and e2e key on our
   * tfchain twin in the background, as rmb-peer does at start, and returns at once; the
   * outcome is logged by the publisher. Skipped with {@code --no-update} or when twins come
   * from a file. The future never fails.
   */
  static CompletableFuture<PublishOutcome> publishTwin(TwinSourceOptions source,
      Identity identity, List<String> relayUrls, boolean noUpdate) {
    if (noUpdate) {
      LOG.info("--no-update: not publishing our twin on tfchain");
      return CompletableFuture.completedFuture(PublishOutcome.skipped("--no-update"));
    }
    Optional<TfchainTwinDirectory> tfchain = source.tfchain();
    if (tfchain.isEmpty()) {
      LOG.debug("twins come from {}, not tfchain: not publishing our twin", source.twinsFile);
      return CompletableFuture.completedFuture(PublishOutcome.skipped("twins from a file"));
    }
    try {
      TwinPublisher publisher = TwinPublisher.builder().chain(tfchain.get().chain())
          .identity(identity).relays(relayDomains(relayUrls)).build();
      return publisher.start();
    } catch (RuntimeException e) {
      LOG.warn("not publishing our twin on tfchain: {}", e.getMessage());
      return CompletableFuture.completedFuture(new PublishOutcome(PublishOutcome.Status.FAILED,
          OptionalLong.empty(), String.valueOf(e.getMessage()), Duration.ZERO));
    }
  }

  /** The host names of the relay URLs, in order, without duplicates. */
  static Set<String> relayDomains(List<String> relayUrls) {
    Set<String> domains = new LinkedHashSet<>();
    for (String url : relayUrls) {
      String host = URI.create(url.trim()).getHost();
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("relay URL without a host: " + url);
      }
      domains.add(host);
    }
    return domains;
  }
}
