package io.rmb.relay.routing;

/** Where a routed envelope went. */
public enum RouteOutcome {
  /** Handed to a session connected to this relay (a ping's pong included). */
  DELIVERED,
  /** Stored in the offline queue for a session of one of this relay's twins. */
  QUEUED,
  /** Accepted for federation to another relay. */
  FEDERATED
}
