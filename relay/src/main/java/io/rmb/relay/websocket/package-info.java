/**
 * WebSocket sessions on Netty: the token check that guards the upgrade
 * ({@link io.rmb.relay.websocket.TokenAuthenticator}), the upgrade itself
 * ({@link io.rmb.relay.websocket.WebSocketUpgrader}), the per-connection frame rules
 * ({@link io.rmb.relay.websocket.WebSocketSessionHandler}) and the
 * {@link io.rmb.relay.session.Session} that writes to a channel and drains the offline queue
 * ({@link io.rmb.relay.websocket.ChannelSession}).
 */
package io.rmb.relay.websocket;
