package io.rmb.peer.transport;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection attempt of a {@link RelayConnection}: a Java-WebSocket client that reads
 * frames up to {@link RelayOptions#maxFrameSize()} and forwards every socket event with itself
 * as the identity, so the connection can ignore late events of an attempt it replaced.
 */
final class RelaySocket extends WebSocketClient {
  private static final Logger LOG = LoggerFactory.getLogger(RelayConnection.class);

  private final RelayConnection owner;
  /** What this connection wrote lately, offered again if it dies (not by our close). */
  final ResendWindow written;
  private final Clock clock;

  RelaySocket(URI uri, RelayOptions options, RelayConnection owner) {
    // the draft checks each frame header against the limit before reading its payload
    super(uri, new Draft_6455(List.of(), options.maxFrameSize()), Map.of(),
        (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()));
    this.owner = owner;
    this.written = new ResendWindow(options.resendWindow().toMillis(), options.resendMaxFrames(),
        options.resendMaxBytes());
    this.clock = options.clock();
  }

  /**
   * Writes {@code frame} and remembers it in {@link #written} until {@code due} (epoch ms).
   *
   * @param forgotten counts frames the window's bounds forget to make room
   * @return false when the socket is closed or its window was drained for a resend
   */
  boolean write(byte[] frame, long due, AtomicLong forgotten) {
    if (!written.enabled()) {
      return sent(frame);
    }
    // write and record under the window's lock: a frame written after the window was drained
    // for a resend would be lost, so a drained window refuses it and it goes to another relay
    synchronized (written.lock()) {
      if (!written.open() || !sent(frame)) {
        return false;
      }
      forgotten.addAndGet(written.record(frame, due, clock.millis()));
      return true;
    }
  }

  private boolean sent(byte[] frame) {
    try {
      send(frame);
      return true;
    } catch (WebsocketNotConnectedException e) {
      return false;
    }
  }

  /** Drops a connection that is dead or stuck without waiting for a close handshake. */
  void abort() {
    try {
      java.net.Socket raw = getSocket();
      if (raw != null) {
        raw.close();
      }
    } catch (java.io.IOException | RuntimeException e) {
      // best effort: the socket is being thrown away
    }
    closeConnection(CloseFrame.ABNORMAL_CLOSE, "aborted by peer");
  }

  @Override
  public void onOpen(ServerHandshake handshake) {
    owner.opened(this);
  }

  @Override
  public void onMessage(String message) {
    owner.receivedText(this);
  }

  @Override
  public void onMessage(ByteBuffer bytes) {
    owner.received(this, bytes);
  }

  @Override
  public void onCloseInitiated(int code, String reason) {
    if (code == CloseFrame.TOOBIG) {
      owner.refusedOversize(this); // the only 1009 we start: Draft_6455's payload limit
    }
  }

  @Override
  public void onWebsocketPong(WebSocket conn, Framedata f) {
    owner.ponged(this);
  }

  @Override
  public void onClose(int code, String reason, boolean remote) {
    owner.closed(this, code, reason, remote);
  }

  @Override
  public void onError(Exception ex) {
    // onClose always follows and handles the reconnect; this only explains it
    LOG.debug("relay {}: {}", owner.endpoint(), ex.toString());
  }
}
