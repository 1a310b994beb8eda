/**
 * Operations surface shared by every front door (Redis bridge, Kafka Streams gateway, CLI):
 * Micrometer bindings of the peer's counters and the twin publisher's outcome, and a small
 * admin HTTP endpoint serving {@code /metrics} (Prometheus text), {@code /health} and
 * {@code /ready}.
 */
package io.rmb.peer.metrics;
