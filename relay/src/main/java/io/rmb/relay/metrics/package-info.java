/**
 * Metrics: {@link io.rmb.relay.metrics.RelayMetrics} binds the relay's counters to a Micrometer
 * Prometheus registry and serves it on {@code GET /metrics}.
 */
package io.rmb.relay.metrics;
