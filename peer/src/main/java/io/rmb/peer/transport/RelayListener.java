package io.rmb.peer.transport;

/**
 * Receives what every relay connection reads. Called on the connection's reader thread: an
 * implementation must hand frames off (to an executor) and return quickly, never wait on the
 * network or a twin lookup there, or that relay stops being read.
 */
public interface RelayListener {
  /** A binary frame read from {@code relay}; the array is the listener's to keep. */
  void onFrame(RelayEndpoint relay, byte[] frame);

  /** {@code relay} changed state; default: ignore. */
  default void onStateChange(RelayEndpoint relay, RelayState state) {}
}
