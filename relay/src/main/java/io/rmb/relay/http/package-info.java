/**
 * Plain HTTP on the relay's port: the {@link io.rmb.relay.http.HttpRoute} seam that
 * {@code POST /} (federation ingest) and {@code GET /metrics} plug into, and the dispatcher
 * that hands WebSocket upgrades on any path to the session layer.
 */
package io.rmb.relay.http;
