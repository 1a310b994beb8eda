package io.rmb.bridge.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.KeyValue;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.transport.Backoff;
import io.rmb.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Redis outage while the bridge runs and is not restarted: a request whose step failed
 * must still be sent, and an answer in hand still pushed, once Redis works again (before
 * these fixes both waited in the processing list for the next bridge start; RedisChaosIT saw
 * them as 155 "not sent" errors after a later restart). The outage is a real redis-server
 * refusing the bridge's scripts (an ACL without EVAL/EVALSHA), so plain pops and pushes still
 * work and the failure lands exactly on the step under test, as LOADING does after a restart.
 */
@Tag("integration")
class RedisOutageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT = 20;

  @TempDir static Path dir;
  private static Network network;
  private static RedisServer redis;
  private static RedisCommands<String, String> commands;
  private static final SimpleMeterRegistry METRICS = new SimpleMeterRegistry();
  private static RedisBridge bridge;
  private static RmbPeer twin3;
  /** Replies twin 3's handler has not given yet, one per request, in arrival order. */
  private static final LinkedBlockingQueue<CompletableFuture<Reply>> HELD =
      new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    network = new Network(dir);
    redis = network.redis();
    bridge = start(METRICS);
    twin3 = network.peer(3, null).handleOthers(request -> {
      CompletableFuture<Reply> reply = new CompletableFuture<>();
      HELD.add(reply);
      return reply.thenApply(r -> Reply.of(request.payload(), null));
    }).start();
    commands = network.client(redis);
    await().atMost(Duration.ofSeconds(TIMEOUT))
        .until(() -> bridge.peer().isConnected() && twin3.isConnected());
  }

  private static RedisBridge start(SimpleMeterRegistry metrics) throws InterruptedException {
    return network.bridge(1, RedisBridgeOptions.builder()
        .redisUri(redis.uri()).meterRegistry(metrics).version("test-version")
        .redisBackoff(Backoff.fixed(Duration.ofMillis(100))).build());
  }

  @AfterEach
  void scriptsAllowedAgain() {
    allowScripts(true);
  }

  @AfterAll
  static void stop() {
    network.close();
  }

  @Test
  void aRequestWhoseAcceptFailedIsSentOnceRedisWorksAgain() throws Exception {
    allowScripts(false);
    double before = errors("accept");
    String ret = push("accept-" + UUID.randomUUID());
    // popped (a plain BLMOVE works), then its accepting script is refused
    await().atMost(Duration.ofSeconds(TIMEOUT)).until(() -> errors("accept") > before);
    allowScripts(true);

    CompletableFuture<Reply> held = HELD.poll(TIMEOUT, TimeUnit.SECONDS);
    assertThat(held).as("the request reached twin 3 without a bridge restart").isNotNull();
    held.complete(Reply.of(new byte[0], null));
    assertThat(data(pop(ret))).isEqualTo("hi");
    await().atMost(Duration.ofSeconds(TIMEOUT))
        .until(() -> commands.llen(Keys.LOCAL_PROCESSING) == 0);
    assertThat(commands.llen(ret)).isZero();
  }

  @Test
  void anAnswerThatCouldNotBePushedReachesTheClientOnceWhenRedisWorksAgain() throws Exception {
    String ret = push("answer-" + UUID.randomUUID());
    CompletableFuture<Reply> held = HELD.poll(TIMEOUT, TimeUnit.SECONDS);
    assertThat(held).as("twin 3 got the request").isNotNull();
    allowScripts(false);
    double before = errors("answer");
    held.complete(Reply.of(new byte[0], null)); // the answer comes while Redis refuses
    await().atMost(Duration.ofSeconds(TIMEOUT)).until(() -> errors("answer") > before);
    allowScripts(true);

    assertThat(data(pop(ret))).isEqualTo("hi");
    await().atMost(Duration.ofSeconds(TIMEOUT))
        .until(() -> commands.llen(Keys.LOCAL_PROCESSING) == 0);
    assertThat(commands.llen(ret)).as("pushed once").isZero();
  }

  @Test
  void aRequestWhoseDeadlinePassedWhileTheBridgeWasDownGetsOne102NotANotSentError()
      throws Exception {
    String ret = push("down-" + UUID.randomUUID(), 2);
    Instant deadline = Instant.now().plusSeconds(2);
    CompletableFuture<Reply> held = HELD.poll(TIMEOUT, TimeUnit.SECONDS);
    assertThat(held).as("twin 3 got the request").isNotNull();
    bridge.close(); // the request stays in the processing list, its answer not yet given
    await().atMost(Duration.ofSeconds(TIMEOUT)).until(() -> Instant.now().isAfter(deadline));
    bridge = start(METRICS);

    JsonNode answer = pop(ret);
    assertThat(answer.path("err").path("code").asInt()).isEqualTo(102);
    assertThat(answer.path("err").path("message").asText())
        .startsWith("no answer from twin 3 before the deadline")
        .contains("pending when the bridge restarted");
    await().atMost(Duration.ofSeconds(TIMEOUT))
        .until(() -> commands.llen(Keys.LOCAL_PROCESSING) == 0);
    held.complete(Reply.of(new byte[0], null)); // too late: relayed to the new bridge, dropped
    await().atMost(Duration.ofSeconds(TIMEOUT)).until(() -> METRICS
        .find("rmb.bridge.answers.dropped").counters().stream()
        .mapToDouble(Counter::count).sum() > 0);
    assertThat(commands.llen(ret)).isZero();
  }

  /** Pushes a request to twin 3 as rmb_tester.py does; returns its ret queue. */
  private static String push(String ret) {
    return push(ret, 60);
  }

  private static String push(String ret, int exp) {
    String request = JSON.createObjectNode().put("ver", 1).put("ref", "r").put("cmd", "t")
        .put("exp", exp).put("dat", Base64.getEncoder().encodeToString(
            "hi".getBytes(StandardCharsets.UTF_8)))
        .put("ret", ret).put("now", System.currentTimeMillis() / 1000)
        .set("dst", JSON.createArrayNode().add(3)).toString();
    commands.lpush("msgbus.system.local", request);
    return ret;
  }

  private static void allowScripts(boolean allowed) {
    commands.aclSetuser("default", allowed
        ? io.lettuce.core.AclSetuserArgs.Builder.allCommands()
        : io.lettuce.core.AclSetuserArgs.Builder.removeCommand(
            io.lettuce.core.protocol.CommandType.EVAL).removeCommand(
            io.lettuce.core.protocol.CommandType.EVALSHA));
  }

  private static double errors(String operation) {
    Counter counter = METRICS.find("rmb.bridge.redis.errors").tag("operation", operation)
        .counter();
    return counter == null ? 0 : counter.count();
  }

  private static JsonNode pop(String queue) throws Exception {
    KeyValue<String, String> kv = commands.blpop(TIMEOUT, queue);
    assertThat(kv).as("nothing on %s within %ss", queue, TIMEOUT).isNotNull();
    return JSON.readTree(kv.getValue());
  }

  private static String data(JsonNode answer) {
    return new String(Base64.getDecoder().decode(answer.get("dat").asText()),
        StandardCharsets.UTF_8);
  }
}
