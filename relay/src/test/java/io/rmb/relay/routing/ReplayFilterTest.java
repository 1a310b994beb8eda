package io.rmb.relay.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.proto.Envelope;
import io.rmb.proto.Response;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.testing.MutableClock;
import io.rmb.relay.testing.TestEnvelopes;
import io.rmb.relay.testing.TestTwins;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplayFilterTest {
  private static final SessionKey ALICE = SessionKey.of(TestTwins.ALICE, null);
  private static final SessionKey BOB = SessionKey.of(TestTwins.BOB, null);
  private final MutableClock clock = MutableClock.fixed();
  private final ReplayFilter filter = new ReplayFilter(100, clock);

  private Envelope request(String uid, long ttl) {
    return TestEnvelopes.request(ALICE, BOB, clock).setUid(uid).setExpiration(ttl).build();
  }

  @Test
  void theSameEnvelopeIsFirstSeenOnceWhileItIsValid() {
    Envelope envelope = request("u1", 60);

    assertThat(filter.firstSeen(envelope)).isTrue();
    assertThat(filter.firstSeen(envelope)).isFalse();
    // re-stamped or re-signed copies are the same envelope: the key is not the bytes
    assertThat(filter.firstSeen(envelope.toBuilder().setTimestamp(envelope.getTimestamp() + 1)
        .build())).isFalse();
  }

  @Test
  void anotherSourceDestinationSessionOrKindIsAnotherEnvelope() {
    Envelope envelope = request("u1", 60);
    filter.firstSeen(envelope);

    assertThat(filter.firstSeen(envelope.toBuilder().setDestination(
        SessionKey.of(TestTwins.CHARLIE, null).toAddress()).build())).isTrue();
    assertThat(filter.firstSeen(envelope.toBuilder().setSource(
        SessionKey.of(TestTwins.ALICE, "s2").toAddress()).build())).isTrue();
    assertThat(filter.firstSeen(envelope.toBuilder()
        .setResponse(Response.getDefaultInstance()).build())).isTrue();
  }

  @Test
  void anEnvelopeIsForgottenAtItsDeadline() {
    Envelope envelope = request("u1", 60);
    filter.firstSeen(envelope);

    clock.advance(Duration.ofSeconds(60));

    assertThat(filter.size()).isEqualTo(1);
    assertThat(filter.firstSeen(request("other", 60))).isTrue();
    assertThat(filter.size()).as("the expired entry was purged").isEqualTo(1);
  }

  @Test
  void forgottenEnvelopesCanBeSentAgain() {
    Envelope envelope = request("u1", 60);
    filter.firstSeen(envelope);

    filter.forget(envelope);

    assertThat(filter.firstSeen(envelope)).isTrue();
    assertThat(filter.firstSeen(envelope)).isFalse();
  }

  @Test
  void pingsAndExpiredEnvelopesAreNeverRecorded() {
    Envelope ping = TestEnvelopes.ping(ALICE, ALICE, "p", clock).build();
    Envelope expired = request("old", 60).toBuilder()
        .setTimestamp(clock.seconds() - 120).build();

    assertThat(filter.firstSeen(ping)).isTrue();
    assertThat(filter.firstSeen(ping)).isTrue();
    assertThat(filter.firstSeen(expired)).isTrue();
    assertThat(filter.size()).isZero();
  }

  @Test
  void atCapacityTheEntryClosestToItsDeadlineGoesFirst() {
    ReplayFilter small = new ReplayFilter(2, clock);
    Envelope soon = request("soon", 10);
    Envelope late = request("late", 600);
    small.firstSeen(soon);
    small.firstSeen(late);

    small.firstSeen(request("third", 300));

    assertThat(small.size()).isEqualTo(2);
    assertThat(small.firstSeen(late)).isFalse();
    assertThat(small.firstSeen(soon)).as("evicted").isTrue();
  }

  @Test
  void capacityMustBePositive() {
    assertThatThrownBy(() -> new ReplayFilter(0, clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
  }
}
