package io.rmb.relay.routing;

import io.rmb.peer.twin.Twin;
import io.rmb.proto.Envelope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@link Federator} of a relay that cannot federate: every envelope for a twin on another
 * relay is refused with {@link RouteFailure#FEDERATION_UNSUPPORTED}, so the sender of a
 * request gets a relay error at once instead of waiting for its deadline.
 */
public final class UnsupportedFederator implements Federator {
  /** The shared instance. */
  public static final UnsupportedFederator INSTANCE = new UnsupportedFederator();

  private UnsupportedFederator() {}

  @Override
  public CompletionStage<Void> federate(Envelope envelope, byte[] bytes, Twin destination) {
    return CompletableFuture.failedFuture(
        new RouteException(RouteFailure.FEDERATION_UNSUPPORTED));
  }

  @Override
  public String toString() {
    return "UnsupportedFederator";
  }
}
