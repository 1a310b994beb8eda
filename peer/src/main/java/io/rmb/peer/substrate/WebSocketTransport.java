package io.rmb.peer.substrate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection to a node (Java-WebSocket client): requests matched to answers by
 * id, per-request timeouts, and subscription notifications routed by subscription id.
 *
 * <p>Answers are handled on the socket's reading thread; the listener of a subscription is
 * registered there, before the answer is released, so no notification can overtake it.
 */
final class WebSocketTransport implements RpcTransport {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketTransport.class);

  private final URI uri;
  private final Duration callTimeout;
  private final ScheduledExecutorService scheduler;
  private final Executor callbacks;
  private final AtomicLong ids;
  private final CompletableFuture<RpcTransport> opened = new CompletableFuture<>();
  private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, WsSubscription> subscriptions =
      new ConcurrentHashMap<>();
  private volatile RpcTransportException closedBecause;
  private volatile Exception lastError;
  private final Client client;

  private WebSocketTransport(URI uri, Duration connectTimeout, Duration callTimeout,
      ScheduledExecutorService scheduler, Executor callbacks, AtomicLong ids) {
    this.client = new Client(uri, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
    this.uri = uri;
    this.callTimeout = callTimeout;
    this.scheduler = scheduler;
    this.callbacks = callbacks;
    this.ids = ids;
  }

  /**
   * Starts connecting; {@link #opened()} fails with {@link RpcTransportException} after
   * {@code connectTimeout}. {@link #close()} aborts a connection still in progress.
   */
  static WebSocketTransport connect(URI uri, Duration connectTimeout, Duration callTimeout,
      ScheduledExecutorService scheduler, Executor callbacks, AtomicLong ids) {
    WebSocketTransport transport =
        new WebSocketTransport(uri, connectTimeout, callTimeout, scheduler, callbacks, ids);
    transport.connect(connectTimeout);
    return transport;
  }

  /** Completes with this transport once the WebSocket handshake is done. */
  CompletableFuture<RpcTransport> opened() {
    return opened;
  }

  private void connect(Duration timeout) {
    client.setDaemon(true);
    client.setTcpNoDelay(true);
    client.connect();
    ScheduledFuture<?> guard = scheduler.schedule(() -> {
      if (!opened.isDone()) {
        // covers a TCP connection whose WebSocket (or TLS) handshake never completes
        fail(new RpcTransportException("could not connect to " + uri + " within "
            + timeout.toMillis() + " ms"), true);
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    opened.whenComplete((t, e) -> guard.cancel(false));
  }

  @Override
  public String url() {
    return uri.toString();
  }

  @Override
  public boolean isOpen() {
    return closedBecause == null && client.isOpen();
  }

  @Override
  public CompletableFuture<JsonNode> request(String method, List<?> params) {
    return send(method, params, null);
  }

  @Override
  public CompletableFuture<Subscription> subscribe(String method, List<?> params,
      String unsubscribeMethod, SubscriptionListener listener) {
    WsSubscription[] created = new WsSubscription[1];
    return send(method, params, result -> {
      // runs on the reading thread, before the answer is released and before the next message
      if (!(result.isTextual() || result.isIntegralNumber())) {
        throw new RpcProtocolException(method + ": subscription id must be a string or number,"
            + " got " + result);
      }
      WsSubscription sub = new WsSubscription(result.asText(), unsubscribeMethod, listener);
      subscriptions.put(sub.id, sub);
      created[0] = sub;
    }).thenApply(result -> created[0]);
  }

  @Override
  public void close() {
    fail(new RpcTransportException("connection to " + uri + " closed by the client"), true);
  }

  private CompletableFuture<JsonNode> send(String method, List<?> params,
      Consumer<JsonNode> onResult) {
    CompletableFuture<JsonNode> future = new CompletableFuture<>();
    RpcTransportException closed = closedBecause;
    if (closed != null) {
      future.completeExceptionally(closed);
      return future;
    }
    long id = ids.incrementAndGet();
    String text = JsonRpc.request(id, method, params);
    Pending entry = new Pending(method, future, onResult);
    pending.put(id, entry);
    ScheduledFuture<?> timer;
    try {
      timer = scheduler.schedule(() -> {
        if (pending.remove(id, entry)) {
          future.completeExceptionally(new RpcTimeoutException(method + ": no answer from " + uri
              + " within " + callTimeout.toMillis() + " ms"));
        }
      }, callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the client closed between our check and now
      pending.remove(id, entry);
      future.completeExceptionally(new RpcTransportException("the client is closed", e));
      return future;
    }
    future.whenComplete((r, e) -> timer.cancel(false));
    try {
      client.send(text);
    } catch (WebsocketNotConnectedException e) {
      if (pending.remove(id, entry)) {
        RpcTransportException cause = closedBecause;
        future.completeExceptionally(cause != null ? cause
            : new RpcTransportException("connection to " + uri + " is not open", e));
      }
    }
    return future;
  }

  private void onText(String text) {
    JsonNode message = JsonRpc.parse(text);
    if (message == null) {
      LOG.warn("ignoring a message from {} that is not a JSON object: {}", uri,
          text.length() > 200 ? text.substring(0, 200) + "..." : text);
      return;
    }
    JsonNode id = message.get("id");
    if (id != null && !id.isNull()) {
      Pending entry = id.canConvertToLong() ? pending.remove(id.asLong()) : null;
      if (entry == null) {
        LOG.debug("ignoring an answer from {} to unknown or timed-out request {}", uri, id);
        return;
      }
      try {
        JsonNode result = JsonRpc.result(entry.method, message);
        if (entry.onResult != null) {
          entry.onResult.accept(result);
        }
        entry.future.complete(result);
      } catch (SubstrateException e) {
        entry.future.completeExceptionally(e);
      }
      return;
    }
    JsonNode params = message.get("params");
    JsonNode subscription = params == null ? null : params.get("subscription");
    if (subscription == null) {
      LOG.debug("ignoring a message from {} that is neither answer nor notification", uri);
      return;
    }
    WsSubscription sub = subscriptions.get(subscription.asText());
    if (sub == null) {
      LOG.debug("ignoring a notification from {} for unknown subscription {}", uri,
          subscription);
      return;
    }
    sub.deliver(params.path("result"));
  }

  /** Marks the connection dead and fails everything waiting on it, once. */
  private void fail(RpcTransportException cause, boolean closeSocket) {
    synchronized (this) {
      if (closedBecause != null) {
        return;
      }
      closedBecause = cause;
    }
    opened.completeExceptionally(cause);
    for (Long id : List.copyOf(pending.keySet())) {
      Pending entry = pending.remove(id);
      if (entry != null) {
        entry.future.completeExceptionally(cause);
      }
    }
    for (WsSubscription sub : List.copyOf(subscriptions.values())) {
      sub.terminate(cause);
    }
    if (closeSocket) {
      client.closeConnection(CloseFrame.NORMAL, cause.getMessage());
      try {
        // unblocks a reading thread still waiting for a handshake that will never come
        Socket raw = client.getSocket();
        if (raw != null) {
          raw.close();
        }
      } catch (IOException e) {
        LOG.debug("closing the socket to {} failed: {}", uri, e.toString());
      }
    }
  }

  private record Pending(String method, CompletableFuture<JsonNode> future,
      Consumer<JsonNode> onResult) {}

  private final class Client extends WebSocketClient {
    Client(URI target, int connectTimeoutMillis) {
      // the timeout bounds the TCP connect; a guard timer bounds the handshakes as well
      super(target, new Draft_6455(), Map.of(), connectTimeoutMillis);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
      LOG.debug("connected to {}", uri);
      opened.complete(WebSocketTransport.this);
    }

    @Override
    public void onMessage(String message) {
      onText(message);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      Exception error = lastError;
      String why = error != null ? error.toString()
          : "code " + code + (reason == null || reason.isEmpty() ? "" : " " + reason);
      String what = opened.isDone() ? "connection to " + uri + " lost: "
          : "could not connect to " + uri + ": ";
      fail(new RpcTransportException(what + why, error), false);
    }

    @Override
    public void onError(Exception ex) {
      lastError = ex;
      LOG.debug("WebSocket error on {}: {}", uri, ex.toString());
    }
  }

  private final class WsSubscription implements Subscription {
    final String id;
    final String unsubscribeMethod;
    final SubscriptionListener listener;
    final SerialExecutor executor = new SerialExecutor(callbacks);
    final AtomicBoolean active = new AtomicBoolean(true);

    WsSubscription(String id, String unsubscribeMethod, SubscriptionListener listener) {
      this.id = id;
      this.unsubscribeMethod = unsubscribeMethod;
      this.listener = listener;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public boolean isActive() {
      return active.get();
    }

    @Override
    public CompletableFuture<Void> unsubscribe() {
      if (!active.compareAndSet(true, false)) {
        return CompletableFuture.completedFuture(null);
      }
      subscriptions.remove(id, this);
      return send(unsubscribeMethod, List.of(id), null).handle((r, e) -> {
        if (e != null) {
          LOG.debug("{} {} on {} failed: {}", unsubscribeMethod, id, uri, e.toString());
        }
        return null;
      });
    }

    void deliver(JsonNode result) {
      executor.execute(() -> {
        if (active.get()) {
          listener.onNotification(result);
        }
      });
    }

    void terminate(SubstrateException cause) {
      if (active.compareAndSet(true, false)) {
        subscriptions.remove(id, this);
        executor.execute(() -> listener.onTerminated(cause));
      }
    }
  }
}
