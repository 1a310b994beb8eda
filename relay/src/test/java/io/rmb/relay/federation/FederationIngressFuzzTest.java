package io.rmb.relay.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.rmb.peer.twin.Twin;
import io.rmb.relay.queue.InMemoryOfflineQueue;
import io.rmb.relay.queue.QueueLimits;
import io.rmb.relay.routing.Switchboard;
import io.rmb.relay.session.SessionRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Federation ingest ({@code POST /}, bodies from any other relay or anyone on the network):
 * {@link FederationIngress#handle} answers every body with 202 (accepted), 400 (undecodable,
 * no destination, expired, unknown or foreign twin) or 404 ({@code fail-fast}, offline), in
 * time, never with a 5xx (the directory and the queue work here) or an exception. Twins up to
 * 100 are hosted here, twin 101 elsewhere, others unknown.
 */
class FederationIngressFuzzTest {
  private static final String DOMAIN = "relay.fuzz";
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
  private static final Set<Integer> ANSWERS = Set.of(202, 400, 404);

  private final FederationIngress ingress = new FederationIngress(Set.of(DOMAIN),
      FederationIngressFuzzTest::twin,
      new Switchboard(new SessionRegistry(), new InMemoryOfflineQueue(QueueLimits.DEFAULT, CLOCK)),
      CLOCK);

  private static CompletableFuture<Optional<Twin>> twin(long id) {
    if (id > 101) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    Set<String> relays = id == 101 ? Set.of("elsewhere.example") : Set.of(DOMAIN);
    return CompletableFuture.completedFuture(Optional.of(new Twin(id, new byte[32], relays,
        null)));
  }

  @FuzzTest(maxDuration = "10s")
  void postBody(byte[] body) throws Exception {
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
        "/", Unpooled.wrappedBuffer(body));
    FullHttpResponse response;
    try {
      response = ingress.handle(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      request.release();
    }
    try {
      assertThat(response.status().code()).isIn(ANSWERS);
    } finally {
      response.release();
    }
  }
}
