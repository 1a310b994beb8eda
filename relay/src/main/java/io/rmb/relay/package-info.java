/**
 * A wire-compatible RMB relay (wire.md section 6) on Netty: one port serves WebSocket
 * sessions (JWT in the query string) and HTTP.
 */
package io.rmb.relay;
