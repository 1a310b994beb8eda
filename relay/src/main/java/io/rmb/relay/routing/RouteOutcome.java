package io.rmb.relay.routing;

/** Where a routed envelope went. */
public enum RouteOutcome {
  /** Handed to a session connected to this relay (a ping's pong included). */
  DELIVERED,
  /** Stored in the offline queue for a session of one of this relay's twins. */
  QUEUED,
  /** Accepted for federation to another relay. */
  FEDERATED,
  /**
   * Dropped without an answer: the same envelope was routed before and is still valid (a
   * replay, see {@link ReplayFilter}). The first copy went its way; answering the copy with an
   * error would make the sender's pending request fail although it was delivered.
   */
  DUPLICATE
}
