package io.rmb.relay.routing;

import io.rmb.peer.twin.Twin;
import io.rmb.proto.Envelope;
import java.util.concurrent.CompletionStage;

/**
 * Takes envelopes for twins that live on other relays (wire.md section 6, "Federation").
 *
 * <p>The relay calls this after it decided the destination twin shares no domain with it. A
 * real federator accepts the envelope (for example into a durable stream) and completes; it
 * posts to the twin's relays later and reports late failures to the sender itself. Until one
 * exists, {@link UnsupportedFederator} refuses everything.
 */
public interface Federator {
  /**
   * Accepts {@code envelope} for federation to one of {@code destination}'s relays.
   *
   * @param envelope the decoded envelope
   * @param bytes the exact bytes received, to forward unchanged
   * @param destination the destination twin, as the directory knows it
   * @return completes when accepted; fails with a {@link RouteException} whose message is sent
   *     back to the sender of a request
   */
  CompletionStage<Void> federate(Envelope envelope, byte[] bytes, Twin destination);
}
