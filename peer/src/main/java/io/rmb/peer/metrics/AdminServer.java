package io.rmb.peer.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The admin HTTP endpoint of a gateway process: {@code GET /metrics} (Prometheus text format
 * 0.0.4 from a {@link PrometheusMeterRegistry}), {@code GET /health} (liveness) and
 * {@code GET /ready} (readiness). Health answers are JSON,
 * {@code {"status":"UP","checks":{"relays":{"status":"UP","detail":"..."}}}}, with 200 when
 * every check is up and 503 otherwise, so Kubernetes probes and load balancers can use the
 * status code alone. Built with {@link #builder()}; one daemon thread serves it.
 */
public final class AdminServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrometheusMeterRegistry registry;
  private final Map<String, HealthCheck> liveness;
  private final Map<String, HealthCheck> readiness;

  private AdminServer(Builder b) throws IOException {
    this.registry = Objects.requireNonNull(b.registry, "registry");
    this.liveness = Collections.unmodifiableMap(new LinkedHashMap<>(b.liveness));
    this.readiness = Collections.unmodifiableMap(new LinkedHashMap<>(b.readiness));
    this.server = HttpServer.create(Objects.requireNonNull(b.address, "address"), 16);
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "rmb-admin-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts serving; returns this. */
  public AdminServer start() {
    server.start();
    return this;
  }

  /** The bound address (the real port when the builder asked for port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/metrics" -> send(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
        case "/health" -> health(exchange, liveness);
        case "/ready" -> health(exchange, readiness);
        default -> send(exchange, 404, "text/plain; charset=utf-8",
            "not found; try /metrics, /health or /ready\n");
      }
    }
  }

  private void health(HttpExchange exchange, Map<String, HealthCheck> checks) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode results = JSON.createObjectNode();
    boolean up = true;
    for (Map.Entry<String, HealthCheck> check : checks.entrySet()) {
      HealthCheck.Result result;
      try {
        result = check.getValue().check();
      } catch (RuntimeException e) {
        result = HealthCheck.Result.down("check failed: " + e);
      }
      up &= result.up();
      results.putObject(check.getKey()).put("status", result.up() ? "UP" : "DOWN")
          .put("detail", result.detail());
    }
    body.put("status", up ? "UP" : "DOWN");
    body.set("checks", results);
    send(exchange, up ? 200 : 503, "application/json", JSON.writeValueAsString(body) + "\n");
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Builder for {@link AdminServer}; not thread-safe. */
  public static final class Builder {
    private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
    private PrometheusMeterRegistry registry;
    private final Map<String, HealthCheck> liveness = new LinkedHashMap<>();
    private final Map<String, HealthCheck> readiness = new LinkedHashMap<>();

    private Builder() {}

    /** Where to listen; default 127.0.0.1 on a free port. */
    public Builder address(InetSocketAddress address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The registry {@code /metrics} scrapes (required). */
    public Builder registry(PrometheusMeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    /** A check for {@code /health}: is the process working at all. */
    public Builder liveness(String name, HealthCheck check) {
      liveness.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
      return this;
    }

    /** A check for {@code /ready}: should traffic be sent here now. */
    public Builder readiness(String name, HealthCheck check) {
      readiness.put(Objects.requireNonNull(name, "name"),
          Objects.requireNonNull(check, "check"));
      return this;
    }

    /**
     * Binds the port (serving starts with {@link AdminServer#start()}).
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public AdminServer build() {
      try {
        return new AdminServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot bind the admin endpoint to " + address, e);
      }
    }
  }
}
