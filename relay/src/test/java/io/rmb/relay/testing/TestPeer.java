package io.rmb.relay.testing;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import io.rmb.peer.token.RelayToken;
import io.rmb.proto.Envelope;
import io.rmb.relay.session.SessionKey;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A raw WebSocket client as a peer: presents a JWT, sends envelope bytes, records every binary
 * frame and how the connection closed. No retries, no verification: it sees exactly what the
 * relay sends.
 */
public final class TestPeer extends WebSocketClient {
  /** How long tests wait for something that must happen. */
  public static final Duration PATIENCE = Duration.ofSeconds(10);

  private final SessionKey key;
  private final Clock clock;
  private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final List<String> texts = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger pings =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean answerPings = true;

  private TestPeer(URI uri, SessionKey key, Clock clock) {
    super(uri);
    this.key = key;
    this.clock = clock;
    setConnectionLostTimeout(0);
  }

  /** Connects {@code key} with a fresh 60 s token minted on {@code clock}, and waits. */
  public static TestPeer connect(int port, SessionKey key, Clock clock) {
    RelayToken token = RelayToken.create(TestTwins.identity(key.twin()).signer(), key.twin(),
        key.sid(), clock, Duration.ofSeconds(60));
    return connect(port, "/", token.text(), key, clock);
  }

  /** Connects to {@code path} with {@code query} as the raw query string, and waits. */
  public static TestPeer connect(int port, String path, String query, SessionKey key,
      Clock clock) {
    TestPeer peer = new TestPeer(URI.create("ws://127.0.0.1:" + port + path + "?" + query), key,
        clock);
    try {
      if (!peer.connectBlocking(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("peer " + key + " could not connect: " + peer.closed.getNow(null));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return peer;
  }

  public SessionKey key() {
    return key;
  }

  public Clock clock() {
    return clock;
  }

  /** Sends raw bytes as one binary frame. */
  public void sendBytes(byte[] bytes) {
    send(bytes);
  }

  /** The next binary frame received, waiting for it. */
  public byte[] awaitBytes() {
    return await().atMost(PATIENCE).until(received::poll, Objects::nonNull);
  }

  /** The next envelope received, waiting for it. */
  public Envelope awaitEnvelope() {
    byte[] bytes = awaitBytes();
    try {
      return Envelope.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("relay sent undecodable bytes", e);
    }
  }

  /**
   * Everything received before a round trip through the relay: sends a ping to itself and
   * returns what arrived before the pong. The relay handles one connection's frames in order
   * and writes to it in order, so anything it was going to send back for earlier frames of
   * this connection comes first.
   */
  public List<Envelope> drainUntilSync() {
    Envelope.Builder ping = TestEnvelopes.ping(key, key, "sync", clock);
    String uid = ping.getUid();
    sendBytes(TestEnvelopes.signed(ping));
    List<Envelope> before = new ArrayList<>();
    while (true) {
      Envelope next = awaitEnvelope();
      if (next.hasPong() && next.getUid().equals(uid)) {
        return before;
      }
      before.add(next);
    }
  }

  /** Closes the connection (normal closure) and waits for it to be closed. */
  public void disconnect() {
    try {
      closeBlocking();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits until the connection is closed and says how. */
  public Closed awaitClosed() {
    return closed.orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  /** How the connection closed, if it did. */
  public Closed closedNow() {
    return closed.getNow(null);
  }

  @Override
  public void onOpen(ServerHandshake handshake) {}

  /** From now on, pings are read but not answered (a stalled or half-open client). */
  public void stopAnsweringPings() {
    answerPings = false;
  }

  /** Pings received from the relay so far. */
  public int pingsReceived() {
    return pings.get();
  }

  @Override
  public void onWebsocketPing(org.java_websocket.WebSocket conn,
      org.java_websocket.framing.Framedata frame) {
    pings.incrementAndGet();
    if (answerPings) {
      super.onWebsocketPing(conn, frame);
    }
  }

  @Override
  public void onMessage(String message) {
    texts.add(message);
  }

  @Override
  public void onMessage(ByteBuffer bytes) {
    byte[] copy = new byte[bytes.remaining()];
    bytes.get(copy);
    received.add(copy);
  }

  @Override
  public void onClose(int code, String reason, boolean remote) {
    closed.complete(new Closed(code, reason, remote));
  }

  @Override
  public void onError(Exception ex) {
    // onClose follows
  }

  @Override
  public String toString() {
    return "TestPeer{" + key + "}";
  }

  /** How a connection closed: the close code and reason, and whether the relay closed it. */
  public record Closed(int code, String reason, boolean remote) {}
}
