package io.rmb.streams.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Kafka record values written by anyone with access to the request, reply and answer topics
 * (kafka.md): {@link RecordCodec#parseRequest}, {@link RecordCodec#parseReply} and
 * {@link RecordCodec#parseAnswer} give a value or {@link InvalidRecordException}, nothing
 * else. A parsed request's TTL is in (0, 1800] and its twins are the numbers the JSON holds
 * (read here independently), never wrapped around.
 */
class RecordCodecFuzzTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RecordCodec codec = new RecordCodec(CLOCK);

  @FuzzTest(maxDuration = "10s")
  void parseRecordValues(byte[] value) throws IOException {
    try {
      Request request = codec.parseRequest(value, Optional.empty(), "topic-0-1");
      assertThat(request.command()).isNotEmpty();
      assertThat(request.ttlSeconds()).isBetween(1L, RecordCodec.MAX_TTL);
      assertThat(request.issuedAt()).isBeforeOrEqualTo(CLOCK.instant());
      Set<BigInteger> written = new HashSet<>();
      JSON.readTree(value).get("dst").forEach(twin -> written.add(twin.bigIntegerValue()));
      assertThat(request.destinations().stream().map(BigInteger::valueOf)
          .collect(Collectors.toSet())).isEqualTo(written);
    } catch (InvalidRecordException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      Reply reply = codec.parseReply(value);
      assertThat(reply.ref()).isNotEmpty();
    } catch (InvalidRecordException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      Answer answer = codec.parseAnswer(value);
      assertThat(answer.status()).isNotNull();
    } catch (InvalidRecordException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

}
