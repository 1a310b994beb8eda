package io.rmb.peer.substrate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One node endpoint. Futures fail with {@link RpcTransportException} when the node could not
 * be reached or the connection dropped (the client then tries the next URL), with
 * {@link RpcTimeoutException}, {@link RpcException} or {@link RpcProtocolException} otherwise.
 * Futures may complete on an I/O thread; the client moves completion elsewhere.
 */
interface RpcTransport {
  /** The endpoint URL. */
  String url();

  /** False once the connection is known to be gone. */
  boolean isOpen();

  /** Sends one request and completes with its result. */
  CompletableFuture<JsonNode> request(String method, List<?> params);

  /** Subscribes; the listener is registered before any notification can arrive. */
  CompletableFuture<Subscription> subscribe(String method, List<?> params,
      String unsubscribeMethod, SubscriptionListener listener);

  /** Closes the connection; pending requests and subscriptions fail. */
  void close();
}
