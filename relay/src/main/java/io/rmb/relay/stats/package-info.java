/**
 * Relay counters. {@link io.rmb.relay.stats.RelayCounters} is the live, lock-free set the relay
 * updates; {@link io.rmb.relay.stats.RelayStats} an immutable snapshot of it (plus the offline
 * queue's). Every value is either a monotonic counter or a gauge, and every breakdown is keyed
 * by an enum ({@link io.rmb.relay.stats.DropReason},
 * {@link io.rmb.relay.routing.RouteOutcome}, {@link io.rmb.relay.routing.RouteFailure}), so a
 * metrics registry binds them as function counters/gauges with the enum constant as a tag.
 */
package io.rmb.relay.stats;
