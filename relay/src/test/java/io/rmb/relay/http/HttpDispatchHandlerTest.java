package io.rmb.relay.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HttpDispatchHandlerTest {
  private final List<String> upgrades = new ArrayList<>();

  private EmbeddedChannel channel(List<HttpRoute> routes) {
    return new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1024),
        new HttpDispatchHandler(routes, (ctx, request) -> {
          upgrades.add(request.uri());
          request.release();
        }));
  }

  private static String exchange(EmbeddedChannel channel, String request) {
    channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
    channel.runPendingTasks();
    StringBuilder response = new StringBuilder();
    for (Object out; (out = channel.readOutbound()) != null; ) {
      response.append(((ByteBuf) out).toString(StandardCharsets.UTF_8));
      ReferenceCountUtil.release(out);
    }
    return response.toString();
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: relay\r\n\r\n";
  }

  @Test
  void placeholdersAnswer501() {
    EmbeddedChannel channel = channel(HttpRoutes.placeholders());

    String ingest = exchange(channel,
        "POST / HTTP/1.1\r\nHost: relay\r\nContent-Length: 3\r\n\r\nabc");
    String metrics = exchange(channel, get("/metrics"));

    assertThat(ingest).startsWith("HTTP/1.1 501 Not Implemented")
        .endsWith(HttpRoutes.FEDERATION_NOT_IMPLEMENTED);
    assertThat(metrics).startsWith("HTTP/1.1 501 Not Implemented")
        .endsWith(HttpRoutes.METRICS_NOT_IMPLEMENTED);
  }

  @Test
  void unknownPathsAndMethodsAre404() {
    EmbeddedChannel channel = channel(HttpRoutes.placeholders());

    assertThat(exchange(channel, get("/"))).startsWith("HTTP/1.1 404 Not Found")
        .endsWith("page not found");
    assertThat(exchange(channel, get("/elsewhere"))).startsWith("HTTP/1.1 404");
  }

  @Test
  void laterRoutesReplacePlaceholdersAndTheQueryIsIgnored() {
    List<HttpRoute> routes = new ArrayList<>(HttpRoutes.placeholders());
    routes.add(HttpRoute.of(HttpMethod.GET, "/metrics", request ->
        CompletableFuture.completedFuture(HttpRoutes.text(HttpResponseStatus.OK, "up 1"))));
    EmbeddedChannel channel = channel(routes);

    assertThat(exchange(channel, get("/metrics?x=1"))).startsWith("HTTP/1.1 200 OK")
        .contains("content-type: text/plain; charset=utf-8").endsWith("up 1");
  }

  @Test
  void asynchronousRouteAnswersWhenReadyAndReleasesTheRequest() {
    CompletableFuture<io.netty.handler.codec.http.FullHttpResponse> later =
        new CompletableFuture<>();
    List<FullHttpRequest> seen = new ArrayList<>();
    EmbeddedChannel channel = channel(List.of(HttpRoute.of(HttpMethod.POST, "/", request -> {
      seen.add(request);
      return later;
    })));

    assertThat(exchange(channel,
        "POST / HTTP/1.1\r\nHost: relay\r\nContent-Length: 2\r\n\r\nhi")).isEmpty();
    assertThat(channel.config().isAutoRead()).isFalse();
    assertThat(seen.get(0).refCnt()).isPositive();

    later.complete(HttpRoutes.text(HttpResponseStatus.ACCEPTED, ""));
    channel.runPendingTasks();
    String response = exchange(channel, "");

    assertThat(response).startsWith("HTTP/1.1 202 Accepted");
    assertThat(seen.get(0).refCnt()).isZero();
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void failingRouteIs500() {
    EmbeddedChannel channel = channel(List.of(HttpRoute.of(HttpMethod.GET, "/boom", request -> {
      throw new IllegalStateException("boom");
    })));

    assertThat(exchange(channel, get("/boom"))).startsWith("HTTP/1.1 500");
  }

  @Test
  void upgradesOnAnyPathGoToTheUpgradeHandler() {
    EmbeddedChannel channel = channel(HttpRoutes.placeholders());

    exchange(channel, "GET /deep/path?token HTTP/1.1\r\nHost: relay\r\n"
        + "Connection: keep-alive, Upgrade\r\nUpgrade: WebSocket\r\n\r\n");

    assertThat(upgrades).containsExactly("/deep/path?token");
  }
}
