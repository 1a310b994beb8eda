/**
 * Federation between relays (wire.md section 6): {@link io.rmb.relay.federation.HttpFederator}
 * posts envelopes for twins of other relays, ranked by {@link
 * io.rmb.relay.federation.RelayRanker}, retrying until the envelope's deadline, from a
 * {@link io.rmb.relay.federation.FederationQueue} (in memory, or the Redis stream that survives
 * restarts); {@link io.rmb.relay.federation.FederationIngress} is {@code POST /}, where other
 * relays hand envelopes for our twins in.
 */
package io.rmb.relay.federation;
