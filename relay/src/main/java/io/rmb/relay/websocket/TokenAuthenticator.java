package io.rmb.relay.websocket;

import io.rmb.peer.token.InvalidTokenException;
import io.rmb.peer.token.RelayToken;
import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.relay.routing.RouteException;
import io.rmb.relay.session.SessionKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Checks the JWT a peer presents as the whole query string of its WebSocket URL (wire.md
 * section 5): parse it, look its twin up, verify signature, expiry and (optionally) lifetime
 * with the twin's account key.
 *
 * <p>Never blocks: the twin lookup is asynchronous, and the stage completes on whatever thread
 * the directory completes on (the caller hops back to its event loop). Thread-safe.
 */
public final class TokenAuthenticator {
  private final TwinDirectory twins;
  private final Clock clock;
  private final Duration maxLifetime;

  /**
   * @param maxLifetime the longest {@code exp - iat} accepted, or null for no bound (rmb-rs has
   *     none; peers mint 60 s tokens)
   */
  public TokenAuthenticator(TwinDirectory twins, Clock clock, Duration maxLifetime) {
    this.twins = Objects.requireNonNull(twins, "twins");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxLifetime = maxLifetime;
  }

  /**
   * Authenticates {@code token} (the raw query string, null or empty when the URL has none).
   *
   * @return the session the token opens; fails with an {@link AuthenticationException}
   */
  public CompletionStage<Authenticated> authenticate(String token) {
    if (token == null || token.isEmpty()) {
      return CompletableFuture.failedFuture(AuthenticationException.missingToken());
    }
    RelayToken parsed;
    try {
      parsed = RelayToken.parse(token);
    } catch (InvalidTokenException e) {
      return CompletableFuture.failedFuture(AuthenticationException.invalidToken(e));
    }
    CompletionStage<Optional<Twin>> lookup;
    try {
      lookup = Objects.requireNonNull(twins.get(parsed.twin()), "twin directory returned null");
    } catch (RuntimeException e) {
      lookup = CompletableFuture.failedFuture(e);
    }
    return lookup.handle((found, error) -> {
      if (error != null) {
        throw AuthenticationException.lookupFailed(RouteException.unwrap(error));
      }
      Twin twin = found.orElseThrow(() -> AuthenticationException.unknownTwin(parsed.twin()));
      try {
        parsed.verify(twin.account(), clock, maxLifetime);
      } catch (InvalidTokenException e) {
        throw AuthenticationException.invalidToken(e);
      }
      return new Authenticated(SessionKey.of(parsed.twin(), parsed.session().orElse(null)), twin,
          parsed);
    });
  }

  /**
   * A verified token.
   *
   * @param key the session it opens
   * @param twin the twin as the directory knows it
   * @param token the verified token
   */
  public record Authenticated(SessionKey key, Twin twin, RelayToken token) {}
}
