package io.rmb.peer.transport;

/**
 * A snapshot of one relay connection, for monitoring and tests.
 *
 * @param endpoint the relay
 * @param state the connection state when the snapshot was taken
 * @param connects successful WebSocket handshakes so far
 * @param attempts connection attempts so far (each with a freshly minted token)
 * @param framesSent binary frames handed to this relay
 * @param framesReceived binary frames read from this relay
 * @param textFramesDropped text frames read and dropped (RMB is binary only)
 * @param pingsSent keepalive pings sent
 * @param readTimeouts connections dropped because nothing was read for the read timeout
 * @param oversizeFrames frames above {@link RelayOptions#maxFrameSize()} refused (each closed
 *     the connection with 1009)
 * @param framesResent frames written to this relay within {@link RelayOptions#resendWindow()}
 *     before one of its connections dropped, offered again to the relays (each counted once
 *     per drop; whether another relay took it shows in that relay's {@code framesSent})
 * @param resendForgotten frames written within the resend window that the window's count or
 *     byte bound forgot before the connection dropped (they could not have been resent)
 */
public record RelayStatus(RelayEndpoint endpoint, RelayState state, long connects,
    long attempts, long framesSent, long framesReceived, long textFramesDropped, long pingsSent,
    long readTimeouts, long oversizeFrames, long framesResent, long resendForgotten) {
}
