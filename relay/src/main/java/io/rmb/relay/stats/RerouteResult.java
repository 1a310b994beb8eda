package io.rmb.relay.stats;

/**
 * What became of an envelope the re-route sweep took from the offline queue of a twin that no
 * longer lists this relay (see {@code io.rmb.relay.routing.QueueRerouter}).
 */
public enum RerouteResult {
  /** Handed to federation towards the twin's current relays. */
  REROUTED,
  /** Its deadline had passed when the sweep reached it: dropped, not federated. */
  EXPIRED,
  /** Could not be decoded again, so it cannot be federated: dropped (never seen in practice). */
  UNDECODABLE
}
