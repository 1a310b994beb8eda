package io.rmb.peer.substrate;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A small RFC 6455 WebSocket server for tests, on 127.0.0.1: text messages, ping, close. Each
 * connection has one thread that reads its frames and calls the handler; a frame is written
 * by the thread that sends it, completely and under the connection's lock, before
 * {@link Connection#send} returns. Nothing is queued for another thread to flush, so an
 * answer cannot be left behind.
 *
 * <p>Why not Java-WebSocket's {@code WebSocketServer} (1.6.0): its worker thread queues an
 * answer and sets the key's interest to {@code OP_READ | OP_WRITE}, while its selector thread,
 * after flushing that queue, sets the interest back to {@code OP_READ}. When the worker
 * queues between the selector's last look at the queue and that reset, the answer stays
 * queued until the next write on the connection, which for a client waiting on its first
 * answer never comes. The selector also runs such a flush right after reading each request
 * (the key stays in the selected set after a write, so its ready set keeps OP_WRITE), which
 * puts ordinary request and answer traffic in the window: under CPU load a few percent of
 * integration test runs waited for an answer until their timeout.
 */
final class BlockingWebSocketServer implements AutoCloseable {
  /** Called on the connection's reading thread. */
  interface Handler {
    void onMessage(Connection conn, String text);

    /** The connection is gone (closed by either side or dropped). */
    default void onClose(Connection conn) {}
  }

  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int MAX_HEADER_BYTES = 16 * 1024;
  private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
  private static final int OP_CONTINUATION = 0x0;
  private static final int OP_TEXT = 0x1;
  private static final int OP_BINARY = 0x2;
  private static final int OP_CLOSE = 0x8;
  private static final int OP_PING = 0x9;
  private static final int OP_PONG = 0xA;

  private final Handler handler;
  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Set<Thread> readers = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private BlockingWebSocketServer(Handler handler) throws IOException {
    this.handler = handler;
    // bound before start() returns: the port handed out is already accepting
    this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    this.acceptor = new Thread(this::acceptLoop, "ws-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
  }

  /** Listens on a free port of 127.0.0.1. */
  static BlockingWebSocketServer start(Handler handler) throws IOException {
    BlockingWebSocketServer ws = new BlockingWebSocketServer(handler);
    ws.acceptor.start();
    return ws;
  }

  int port() {
    return server.getLocalPort();
  }

  /** The open connections (handshake done). */
  List<Connection> connections() {
    return List.copyOf(connections);
  }

  /** Stops accepting and closes every connection with 1001 "going away". */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Connection conn : connections()) {
      conn.close(1001, "going away");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    acceptor.join(1000);
    for (Thread reader : List.copyOf(readers)) {
      reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
  }

  private void acceptLoop() {
    int n = 0;
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Thread reader = new Thread(() -> serve(socket), "ws-conn-" + port() + "-" + ++n);
      reader.setDaemon(true);
      readers.add(reader);
      reader.start();
    }
  }

  private void serve(Socket socket) {
    Connection conn = null;
    try (socket) {
      socket.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      conn = new Connection(socket, socket.getOutputStream());
      if (!handshake(in, conn)) {
        return;
      }
      connections.add(conn);
      if (closed) {
        conn.close(1001, "going away"); // close() ran while we were handshaking
        return;
      }
      readFrames(in, conn);
    } catch (IOException e) {
      // the peer went away, or close()/drop() closed the socket
    } finally {
      if (conn != null) {
        conn.open = false;
        if (connections.remove(conn)) {
          handler.onClose(conn);
        }
      }
      readers.remove(Thread.currentThread());
    }
  }

  private static boolean handshake(InputStream in, Connection conn) throws IOException {
    String[] lines = readHeader(in).split("\r\n");
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    String key = headers.get("sec-websocket-key");
    if (!lines[0].startsWith("GET ") || key == null
        || !"websocket".equalsIgnoreCase(headers.get("upgrade"))
        || !headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT).contains("upgrade")
        || !"13".equals(headers.get("sec-websocket-version"))) {
      conn.writeRaw("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      return false;
    }
    conn.writeRaw(("HTTP/1.1 101 Switching Protocols\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + acceptKey(key) + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    return true;
  }

  private static String readHeader(InputStream in) throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    int last4 = 0;
    while (last4 != 0x0d0a0d0a) { // up to the blank line: "\r\n\r\n"
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed during the handshake");
      }
      if (header.size() == MAX_HEADER_BYTES) {
        throw new IOException("handshake header too large");
      }
      header.write(b);
      last4 = (last4 << 8) | b;
    }
    return header.toString(StandardCharsets.ISO_8859_1);
  }

  static String acceptKey(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1")
          .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void readFrames(DataInputStream in, Connection conn) throws IOException {
    ByteArrayOutputStream message = null; // a fragmented text message being assembled
    while (true) {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      boolean fin = (b0 & 0x80) != 0;
      int opcode = b0 & 0x0f;
      long length = b1 & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      if ((b1 & 0x80) == 0 || (b0 & 0x70) != 0) {
        conn.close(1002, "client frames must be masked and use no extensions");
        return;
      }
      if (length > MAX_MESSAGE_BYTES) {
        conn.close(1009, "message too big");
        return;
      }
      byte[] mask = new byte[4];
      in.readFully(mask);
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i & 3];
      }
      switch (opcode) {
        case OP_TEXT, OP_CONTINUATION -> {
          if ((opcode == OP_TEXT) != (message == null)) {
            conn.close(1002, "unexpected " + (opcode == OP_TEXT ? "text" : "continuation")
                + " frame");
            return;
          }
          if (message == null) {
            message = new ByteArrayOutputStream();
          }
          message.write(payload);
          if (message.size() > MAX_MESSAGE_BYTES) {
            conn.close(1009, "message too big");
            return;
          }
          if (fin) {
            String text = message.toString(StandardCharsets.UTF_8);
            message = null;
            deliver(conn, text);
          }
        }
        case OP_PING -> conn.writeFrame(OP_PONG, payload);
        case OP_PONG -> { }
        case OP_CLOSE -> {
          // answer with the same status code, then end the connection
          conn.writeFrame(OP_CLOSE, payload.length >= 2 ? new byte[] {payload[0], payload[1]}
              : new byte[0]);
          return;
        }
        case OP_BINARY -> {
          conn.close(1003, "only text messages are supported");
          return;
        }
        default -> {
          conn.close(1002, "unknown opcode " + opcode);
          return;
        }
      }
    }
  }

  private void deliver(Connection conn, String text) {
    try {
      handler.onMessage(conn, text);
    } catch (RuntimeException e) {
      // a bug in the test's handler: fail the client's call at once instead of leaving it
      // waiting for an answer that will never come
      e.printStackTrace();
      conn.close(1011, "handler failed: " + e);
    }
  }

  /** One client connection. */
  static final class Connection {
    private final Socket socket;
    private final OutputStream out; // guarded by itself
    volatile boolean open = true;

    private Connection(Socket socket, OutputStream out) {
      this.socket = socket;
      this.out = out;
    }

    boolean isOpen() {
      return open;
    }

    /**
     * Writes one text frame; when this returns the frame is in the socket. A connection that
     * is already gone loses the message silently, as a real node's would.
     */
    void send(String text) {
      writeFrame(OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Closes the TCP connection without a close frame: the client sees an abnormal close. */
    void drop() {
      open = false;
      try {
        socket.close();
      } catch (IOException e) {
        // closed anyway
      }
    }

    /** Sends a close frame with {@code code} and {@code reason}, then closes the socket. */
    void close(int code, String reason) {
      byte[] text = reason.getBytes(StandardCharsets.UTF_8);
      byte[] payload = new byte[2 + Math.min(text.length, 123)];
      payload[0] = (byte) (code >>> 8);
      payload[1] = (byte) code;
      System.arraycopy(text, 0, payload, 2, payload.length - 2);
      writeFrame(OP_CLOSE, payload);
      drop();
    }

    private void writeFrame(int opcode, byte[] payload) {
      int headerLength = payload.length < 126 ? 2 : payload.length < 65536 ? 4 : 10;
      byte[] frame = new byte[headerLength + payload.length];
      frame[0] = (byte) (0x80 | opcode);
      if (payload.length < 126) {
        frame[1] = (byte) payload.length;
      } else if (payload.length < 65536) {
        frame[1] = 126;
        frame[2] = (byte) (payload.length >>> 8);
        frame[3] = (byte) payload.length;
      } else {
        frame[1] = 127;
        for (int i = 0; i < 8; i++) {
          frame[2 + i] = (byte) ((long) payload.length >>> (56 - 8 * i));
        }
      }
      System.arraycopy(payload, 0, frame, headerLength, payload.length);
      try {
        writeRaw(frame);
      } catch (IOException e) {
        drop(); // the reading thread sees the closed socket and cleans up
      }
    }

    private void writeRaw(byte[] bytes) throws IOException {
      if (!open) {
        return;
      }
      synchronized (out) {
        out.write(bytes);
        out.flush();
      }
    }
  }
}
