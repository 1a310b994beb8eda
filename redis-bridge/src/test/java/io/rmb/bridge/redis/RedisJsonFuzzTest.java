package io.rmb.bridge.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * What local clients push to {@code msgbus.system.local} and services to
 * {@code msgbus.system.reply} (redis-api.md): {@link RedisJson#parseRequest} and
 * {@link RedisJson#parseReply} give a message or {@link MalformedMessageException} with code
 * 101 or 102; a request's TTL is within rmb-peer's clamp and its destinations are u32 twins.
 */
class RedisJsonFuzzTest {
  private static final long POPPED_AT = 1_700_000_000L;

  @FuzzTest(maxDuration = "10s")
  void parseRequestAndReply(byte[] raw) throws IOException {
    try {
      RedisJson.LocalRequest request = RedisJson.parseRequest(raw, POPPED_AT);
      assertThat(request.ret()).isNotBlank();
      assertThat(request.command()).isNotEmpty();
      assertThat(request.ttl().getSeconds()).isBetween(1L, RedisJson.MAX_TTL_SECONDS);
      assertThat(request.destinations()).isNotEmpty()
          .allSatisfy(twin -> assertThat(twin).isBetween(1L, 0xffff_ffffL));
      // the twins are the numbers written, read independently (no silent wrap-around)
      JsonNode dst = RedisJson.MAPPER.readTree(raw).get("dst");
      for (int i = 0; i < dst.size(); i++) {
        assertThat(dst.get(i).decimalValue())
            .isEqualByComparingTo(BigDecimal.valueOf(request.destinations().get(i)));
      }
    } catch (MalformedMessageException e) {
      assertThat(e.code()).isIn(101, 102);
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      RedisJson.LocalReply reply = RedisJson.parseReply(raw);
      assertThat(reply.uid()).isNotEmpty();
      assertThat(reply.twin()).isBetween(1L, 0xffff_ffffL);
    } catch (MalformedMessageException e) {
      assertThat(e.code()).isIn(101, 102);
      assertThat(e.ret()).isEmpty();
    }
  }
}
