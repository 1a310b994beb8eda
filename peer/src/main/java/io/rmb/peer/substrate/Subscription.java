package io.rmb.peer.substrate;

import java.util.concurrent.CompletableFuture;

/** A live JSON-RPC subscription on one node connection. */
public interface Subscription {
  /** The id the node gave the subscription. */
  String id();

  /** False once unsubscribed or terminated. */
  boolean isActive();

  /**
   * Stops the notifications at once and tells the node, best effort: the returned future
   * completes (never exceptionally) when the node answered or the connection is gone.
   */
  CompletableFuture<Void> unsubscribe();
}
