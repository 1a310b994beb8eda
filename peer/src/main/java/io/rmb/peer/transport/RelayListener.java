package io.rmb.peer.transport;

/**
 * Receives what every relay connection reads. Called on the connection's reader thread: an
 * implementation must hand frames off (to an executor) and return quickly, never wait on the
 * network or a twin lookup there, or that relay stops being read.
 */
public interface RelayListener {
  /** A binary frame read from {@code relay}; the array is the listener's to keep. */
  void onFrame(RelayEndpoint relay, byte[] frame);

  /**
   * {@code relay} announced a frame above {@link RelayOptions#maxFrameSize()}: it was not read,
   * and the connection is being closed (1009) and re-established. Called on the reader thread;
   * default: ignore (the transport logs it and counts it in {@link RelayStatus}).
   */
  default void onOversizeFrame(RelayEndpoint relay, int maxFrameSize) {}

  /** {@code relay} changed state; default: ignore. */
  default void onStateChange(RelayEndpoint relay, RelayState state) {}
}
