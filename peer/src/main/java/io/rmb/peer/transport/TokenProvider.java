package io.rmb.peer.transport;

import io.rmb.peer.identity.Signer;
import io.rmb.peer.token.RelayToken;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Mints the JWT for one connection attempt. Called once per (re)connect, never cached, so a
 * token seen on the wire is useless for long (wire.md section 5: TTL at most 300 s).
 */
@FunctionalInterface
public interface TokenProvider {
  /** Lifetime of the tokens {@link #signed} mints: long enough for a slow TLS handshake. */
  Duration DEFAULT_TTL = Duration.ofSeconds(60);

  /** A fresh compact JWT. */
  String token();

  /**
   * Tokens signed with the twin's account key, {@code sub} = {@code twin}, {@code sid} =
   * {@code session} (null for the session-less connection rmb-peer uses), lifetime {@code ttl}.
   */
  static TokenProvider signed(Signer signer, long twin, String session, Clock clock,
      Duration ttl) {
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(clock, "clock");
    if (ttl == null || ttl.isNegative() || ttl.isZero()
        || ttl.compareTo(Duration.ofSeconds(300)) > 0) {
      throw new IllegalArgumentException("relay token lifetime must be in (0, 300 s], got " + ttl);
    }
    // validate once up front (u32 twin id) instead of on every connect
    RelayToken.create(signer, twin, session, clock, ttl);
    return () -> RelayToken.create(signer, twin, session, clock, ttl).text();
  }
}
