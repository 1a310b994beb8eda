/**
 * Twins and where to find them: the {@link io.rmb.peer.twin.Twin} value, the asynchronous
 * {@link io.rmb.peer.twin.TwinDirectory} interface, a JSON-file directory, a caching
 * decorator, and tfchain: {@link io.rmb.peer.twin.TfchainTwinDirectory} (reads),
 * {@link io.rmb.peer.twin.TwinChangeWatcher} (change subscription) and
 * {@link io.rmb.peer.twin.TwinPublisher} (publishes our relays and e2e key at start).
 */
package io.rmb.peer.twin;
