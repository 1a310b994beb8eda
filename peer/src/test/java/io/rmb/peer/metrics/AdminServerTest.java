package io.rmb.peer.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin endpoint over real HTTP on loopback (what Prometheus and probes see). */
class AdminServerTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean relayUp = new AtomicBoolean(true);
  private final HttpClient http = HttpClient.newHttpClient();
  private final AdminServer server = AdminServer.builder().registry(registry)
      .liveness("process", () -> HealthCheck.Result.up("running"))
      .readiness("relays", () -> relayUp.get() ? HealthCheck.Result.up("1 of 1 connected")
          : HealthCheck.Result.down("0 of 1 connected"))
      .readiness("broken", () -> {
        if (!relayUp.get()) {
          throw new IllegalStateException("boom");
        }
        return HealthCheck.Result.up("fine");
      })
      .build().start();

  @AfterEach
  void close() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.address().getPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsAreServedInPrometheusTextFormat() throws Exception {
    Counter.builder("rmb.test.things").register(registry).increment(3);
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    assertThat(response.body()).contains("rmb_test_things_total 3.0");
  }

  @Test
  void readinessFollowsItsChecksAndAThrowingCheckIsDown() throws Exception {
    HttpResponse<String> ready = get("/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(ready).get("status").asText()).isEqualTo("UP");

    relayUp.set(false);
    HttpResponse<String> notReady = get("/ready");
    assertThat(notReady.statusCode()).isEqualTo(503);
    JsonNode body = json(notReady);
    assertThat(body.get("status").asText()).isEqualTo("DOWN");
    assertThat(body.at("/checks/relays/detail").asText()).isEqualTo("0 of 1 connected");
    assertThat(body.at("/checks/broken/detail").asText()).contains("boom");
    // liveness has its own checks: the process is still alive
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void unknownPathsAndMethodsAreRefusedClearly() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + server.address().getPort() + "/metrics"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void aTakenPortIsAClearError() {
    assertThatThrownBy(() -> AdminServer.builder().registry(registry)
        .address(server.address()).build())
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(String.valueOf(server.address().getPort()));
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return new ObjectMapper().readTree(response.body());
  }
}
