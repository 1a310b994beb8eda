package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.token.RelayToken;
import io.rmb.relay.http.HttpRoutes;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.testing.MutableClock;
import io.rmb.relay.testing.RawHttp;
import io.rmb.relay.testing.TestPeer;
import io.rmb.relay.testing.TestTwins;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upgrade guard and the plain-HTTP answers of a relay on a real socket. */
@Tag("integration")
class AuthenticationIT {
  @TempDir
  static Path dir;

  private static final MutableClock CLOCK = MutableClock.system();
  private static RelayServer relay;

  @BeforeAll
  static void start() {
    relay = RelayServer.start(RelayOptions.builder()
        .listen("127.0.0.1:0")
        .domain(TestTwins.DOMAIN)
        .twinsFile(TestTwins.writeFile(dir))
        .clock(CLOCK)
        .maxTokenLifetime(Duration.ofMinutes(5))
        .maxBodySize(4096)
        .build());
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  private static String token(long twin, Identity signer, Duration ttl) {
    return RelayToken.create(signer.signer(), twin, null, CLOCK, ttl).text();
  }

  @Test
  void missingTokenIs400() {
    RawHttp.Response response = RawHttp.upgrade(relay.port(), "/");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body()).isEqualTo("missing jwt");
  }

  @Test
  void emptyQueryIs400() {
    assertThat(RawHttp.upgrade(relay.port(), "/some/path?").status()).isEqualTo(400);
  }

  @Test
  void garbageTokenIs401() {
    RawHttp.Response response = RawHttp.upgrade(relay.port(), "/?not-a-jwt");

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.body()).startsWith("invalid jwt: ");
  }

  @Test
  void tokenSignedByAnotherKeyIs401() {
    String forged = token(TestTwins.ALICE, TestTwins.identity(TestTwins.EVE),
        Duration.ofSeconds(60));

    RawHttp.Response response = RawHttp.upgrade(relay.port(), "/?" + forged);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.body()).startsWith("invalid jwt: ").contains("signature");
  }

  @Test
  void expiredTokenIs401() {
    MutableClock past = MutableClock.at(CLOCK.instant().minusSeconds(600));
    String expired = RelayToken.create(TestTwins.identity(TestTwins.ALICE).signer(),
        TestTwins.ALICE, null, past, Duration.ofSeconds(60)).text();

    RawHttp.Response response = RawHttp.upgrade(relay.port(), "/?" + expired);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.body()).startsWith("invalid jwt: ").contains("expired");
  }

  @Test
  void tokenLivingLongerThanTheBoundIs401() {
    String greedy = token(TestTwins.ALICE, TestTwins.identity(TestTwins.ALICE),
        Duration.ofHours(1));

    RawHttp.Response response = RawHttp.upgrade(relay.port(), "/?" + greedy);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.body()).contains("lifetime");
  }

  @Test
  void unknownTwinIs401() {
    Identity stranger = Identity.fromSecret("//Ferdie", KeyType.SR25519);

    RawHttp.Response response = RawHttp.upgrade(relay.port(),
        "/?" + token(TestTwins.UNKNOWN, stranger, Duration.ofSeconds(60)));

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("twin not found " + TestTwins.UNKNOWN);
  }

  @Test
  void validTokenOpensASessionOnAnyPath() {
    String token = token(TestTwins.ALICE, TestTwins.identity(TestTwins.ALICE),
        Duration.ofSeconds(60));

    TestPeer peer = TestPeer.connect(relay.port(), "/any/path/at/all", token,
        SessionKey.of(TestTwins.ALICE, null), CLOCK);
    try {
      assertThat(peer.isOpen()).isTrue();
      assertThat(peer.drainUntilSync()).isEmpty();
    } finally {
      peer.disconnect();
    }
  }

  @Test
  void rejectedUpgradesAreCounted() {
    long before = relay.stats().upgradesRejected();

    RawHttp.upgrade(relay.port(), "/");

    assertThat(relay.stats().upgradesRejected()).isEqualTo(before + 1);
  }

  @Test
  void federationIngestRefusesGarbageAndMetricsAreServed() {
    RawHttp.Response ingest = RawHttp.request(relay.port(), "POST", "/",
        new byte[] {(byte) 0xff, (byte) 0xff, 0x01});
    RawHttp.Response metrics = RawHttp.request(relay.port(), "GET", "/metrics", new byte[0]);

    assertThat(ingest.status()).isEqualTo(400);
    assertThat(ingest.body()).startsWith("cannot decode envelope");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("rmb_relay_connections_accepted_total");
  }

  @Test
  void bodyLargerThanTheLimitIs413() {
    RawHttp.Response response = RawHttp.request(relay.port(), "POST", "/", new byte[8192]);

    assertThat(response.status()).isEqualTo(413);
  }

  @Test
  void otherPathsAre404() {
    RawHttp.Response response = RawHttp.request(relay.port(), "GET", "/nothing", new byte[0]);

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.body()).isEqualTo(HttpRoutes.NOT_FOUND);
  }
}
