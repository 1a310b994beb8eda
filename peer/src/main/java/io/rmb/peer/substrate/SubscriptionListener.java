package io.rmb.peer.substrate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Receives the notifications of one JSON-RPC subscription, in the order the node sent them,
 * one at a time, on the client's callback executor (never on the socket's reading thread).
 * Notifications may start before the subscribe future completes.
 */
@FunctionalInterface
public interface SubscriptionListener {
  /** One notification's {@code params.result}. Exceptions thrown here are logged and dropped. */
  void onNotification(JsonNode result);

  /**
   * The subscription ended without {@link Subscription#unsubscribe()}: the connection was lost
   * or the client closed. No notification follows. Subscriptions are not renewed
   * automatically, since the caller may have missed changes and must decide what to re-read.
   */
  default void onTerminated(SubstrateException cause) {}
}
