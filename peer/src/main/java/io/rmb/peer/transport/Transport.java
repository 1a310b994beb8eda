package io.rmb.peer.transport;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the peer runtime needs from its relay connections: a stream of incoming frames and a
 * way to send one. {@link RelayClient} is the implementation; tests substitute a fake.
 */
public interface Transport extends AutoCloseable {
  /** Connects and starts delivering frames to {@code listener}; call once. */
  void start(RelayListener listener);

  /**
   * Sends one binary frame through the first connected relay that takes it, retrying across
   * relays and reconnects until {@code deadline}.
   *
   * @return completes with the relay that took the frame, or fails with a
   *     {@link RelaySendException} (deadline passed, transport closed, queue full)
   */
  CompletableFuture<RelayEndpoint> send(byte[] frame, Instant deadline);

  /** One status per relay, in configuration order. */
  List<RelayStatus> status();

  /** Closes every connection and fails the frames still waiting to be sent. */
  @Override
  void close();
}
