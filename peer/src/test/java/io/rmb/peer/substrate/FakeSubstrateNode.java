package io.rmb.peer.substrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.rmb.peer.substrate.BlockingWebSocketServer.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Substrate node for tests: JSON-RPC over WebSocket (and HTTP POST) on 127.0.0.1,
 * answering from an in-memory storage map. It serves {@code state_getStorage},
 * {@code chain_getBlockHash}, {@code state_getRuntimeVersion}, {@code system_accountNextIndex},
 * {@code state_subscribeStorage} (with change notifications on {@link #put}) and
 * {@code author_submitAndWatchExtrinsic}, which hands the extrinsic to an
 * {@link ExtrinsicHandler} (the chain's logic: decode, check the signature, return the effect)
 * and then reports {@code ready}, {@code inBlock} and {@code finalized}.
 *
 * <p>The WebSocket side is a {@link BlockingWebSocketServer}: each answer is written before the
 * handler returns, and a request's answer always precedes the notifications it announces.
 */
public final class FakeSubstrateNode implements AutoCloseable {
  /** Decides what a submitted extrinsic does; throws {@link Rejected} to refuse it. */
  @FunctionalInterface
  public interface ExtrinsicHandler {
    /** Validates {@code extrinsic} and returns its effect, applied when it is included. */
    Runnable validate(FakeSubstrateNode node, byte[] extrinsic);
  }

  /** Refusal of an extrinsic; the node answers error 1010 "Invalid Transaction". */
  public static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Rejected(String reason) {
      super(reason);
    }
  }

  /** What the node does after accepting an extrinsic into its pool. */
  public enum Finality { FINALIZE, NEVER_FINALIZE, DROP }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Map<String, byte[]> storage = new ConcurrentHashMap<>();
  private final Map<String, Long> nonces = new ConcurrentHashMap<>();
  private final Map<String, StorageSub> storageSubs = new ConcurrentHashMap<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Set<String> silentMethods = ConcurrentHashMap.newKeySet();
  private final AtomicInteger subscriptionIds = new AtomicInteger();
  private final AtomicInteger blocks = new AtomicInteger();
  private final List<byte[]> submitted = new CopyOnWriteArrayList<>();
  private final BlockingWebSocketServer ws;
  private HttpServer http;
  private volatile byte[] genesis = filled(32, 0x01);
  private volatile long specVersion = 149;
  private volatile long transactionVersion = 2;
  private volatile Finality finality = Finality.FINALIZE;
  private volatile ExtrinsicHandler handler = (node, extrinsic) -> {
    throw new Rejected("no extrinsic handler installed");
  };

  private FakeSubstrateNode() throws IOException {
    ws = BlockingWebSocketServer.start(new BlockingWebSocketServer.Handler() {
      @Override
      public void onMessage(Connection conn, String message) {
        FakeSubstrateNode.this.onMessage(conn, message);
      }

      @Override
      public void onClose(Connection conn) {
        storageSubs.values().removeIf(sub -> sub.conn == conn);
      }
    });
  }

  /** Starts the WebSocket and HTTP endpoints on free ports, both listening on return. */
  public static FakeSubstrateNode start() throws Exception {
    FakeSubstrateNode node = new FakeSubstrateNode();
    node.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    node.http.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        JsonNode request = JSON.readTree(in.readAllBytes());
        JsonNode response = node.handle(request, null);
        if (response == null) {
          return; // silent method: the exchange closes without an answer
        }
        byte[] body = response.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      } catch (IOException e) {
        exchange.sendResponseHeaders(500, -1);
      } finally {
        exchange.close();
      }
    });
    node.http.start();
    return node;
  }

  public String wsUrl() {
    return "ws://127.0.0.1:" + ws.port();
  }

  public String httpUrl() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  public void handler(ExtrinsicHandler handler) {
    this.handler = handler;
  }

  public void finality(Finality finality) {
    this.finality = finality;
  }

  public void specVersion(long specVersion) {
    this.specVersion = specVersion;
  }

  public long specVersion() {
    return specVersion;
  }

  public long transactionVersion() {
    return transactionVersion;
  }

  public byte[] genesis() {
    return genesis.clone();
  }

  /** Methods the node receives but never answers. */
  public void silence(String method) {
    silentMethods.add(method);
  }

  public long nonce(String ss58) {
    return nonces.getOrDefault(ss58, 0L);
  }

  public void nonce(String ss58, long nonce) {
    nonces.put(ss58, nonce);
  }

  public byte[] get(byte[] key) {
    return storage.get(HexBytes.encode(key));
  }

  /** Stores {@code value} (null removes) and notifies storage subscribers of the key. */
  public void put(byte[] key, byte[] value) {
    String hexKey = HexBytes.encode(key);
    if (value == null) {
      storage.remove(hexKey);
    } else {
      storage.put(hexKey, value.clone());
    }
    String block = blockHash();
    for (StorageSub sub : storageSubs.values()) {
      if (sub.keys.contains(hexKey)) {
        notify(sub.conn, "state_storage", sub.id, changeSet(block, List.of(hexKey)));
      }
    }
  }

  /** The method names received so far, in order. */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  /** Number of {@code author_submitAndWatchExtrinsic} calls. */
  public int submissions() {
    return submitted.size();
  }

  /** Number of active storage subscriptions. */
  public int storageSubscriptions() {
    return storageSubs.size();
  }

  /**
   * Drops every WebSocket connection without a close handshake (the server keeps accepting
   * new ones).
   */
  public void dropConnections() {
    for (Connection conn : ws.connections()) {
      conn.drop();
    }
  }

  @Override
  public void close() throws Exception {
    ws.close();
    if (http != null) {
      http.stop(0);
    }
  }

  private void onMessage(Connection conn, String message) {
    JsonNode request;
    try {
      request = JSON.readTree(message);
    } catch (IOException e) {
      conn.send("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
          + "\"message\":\"Parse error\"}}");
      return;
    }
    JsonNode response = handle(request, conn);
    if (response != null) {
      conn.send(response.toString());
    }
  }

  private JsonNode handle(JsonNode request, Connection conn) {
    String method = request.path("method").asText();
    JsonNode id = request.get("id");
    JsonNode params = request.path("params");
    calls.add(method);
    if (silentMethods.contains(method)) {
      return null;
    }
    List<Runnable> after = new ArrayList<>();
    JsonNode result;
    try {
      result = dispatch(method, params, conn, after);
    } catch (RpcError e) {
      ObjectNode response = NODES.objectNode().put("jsonrpc", "2.0");
      response.set("id", id);
      ObjectNode error = response.putObject("error").put("code", e.code)
          .put("message", e.getMessage());
      if (e.data != null) {
        error.put("data", e.data);
      }
      return response;
    }
    ObjectNode response = NODES.objectNode().put("jsonrpc", "2.0");
    response.set("id", id);
    response.set("result", result);
    if (conn != null) {
      // the answer must reach the client before the notifications it announces
      conn.send(response.toString());
      after.forEach(Runnable::run);
      return null;
    }
    return response;
  }

  private JsonNode dispatch(String method, JsonNode params, Connection conn, List<Runnable> after) {
    switch (method) {
      case "state_getStorage": {
        byte[] value = storage.get(params.path(0).asText().toLowerCase());
        return value == null ? NODES.nullNode() : NODES.textNode(HexBytes.encode(value));
      }
      case "chain_getBlockHash":
        return params.path(0).asLong(-1) == 0 ? NODES.textNode(HexBytes.encode(genesis))
            : NODES.nullNode();
      case "state_getRuntimeVersion":
        return NODES.objectNode().put("specName", "substrate-threefold")
            .put("implName", "substrate-threefold").put("authoringVersion", 1)
            .put("specVersion", specVersion).put("implVersion", 0)
            .put("transactionVersion", transactionVersion).put("stateVersion", 0);
      case "system_accountNextIndex":
        return NODES.numberNode(nonce(params.path(0).asText()));
      case "state_subscribeStorage": {
        requireWebSocket(conn, method);
        String subId = "s" + subscriptionIds.incrementAndGet();
        List<String> keys = new ArrayList<>();
        params.path(0).forEach(key -> keys.add(key.asText().toLowerCase()));
        storageSubs.put(subId, new StorageSub(subId, conn, Set.copyOf(keys)));
        // like a real node: the current values first
        after.add(() -> notify(conn, "state_storage", subId, changeSet(blockHash(), keys)));
        return NODES.textNode(subId);
      }
      case "state_unsubscribeStorage":
        return NODES.booleanNode(storageSubs.remove(params.path(0).asText()) != null);
      case "author_submitAndWatchExtrinsic":
        requireWebSocket(conn, method);
        return submit(params, conn, after);
      case "author_unwatchExtrinsic":
        return NODES.booleanNode(true);
      default:
        throw new RpcError(-32601, "Method not found", null);
    }
  }

  private JsonNode submit(JsonNode params, Connection conn, List<Runnable> after) {
    byte[] extrinsic;
    try {
      extrinsic = HexBytes.decode(params.path(0).asText(null), "extrinsic");
    } catch (RpcProtocolException e) {
      throw new RpcError(-32602, "Invalid params", e.getMessage());
    }
    submitted.add(extrinsic);
    Runnable effect;
    try {
      effect = handler.validate(this, extrinsic);
    } catch (Rejected e) {
      throw new RpcError(1010, "Invalid Transaction", e.getMessage());
    }
    String subId = "x" + subscriptionIds.incrementAndGet();
    Finality mode = finality;
    after.add(() -> {
      notify(conn, "author_extrinsicUpdate", subId, NODES.textNode("ready"));
      if (mode == Finality.DROP) {
        notify(conn, "author_extrinsicUpdate", subId, NODES.textNode("dropped"));
      } else if (mode == Finality.FINALIZE) {
        effect.run();
        String block = blockHash();
        notify(conn, "author_extrinsicUpdate", subId, NODES.objectNode().put("inBlock", block));
        notify(conn, "author_extrinsicUpdate", subId, NODES.objectNode().put("finalized", block));
      }
    });
    return NODES.textNode(subId);
  }

  private JsonNode changeSet(String block, List<String> keys) {
    ObjectNode result = NODES.objectNode().put("block", block);
    ArrayNode changes = result.putArray("changes");
    for (String key : keys) {
      byte[] value = storage.get(key);
      ArrayNode change = changes.addArray().add(key);
      if (value == null) {
        change.addNull();
      } else {
        change.add(HexBytes.encode(value));
      }
    }
    return result;
  }

  /** Sends a subscription notification; lost if the connection is gone, as a real node's. */
  private static void notify(Connection conn, String method, String subId, JsonNode result) {
    ObjectNode message = NODES.objectNode().put("jsonrpc", "2.0").put("method", method);
    ObjectNode params = message.putObject("params").put("subscription", subId);
    params.set("result", result);
    conn.send(message.toString());
  }

  private String blockHash() {
    byte[] hash = new byte[32];
    int n = blocks.incrementAndGet();
    hash[28] = (byte) (n >>> 24);
    hash[29] = (byte) (n >>> 16);
    hash[30] = (byte) (n >>> 8);
    hash[31] = (byte) n;
    return HexBytes.encode(hash);
  }

  private static void requireWebSocket(Connection conn, String method) {
    if (conn == null) {
      throw new RpcError(-32601, method + " needs a WebSocket", null);
    }
  }

  public static byte[] filled(int length, int value) {
    byte[] out = new byte[length];
    Arrays.fill(out, (byte) value);
    return out;
  }

  private record StorageSub(String id, Connection conn, Set<String> keys) {}

  private static final class RpcError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;
    final String data;

    RpcError(int code, String message, String data) {
      super(message);
      this.code = code;
      this.data = data;
    }
  }
}
