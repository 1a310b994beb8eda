package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.proto.Envelope;
import io.rmb.relay.routing.RelayErrors;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.testing.MutableClock;
import io.rmb.relay.testing.Prometheus;
import io.rmb.relay.testing.RawHttp;
import io.rmb.relay.testing.TestEnvelopes;
import io.rmb.relay.testing.TestPeer;
import io.rmb.relay.testing.TestTwins;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /} on a real socket: another relay (or anyone: federation is unauthenticated)
 * hands in envelopes. Only live envelopes for twins whose relay list names our domain are
 * taken, each once; everything else gets a 4xx that says why.
 */
@Tag("integration")
class FederationIngressIT {
  @TempDir static Path dir;

  private static final MutableClock CLOCK = MutableClock.system();
  private static final SessionKey EVE = SessionKey.of(TestTwins.EVE, null);
  private static RelayServer relay;

  @BeforeAll
  static void start() {
    relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain(TestTwins.DOMAIN).twinsFile(TestTwins.writeFile(dir)).clock(CLOCK)
        .maxBodySize(4096).build());
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  private static RawHttp.Response post(Envelope.Builder envelope) {
    return RawHttp.request(relay.port(), "POST", "/", TestEnvelopes.signed(envelope));
  }

  private static Envelope.Builder from(long twin) {
    // from Eve, a twin of another relay, as federated traffic is
    return TestEnvelopes.request(EVE, SessionKey.of(twin, null), CLOCK);
  }

  @Test
  void anEnvelopeForOneOfOurTwinsIsTakenAndDelivered() {
    Envelope.Builder envelope = from(TestTwins.CHARLIE); // Charlie's relays include ours

    RawHttp.Response response = post(envelope);
    TestPeer charlie = TestPeer.connect(relay.port(), SessionKey.of(TestTwins.CHARLIE, null),
        CLOCK);
    try {
      assertThat(response.status()).isEqualTo(202);
      assertThat(charlie.awaitEnvelope().getUid()).isEqualTo(envelope.getUid());
    } finally {
      charlie.disconnect();
    }
  }

  @Test
  void twinsWeDoNotHostAreRefused() {
    RawHttp.Response elsewhere = post(from(TestTwins.ALICE).setDestination(
        SessionKey.of(TestTwins.EVE, null).toAddress())); // Eve is only on other.example
    RawHttp.Response nowhere = post(from(TestTwins.DAVE)); // Dave has no relay set
    RawHttp.Response unknown = post(from(TestTwins.UNKNOWN));

    assertThat(elsewhere.status()).isEqualTo(400);
    assertThat(elsewhere.body()).isEqualTo("twin 5 is not hosted by this relay");
    assertThat(nowhere.status()).isEqualTo(400);
    assertThat(nowhere.body()).isEqualTo("twin 4 is not hosted by this relay");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body()).isEqualTo("unknown twin destination");
  }

  @Test
  void expiredOrAddresslessEnvelopesAreRefused() {
    RawHttp.Response expired = post(from(TestTwins.BOB).setTimestamp(CLOCK.seconds() - 600)
        .setExpiration(300));
    RawHttp.Response addressless = post(from(TestTwins.BOB).clearDestination());

    assertThat(expired.status()).isEqualTo(400);
    assertThat(expired.body()).contains("expired");
    assertThat(addressless.status()).isEqualTo(400);
    assertThat(addressless.body()).isEqualTo("message with missing destination");
  }

  @Test
  void failFastForAnOfflineTwinIs404() {
    RawHttp.Response response = post(from(TestTwins.BOB).setTags(RelayErrors.FAIL_FAST_TAG));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("destination offline");
  }

  @Test
  void bodiesAboveTheLimitAre413() {
    Envelope.Builder big = from(TestTwins.BOB).setPlain(
        com.google.protobuf.ByteString.copyFrom(new byte[5000]));

    assertThat(post(big).status()).isEqualTo(413);
  }

  @Test
  void theSameEnvelopePostedTwiceIsTakenOnceAndCountedAsADuplicate() {
    Envelope.Builder envelope = from(TestTwins.BOB);
    double before = duplicates();

    RawHttp.Response first = post(envelope);
    RawHttp.Response again = post(envelope);

    assertThat(first.status()).isEqualTo(202);
    assertThat(again.status()).as("a retrying relay must not see a failure").isEqualTo(202);
    assertThat(duplicates()).isEqualTo(before + 1);
    TestPeer bob = TestPeer.connect(relay.port(), SessionKey.of(TestTwins.BOB, null), CLOCK);
    try {
      assertThat(bob.drainUntilSync()).extracting(Envelope::getUid)
          .containsExactly(envelope.getUid());
    } finally {
      bob.disconnect();
    }
  }

  private static double duplicates() {
    Map<String, Double> samples = Prometheus.parse(RawHttp.request(relay.port(), "GET",
        "/metrics", new byte[0]).body());
    return Prometheus.value(samples,
        "rmb_relay_federation_ingress_total{result=\"duplicate\"}");
  }
}
