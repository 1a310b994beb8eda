package io.rmb.peer.runtime;

import io.rmb.peer.transport.RelayEndpoint;
import io.rmb.peer.transport.RelayListener;
import io.rmb.peer.transport.RelayStatus;
import io.rmb.peer.transport.Transport;
import io.rmb.proto.Envelope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Captures what the peer sends and lets the test feed frames in, without sockets. */
final class FakeTransport implements Transport {
  static final RelayEndpoint RELAY = RelayEndpoint.parse("ws://relay.test");

  final List<byte[]> sent = new CopyOnWriteArrayList<>();
  final List<Instant> deadlines = new CopyOnWriteArrayList<>();
  volatile Function<byte[], CompletableFuture<RelayEndpoint>> behaviour =
      frame -> CompletableFuture.completedFuture(RELAY);
  volatile RelayListener listener;
  volatile boolean closed;

  @Override
  public void start(RelayListener listener) {
    this.listener = listener;
  }

  @Override
  public CompletableFuture<RelayEndpoint> send(byte[] frame, Instant deadline) {
    CompletableFuture<RelayEndpoint> result = behaviour.apply(frame);
    if (!result.isCompletedExceptionally()) {
      sent.add(frame.clone());
      deadlines.add(deadline);
    }
    return result;
  }

  @Override
  public List<RelayStatus> status() {
    return List.of();
  }

  @Override
  public void close() {
    closed = true;
  }

  /** Feeds a frame as if a relay had sent it. */
  void deliver(byte[] frame) {
    listener.onFrame(RELAY, frame);
  }

  void deliver(Envelope envelope) {
    deliver(envelope.toByteArray());
  }

  /** Everything sent so far, decoded. */
  List<Envelope> envelopes() {
    List<Envelope> list = new ArrayList<>();
    for (byte[] frame : sent) {
      try {
        list.add(Envelope.parseFrom(frame));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError("peer sent an undecodable frame", e);
      }
    }
    return list;
  }

  Envelope last() {
    List<Envelope> all = envelopes();
    if (all.isEmpty()) {
      throw new AssertionError("nothing was sent");
    }
    return all.get(all.size() - 1);
  }
}
