package io.rmb.bridge.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rmb.peer.runtime.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Parsing and TTL arithmetic of rmb-peer's JSON, and the processing-list entry format. */
class RedisJsonTest {
  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void payloadsAreWrittenAsStandardBase64WithPaddingAndNoLineFeeds() throws Exception {
    java.util.Random random = new java.util.Random(3);
    for (int length : new int[] {0, 1, 2, 3, 57, 58, 1024}) {
      byte[] payload = new byte[length];
      random.nextBytes(payload);
      String expected = java.util.Base64.getEncoder().encodeToString(payload);
      JsonNode response = RedisJson.MAPPER.readTree(RedisJson.response("r", "7", payload, null, 1));
      assertThat(response.get("dat").textValue()).isEqualTo(expected);
    }
    assertThat(RedisJson.MAPPER.readTree(RedisJson.error("r", "", 1, "m", 1)).get("dat")
        .textValue()).isEmpty();
  }

  @Test
  void aFieldNameWithInvalidUtf8IsMalformedEvenWhenItsBytesMatchAKnownName() {
    RedisJson.parseRequest(json("{\"cmd\":\"a\",\"exp\":60,\"dst\":[7],\"ret\":\"r\"}"), 1000);
    // 0xFF + "cmd" is one quad equal to Jackson's padded quad of the known name "cmd"
    byte[] bad = "{\"\u00ffcmd\":\"a\",\"exp\":60,\"dst\":[7],\"ret\":\"r\"}"
        .getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> RedisJson.parseRequest(bad, 1000))
        .isInstanceOfSatisfying(MalformedMessageException.class,
            e -> assertThat(e.getMessage()).contains("UTF-8"));
  }

  @Test
  void aQueuedRequestLosesTheTimeItWaitedLikeRmbPeer() {
    var request = RedisJson.parseRequest(json("{\"ver\":1,\"cmd\":\"a.b\",\"exp\":100,"
        + "\"dat\":\"aGk=\",\"dst\":[7,8],\"ret\":\"r\",\"now\":1000}"), 1030);

    assertThat(request.ttl()).isEqualTo(Duration.ofSeconds(70));
    assertThat(request.destinations()).containsExactly(7L, 8L);
    assertThat(new String(request.payload(), StandardCharsets.UTF_8)).isEqualTo("hi");
    assertThat(request.ref()).isNull();
  }

  @Test
  void aFutureOrMissingNowKeepsExpAndLongTtlsAreClamped() {
    var future = RedisJson.parseRequest(json("{\"cmd\":\"a\",\"exp\":50,\"dst\":[7],"
        + "\"ret\":\"r\",\"now\":2000}"), 1000);
    var clamped = RedisJson.parseRequest(json("{\"cmd\":\"a\",\"exp\":99999,\"dst\":[7],"
        + "\"ret\":\"r\"}"), 1000);

    assertThat(future.ttl()).isEqualTo(Duration.ofSeconds(50));
    assertThat(clamped.ttl()).isEqualTo(Duration.ofSeconds(1800));
  }

  @Test
  void expiryIsCode102AndCarriesRetAndRef() {
    assertThatThrownBy(() -> RedisJson.parseRequest(json("{\"ref\":\"x\",\"cmd\":\"a\","
        + "\"exp\":10,\"dst\":[7],\"ret\":\"r\",\"now\":1000}"), 1010))
        .isInstanceOfSatisfying(MalformedMessageException.class, e -> {
          assertThat(e.code()).isEqualTo(102);
          assertThat(e.ret()).contains("r");
          assertThat(e.ref()).contains("x");
        });
  }

  @Test
  void noRetMeansDeadLetter() {
    assertThatThrownBy(() -> RedisJson.parseRequest(json("{\"cmd\":\"a\",\"exp\":10,"
        + "\"dst\":[7]}"), 1000))
        .isInstanceOfSatisfying(MalformedMessageException.class,
            e -> assertThat(e.ret()).isEmpty());
  }

  @Test
  void replyDstCarriesTheSessionAndErrIsAnError() {
    var reply = RedisJson.parseReply(json("{\"ref\":\"u1\",\"dst\":\"41:sess\","
        + "\"err\":{\"code\":7,\"message\":\"no\"}}"));

    assertThat(reply.twin()).isEqualTo(41);
    assertThat(reply.connection()).contains("sess");
    assertThat(reply.reply().isError()).isTrue();
    assertThat(reply.reply().code()).isEqualTo(7);
  }

  @Test
  void answersFromASessionNameItInSrcAsRmbPeerDoes() throws Exception {
    Outcome fromSession = new Outcome.Response(41, "hi".getBytes(StandardCharsets.UTF_8),
        null, "sess-x");
    Outcome errorFromSession = new Outcome.Error(41, Outcome.Origin.PEER, 7, "no", "sess-y");
    Outcome plain = new Outcome.Response(41, new byte[0], null);

    JsonNode answer = RedisJson.MAPPER.readTree(
        RedisJson.answer("r1", RedisJson.source(fromSession), fromSession, 5));
    JsonNode error = RedisJson.MAPPER.readTree(
        RedisJson.answer("r2", RedisJson.source(errorFromSession), errorFromSession, 5));

    assertThat(answer.get("src").asText()).isEqualTo("41:sess-x");
    assertThat(answer.get("ref").asText()).isEqualTo("r1");
    assertThat(error.get("src").asText()).isEqualTo("41:sess-y");
    assertThat(error.get("err").get("code").asLong()).isEqualTo(7);
    assertThat(RedisJson.source(plain)).isEqualTo("41");
  }

  @Test
  void processingEntriesRoundTripAndRawMessagesAreNotMistakenForThem() {
    byte[] raw = json("{\"cmd\":\"x\"}");
    ProcessingEntry entry = new ProcessingEntry("u-1", Instant.ofEpochMilli(1234), raw);

    ProcessingEntry back = ProcessingEntry.decode(entry.encode()).orElseThrow();

    assertThat(back.uid()).isEqualTo("u-1");
    assertThat(back.issuedAt()).isEqualTo(Instant.ofEpochMilli(1234));
    assertThat(back.raw()).isEqualTo(raw);
    assertThat(ProcessingEntry.decode(raw)).isEmpty();
  }
}
