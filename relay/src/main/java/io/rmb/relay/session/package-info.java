/**
 * Sessions: who is connected to this relay. A session is one WebSocket connection of a twin,
 * keyed by {@link io.rmb.relay.session.SessionKey} (twin id, optional session id from the
 * token's {@code sid}); the {@link io.rmb.relay.session.SessionRegistry} holds at most one
 * {@link io.rmb.relay.session.Session} per key.
 */
package io.rmb.relay.session;
