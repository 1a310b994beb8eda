/**
 * Rate limiting of twins (wire.md section 6): {@link io.rmb.relay.limit.FixedWindowRateLimiter}
 * counts envelopes and bytes per twin in fixed 60 s windows; the session handler answers an
 * over-limit request with the relay error "exceeded rate limits, dropping message" and keeps
 * the connection open.
 */
package io.rmb.relay.limit;
