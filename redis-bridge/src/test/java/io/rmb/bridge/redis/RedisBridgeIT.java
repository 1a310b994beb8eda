package io.rmb.bridge.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.KeyValue;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.OutgoingRequest;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two bridges (twin 1 on Redis A, twin 2 on Redis B) through a real relay, driven with raw
 * Redis commands exactly as rmb-peer's clients do: rmb_tester.py (LPUSH + BLPOP on ret), a
 * Go-style client (RPUSH), and msg_handler.py-style services (BRPOP msgbus.<cmd>, LPUSH
 * msgbus.system.reply with the request's fields swapped).
 */
@Tag("integration")
class RedisBridgeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT = 20;

  @TempDir static Path dir;
  private static Network network;
  private static RedisServer redisA;
  private static RedisServer redisB;
  private static RedisCommands<String, String> a;
  private static RedisCommands<String, String> b;
  private static SimpleMeterRegistry metricsA = new SimpleMeterRegistry();
  private static final SimpleMeterRegistry METRICS_B = new SimpleMeterRegistry();
  private static RedisBridge bridgeA;
  private static RedisBridge bridgeB;
  private static RmbPeer echo3;

  @BeforeAll
  static void start() throws Exception {
    network = new Network(dir);
    redisA = network.redis();
    redisB = network.redis();
    bridgeA = network.bridge(1, redisA.uri(), metricsA, 10_000);
    bridgeB = network.bridge(2, redisB.uri(), METRICS_B, 5);
    echo3 = network.peer(3, null).handleOthers(io.rmb.peer.runtime.RequestHandler.sync(
        r -> io.rmb.peer.runtime.Reply.of(r.payload(), r.schema().orElse(null)))).start();
    a = network.client(redisA);
    b = network.client(redisB);
    await().atMost(Duration.ofSeconds(TIMEOUT)).until(() -> bridgeA.peer().isConnected()
        && bridgeB.peer().isConnected() && echo3.isConnected());
  }

  @AfterAll
  static void stop() {
    network.close();
  }

  /** rmb_tester.py's Message.to_json(). */
  private static ObjectNode request(String cmd, String data, long... dst) {
    ObjectNode m = JSON.createObjectNode();
    m.put("ver", 1).put("ref", "ref-" + UUID.randomUUID()).put("cmd", cmd).put("exp", 120)
        .put("dat", Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8)));
    var d = m.putArray("dst");
    for (long twin : dst) {
      d.add(twin);
    }
    m.put("ret", UUID.randomUUID().toString()).put("shm", "application/json")
        .put("now", System.currentTimeMillis() / 1000);
    return m;
  }

  private static JsonNode pop(RedisCommands<String, String> redis, String queue)
      throws Exception {
    KeyValue<String, String> kv = redis.blpop(TIMEOUT, queue);
    assertThat(kv).as("nothing on %s within %ss", queue, TIMEOUT).isNotNull();
    return JSON.readTree(kv.getValue());
  }

  /** msg_handler.py: BRPOP msgbus.<cmd>, swap src/dst, LPUSH to the request's ret. */
  private static JsonNode serveOne(String cmd, java.util.function.Consumer<ObjectNode> edit)
      throws Exception {
    KeyValue<String, String> kv = b.brpop(TIMEOUT, "msgbus." + cmd);
    assertThat(kv).as("no request on msgbus.%s", cmd).isNotNull();
    ObjectNode incoming = (ObjectNode) JSON.readTree(kv.getValue());
    ObjectNode reply = incoming.deepCopy();
    reply.put("dst", incoming.get("src").asText());
    reply.remove("src");
    reply.put("now", System.currentTimeMillis() / 1000);
    edit.accept(reply);
    b.lpush(incoming.get("ret").asText(), reply.toString());
    return incoming;
  }

  private static String data(JsonNode answer) {
    return new String(Base64.getDecoder().decode(answer.get("dat").asText()),
        StandardCharsets.UTF_8);
  }

  @Test
  void rmbTesterRoundTripThroughTwoBridges() throws Exception {
    ObjectNode request = request("test.echo", "{\"hello\":1}", 2);
    a.lpush("msgbus.system.local", request.toString());

    JsonNode incoming = serveOne("test.echo", reply -> { });
    JsonNode answer = pop(a, request.get("ret").asText());

    assertThat(incoming.get("src").asText()).isEqualTo("1");
    assertThat(incoming.get("cmd").asText()).isEqualTo("test.echo");
    assertThat(incoming.get("ret").asText()).isEqualTo("msgbus.system.reply");
    assertThat(incoming.get("shm").asText()).isEqualTo("application/json");
    assertThat(incoming.get("ref").asText()).isNotEqualTo(request.get("ref").asText());
    assertThat(data(incoming)).isEqualTo("{\"hello\":1}");
    assertThat(answer.get("ref").asText()).isEqualTo(request.get("ref").asText());
    assertThat(answer.get("src").asText()).isEqualTo("2");
    assertThat(answer.get("err").isNull()).isTrue();
    assertThat(data(answer)).isEqualTo("{\"hello\":1}");
    await().atMost(Duration.ofSeconds(TIMEOUT))
        .until(() -> a.llen(Keys.LOCAL_PROCESSING) == 0 && b.llen(Keys.REPLY_PROCESSING) == 0);
    assertThat(a.exists("msgbus.backlog." + incoming.get("ref").asText())).isEqualTo(1);
  }

  @Test
  void aBurstIsDrainedInBatchesAndEveryRequestIsAnsweredOnceAndFinished() throws Exception {
    int n = 100;
    List<ObjectNode> burst = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      burst.add(request("test.burst", "b" + i, 3)); // twin 3 answers itself
    }
    long blmovesBefore = calls("blmove");

    a.lpush("msgbus.system.local", burst.stream().map(ObjectNode::toString)
        .toArray(String[]::new)); // one command: all 100 are waiting at once

    for (ObjectNode request : burst) {
      JsonNode answer = pop(a, request.get("ret").asText());
      assertThat(answer.get("ref").asText()).isEqualTo(request.get("ref").asText());
      assertThat(answer.get("src").asText()).isEqualTo("3");
      assertThat(data(answer)).isEqualTo(new String(Base64.getDecoder().decode(
          request.get("dat").asText()), StandardCharsets.UTF_8));
    }
    // the last answer's script finished each request: entry gone, the answered set kept
    // only as long as the backlog (for answers a relay delivers again)
    await().atMost(Duration.ofSeconds(TIMEOUT)).until(() -> a.llen(Keys.LOCAL_PROCESSING) == 0);
    for (String answered : a.keys(Keys.ANSWERED_PREFIX + "*")) {
      assertThat(a.ttl(answered)).isBetween(1L, RedisJson.MAX_TTL_SECONDS);
    }
    for (ObjectNode request : burst) {
      assertThat(a.llen(request.get("ret").asText())).isZero(); // exactly one answer each
    }
    // one blocking move per batch (plus empty polls), not one per message
    assertThat(calls("blmove") - blmovesBefore).isLessThan(n / 2);
  }

  /** How many times Redis A ran {@code command} (INFO commandstats). */
  private static long calls(String command) {
    String prefix = "cmdstat_" + command + ":calls=";
    return a.info("commandstats").lines().filter(l -> l.startsWith(prefix))
        .mapToLong(l -> Long.parseLong(l.substring(prefix.length(), l.indexOf(',')))).sum();
  }

  @Test
  void goStyleRpushToTwoDestinationsGetsBothAnswersOnOneRet() throws Exception {
    ObjectNode request = request("test.multi", "m", 2, 3);
    a.rpush("msgbus.system.local", request.toString());

    serveOne("test.multi", reply -> reply.put("dat",
        Base64.getEncoder().encodeToString("from-2".getBytes(StandardCharsets.UTF_8))));
    String ret = request.get("ret").asText();
    JsonNode first = pop(a, ret);
    JsonNode second = pop(a, ret);

    Set<String> sources = new HashSet<>(List.of(first.get("src").asText(),
        second.get("src").asText()));
    assertThat(sources).containsExactlyInAnyOrder("2", "3");
    for (JsonNode answer : List.of(first, second)) {
      assertThat(data(answer)).isEqualTo(answer.get("src").asText().equals("2") ? "from-2" : "m");
      assertThat(answer.get("ref").asText()).isEqualTo(request.get("ref").asText());
    }
  }

  @Test
  void serviceErrorReachesTheClient() throws Exception {
    ObjectNode request = request("test.fail", "x", 2);
    a.lpush("msgbus.system.local", request.toString());

    serveOne("test.fail", reply -> reply.putObject("err").put("code", 404)
        .put("message", "no such thing"));
    JsonNode answer = pop(a, request.get("ret").asText());

    assertThat(answer.get("err").get("code").asLong()).isEqualTo(404);
    assertThat(answer.get("err").get("message").asText()).isEqualTo("no such thing");
    assertThat(answer.get("src").asText()).isEqualTo("2");
  }

  @Test
  void replyWithASessionInDstReachesThatSession() throws Exception {
    try (RmbPeer session = network.peer(3, "sess-x").start()) {
      await().atMost(Duration.ofSeconds(TIMEOUT)).until(session::isConnected);
      var handle = session.request(OutgoingRequest.builder().destinations(2)
          .command("test.session").payload("hi").ttl(Duration.ofSeconds(TIMEOUT)).build());

      JsonNode incoming = serveOne("test.session", reply -> reply.put("dat",
          Base64.getEncoder().encodeToString("to-session".getBytes(StandardCharsets.UTF_8))));
      Outcome outcome = handle.outcome(2).get(TIMEOUT, TimeUnit.SECONDS);

      assertThat(incoming.get("src").asText()).isEqualTo("3:sess-x");
      assertThat(outcome).isInstanceOf(Outcome.Response.class);
      assertThat(((Outcome.Response) outcome).payloadText()).isEqualTo("to-session");
    }
  }

  @Test
  void builtInVersionIsAnsweredByTheRemoteBridge() throws Exception {
    ObjectNode request = request("rmb.version", "", 2);
    a.lpush("msgbus.system.local", request.toString());

    JsonNode answer = pop(a, request.get("ret").asText());

    assertThat(answer.get("err").isNull()).isTrue();
    assertThat(data(answer)).isEqualTo("\"test-version\"");
    assertThat(b.llen("msgbus.rmb.version")).isZero();
  }

  @Test
  void expiredRequestsGetError102() throws Exception {
    ObjectNode old = request("test.echo", "x", 2).put("now",
        System.currentTimeMillis() / 1000 - 300).put("exp", 60);
    ObjectNode zero = request("test.echo", "x", 2).put("exp", 0);
    a.lpush("msgbus.system.local", old.toString(), zero.toString());

    JsonNode first = pop(a, old.get("ret").asText());
    JsonNode second = pop(a, zero.get("ret").asText());

    assertThat(first.get("err").get("code").asLong()).isEqualTo(102);
    assertThat(first.get("ref").asText()).isEqualTo(old.get("ref").asText());
    assertThat(second.get("err").get("code").asLong()).isEqualTo(102);
    assertThat(metricsA.get("rmb.bridge.rejected").tag("reason", "expired").counter().count())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void unknownDestinationTwinGetsError103() throws Exception {
    ObjectNode request = request("test.echo", "x", 99);
    a.lpush("msgbus.system.local", request.toString());

    JsonNode answer = pop(a, request.get("ret").asText());

    assertThat(answer.get("err").get("code").asLong()).isEqualTo(103);
    assertThat(answer.get("src").asText()).isEmpty();
  }

  @Test
  void malformedRequestsWithARetGetError101() throws Exception {
    List<ObjectNode> bad = new ArrayList<>();
    bad.add(request("test.echo", "x", 2).put("dat", "***not base64***"));
    ObjectNode noCmd = request("test.echo", "x", 2);
    noCmd.remove("cmd");
    bad.add(noCmd);
    ObjectNode noDst = request("test.echo", "x", 2);
    noDst.remove("dst");
    bad.add(noDst);
    ObjectNode emptyDst = request("test.echo", "x");
    bad.add(emptyDst);
    ObjectNode badDst = request("test.echo", "x", 2);
    badDst.putArray("dst").add("two");
    bad.add(badDst);
    ObjectNode zeroTwin = request("test.echo", "x", 0);
    bad.add(zeroTwin);

    for (ObjectNode request : bad) {
      a.lpush("msgbus.system.local", request.toString());
    }

    for (ObjectNode request : bad) {
      JsonNode answer = pop(a, request.get("ret").asText());
      assertThat(answer.get("err").get("code").asLong()).as("%s", request).isEqualTo(101);
      assertThat(answer.get("err").get("message").asText()).isNotEmpty();
    }
    await().atMost(Duration.ofSeconds(TIMEOUT))
        .until(() -> a.llen(Keys.LOCAL_PROCESSING) == 0);
  }

  @Test
  void messagesWithoutAUsableRetGoToTheDeadLetterList() throws Exception {
    ObjectNode noRet = request("test.echo", "x", 2);
    noRet.remove("ret");
    List<String> local = List.of("{not json", "[1,2,3]", noRet.toString(),
        request("test.echo", "x", 2).put("ret", "").toString());
    String badReply = "{\"ver\":1,\"dat\":\"\",\"dst\":\"1\"}"; // no ref
    long before = a.llen(Keys.DEAD);
    for (String message : local) {
      a.lpush("msgbus.system.local", message);
    }
    b.lpush("msgbus.system.reply", badReply, "garbage", "{\"ref\":\"u\",\"dst\":\"x:y\"}");

    await().atMost(Duration.ofSeconds(TIMEOUT)).until(() -> a.llen(Keys.DEAD) == before + 4
        && b.llen(Keys.DEAD) >= 3);
    List<String> raws = new ArrayList<>();
    for (String record : a.lrange(Keys.DEAD, 0, -1)) {
      JsonNode node = JSON.readTree(record);
      assertThat(node.get("queue").asText()).isEqualTo("msgbus.system.local");
      assertThat(node.get("reason").asText()).isNotEmpty();
      raws.add(node.get("raw").asText());
    }
    assertThat(raws).containsAll(local);
    List<String> deadReplies = b.lrange(Keys.DEAD, 0, -1).stream()
        .map(r -> {
          try {
            return JSON.readTree(r).get("raw").asText();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }).toList();
    assertThat(deadReplies).contains(badReply, "garbage", "{\"ref\":\"u\",\"dst\":\"x:y\"}");
    assertThat(metricsA.get("rmb.bridge.dead.lettered").tag("queue", Keys.LOCAL).counters()
        .stream().mapToDouble(c -> c.count()).sum()).isGreaterThanOrEqualTo(4);
    await().atMost(Duration.ofSeconds(TIMEOUT)).until(() -> a.llen(Keys.LOCAL_PROCESSING) == 0
        && b.llen(Keys.REPLY_PROCESSING) == 0);
  }

  @Test
  void fullCommandQueuesAreTrimmedAndCounted() throws Exception {
    // bridge B keeps at most 5 requests per msgbus.<cmd>; nobody pops msgbus.test.flood
    for (int i = 0; i < 7; i++) {
      a.lpush("msgbus.system.local", request("test.flood", "n" + i, 2).put("exp", 5)
          .toString());
    }

    await().atMost(Duration.ofSeconds(TIMEOUT)).until(() -> METRICS_B.find("rmb.bridge.trimmed")
        .tag("queue", "command").counter() != null
        && METRICS_B.get("rmb.bridge.trimmed").tag("queue", "command").counter().count() == 2);
    assertThat(b.llen("msgbus.test.flood")).isEqualTo(5);
    // five distinct requests kept (arrival order over the network is not the push order)
    assertThat(b.lrange("msgbus.test.flood", 0, -1).stream().map(m -> {
      try {
        return data(JSON.readTree(m));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    })).doesNotHaveDuplicates().isSubsetOf("n0", "n1", "n2", "n3", "n4", "n5", "n6");
  }

  @Test
  void anAnswerSentBeforeARestartReachesTheClientExactlyOnce() throws Exception {
    ObjectNode request = request("test.restart", "r", 2).put("exp", 6);
    a.lpush("msgbus.system.local", request.toString());
    KeyValue<String, String> kv = b.brpop(TIMEOUT, "msgbus.test.restart");
    assertThat(kv).isNotNull();

    bridgeA.close(); // the request stays in the processing list, with its uid
    assertThat(a.llen(Keys.LOCAL_PROCESSING)).isEqualTo(1);
    ObjectNode incoming = (ObjectNode) JSON.readTree(kv.getValue());
    ObjectNode reply = incoming.deepCopy().put("dst", incoming.get("src").asText());
    b.lpush("msgbus.system.reply", reply.toString()); // answered while twin 1 is down
    metricsA = new SimpleMeterRegistry();
    bridgeA = network.bridge(1, redisA.uri(), metricsA, 10_000);

    JsonNode answer = pop(a, request.get("ret").asText());
    assertThat(answer.get("ref").asText()).isEqualTo(request.get("ref").asText());
    assertThat(data(answer)).isEqualTo("r");
    // the resend is finished (dropped as a duplicate by twin 2, so it times out) ...
    await().atMost(Duration.ofSeconds(TIMEOUT)).until(() -> a.llen(Keys.LOCAL_PROCESSING) == 0);
    // ... without a second answer
    assertThat(a.llen(request.get("ret").asText())).isZero();
    assertThat(metricsA.get("rmb.bridge.requests.sent").tag("recovered", "true").counter()
        .count()).isEqualTo(1);
  }
}
