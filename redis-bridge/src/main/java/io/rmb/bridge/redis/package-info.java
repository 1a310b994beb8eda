/**
 * The Redis queue bridge: rmb-peer's Redis API (lists of JSON under {@code msgbus.*}) served
 * by the Java peer runtime, so an unchanged rmb-peer client works against it, with a
 * processing list per queue so nothing taken from Redis is lost when the process dies.
 * Entry point: {@link io.rmb.bridge.redis.RedisBridge}.
 */
package io.rmb.bridge.redis;
