package io.rmb.peer.transport;

import io.rmb.peer.token.RelayToken;
import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.proto.Envelope;
import io.rmb.proto.Error;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;

/**
 * A minimal forwarding relay for socket tests (test scope only): checks the JWT in the query
 * string, registers (twin, sid), forwards binary frames to the destination session here or on
 * a peered test relay. Like the real relay, frames for an offline twin whose relay list names
 * this host are queued until that session connects; requests for any other absent twin are
 * answered with a relay error envelope. Counts what the tests need to observe.
 */
public final class TestRelay extends WebSocketServer {
  private final TwinDirectory twins; // null: accept any well-formed token
  private final CountDownLatch started = new CountDownLatch(1);
  private final Map<String, WebSocket> sessions = new ConcurrentHashMap<>();
  private final List<TestRelay> peers = new CopyOnWriteArrayList<>();
  private final Map<String, java.util.Queue<byte[]>> queues = new ConcurrentHashMap<>();
  // registering a session and queueing for it must not interleave, or a frame is stranded
  private final Object routing = new Object();

  public final List<RelayToken> tokens = new CopyOnWriteArrayList<>();
  public final List<Envelope> forwarded = new CopyOnWriteArrayList<>();
  public final AtomicInteger opens = new AtomicInteger();
  public final AtomicInteger pings = new AtomicInteger();
  public final AtomicInteger rejectedHandshakes = new AtomicInteger();
  public volatile boolean answerPings = true;
  /**
   * While true, binary frames are read, counted in {@link #swallowed} and go nowhere: a relay
   * that took frames and dies before delivering them (with {@link #kill()}).
   */
  public volatile boolean swallow;
  public final AtomicInteger swallowed = new AtomicInteger();
  /** While set, reading binary frames blocks until it is counted down (a relay not reading). */
  public volatile CountDownLatch stallReads;

  private TestRelay(int port, TwinDirectory twins) {
    super(new InetSocketAddress("127.0.0.1", port));
    this.twins = twins;
    setReuseAddr(true);
    setDaemon(true);
    setConnectionLostTimeout(0);
  }

