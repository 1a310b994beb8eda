package io.rmb.peer.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.peer.envelope.ProtocolException.EnvelopeExpiredException;
import io.rmb.proto.Envelope;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpiryTest {
  private static final long NOW = 1_700_000_100L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW, 999_000_000),
      ZoneOffset.UTC);

  @ParameterizedTest(name = "stamp(now={0}, ts={1}, exp={2}) = ({3}, {4})")
  @CsvSource({
      // fresh envelope: starts now with its full TTL
      "100, 0, 60, 100, 60",
      // timestamp in the future: re-based on now, full TTL kept
      "100, 150, 60, 100, 60",
      // waited 30 s: 30 s taken off
      "100, 70, 60, 100, 30",
      // waited longer than the TTL: saturates at 0
      "100, 10, 60, 100, 0",
      "100, 100, 60, 100, 60"})
  void stampKeepsTheAbsoluteDeadline(long now, long ts, long exp, long newTs, long newExp) {
    assertThat(Expiry.stamp(now, ts, exp)).containsExactly(newTs, newExp);
  }

  @Test
  void stampTreatsHugeUnsignedTimestampsAsFuture() {
    assertThat(Expiry.stamp(NOW, -1L, 60)).containsExactly(NOW, 60);
  }

  @Test
  void stampsABuilderWithTheInjectedClock() {
    Envelope.Builder builder = Envelope.newBuilder().setTimestamp(NOW - 10).setExpiration(60);

    Expiry.stamp(builder, CLOCK);

    assertThat(builder.getTimestamp()).isEqualTo(NOW);
    assertThat(builder.getExpiration()).isEqualTo(50);
  }

  @ParameterizedTest(name = "ttl(now={0}, ts={1}, exp={2}) = {3}")
  @CsvSource({"100, 100, 60, 60", "100, 50, 60, 10", "100, 40, 60, 0", "100, 0, 60, -40"})
  void ttlIsTimeLeftBeforeTheDeadline(long now, long ts, long exp, long ttl) {
    assertThat(Expiry.ttl(now, ts, exp)).isEqualTo(ttl);
  }

  @Test
  void deadlineSaturatesInsteadOfOverflowing() {
    assertThat(Expiry.deadline(Long.MAX_VALUE, 10)).isEqualTo(Long.MAX_VALUE);
    assertThat(Expiry.deadline(-1L, 10)).isEqualTo(Long.MAX_VALUE);
    assertThat(Expiry.ttl(NOW, 1, -1L)).isEqualTo(Long.MAX_VALUE);
  }

  @ParameterizedTest(name = "clamp({0}) = {1}")
  @CsvSource({"0, 300", "-5, 300", "1, 1", "1800, 1800", "1801, 1800", "3600, 1800"})
  void clampsTtlLikeRmbPeer(long in, long out) {
    assertThat(Expiry.clampTtl(in)).isEqualTo(out);
  }

  @Test
  void requireAliveRejectsExpiredEnvelopesWithCode102() {
    Envelope alive = Envelope.newBuilder().setUid("a").setTimestamp(NOW - 10).setExpiration(11)
        .build();
    Envelope dead = alive.toBuilder().setUid("d").setExpiration(10).build();

    assertThat(Expiry.requireAlive(alive, CLOCK)).isEqualTo(1);
    assertThatThrownBy(() -> Expiry.requireAlive(dead, CLOCK))
        .isInstanceOf(EnvelopeExpiredException.class)
        .hasMessageContaining("envelope d expired")
        .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo(102));
  }
}
