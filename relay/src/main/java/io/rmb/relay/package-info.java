/**
 * A wire-compatible RMB relay (wire.md section 6) on Netty: one port serves WebSocket
 * sessions (JWT in the query string) and HTTP.
 *
 * <p>Start one with {@link io.rmb.relay.RelayServer#start(io.rmb.relay.RelayOptions)}:
 *
 * <pre>{@code
 * RelayOptions options = RelayOptions.builder()
 *     .listen("127.0.0.1:8080")
 *     .domain("relay.example")
 *     .twinsFile(Path.of("twins.json"))
 *     .build();
 * try (RelayServer relay = RelayServer.start(options)) {
 *   ...
 * }
 * }</pre>
 */
package io.rmb.relay;