  /** A started relay on {@code port} (0: any free port). */
  public static TestRelay start(int port, TwinDirectory twins) {
    TestRelay relay = new TestRelay(port, twins);
    relay.start();
    try {
      if (!relay.started.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test relay did not start on port " + port);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return relay;
  }

  public String url() {
    return "ws://127.0.0.1:" + getPort();
  }

  /** Routes frames for sessions it does not hold to these relays (a stand-in for federation). */
  public void peerWith(TestRelay... others) {
    peers.addAll(List.of(others));
  }

  public boolean hasSession(long twin, String sid) {
    return sessions.containsKey(key(twin, sid));
  }

  /** Sends a text frame to a session, which RMB peers must drop. */
  /** Sends {@code frame} as one binary frame to that session, bypassing any routing. */
  public void sendBinary(long twin, String sid, byte[] frame) {
    sessions.get(key(twin, sid)).send(frame);
  }

  public void sendText(long twin, String sid, String text) {
    sessions.get(key(twin, sid)).send(text);
  }

  public void shutdown() {
    try {
      stop(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Dies like a killed process: every connection is dropped without a close handshake (the
   * peers see 1006), then the server stops.
   */
  public void kill() {
    for (WebSocket conn : getConnections()) {
      conn.closeConnection(CloseFrame.ABNORMAL_CLOSE, "relay killed");
    }
    shutdown();
  }

  private static String key(long twin, String sid) {
    return twin + "/" + (sid == null ? "" : sid);
  }

  @Override
  public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
      ClientHandshake request) throws InvalidDataException {
    ServerHandshakeBuilder builder = super.onWebsocketHandshakeReceivedAsServer(conn, draft,
        request);
    String resource = request.getResourceDescriptor();
    int query = resource.indexOf('?');
    try {
      if (query < 0) {
        throw new IllegalArgumentException("no token");
      }
      RelayToken token = RelayToken.parse(resource.substring(query + 1));
      if (twins != null) {
        Optional<Twin> twin = twins.get(token.twin()).join();
        token.verify(twin.orElseThrow().account(), Clock.systemUTC(), Duration.ofSeconds(300));
      }
      conn.setAttachment(token);
    } catch (RuntimeException e) {
      rejectedHandshakes.incrementAndGet();
      throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "401: " + e.getMessage());
    }
    return builder;
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {
    RelayToken token = conn.getAttachment();
    tokens.add(token);
    opens.incrementAndGet();
    String key = key(token.twin(), token.session().orElse(null));
    WebSocket older;
    synchronized (routing) {
      older = sessions.put(key, conn);
      java.util.Queue<byte[]> queued = queues.remove(key);
      if (queued != null) {
        queued.forEach(conn::send);
      }
    }
    if (older != null && older != conn) {
      older.close(CloseFrame.NORMAL, "replaced by a newer connection");
    }
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    RelayToken token = conn.getAttachment();
    if (token != null) {
      sessions.remove(key(token.twin(), token.session().orElse(null)), conn);
    }
  }

  @Override
  public void onMessage(WebSocket conn, String message) {
    conn.close(CloseFrame.REFUSE, "text frames are not supported"); // as the real relay does
  }

  @Override
  public void onMessage(WebSocket conn, ByteBuffer message) {
    CountDownLatch stall = stallReads;
    if (stall != null) {
      try {
        stall.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (swallow) {
      swallowed.incrementAndGet();
      return;
    }
    byte[] bytes = new byte[message.remaining()];
    message.get(bytes);
    Envelope envelope;
    try {
      envelope = Envelope.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      conn.close(CloseFrame.REFUSE, "undecodable frame");
      return;
    }
    forwarded.add(envelope);
    String to = key(Integer.toUnsignedLong(envelope.getDestination().getTwin()),
        envelope.getDestination().hasConnection() ? envelope.getDestination().getConnection()
            : null);
    if (deliver(to, bytes)) {
      return;
    }
    for (TestRelay peer : peers) {
      if (peer.deliver(to, bytes)) {
        return;
      }
    }
    long twin = Integer.toUnsignedLong(envelope.getDestination().getTwin());
    Optional<Twin> destination = twins == null ? Optional.empty() : twins.get(twin).join();
    if (destination.isPresent() && destination.get().relays().contains("127.0.0.1")) {
      synchronized (routing) {
        if (!deliver(to, bytes)) { // the session may have connected in the meantime
          queues.computeIfAbsent(to, k -> new java.util.concurrent.ConcurrentLinkedQueue<>())
              .add(bytes);
        }
      }
      return;
    }
    if (envelope.hasRequest()) {
      Envelope error = Envelope.newBuilder()
          .setUid(envelope.getUid())
          .setTimestamp(System.currentTimeMillis() / 1000)
          .setExpiration(300)
          .setDestination(envelope.getSource())
          .setError(Error.newBuilder().setMessage("destination offline"))
          .build();
      conn.send(error.toByteArray());
    }
  }

  private boolean deliver(String to, byte[] bytes) {
    synchronized (routing) {
      return send(sessions.get(to), bytes);
    }
  }

  private static boolean send(WebSocket target, byte[] bytes) {
    if (target == null || !target.isOpen()) {
      return false;
    }
    try {
      target.send(bytes);
      return true;
    } catch (org.java_websocket.exceptions.WebsocketNotConnectedException e) {
      return false;
    }
  }

  @Override
  public void onWebsocketPing(WebSocket conn, Framedata f) {
    pings.incrementAndGet();
    if (answerPings) {
      super.onWebsocketPing(conn, f);
    }
  }

  @Override
  public void onError(WebSocket conn, Exception ex) {
    // connection-level problems show up as closes; nothing to do
  }

  @Override
  public void onStart() {
    started.countDown();
  }
}
