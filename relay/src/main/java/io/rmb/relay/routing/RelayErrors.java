package io.rmb.relay.routing;

import io.rmb.peer.envelope.Expiry;
import io.rmb.proto.Envelope;
import io.rmb.proto.Error;
import io.rmb.relay.session.SessionKey;
import java.time.Clock;
import java.util.Arrays;

/**
 * The error envelopes a relay makes (wire.md section 6) and the rules about when to send them.
 *
 * <p>Exactly what rmb-rs builds: the offending envelope's {@code uid}, {@code expiration} 300
 * stamped at now, {@code error {code 0, message}}, the destination, and nothing else: no
 * source (so peers recognise a relay error, not a peer message), no signature, no tags, no
 * payload.
 */
public final class RelayErrors {
  /** TTL of a relay error envelope, in seconds. */
  public static final long EXPIRATION = 300;
  /** The tag token that asks for an error instead of queueing when the destination is away. */
  public static final String FAIL_FAST_TAG = "fail-fast";

  private RelayErrors() {}

  /**
   * The relay error for {@code offending}.
   *
   * @param destination who gets the error: the session that sent the offending envelope
   */
  public static Envelope errorFor(Envelope offending, String message, SessionKey destination,
      Clock clock) {
    Envelope.Builder error = Envelope.newBuilder()
        .setUid(offending.getUid())
        .setExpiration(EXPIRATION)
        .setDestination(destination.toAddress())
        .setError(Error.newBuilder().setCode(0).setMessage(message));
    return Expiry.stamp(error, clock).build();
  }

  /**
   * Only requests are answered: an error for a response, error or pong would go to a peer that
   * is not waiting for one (and could bounce between relays forever).
   */
  public static boolean answers(Envelope offending) {
    return offending.hasRequest();
  }

  /**
   * True when {@code tags} holds the token {@code fail-fast}: tokens are separated by commas
   * and/or whitespace and compared exactly, like rmb-rs.
   */
  public static boolean isFailFast(Envelope envelope) {
    if (!envelope.hasTags()) {
      return false;
    }
    return Arrays.stream(envelope.getTags().split("(?U)[,\\s]+"))
        .anyMatch(FAIL_FAST_TAG::equals);
  }
}
