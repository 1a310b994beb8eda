package io.rmb.peer.substrate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JSON-RPC over HTTP POST (java.net.http): one request per call, no subscriptions. A refused
 * or timed-out connection, or a 5xx answer that is not JSON-RPC, counts as a transport
 * failure so the client moves on to the next URL.
 */
final class HttpTransport implements RpcTransport {
  private final URI uri;
  private final HttpClient http;
  private final Duration callTimeout;
  private final AtomicLong ids;

  HttpTransport(URI uri, HttpClient http, Duration callTimeout, AtomicLong ids) {
    this.uri = uri;
    this.http = http;
    this.callTimeout = callTimeout;
    this.ids = ids;
  }

  @Override
  public String url() {
    return uri.toString();
  }

  @Override
  public boolean isOpen() {
    return true; // no connection state of our own; HttpClient pools connections
  }

  @Override
  public CompletableFuture<JsonNode> request(String method, List<?> params) {
    String body = JsonRpc.request(ids.incrementAndGet(), method, params);
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(callTimeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .handle((response, error) -> {
          if (error != null) {
            throw new CompletionException(translate(method, error));
          }
          return answer(method, response);
        });
  }

  @Override
  public CompletableFuture<Subscription> subscribe(String method, List<?> params,
      String unsubscribeMethod, SubscriptionListener listener) {
    return CompletableFuture.failedFuture(new SubstrateException(method
        + ": subscriptions need a ws:// or wss:// URL, " + uri + " is HTTP"));
  }

  @Override
  public void close() {
    // nothing to release: the HttpClient belongs to the SubstrateClient
  }

  private JsonNode answer(String method, HttpResponse<String> response) {
    JsonNode message = JsonRpc.parse(response.body());
    if (message == null) {
      String problem = method + ": HTTP " + response.statusCode() + " from " + uri
          + " is not a JSON-RPC answer";
      if (response.statusCode() >= 500 || response.statusCode() == 429) {
        throw new RpcTransportException(problem);
      }
      throw new RpcProtocolException(problem);
    }
    return JsonRpc.result(method, message);
  }

  private SubstrateException translate(String method, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (cause instanceof HttpConnectTimeoutException) {
      return new RpcTransportException("could not connect to " + uri + ": " + cause.getMessage(),
          cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return new RpcTimeoutException(method + ": no answer from " + uri + " within "
          + callTimeout.toMillis() + " ms", cause);
    }
    if (cause instanceof IOException) {
      return new RpcTransportException("request to " + uri + " failed: " + cause, cause);
    }
    if (cause instanceof SubstrateException substrate) {
      return substrate;
    }
    return new SubstrateException(method + " to " + uri + " failed: " + cause, cause);
  }
}
