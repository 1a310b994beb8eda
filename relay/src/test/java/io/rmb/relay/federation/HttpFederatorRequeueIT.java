package io.rmb.relay.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.relay.queue.InMemoryOfflineQueue;
import io.rmb.relay.queue.QueuedEnvelope;
import io.rmb.relay.routing.Switchboard;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.session.SessionRegistry;
import io.rmb.relay.testing.TestEnvelopes;
import io.rmb.relay.testing.TestTwins;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A federation job for a twin that, as this instance's directory says now, lists one of our
 * domains: another instance (or our re-route sweep, a moment ago) saw the twin elsewhere. It
 * must be queued here for the twin's session, not posted to our own domain, whose ingress may
 * already know better and refuse it for good. An IT because it runs an HTTP endpoint on
 * loopback (standing in for our own domain's ingress) that must stay unasked.
 */
@Tag("integration")
class HttpFederatorRequeueIT {
  private static final SessionKey X = SessionKey.of(TestTwins.BOB);

  private final Clock clock = Clock.systemUTC();
  private final InMemoryOfflineQueue offline = new InMemoryOfflineQueue();
  private final Switchboard switchboard = new Switchboard(new SessionRegistry(), offline);
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final AtomicInteger posts = new AtomicInteger();
  private HttpServer endpoint;
  private HttpFederator federator;

  @BeforeEach
  void start() throws Exception {
    endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.createContext("/", exchange -> {
      posts.incrementAndGet();
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(400, -1); // what a relay that no longer hosts the twin says
      exchange.close();
    });
    endpoint.start();
    // this instance's directory still lists our domain for twin 2
    TwinDirectory stale = id -> CompletableFuture.completedFuture(Optional.of(
        TestTwins.twin(TestTwins.BOB)));
    federator = new HttpFederator(FederationOptions.builder().scheme("http").workers(1)
            .endpoints(d -> URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort()
                + "/")).build(),
        TestTwins.domains(), new InMemoryFederationQueue(), stale, switchboard, metrics, clock);
  }

  @AfterEach
  void stop() {
    federator.close();
    endpoint.stop(0);
  }

  @Test
  void jobForATwinOurDirectoryStillGivesUsIsQueuedHereNotPosted() {
    byte[] bytes = TestEnvelopes.signed(TestEnvelopes.request(SessionKey.of(TestTwins.ALICE), X,
        clock));
    Twin elsewhere = new Twin(TestTwins.BOB, TestTwins.identity(TestTwins.BOB).publicKey(),
        Twin.parseRelays(TestTwins.OTHER_DOMAIN), null);

    federator.federate(Envelopes.decode(bytes), bytes, elsewhere).toCompletableFuture().join();

    await().atMost(Duration.ofSeconds(10)).until(() -> offline.size(X) == 1);
    List<QueuedEnvelope> queued = offline.peek(X, 10).toCompletableFuture().join();
    assertThat(queued.get(0).envelope()).isEqualTo(bytes);
    assertThat(posts.get()).as("nothing posted to our own domain").isZero();
    assertThat(metrics.counter("rmb.relay.federation.requeued").count()).isEqualTo(1.0);
  }
}
