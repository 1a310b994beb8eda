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
import io.rmb.peer.runtime.OutgoingRequest;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.RequestHandler;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.testing.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pop that ran but whose reply was lost with its connection (redis-server killed right
 * after the move; Lettuce re-sends the pop, which takes the next message) leaves an orphan in
 * the processing list. The bridge must hand it over after the reconnect, without waiting for
 * its next start. The test makes the orphan by hand (the message pushed straight into the
 * processing list, as the lost move left it) and drops the bridge's pop connections with
 * CLIENT KILL, as the Redis kill does; before the fix both waited for a restart.
 */
@Tag("integration")
class OrphanPopIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT = 20;

  @TempDir static Path dir;
  private static Network network;
  private static RedisServer redis;
  private static RedisCommands<String, String> commands;
  private static final SimpleMeterRegistry METRICS = new SimpleMeterRegistry();
  private static RedisBridge bridge;
  private static RmbPeer twin3;

  @BeforeAll
  static void start() throws Exception {
    network = new Network(dir);
    redis = network.redis();
    bridge = network.bridge(1, redis.uri(), METRICS, 10_000);
    twin3 = network.peer(3, null).handleOthers(RequestHandler.sync(
        request -> Reply.of(request.payload(), null))).start();
    commands = network.client(redis);
    await().atMost(Duration.ofSeconds(TIMEOUT))
        .until(() -> bridge.peer().isConnected() && twin3.isConnected());
  }

  @AfterAll
  static void stop() {
    network.close();
  }

  @Test
  void aRequestMovedByAPopWhoseReplyWasLostIsSentAfterTheReconnect() throws Exception {
    double before = orphans(Keys.LOCAL_PROCESSING);
    String ret = "orphan-" + UUID.randomUUID();
    ObjectNode request = JSON.createObjectNode().put("ver", 1).put("ref", "r1")
        .put("cmd", "test.echo").put("exp", 60).put("dat", "aGk=").put("ret", ret)
        .put("now", System.currentTimeMillis() / 1000);
    request.putArray("dst").add(3);
    commands.lpush(Keys.LOCAL_PROCESSING, request.toString()); // what the lost move left
    dropPopConnections();

    JsonNode answer = pop(ret);
    assertThat(answer.get("src").asText()).isEqualTo("3");
    assertThat(answer.get("dat").asText()).isEqualTo("aGk=");
    assertThat(orphans(Keys.LOCAL_PROCESSING)).isEqualTo(before + 1);
    await().atMost(Duration.ofSeconds(TIMEOUT))
        .until(() -> commands.llen(Keys.LOCAL_PROCESSING) == 0);
    assertThat(commands.llen(ret)).as("sent once").isZero();
  }

  @Test
  void aReplyMovedByAPopWhoseReplyWasLostIsSentAfterTheReconnect() throws Exception {
    var handle = twin3.request(OutgoingRequest.builder().destinations(1).command("test.svc")
        .payload("question").ttl(Duration.ofSeconds(60)).build());
    KeyValue<String, String> kv = commands.brpop(TIMEOUT, "msgbus.test.svc");
    assertThat(kv).as("the bridge pushed the request for its service").isNotNull();
    ObjectNode incoming = (ObjectNode) JSON.readTree(kv.getValue());
    ObjectNode reply = incoming.deepCopy();
    reply.put("dst", incoming.get("src").asText()).put("dat",
        Base64.getEncoder().encodeToString("answer".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    reply.remove("src");
    commands.lpush(Keys.REPLY_PROCESSING, reply.toString()); // what the lost move left
    dropPopConnections();

    Outcome outcome = handle.outcome(1).get(TIMEOUT, TimeUnit.SECONDS);
    assertThat(outcome).isInstanceOf(Outcome.Response.class);
    assertThat(((Outcome.Response) outcome).payloadText()).isEqualTo("answer");
    await().atMost(Duration.ofSeconds(TIMEOUT))
        .until(() -> commands.llen(Keys.REPLY_PROCESSING) == 0);
  }

  /** CLIENT KILL the bridge's blocking pops; Lettuce reconnects them. */
  private static void dropPopConnections() {
    long killed = 0;
    for (String line : commands.clientList().split("\n")) {
      if (line.contains("cmd=blmove")) {
        String id = line.substring(line.indexOf("id=") + 3).split(" ")[0];
        killed += commands.clientKill(io.lettuce.core.KillArgs.Builder.id(Long.parseLong(id)));
      }
    }
    assertThat(killed).as("the bridge's pop connections").isEqualTo(2);
  }

  private static JsonNode pop(String queue) throws Exception {
    KeyValue<String, String> kv = commands.blpop(TIMEOUT, queue);
    assertThat(kv).as("nothing on %s within %ss", queue, TIMEOUT).isNotNull();
    return JSON.readTree(kv.getValue());
  }

  private static double orphans(String list) {
    return METRICS.find("rmb.bridge.orphans.recovered").tag("queue", list).counters().stream()
        .mapToDouble(Counter::count).sum();
  }
}
