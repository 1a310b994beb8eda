package io.rmb.relay.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.peer.twin.TwinDirectoryException;
import io.rmb.proto.Envelope;
import io.rmb.relay.queue.InMemoryOfflineQueue;
import io.rmb.relay.queue.OfflineQueue;
import io.rmb.relay.queue.QueueLimits;
import io.rmb.relay.queue.QueueStats;
import io.rmb.relay.queue.QueuedEnvelope;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.session.SessionRegistry;
import io.rmb.relay.testing.MutableClock;
import io.rmb.relay.testing.RecordingSession;
import io.rmb.relay.testing.TestEnvelopes;
import io.rmb.relay.testing.TestTwins;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class RouterTest {
  private static final SessionKey ALICE = SessionKey.of(TestTwins.ALICE, "web");
  private static final SessionKey BOB = SessionKey.of(TestTwins.BOB);
  private static final Executor DIRECT = Runnable::run;

  private final MutableClock clock = MutableClock.fixed();
  private final SessionRegistry registry = new SessionRegistry();
  private final InMemoryOfflineQueue queue = new InMemoryOfflineQueue(QueueLimits.DEFAULT, clock);

  private Router router(TwinDirectory twins, OfflineQueue queue, Federator federator) {
    return new Router(TestTwins.domains(), twins, new Switchboard(registry, queue), federator);
  }

  private Router router() {
    return router(TestTwins.directory(), queue, UnsupportedFederator.INSTANCE);
  }

  private RecordingSession connect(SessionKey key) {
    RecordingSession session = new RecordingSession(key);
    registry.register(session);
    return session;
  }

  private static RouteOutcome route(Router router, SessionKey sender, Envelope.Builder builder) {
    Envelope envelope = builder.build();
    return router.route(sender, envelope, envelope.toByteArray(), DIRECT).toCompletableFuture()
        .join();
  }

  private static RouteFailure refusal(Router router, SessionKey sender, Envelope.Builder builder) {
    Throwable error = catchError(() -> route(router, sender, builder));
    return RouteException.of(error).failure();
  }

  private static Throwable catchError(Runnable action) {
    try {
      action.run();
    } catch (CompletionException e) {
      return e;
    }
    throw new AssertionError("expected the route to fail");
  }

  private List<byte[]> queued(SessionKey key) {
    return queue.peek(key, 100).toCompletableFuture().join().stream()
        .map(QueuedEnvelope::envelope).toList();
  }

  @Test
  void sourceMustBeTheSendingSession() {
    Router router = router();
    connect(BOB);

    assertThat(refusal(router, ALICE, TestEnvelopes.request(SessionKey.of(TestTwins.BOB), BOB,
        clock))).isEqualTo(RouteFailure.WRONG_SOURCE);
    assertThat(refusal(router, ALICE, TestEnvelopes.request(SessionKey.of(TestTwins.ALICE), BOB,
        clock))).as("same twin, other session").isEqualTo(RouteFailure.WRONG_SOURCE);
    assertThat(refusal(router, ALICE, TestEnvelopes.request(ALICE, BOB, clock).clearSource()))
        .isEqualTo(RouteFailure.WRONG_SOURCE);
  }

  @Test
  void localSessionGetsTheReceivedBytesUnchanged() {
    RecordingSession bob = connect(BOB);
    Envelope envelope = TestEnvelopes.request(ALICE, BOB, clock).build();
    byte[] bytes = envelope.toByteArray();

    RouteOutcome outcome = router().route(ALICE, envelope, bytes, DIRECT).toCompletableFuture()
        .join();

    assertThat(outcome).isEqualTo(RouteOutcome.DELIVERED);
    assertThat(bob.delivered()).containsExactly(bytes);
  }

  @Test
  void pingIsTurnedIntoAPongBackToTheSender() {
    RecordingSession alice = connect(ALICE);
    Envelope.Builder ping = TestEnvelopes.ping(ALICE, BOB, "x ", clock)
        .setSignature(ByteString.copyFrom(new byte[65]));

    assertThat(route(router(), ALICE, ping)).isEqualTo(RouteOutcome.DELIVERED);

    Envelope pong = io.rmb.peer.envelope.Envelopes.decode(alice.delivered().get(0));
    assertThat(pong.hasPong()).isTrue();
    assertThat(pong.getUid()).isEqualTo(ping.getUid());
    assertThat(pong.getPlain().toStringUtf8()).isEqualTo("x hello world");
    assertThat(SessionKey.of(pong.getSource())).isEqualTo(BOB);
    assertThat(SessionKey.of(pong.getDestination())).isEqualTo(ALICE);
    assertThat(pong.getTimestamp()).isEqualTo(ping.getTimestamp());
    assertThat(pong.getExpiration()).isEqualTo(ping.getExpiration());
  }

  @Test
  void pongOfACipherPingIsPlainHelloWorld() {
    Envelope pong = Router.pong(TestEnvelopes.ping(ALICE, BOB, "", clock)
        .setCipher(ByteString.copyFromUtf8("secret")).build());

    assertThat(pong.hasCipher()).isFalse();
    assertThat(pong.getPlain().toStringUtf8()).isEqualTo("hello world");
  }

  @Test
  void destinationTwinZeroIsRefused() {
    assertThat(refusal(router(), ALICE, TestEnvelopes.request(ALICE, SessionKey.of(0), clock)))
        .isEqualTo(RouteFailure.MISSING_DESTINATION);
    assertThat(refusal(router(), ALICE, TestEnvelopes.request(ALICE, BOB, clock)
        .clearDestination())).isEqualTo(RouteFailure.MISSING_DESTINATION);
  }

  @Test
  void offlineSessionOfOurTwinIsQueued() {
    Envelope.Builder request = TestEnvelopes.request(ALICE, BOB, clock);
    byte[] bytes = request.build().toByteArray();

    assertThat(route(router(), ALICE, request)).isEqualTo(RouteOutcome.QUEUED);

    assertThat(queued(BOB)).containsExactly(bytes);
    QueuedEnvelope entry = queue.peek(BOB, 1).toCompletableFuture().join().get(0);
    assertThat(entry.deadline()).isEqualTo(request.getTimestamp() + request.getExpiration());
  }

  @Test
  void closedSessionIsNotLocal() {
    connect(BOB).close(io.rmb.relay.session.Session.CloseCause.REPLACED);

    assertThat(route(router(), ALICE, TestEnvelopes.request(ALICE, BOB, clock)))
        .isEqualTo(RouteOutcome.QUEUED);
  }

  @Test
  void twinSharingOneDomainIsOurs() {
    SessionKey charlie = SessionKey.of(TestTwins.CHARLIE);

    assertThat(route(router(), ALICE, TestEnvelopes.request(ALICE, charlie, clock)))
        .isEqualTo(RouteOutcome.QUEUED);
  }

  @Test
  void failFastToAnOfflineSessionIsRefused() {
    assertThat(refusal(router(), ALICE, TestEnvelopes.request(ALICE, BOB, clock)
        .setTags("fail-fast"))).isEqualTo(RouteFailure.DESTINATION_OFFLINE);
    assertThat(queue.stats().depth()).isZero();
  }

  @Test
  void unknownTwinNoRelayAndForeignTwin() {
    assertThat(refusal(router(), ALICE, TestEnvelopes.request(ALICE,
        SessionKey.of(TestTwins.UNKNOWN), clock))).isEqualTo(RouteFailure.UNKNOWN_TWIN);
    assertThat(refusal(router(), ALICE, TestEnvelopes.request(ALICE,
        SessionKey.of(TestTwins.DAVE), clock))).isEqualTo(RouteFailure.RELAY_NOT_SET);
    assertThat(refusal(router(), ALICE, TestEnvelopes.request(ALICE,
        SessionKey.of(TestTwins.EVE), clock))).isEqualTo(RouteFailure.FEDERATION_UNSUPPORTED);
  }

  @Test
  void domainsCompareCaseSensitively() {
    Twin shouting = new Twin(TestTwins.BOB, TestTwins.identity(TestTwins.BOB).publicKey(),
        Set.of(TestTwins.DOMAIN.toUpperCase(java.util.Locale.ROOT)), null);
    TwinDirectory twins = id -> CompletableFuture.completedFuture(Optional.of(shouting));

    assertThat(refusal(router(twins, queue, UnsupportedFederator.INSTANCE), ALICE,
        TestEnvelopes.request(ALICE, BOB, clock))).isEqualTo(RouteFailure.FEDERATION_UNSUPPORTED);
  }

  @Test
  void foreignTwinGoesToTheFederatorWithTheBytesAsReceived() {
    List<Object[]> federated = new ArrayList<>();
    Federator federator = (envelope, bytes, twin) -> {
      federated.add(new Object[] {envelope, bytes, twin});
      return CompletableFuture.completedFuture(null);
    };
    Envelope envelope = TestEnvelopes.request(ALICE, SessionKey.of(TestTwins.EVE), clock).build();
    byte[] bytes = envelope.toByteArray();

    RouteOutcome outcome = router(TestTwins.directory(), queue, federator)
        .route(ALICE, envelope, bytes, DIRECT).toCompletableFuture().join();

    assertThat(outcome).isEqualTo(RouteOutcome.FEDERATED);
    assertThat(federated).hasSize(1);
    assertThat(federated.get(0)[1]).isSameAs(bytes);
    assertThat(federated.get(0)[2]).isEqualTo(TestTwins.twin(TestTwins.EVE));
  }

  @Test
  void sessionThatConnectsDuringTheLookupGetsTheEnvelopeLive() {
    CompletableFuture<Optional<Twin>> lookup = new CompletableFuture<>();
    Router router = router(id -> lookup, queue, UnsupportedFederator.INSTANCE);
    Envelope envelope = TestEnvelopes.request(ALICE, BOB, clock).build();

    CompletableFuture<RouteOutcome> routed =
        router.route(ALICE, envelope, envelope.toByteArray(), DIRECT).toCompletableFuture();
    RecordingSession bob = connect(BOB);
    lookup.complete(Optional.of(TestTwins.twin(TestTwins.BOB)));

    assertThat(routed.join()).isEqualTo(RouteOutcome.DELIVERED);
    assertThat(bob.delivered()).hasSize(1);
    assertThat(queue.stats().offered()).isZero();
  }

  @Test
  void routingContinuesOnTheGivenExecutorAfterTheLookup() {
    CompletableFuture<Optional<Twin>> lookup = new CompletableFuture<>();
    Router router = router(id -> lookup, queue, UnsupportedFederator.INSTANCE);
    List<Runnable> tasks = new ArrayList<>();
    Envelope envelope = TestEnvelopes.request(ALICE, BOB, clock).build();

    CompletableFuture<RouteOutcome> routed =
        router.route(ALICE, envelope, envelope.toByteArray(), tasks::add).toCompletableFuture();
    lookup.complete(Optional.of(TestTwins.twin(TestTwins.BOB)));

    assertThat(routed).isNotDone();
    assertThat(queue.stats().offered()).isZero();
    tasks.forEach(Runnable::run);
    assertThat(routed.join()).isEqualTo(RouteOutcome.QUEUED);
  }

  @Test
  void directoryFailureIsRefusedWithItsCause() {
    TwinDirectory broken = id -> CompletableFuture.failedFuture(
        new TwinDirectoryException("chain unreachable"));
    Router router = router(broken, queue, UnsupportedFederator.INSTANCE);

    Throwable error = catchError(() -> route(router, ALICE,
        TestEnvelopes.request(ALICE, BOB, clock)));

    assertThat(RouteException.of(error).failure()).isEqualTo(RouteFailure.TWIN_LOOKUP_FAILED);
    assertThat(RouteException.of(error)).hasMessage("failed to get twin: chain unreachable");
  }

  @Test
  void directoryThrowingIsRefusedToo() {
    TwinDirectory throwing = id -> {
      throw new TwinDirectoryException("bad file");
    };

    assertThat(refusal(router(throwing, queue, UnsupportedFederator.INSTANCE), ALICE,
        TestEnvelopes.request(ALICE, BOB, clock))).isEqualTo(RouteFailure.TWIN_LOOKUP_FAILED);
  }

  @Test
  void queueFailureIsRefusedNamingTheSession() {
    OfflineQueue broken = new OfflineQueue() {
      @Override
      public CompletionStage<Void> offer(SessionKey key, byte[] envelope, long deadline) {
        return CompletableFuture.failedFuture(new IllegalStateException("redis down"));
      }

      @Override
      public CompletionStage<List<QueuedEnvelope>> peek(SessionKey key, int max) {
        return CompletableFuture.completedFuture(List.of());
      }

      @Override
      public CompletionStage<Void> acknowledge(SessionKey key, List<QueuedEnvelope> done) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public QueueStats stats() {
        return QueueStats.EMPTY;
      }
    };
    Router router = router(TestTwins.directory(), broken, UnsupportedFederator.INSTANCE);

    Throwable error = catchError(() -> route(router, ALICE,
        TestEnvelopes.request(ALICE, BOB, clock)));

    assertThat(RouteException.of(error).failure()).isEqualTo(RouteFailure.INTERNAL);
    assertThat(RouteException.of(error))
        .hasMessage("failed to route message to peer '2': redis down");
  }

  @Test
  void refusalMessagesAreRmbRss() {
    assertThat(RouteFailure.WRONG_SOURCE.message()).isEqualTo("message wrong source");
    assertThat(RouteFailure.MISSING_DESTINATION.message())
        .isEqualTo("message with missing destination");
    assertThat(RouteFailure.UNKNOWN_TWIN.message()).isEqualTo("unknown twin destination");
    assertThat(RouteFailure.RELAY_NOT_SET.message())
        .isEqualTo("relay info is not set for this twin");
    assertThat(RouteFailure.DESTINATION_OFFLINE.message()).isEqualTo("destination offline");
    assertThatThrownBy(() -> {
      throw RouteException.of(new IllegalStateException("x"));
    }).isInstanceOf(RouteException.class).hasMessageStartingWith("failed to route message");
  }
}
