package io.rmb.bridge.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.KeyValue;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.testing.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Destinations that do not answer before the deadline: by default the client gets error 102
 * on its {@code ret}, once, so every destination ends with exactly one answer or error; with
 * {@link RedisBridgeOptions#timeoutErrors()} off nothing is pushed, as rmb-peer. Twin 3 (a
 * peer) holds the replies of {@code test.hold} until the test completes them; twin 2 is a
 * bridge whose service never pops, so it never answers either.
 */
@Tag("integration")
class TimeoutErrorIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT = 20;

  @TempDir static Path dir;
  private static Network network;
  private static RedisServer redisA;
  private static RedisServer redisB;
  private static RedisCommands<String, String> a;
  private static RedisCommands<String, String> b;
  private static final SimpleMeterRegistry METRICS_A = new SimpleMeterRegistry();
  private static final SimpleMeterRegistry METRICS_B = new SimpleMeterRegistry();
  private static RedisBridge bridgeA;
  private static RedisBridge silentB;
  private static RmbPeer twin3;
  private static final LinkedBlockingQueue<CompletableFuture<Reply>> HELD =
      new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    network = new Network(dir);
    redisA = network.redis();
    redisB = network.redis();
    bridgeA = network.bridge(1, redisA.uri(), METRICS_A, 10_000);
    silentB = network.bridge(2, RedisBridgeOptions.builder().redisUri(redisB.uri())
        .meterRegistry(METRICS_B).timeoutErrors(false).build());
    twin3 = network.peer(3, null).handleOthers(request -> {
      if (!request.command().equals("test.hold")) {
        return CompletableFuture.completedFuture(Reply.of(request.payload(), null));
      }
      CompletableFuture<Reply> reply = new CompletableFuture<>();
      HELD.add(reply);
      return reply;
    }).start();
    a = network.client(redisA);
    b = network.client(redisB);
    await().atMost(Duration.ofSeconds(TIMEOUT)).until(() -> bridgeA.peer().isConnected()
        && silentB.peer().isConnected() && twin3.isConnected());
  }

  @AfterAll
  static void stop() {
    network.close();
  }

  @Test
  void aDestinationThatDoesNotAnswerGetsOne102AtTheDeadlineAndALateAnswerIsNotPushed()
      throws Exception {
    ObjectNode request = request("test.hold", 2, 3);
    a.lpush(Keys.LOCAL, request.toString());
    CompletableFuture<Reply> held = HELD.poll(TIMEOUT, TimeUnit.SECONDS);
    assertThat(held).as("twin 3 got the request").isNotNull();

    JsonNode error = pop(a, request.get("ret").asText());
    assertThat(error.get("ref").asText()).isEqualTo(request.get("ref").asText());
    assertThat(error.get("src").asText()).isEmpty();
    assertThat(error.get("err").get("code").asInt()).isEqualTo(102);
    assertThat(error.get("err").get("message").asText())
        .isEqualTo("no answer from twin 3 before the deadline (2 s)");
    await().atMost(Duration.ofSeconds(TIMEOUT))
        .until(() -> a.llen(Keys.LOCAL_PROCESSING) == 0);

    double dropped = count(METRICS_A, "rmb.bridge.answers.dropped");
    // after the deadline: unmatched in the peer, dropped by the bridge (no backlog, or the
    // answered set already holds twin 3)
    held.complete(Reply.of(new byte[] {'l', 'a', 't', 'e'}, null));
    await().atMost(Duration.ofSeconds(TIMEOUT))
        .until(() -> count(METRICS_A, "rmb.bridge.answers.dropped") > dropped);
    assertThat(a.llen(request.get("ret").asText())).as("the late answer is not pushed").isZero();
  }

  @Test
  void everyDestinationOfAMixedRequestGetsExactlyOneAnswerOrError() throws Exception {
    // twin 3 answers test.mixed at once; twin 2's service never pops msgbus.test.mixed
    ObjectNode request = request("test.mixed", 2, 3, 2);
    a.lpush(Keys.LOCAL, request.toString());
    String ret = request.get("ret").asText();
    Map<String, JsonNode> bySource = new HashMap<>();
    JsonNode first = pop(a, ret);
    JsonNode second = pop(a, ret);
    for (JsonNode answer : new JsonNode[] {first, second}) {
      String key = answer.get("err").isNull() ? answer.get("src").asText()
          : answer.get("err").get("message").asText();
      bySource.put(key, answer);
    }
    assertThat(bySource).containsOnlyKeys("3",
        "no answer from twin 2 before the deadline (2 s)");
    assertThat(new String(Base64.getDecoder().decode(bySource.get("3").get("dat").asText())))
        .isEqualTo("hi");
    await().atMost(Duration.ofSeconds(TIMEOUT))
        .until(() -> a.llen(Keys.LOCAL_PROCESSING) == 0);
    assertThat(a.llen(ret)).isZero();
    b.del("msgbus.test.mixed");
  }

  @Test
  void withTimeoutErrorsOffNothingIsPushedAsRmbPeer() throws Exception {
    ObjectNode request = request("test.hold", 2, 3);
    double timeouts = count(METRICS_B, "rmb.bridge.timeouts");
    b.lpush(Keys.LOCAL, request.toString());
    CompletableFuture<Reply> held = HELD.poll(TIMEOUT, TimeUnit.SECONDS);
    assertThat(held).as("twin 3 got the request").isNotNull();
    // counted when the deadline passed, before the (silent) decision; then finished
    await().atMost(Duration.ofSeconds(TIMEOUT))
        .until(() -> count(METRICS_B, "rmb.bridge.timeouts") > timeouts
            && b.llen(Keys.LOCAL_PROCESSING) == 0);
    assertThat(b.llen(request.get("ret").asText())).isZero();
    held.complete(Reply.of(new byte[0], null));
  }

  /** rmb_tester.py's message with {@code exp} seconds. */
  private static ObjectNode request(String cmd, long exp, long... dst) {
    ObjectNode m = JSON.createObjectNode();
    m.put("ver", 1).put("ref", "ref-" + UUID.randomUUID()).put("cmd", cmd).put("exp", exp)
        .put("dat", Base64.getEncoder().encodeToString(new byte[] {'h', 'i'}));
    var d = m.putArray("dst");
    for (long twin : dst) {
      d.add(twin);
    }
    m.put("ret", UUID.randomUUID().toString()).put("now", System.currentTimeMillis() / 1000);
    return m;
  }

  private static JsonNode pop(RedisCommands<String, String> redis, String queue)
      throws Exception {
    KeyValue<String, String> kv = redis.blpop(TIMEOUT, queue);
    assertThat(kv).as("nothing on %s within %ss", queue, TIMEOUT).isNotNull();
    return JSON.readTree(kv.getValue());
  }

  private static double count(SimpleMeterRegistry registry, String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }
}
