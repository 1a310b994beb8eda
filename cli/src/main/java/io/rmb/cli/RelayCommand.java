package io.rmb.cli;

import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import io.rmb.relay.federation.FederationOptions;
import io.rmb.relay.limit.RateLimit;
import io.rmb.relay.redis.RedisOptions;
import io.rmb.relay.websocket.KeepAlive;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rmb relay}: runs a wire-compatible RMB relay. */
@Command(
    name = "relay",
    mixinStandardHelpOptions = true,
    description = {"Runs an RMB relay: WebSocket sessions for twins on one port.",
        "Twins whose relay list names one of our --domain values are queued for",
        "while offline; envelopes for other twins are federated to their relays",
        "(POST <scheme>://<domain>/). GET /metrics serves Prometheus metrics.",
        "Runs until interrupted (Ctrl-C)."},
    footer = {"", "Examples:",
        "  rmb relay --listen 127.0.0.1:8080 --domain localhost --twins twins.json",
        "  rmb relay --domain relay.example.com --redis redis://127.0.0.1:6379 \\",
        "      --limit 1000 10485760 --workers 32"})
final class RelayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TwinSourceOptions twins;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:8080",
      description = "Address to listen on (default 0.0.0.0:8080).")
  String listen;

  @Option(names = {"-m", "--domain"}, paramLabel = "NAME", required = true,
      description = "Domain this relay serves, as twins name it in their relay list"
          + " (repeatable).")
  List<String> domains = new ArrayList<>();

  @Option(names = "--redis", paramLabel = "URL",
      description = "Redis (redis://host:port[/db]) for the offline queue, session presence and"
          + " federation work, shared by every relay instance on it. Default: in memory.")
  String redis;

  @Option(names = "--limit", arity = "2", paramLabel = "N",
      description = "Rate limit per twin: COUNT envelopes and SIZE bytes per 60 s window."
          + " Default: none.")
  List<Long> limit;

  @Option(names = "--ranker-period", paramLabel = "S", defaultValue = "3600",
      description = "Seconds a remote relay's failures count against it when ranking"
          + " (default ${DEFAULT-VALUE}).")
  long rankerPeriod;

  @Option(names = "--federation-scheme", paramLabel = "http|https", defaultValue = "https",
      description = "Scheme of remote relays' ingest URLs (default ${DEFAULT-VALUE}).")
  String federationScheme;

  @Option(names = "--workers", paramLabel = "N",
      defaultValue = "" + FederationOptions.DEFAULT_WORKERS,
      description = "Concurrent federation workers (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--reroute-interval", paramLabel = "S",
      defaultValue = "5",
      description = "Every S seconds, move the offline queues of twins that no longer list this"
          + " relay (and have no session here) to federation towards their new relays; 0 turns"
          + " it off (default ${DEFAULT-VALUE}).")
  long rerouteInterval;

  @Option(names = "--max-jwt-lifetime", paramLabel = "S", defaultValue = "3600",
      description = "Refuse (401) connection tokens whose lifetime (exp - iat) exceeds S"
          + " seconds; 0 accepts any lifetime, as rmb-rs (default ${DEFAULT-VALUE}: admits the"
          + " 60 s tokens of rmb-peer and the 1000 s ones of the TypeScript client).")
  long maxJwtLifetime;

  @Option(names = "--max-frame-size", paramLabel = "BYTES",
      defaultValue = "" + RelayOptions.DEFAULT_MAX_FRAME_SIZE,
      description = "Largest envelope a client may send; larger ones close the connection with "
          + "1009 (default ${DEFAULT-VALUE}).")
  int maxFrameSize;

  @Option(names = "--ping-interval", paramLabel = "S", defaultValue = "30",
      description = "Seconds of silence before a client is pinged (default ${DEFAULT-VALUE}).")
  long pingInterval;

  @Option(names = "--pong-timeout", paramLabel = "S", defaultValue = "30",
      description = "Seconds a pinged client has to answer before it is closed with 1001 "
          + "(default ${DEFAULT-VALUE}).")
  long pongTimeout;

  @Override
  public Integer call() throws Exception {
    RelayOptions options = configure(RelayOptions.builder().listen(listen).domains(domains))
        .twins(twins.directory()).build();
    CountDownLatch stopped = new CountDownLatch(1);
    try (TwinSourceOptions source = twins; RelayServer server = RelayServer.start(options)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        stopped.countDown();
      }, "rmb-relay-shutdown"));
      spec.commandLine().getErr().println("rmb: relay listening on " + server.localAddress()
          + " for domains " + domains);
      spec.commandLine().getErr().flush();
      stopped.await();
    }
    return 0;
  }

  /**
   * Applies the scale and security flags ({@code --redis}, {@code --limit}, federation,
   * {@code --max-jwt-lifetime}) to {@code builder}.
   *
   * @throws picocli.CommandLine.ParameterException naming the flag whose value is wrong
   */
  RelayOptions.Builder configure(RelayOptions.Builder builder) {
    try {
      if (redis != null) {
        builder.redis(RedisOptions.builder(redis).build());
      }
      if (limit != null) {
        builder.rateLimit(new RateLimit(limit.get(0), limit.get(1)));
      }
      if (maxJwtLifetime < 0) {
        throw new IllegalArgumentException("--max-jwt-lifetime must be 0 (no bound) or a number"
            + " of seconds, got " + maxJwtLifetime);
      }
      if (maxJwtLifetime == 0) {
        builder.unboundedTokenLifetime();
      } else {
        builder.maxTokenLifetime(Duration.ofSeconds(maxJwtLifetime));
      }
      builder.maxFrameSize(maxFrameSize);
      builder.keepAlive(new KeepAlive(Duration.ofSeconds(pingInterval),
          Duration.ofSeconds(pongTimeout)));
      if (rankerPeriod < 1) {
        throw new IllegalArgumentException("--ranker-period must be at least 1 s, got "
            + rankerPeriod);
      }
      if (rerouteInterval < 0) {
        throw new IllegalArgumentException("--reroute-interval must be 0 (off) or a number of"
            + " seconds, got " + rerouteInterval);
      }
      return builder.federation(FederationOptions.builder().scheme(federationScheme)
          .rankerPeriod(Duration.ofSeconds(rankerPeriod)).workers(workers)
          .rerouteInterval(Duration.ofSeconds(rerouteInterval)).build());
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
