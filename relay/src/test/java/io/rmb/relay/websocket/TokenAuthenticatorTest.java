package io.rmb.relay.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.rmb.peer.token.RelayToken;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.peer.twin.TwinDirectoryException;
import io.rmb.relay.routing.RouteException;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.testing.MutableClock;
import io.rmb.relay.testing.TestTwins;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class TokenAuthenticatorTest {
  private final MutableClock clock = MutableClock.fixed();
  private final TokenAuthenticator authenticator =
      new TokenAuthenticator(TestTwins.directory(), clock, null);

  private String token(long twin, long signer, String sid, Duration ttl) {
    return RelayToken.create(TestTwins.identity(signer).signer(), twin, sid, clock, ttl).text();
  }

  private static AuthenticationException refusal(TokenAuthenticator authenticator,
      String token) {
    try {
      authenticator.authenticate(token).toCompletableFuture().join();
    } catch (CompletionException e) {
      return (AuthenticationException) RouteException.unwrap(e);
    }
    throw new AssertionError("expected the token to be refused");
  }

  @Test
  void validTokenOpensItsSession() {
    TokenAuthenticator.Authenticated done = authenticator
        .authenticate(token(TestTwins.BOB, TestTwins.BOB, "web", Duration.ofSeconds(60)))
        .toCompletableFuture().join();

    assertThat(done.key()).isEqualTo(SessionKey.of(TestTwins.BOB, "web"));
    assertThat(done.twin()).isEqualTo(TestTwins.twin(TestTwins.BOB));
  }

  @Test
  void tokenWithoutSidOpensTheSessionlessSession() {
    TokenAuthenticator.Authenticated done = authenticator
        .authenticate(token(TestTwins.ALICE, TestTwins.ALICE, null, Duration.ofSeconds(60)))
        .toCompletableFuture().join();

    assertThat(done.key()).isEqualTo(SessionKey.of(TestTwins.ALICE));
  }

  @Test
  void missingTokenIs400() {
    assertThat(refusal(authenticator, null).status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
    assertThat(refusal(authenticator, "")).hasMessage("missing jwt");
  }

  @Test
  void malformedTokenIs401() {
    AuthenticationException refused = refusal(authenticator, "a.b");

    assertThat(refused.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
    assertThat(refused.getMessage()).startsWith("invalid jwt: ");
  }

  @Test
  void tokenSignedWithAnotherKeyIs401() {
    AuthenticationException refused = refusal(authenticator,
        token(TestTwins.ALICE, TestTwins.EVE, null, Duration.ofSeconds(60)));

    assertThat(refused.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
    assertThat(refused.getMessage()).startsWith("invalid jwt: ");
  }

  @Test
  void expiredTokenIs401() {
    String token = token(TestTwins.ALICE, TestTwins.ALICE, null, Duration.ofSeconds(60));
    clock.advance(Duration.ofSeconds(62));

    AuthenticationException refused = refusal(authenticator, token);

    assertThat(refused.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
    assertThat(refused.getMessage()).contains("expired");
  }

  @Test
  void unknownTwinIs401() {
    AuthenticationException refused = refusal(authenticator,
        token(TestTwins.UNKNOWN, TestTwins.ALICE, null, Duration.ofSeconds(60)));

    assertThat(refused.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
    assertThat(refused).hasMessage("twin not found 99");
  }

  @Test
  void directoryFailureIs500() {
    TwinDirectory broken = id -> CompletableFuture.failedFuture(
        new TwinDirectoryException("chain unreachable"));

    AuthenticationException refused = refusal(new TokenAuthenticator(broken, clock, null),
        token(TestTwins.ALICE, TestTwins.ALICE, null, Duration.ofSeconds(60)));

    assertThat(refused.status()).isEqualTo(HttpResponseStatus.INTERNAL_SERVER_ERROR);
    assertThat(refused).hasMessage("failed to get twin: chain unreachable");
  }

  @Test
  void lifetimeBoundIsOptional() {
    String hourLong = token(TestTwins.ALICE, TestTwins.ALICE, null, Duration.ofHours(1));
    TokenAuthenticator bounded =
        new TokenAuthenticator(TestTwins.directory(), clock, Duration.ofMinutes(5));

    assertThat(authenticator.authenticate(hourLong).toCompletableFuture().join().key())
        .isEqualTo(SessionKey.of(TestTwins.ALICE));
    assertThat(refusal(bounded, hourLong).status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
  }
}
