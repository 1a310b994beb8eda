package io.rmb.streams.avro;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A STAND-IN for Apicurio Registry 2.6, not the real registry: the handful of its v2 REST
 * endpoints the 2.6 serdes call (create an artifact, read content and references by content
 * id), in memory on loopback. Content ids start at 1 and are shared by equal content, as in the
 * registry. Used because the real registry (a Quarkus application) could not be started here
 * in the time available; see docs/streams.md.
 */
public final class StandInRegistry implements AutoCloseable {
  private final ObjectMapper mapper = new ObjectMapper();
  private final HttpServer server;
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, Long> idsByContent = new ConcurrentHashMap<>();
  private final Map<Long, String> contentById = new ConcurrentHashMap<>();
  /** Artifact ids (subjects) registered, in order. */
  public final List<String> artifacts = new CopyOnWriteArrayList<>();
  /** Requests it could not answer, for failure messages. */
  public final List<String> unhandled = new CopyOnWriteArrayList<>();

  public StandInRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/apis/registry/v2/", this::handle);
    server.start();
  }

  /** The serdes' {@code apicurio.registry.url}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/registry/v2";
  }

  /** The content id of {@code schema} as registered, if it is. */
  public Long contentIdOf(String schema) {
    return idsByContent.get(schema);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath().substring("/apis/registry/v2/".length());
    String[] parts = path.split("/");
    byte[] body = exchange.getRequestBody().readAllBytes();
    try {
      if (exchange.getRequestMethod().equals("POST") && parts.length == 3
          && parts[0].equals("groups") && parts[2].equals("artifacts")) {
        create(exchange, parts[1], body);
      } else if (exchange.getRequestMethod().equals("GET") && parts.length >= 3
          && parts[0].equals("ids") && parts[1].equals("contentIds")) {
        String content = contentById.get(Long.parseLong(parts[2]));
        if (content == null) {
          error(exchange, 404, "No content with id " + parts[2]);
        } else if (parts.length == 4 && parts[3].equals("references")) {
          send(exchange, 200, "[]");
        } else {
          send(exchange, 200, content);
        }
      } else {
        unhandled.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
        error(exchange, 404, "not in the stand-in: " + path);
      }
    } catch (RuntimeException e) {
      error(exchange, 500, e.toString());
    }
  }

  private void create(HttpExchange exchange, String group, byte[] body) throws IOException {
    String content = new String(body, StandardCharsets.UTF_8);
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type != null && type.contains("create.extended")) {
      content = mapper.readTree(body).get("content").asText(); // {content, references}
    }
    String artifactId = exchange.getRequestHeaders().getFirst("X-Registry-ArtifactId");
    String canonical = mapper.readTree(content).toString();
    long id = idsByContent.computeIfAbsent(canonical, c -> {
      long next = ids.incrementAndGet();
      contentById.put(next, c);
      return next;
    });
    artifacts.add(artifactId);
    ObjectNode meta = mapper.createObjectNode();
    meta.put("groupId", group);
    meta.put("id", artifactId);
    meta.put("version", "1");
    meta.put("type", "AVRO");
    meta.put("state", "ENABLED");
    meta.put("globalId", id);
    meta.put("contentId", id);
    meta.put("createdOn", "2026-01-01T00:00:00+0000"); // the registry's date format
    meta.put("modifiedOn", "2026-01-01T00:00:00+0000");
    send(exchange, 200, meta.toString());
  }

  private void error(HttpExchange exchange, int status, String message) throws IOException {
    ObjectNode error = mapper.createObjectNode();
    error.put("error_code", status);
    error.put("message", message);
    error.put("name", status == 404 ? "ContentNotFoundException" : "RuntimeException");
    send(exchange, status, error.toString());
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

}
