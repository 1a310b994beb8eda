/**
 * The relay on a shared Redis, so several instances serve one population of twins and survive
 * restarts: per-session offline queues on streams ({@link io.rmb.relay.redis.RedisOfflineQueue}),
 * session presence with expiry and wake-ups over pub/sub ({@link
 * io.rmb.relay.redis.RedisPresence}), and the durable federation stream ({@link
 * io.rmb.relay.redis.RedisFederationQueue}), all made by one {@link
 * io.rmb.relay.redis.RedisBackend} (Lettuce).
 */
package io.rmb.relay.redis;
