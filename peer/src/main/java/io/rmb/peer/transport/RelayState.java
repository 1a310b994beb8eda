package io.rmb.peer.transport;

/** Life cycle of one relay connection. */
public enum RelayState {
  /** Created, {@link RelayClient#start} not called yet. */
  IDLE,
  /** A WebSocket handshake is under way. */
  CONNECTING,
  /** Open: frames are read and can be sent. */
  CONNECTED,
  /** The last attempt failed or the connection dropped; a reconnect is scheduled. */
  WAITING,
  /** Closed for good by {@link RelayClient#close()}. */
  CLOSED
}
