package io.rmb.peer.substrate;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An asynchronous Substrate JSON-RPC client over WebSocket or HTTP, with several node URLs.
 *
 * <p>It connects on demand and keeps one connection at a time. When a node cannot be reached
 * or the connection drops, the call moves on to the next URL (round robin); after
 * {@link SubstrateClientOptions#maxAttempts()} failed attempts (by default {@code 2 x urls})
 * it fails with an {@link RpcTransportException} naming each URL's last failure. Errors the
 * node returns ({@link RpcException}), timeouts ({@link RpcTimeoutException}) and malformed
 * answers ({@link RpcProtocolException}) are not retried.
 *
 * <p>Every method returns at once; futures complete on the options' callback executor, never
 * on a socket thread. Thread-safe. Close it to release the connection and its timer thread.
 *
 * <pre>{@code
 * try (SubstrateClient client = SubstrateClient.create(
 *     SubstrateClientOptions.of("wss://tfchain.grid.tf:443", "wss://tfchain.test.grid.tf:443"))) {
 *   JsonNode version = client.call("state_getRuntimeVersion").get();
 * }
 * }</pre>
 */
public final class SubstrateClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SubstrateClient.class);

  private final SubstrateClientOptions options;
  private final List<URI> urls;
  private final ScheduledExecutorService scheduler;
  private final HttpClient http;
  private final AtomicLong ids = new AtomicLong();
  private final Object lock = new Object();
  private int nextUrl; // guarded by lock
  private int currentUrl; // guarded by lock
  private CompletableFuture<RpcTransport> current; // guarded by lock
  private RpcTransport currentTransport; // guarded by lock; set while connecting too
  private volatile boolean closed;

  private SubstrateClient(SubstrateClientOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.urls = options.urls();
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "substrate-rpc-timer");
      thread.setDaemon(true);
      return thread;
    });
    timer.setRemoveOnCancelPolicy(true); // answered calls must not keep their timeout task
    this.scheduler = timer;
    this.http = options.webSocket() ? null
        : HttpClient.newBuilder().connectTimeout(options.connectTimeout()).build();
  }

  /** A client for {@code options}; no connection is made until the first call. */
  public static SubstrateClient create(SubstrateClientOptions options) {
    return new SubstrateClient(options);
  }

  /** A client with default options for these URLs. */
  public static SubstrateClient create(String... urls) {
    return create(SubstrateClientOptions.of(urls));
  }

  /** The settings of this client. */
  public SubstrateClientOptions options() {
    return options;
  }

  /** Calls {@code method} with positional {@code params}; completes with its {@code result}. */
  public CompletableFuture<JsonNode> call(String method, Object... params) {
    return call(method, Arrays.asList(params));
  }

  /** Calls {@code method} with positional {@code params}; completes with its {@code result}. */
  public CompletableFuture<JsonNode> call(String method, List<?> params) {
    Objects.requireNonNull(method, "method");
    List<?> copy = new ArrayList<>(params);
    return withFailover(method, transport -> transport.request(method, copy));
  }

  /**
   * Subscribes with {@code method} (e.g. {@code state_subscribeStorage}); notifications go to
   * {@code listener}. The subscription lives on the current connection: if it drops, the
   * listener's {@link SubscriptionListener#onTerminated} is called and the caller subscribes
   * again.
   *
   * @param unsubscribeMethod the method that ends it, e.g. {@code state_unsubscribeStorage}
   */
  public CompletableFuture<Subscription> subscribe(String method, List<?> params,
      String unsubscribeMethod, SubscriptionListener listener) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(unsubscribeMethod, "unsubscribeMethod");
    Objects.requireNonNull(listener, "listener");
    if (!options.webSocket()) {
      return CompletableFuture.failedFuture(new SubstrateException(method
          + ": subscriptions need ws:// or wss:// node URLs, this client uses HTTP"));
    }
    List<?> copy = new ArrayList<>(params);
    return withFailover(method,
        transport -> transport.subscribe(method, copy, unsubscribeMethod, listener));
  }

  /** The URL the client is connected (or connecting) to, or the one it will try next. */
  public String currentUrl() {
    synchronized (lock) {
      return urls.get(current != null ? currentUrl : nextUrl).toString();
    }
  }

  /** Closes the connection: pending calls fail, subscriptions terminate. Idempotent. */
  @Override
  public void close() {
    RpcTransport last;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      last = currentTransport;
      current = null;
      currentTransport = null;
    }
    if (last != null) {
      last.close(); // also aborts a connection still handshaking
    }
    scheduler.shutdownNow();
    // HttpClient has no close() before Java 21; its threads are daemons and idle out
  }

  private <T> CompletableFuture<T> withFailover(String method,
      Function<RpcTransport, CompletableFuture<T>> operation) {
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(method, operation, result, 0, new ArrayList<>());
    return result;
  }

  private <T> void attempt(String method, Function<RpcTransport, CompletableFuture<T>> operation,
      CompletableFuture<T> result, int attempt, List<String> failures) {
    if (closed) {
      deliver(result, null, new RpcTransportException(method + ": the client is closed"));
      return;
    }
    if (attempt >= options.maxAttempts()) {
      deliver(result, null, new RpcTransportException(method + ": no node answered after "
          + attempt + " attempt" + (attempt == 1 ? "" : "s") + " (" + String.join("; ", failures)
          + ")"));
      return;
    }
    CompletableFuture<RpcTransport> connection = transport();
    connection.thenCompose(operation).whenComplete((value, error) -> {
      if (error == null) {
        deliver(result, value, null);
        return;
      }
      Throwable cause = unwrap(error);
      if (cause instanceof RpcTransportException && !closed) {
        failures.add(cause.getMessage());
        LOG.debug("{} failed on attempt {}: {}", method, attempt + 1, cause.getMessage());
        dropIfCurrent(connection);
        attempt(method, operation, result, attempt + 1, failures);
      } else {
        deliver(result, null, cause);
      }
    });
  }

  /** The live connection, or a new one to the next URL. */
  private CompletableFuture<RpcTransport> transport() {
    RpcTransport dead = null;
    CompletableFuture<RpcTransport> connection;
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new RpcTransportException("the client is closed"));
      }
      if (current != null) {
        if (!current.isDone()
            || (!current.isCompletedExceptionally() && current.join().isOpen())) {
          return current;
        }
        dead = currentTransport;
        nextUrl = (currentUrl + 1) % urls.size(); // the connection died: move on
      }
      currentUrl = nextUrl;
      URI uri = urls.get(currentUrl);
      if (http != null) {
        currentTransport = new HttpTransport(uri, http, options.callTimeout(), ids);
        current = CompletableFuture.completedFuture(currentTransport);
      } else {
        WebSocketTransport ws = WebSocketTransport.connect(uri, options.connectTimeout(),
            options.callTimeout(), scheduler, options.callbackExecutor(), ids);
        currentTransport = ws;
        current = ws.opened();
      }
      connection = current;
    }
    if (dead != null) {
      // outside the lock: closing fails pending calls, whose retries come back here
      dead.close();
    }
    return connection;
  }

  /** After a transport failure: the next call uses the next URL. */
  private void dropIfCurrent(CompletableFuture<RpcTransport> connection) {
    RpcTransport dropped = null;
    synchronized (lock) {
      if (current == connection) {
        dropped = currentTransport;
        current = null;
        currentTransport = null;
        nextUrl = (currentUrl + 1) % urls.size();
      }
    }
    if (dropped != null) {
      dropped.close();
    }
  }

  private <T> void deliver(CompletableFuture<T> result, T value, Throwable error) {
    Runnable completion = error == null
        ? () -> result.complete(value)
        : () -> result.completeExceptionally(error);
    try {
      options.callbackExecutor().execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run();
    }
  }

  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
