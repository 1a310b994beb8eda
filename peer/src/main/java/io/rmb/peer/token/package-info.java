/**
 * The relay JWT (wire.md section 5): minted by peers on every connect, verified by relays
 * against the twin's account key ({@link io.rmb.peer.token.RelayToken}).
 */
package io.rmb.peer.token;
