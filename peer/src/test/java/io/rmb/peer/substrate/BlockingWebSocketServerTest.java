package io.rmb.peer.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rmb.peer.substrate.BlockingWebSocketServer.Connection;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.enums.Opcode;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The test WebSocket server against Java-WebSocket's client, the one SubstrateClient uses. */
class BlockingWebSocketServerTest {
  BlockingWebSocketServer server;
  Client client;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.closeConnection(1000, "test over");
    }
    if (server != null) {
      server.close();
    }
  }

  /** A client that records what it receives. */
  static final class Client extends WebSocketClient {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<String> closes = new LinkedBlockingQueue<>();
    final CountDownLatch pong = new CountDownLatch(1);
    volatile BiConsumer<Client, String> onMessage = (c, m) -> { };

    Client(int port) throws Exception {
      super(new URI("ws://127.0.0.1:" + port));
      setDaemon(true);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {
      messages.add(message);
      onMessage.accept(this, message);
    }

    @Override
    public void onWebsocketPong(WebSocket conn, Framedata f) {
      pong.countDown();
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      closes.add(code + " " + reason);
    }

    @Override
    public void onError(Exception ex) {}
  }

  Client connect(BlockingWebSocketServer.Handler handler) throws Exception {
    server = BlockingWebSocketServer.start(handler);
    client = new Client(server.port());
    assertThat(client.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
    return client;
  }

  static String next(BlockingQueue<String> queue) throws InterruptedException {
    return queue.poll(10, TimeUnit.SECONDS);
  }

  @Test
  void echoesTextMessagesOfEveryLengthEncoding() throws Exception {
    connect((conn, text) -> conn.send("re:" + text));
    for (int length : new int[] {0, 125, 126, 65_535, 65_536, 200_000}) {
      String text = "x".repeat(length);
      client.send(text);
      assertThat(next(client.messages)).isEqualTo("re:" + text);
    }
    client.send("grüße"); // UTF-8 both ways
    assertThat(next(client.messages)).isEqualTo("re:grüße");
  }

  @Test
  void reassemblesAFragmentedMessage() throws Exception {
    connect((conn, text) -> conn.send("re:" + text));
    client.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap("ab".getBytes(StandardCharsets.UTF_8)),
        false);
    client.sendPing(); // control frames may come between fragments
    client.sendFragmentedFrame(Opcode.TEXT, // sent as a continuation frame
        ByteBuffer.wrap("cd".getBytes(StandardCharsets.UTF_8)), true);
    assertThat(next(client.messages)).isEqualTo("re:abcd");
    assertThat(client.pong.await(10, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * The property the fake node relies on: send() puts the frame in the socket itself, so an
   * answer needs no other server thread to reach the client. Here the handler thread, the only
   * one serving the connection, stays busy until the client has the answer.
   */
  @Test
  void anAnswerReachesTheClientWhileTheHandlerIsStillRunning() throws Exception {
    CountDownLatch received = new CountDownLatch(1);
    AtomicBoolean receivedWhileHandlerRan = new AtomicBoolean();
    CountDownLatch handlerDone = new CountDownLatch(1);
    connect((conn, text) -> {
      conn.send("re:" + text);
      try {
        receivedWhileHandlerRan.set(received.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      handlerDone.countDown();
    });
    client.onMessage = (c, m) -> received.countDown();
    client.send("a");
    assertThat(next(client.messages)).isEqualTo("re:a");
    assertThat(handlerDone.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(receivedWhileHandlerRan).isTrue();
  }

  /**
   * The traffic that stranded answers with Java-WebSocket's server: each request is sent the
   * moment the previous answer arrives, while the server may still be finishing that write.
   */
  @Test
  void answersEveryRequestSentTheMomentThePreviousAnswerArrives() throws Exception {
    int rounds = 2_000;
    CountDownLatch done = new CountDownLatch(1);
    connect((conn, text) -> conn.send(text));
    client.onMessage = (c, m) -> {
      int n = Integer.parseInt(m);
      if (n == rounds) {
        done.countDown();
      } else {
        c.send(Integer.toString(n + 1));
      }
    };
    client.send("1");
    assertThat(done.await(60, TimeUnit.SECONDS))
        .as("answers received: %d of %d", client.messages.size(), rounds).isTrue();
  }

  @Test
  void notificationsFromAnotherThreadInterleaveWholeFrames() throws Exception {
    BlockingQueue<Connection> opened = new LinkedBlockingQueue<>();
    connect((conn, text) -> {
      opened.add(conn);
      for (int i = 0; i < 200; i++) {
        conn.send("answer " + i + " " + "a".repeat(300));
      }
    });
    client.send("go");
    Connection conn = opened.poll(10, TimeUnit.SECONDS);
    for (int i = 0; i < 50; i++) {
      conn.send("note " + i + " " + "n".repeat(70_000)); // racing the handler's answers
    }
    int answers = 0;
    int notes = 0;
    for (int i = 0; i < 250; i++) {
      String message = next(client.messages);
      assertThat(message).matches("(answer \\d+ a{300})|(note \\d+ n{70000})");
      if (message.startsWith("answer")) {
        assertThat(message).startsWith("answer " + answers++ + " ");
      } else {
        assertThat(message).startsWith("note " + notes++ + " ");
      }
    }
  }

  @Test
  void clientCloseIsAnsweredAndReported() throws Exception {
    CountDownLatch serverSawClose = new CountDownLatch(1);
    connect(new BlockingWebSocketServer.Handler() {
      @Override
      public void onMessage(Connection conn, String text) {}

      @Override
      public void onClose(Connection conn) {
        serverSawClose.countDown();
      }
    });
    client.closeBlocking();
    assertThat(next(client.closes)).startsWith("1000");
    assertThat(serverSawClose.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(server.connections()).isEmpty();
  }

  @Test
  void droppedConnectionClosesAbnormally() throws Exception {
    connect((conn, text) -> conn.drop());
    client.send("drop me");
    assertThat(next(client.closes)).startsWith("1006");
  }

  @Test
  void closingTheServerSaysGoingAway() throws Exception {
    connect((conn, text) -> { });
    List<Connection> connections = waitForConnections(1);
    server.close();
    assertThat(next(client.closes)).isEqualTo("1001 going away");
    assertThat(connections.get(0).isOpen()).isFalse();
  }

  @Test
  void aFailingHandlerClosesTheConnectionInsteadOfLeavingTheClientWaiting() throws Exception {
    connect((conn, text) -> {
      throw new IllegalStateException("test handler bug (expected stack trace)");
    });
    client.send("boom");
    assertThat(next(client.closes)).startsWith("1011 handler failed");
  }

  @Test
  void refusesAPlainHttpRequest() throws Exception {
    server = BlockingWebSocketServer.start((conn, text) -> { });
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
          .startsWith("HTTP/1.1 400 ");
    }
    assertThat(server.connections()).isEmpty();
  }

  @Test
  void acceptKeyMatchesTheRfcExample() {
    // RFC 6455, section 1.3
    assertThat(BlockingWebSocketServer.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="))
        .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  }

  List<Connection> waitForConnections(int count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> server.connections().size() == count);
    return server.connections();
  }
}
