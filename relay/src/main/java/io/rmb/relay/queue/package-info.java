/**
 * The offline queue: envelopes kept for sessions of this relay's twins while they are not
 * connected (wire.md section 6, "Queueing"). {@link io.rmb.relay.queue.OfflineQueue} is
 * asynchronous so a Redis Streams backend can implement it;
 * {@link io.rmb.relay.queue.InMemoryOfflineQueue} is the default.
 */
package io.rmb.relay.queue;
