/**
 * Where an envelope goes (wire.md section 6): the {@link io.rmb.relay.routing.Router} decides
 * (live session, offline queue, federation or a relay error), the
 * {@link io.rmb.relay.routing.Switchboard} delivers to a session or queues for it, and
 * {@link io.rmb.relay.routing.RelayErrors} builds the error envelopes a relay sends back.
 * Federation sits behind {@link io.rmb.relay.routing.Federator}; the
 * {@link io.rmb.relay.routing.QueueRerouter} hands the offline queue of a twin that left this
 * relay to it.
 */
package io.rmb.relay.routing;
