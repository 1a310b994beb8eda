package io.rmb.peer.runtime;

import static io.rmb.peer.runtime.PeerFixture.A;
import static io.rmb.peer.runtime.PeerFixture.B;
import static io.rmb.peer.runtime.PeerFixture.C;
import static io.rmb.peer.runtime.PeerFixture.ID_A;
import static io.rmb.peer.runtime.PeerFixture.ID_B;
import static io.rmb.peer.runtime.PeerFixture.ID_C;
import static io.rmb.peer.runtime.PeerFixture.signed;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.rmb.peer.crypto.E2eCipher;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.proto.Address;
import io.rmb.proto.Envelope;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The incoming pipeline and command handlers of {@link RmbPeer}, without sockets. */
class RmbPeerIncomingTest {
  private final PeerFixture f = new PeerFixture();
  private final List<IncomingRequest> handled = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    f.peer.handle("echo", RequestHandler.sync(req -> {
      handled.add(req);
      return Reply.of("echo:" + req.payloadText());
    }));
    f.peer.start();
  }

  @AfterEach
  void close() {
    f.close();
  }

  /** The one envelope the peer sent, checked to be signed by A and addressed back. */
  private Envelope onlyReply(long to) {
    assertThat(f.transport.envelopes()).hasSize(1);
    Envelope reply = f.transport.last();
    Envelopes.verify(reply, ID_A.publicKey());
    assertThat(reply.getSource().getTwin()).isEqualTo((int) A);
    assertThat(reply.getDestination().getTwin()).isEqualTo((int) to);
    return reply;
  }

  private void assertErrorReply(long to, String uid, int code, String message) {
    Envelope reply = onlyReply(to);
    assertThat(reply.getUid()).isEqualTo(uid);
    assertThat(reply.hasError()).as("error envelope").isTrue();
    assertThat(reply.getError().getCode()).isEqualTo(code);
    assertThat(reply.getError().getMessage()).contains(message);
    assertThat(handled).isEmpty();
  }

  @Test
  void anEncryptedRequestIsHandledAndAnsweredToItsSourceSession() throws Exception {
    Envelope.Builder request = f.encryptedFromB(f.request(B, "u-1", "echo", "hi").setTags("t")
        .setSource(Address.newBuilder().setTwin((int) B).setConnection("session-b")));
    f.transport.deliver(signed(request, ID_B));

    assertThat(handled).hasSize(1);
    IncomingRequest got = handled.get(0);
    assertThat(got.payloadText()).isEqualTo("hi");
    assertThat(got.sourceTwin()).isEqualTo(B);
    assertThat(got.sourceConnection()).contains("session-b");
    assertThat(got.uid()).isEqualTo("u-1");
    assertThat(got.schema()).contains("application/json");
    assertThat(got.tags()).contains("t");
    assertThat(got.deadline()).isEqualTo(Instant.ofEpochSecond(f.nowSeconds() + 60));

    Envelope reply = onlyReply(B);
    assertThat(reply.getUid()).isEqualTo("u-1");
    assertThat(reply.getDestination().getConnection()).isEqualTo("session-b");
    assertThat(reply.hasResponse()).isTrue();
    assertThat(reply.getSchema()).isEqualTo("application/json");
    assertThat(reply.hasCipher()).as("B has a pk: the reply is encrypted").isTrue();
    byte[] plain = new E2eCipher(ID_B.e2eKeyPair().orElseThrow(), new SecureRandom())
        .decrypt(ID_A.e2ePublicKey().orElseThrow(), reply.getCipher().toByteArray());
    assertThat(new String(plain, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("echo:hi");
    assertThat(f.peer.stats().responsesSent()).isEqualTo(1);
  }

  @Test
  void aTwinWithoutPkIsAnsweredInPlain() {
    f.transport.deliver(signed(f.request(C, "u-2", "echo", "x"), ID_C));
    Envelope reply = onlyReply(C);
    assertThat(reply.hasPlain()).isTrue();
    assertThat(reply.getPlain().toStringUtf8()).isEqualTo("echo:x");
  }

  @Test
  void anExpiredRequestGets102() {
    Envelope.Builder old = f.request(B, "u-3", "echo", "x")
        .setTimestamp(f.nowSeconds() - 100).setExpiration(60);
    f.transport.deliver(signed(old, ID_B));
    assertErrorReply(B, "u-3", 102, "expired");
    assertThat(f.peer.stats().dropped(DropReason.EXPIRED)).isEqualTo(1);
  }

  @Test
  void anUnknownSenderGets103() {
    f.transport.deliver(signed(f.request(77, "u-4", "echo", "x"), ID_B));
    assertErrorReply(77, "u-4", 103, "unknown twin id '77'");
  }

  @Test
  void aBadSignatureGets104AfterOneFreshLookup() {
    int before = f.twins.lookups.get();
    f.transport.deliver(signed(f.request(B, "u-5", "echo", "x"), ID_C)); // C's key, claims B
    assertErrorReply(B, "u-5", 104, "");
    assertThat(f.twins.lookups.get() - before).as("lookup + one refetch").isEqualTo(2);
  }

  @Test
  void forgedEnvelopesCannotMakeThePeerHammerTheDirectory() {
    int before = f.twins.lookups.get();
    for (int i = 0; i < 5; i++) {
      f.transport.deliver(signed(f.request(B, "forged-" + i, "echo", "x"), ID_C));
    }
    assertThat(f.twins.lookups.get() - before).as("5 lookups, one refetch").isEqualTo(6);
    assertThat(f.peer.stats().dropped(DropReason.BAD_SIGNATURE)).isEqualTo(5);

    f.clock.advance(Inbound.REFETCH_COOLDOWN_MILLIS);
    f.transport.deliver(signed(f.request(B, "forged-late", "echo", "x"), ID_C));
    assertThat(f.twins.lookups.get() - before).as("refetch allowed again").isEqualTo(8);
  }

  @Test
  void aStaleCachedKeyIsRefetchedOnceAndTheRequestSucceeds() {
    StaleFirstDirectory stale = new StaleFirstDirectory(f.twins, B, PeerFixture.twin(B, ID_C));
    io.rmb.peer.twin.CachingTwinDirectory cache = new io.rmb.peer.twin.CachingTwinDirectory(
        stale, java.time.Duration.ofMinutes(5), f.clock);
    try (PeerFixture g = new PeerFixture(b -> b.twins(cache))) {
      List<IncomingRequest> seen = new CopyOnWriteArrayList<>();
      g.peer.handle("echo", RequestHandler.sync(req -> {
        seen.add(req);
        return Reply.of("ok");
      })).start();
      g.transport.deliver(signed(g.request(B, "u-6", "echo", "x"), ID_B));

      assertThat(seen).hasSize(1);
      assertThat(stale.calls(B)).as("the stale answer, then one refetch").isEqualTo(2);
      assertThat(g.transport.last().hasResponse()).isTrue();
    }
  }

  @Test
  void aCipherFromATwinWithoutPkGets105() {
    Envelope.Builder b = f.request(C, "u-7", "echo", "x")
        .setCipher(ByteString.copyFrom(new byte[40]));
    int before = f.twins.lookups.get();
    f.transport.deliver(signed(b, ID_C));
    assertErrorReply(C, "u-7", 105, "sender twin has no public key");
    assertThat(f.twins.lookups.get() - before).as("lookup + one refetch").isEqualTo(2);
  }

  @Test
  void anUndecryptableCipherGets106() {
    Envelope.Builder b = f.request(B, "u-8", "echo", "x")
        .setCipher(ByteString.copyFrom(new byte[40]));
    int before = f.twins.lookups.get();
    f.transport.deliver(signed(b, ID_B));
    assertErrorReply(B, "u-8", 106, "e2e error");
    assertThat(f.twins.lookups.get() - before).as("lookup + one refetch").isEqualTo(2);
  }

  @Test
  void aRotatedEncryptionKeyIsRefetchedOnceAndTheRequestSucceeds() {
    // the cached record of B still has an old pk: decryption fails until B is fetched again
    io.rmb.peer.twin.Twin oldPk = new io.rmb.peer.twin.Twin(B, ID_B.publicKey(),
        java.util.Set.of("relay.test"), ID_A.e2ePublicKey().orElseThrow());
    StaleFirstDirectory stale = new StaleFirstDirectory(f.twins, B, oldPk);
    io.rmb.peer.twin.CachingTwinDirectory cache = new io.rmb.peer.twin.CachingTwinDirectory(
        stale, java.time.Duration.ofMinutes(5), f.clock);
    try (PeerFixture g = new PeerFixture(b -> b.twins(cache))) {
      List<String> seen = new CopyOnWriteArrayList<>();
      g.peer.handle("echo", RequestHandler.sync(req -> {
        seen.add(req.payloadText());
        return Reply.of("ok");
      })).start();
      g.transport.deliver(signed(g.encryptedFromB(g.request(B, "u-19", "echo", "secret")),
          ID_B));

      assertThat(seen).containsExactly("secret");
      assertThat(stale.calls(B)).isEqualTo(2);
    }
  }

  @Test
  void undecodableBytesAreLoggedAndDroppedWithoutAnswer() {
    f.transport.deliver(new byte[] {(byte) 0xff, 0x01, 0x02});
    f.transport.deliver(new byte[0]);
    assertThat(f.transport.sent).isEmpty();
    assertThat(f.peer.stats().dropped(DropReason.UNDECODABLE)).isEqualTo(2);
  }

  @Test
  void aReplayedRequestIsHandledOnlyOnce() {
    Envelope request = signed(f.request(B, "u-9", "echo", "x"), ID_B);
    f.transport.deliver(request);
    f.clock.advance(10_000);
    f.transport.deliver(request);

    assertThat(handled).hasSize(1);
    assertThat(f.transport.sent).hasSize(1);
    assertThat(f.peer.stats().dropped(DropReason.DUPLICATE)).isEqualTo(1);
  }

  @Test
  void handlerFailuresAreAnsweredWithCode0() {
    f.peer.handle("throws", req -> {
      throw new IllegalStateException("database is down");
    });
    f.peer.handle("fails", req -> CompletableFuture.failedFuture(new RuntimeException("nope")));
    f.peer.handle("null", req -> CompletableFuture.completedFuture(null));
    f.peer.handle("error", req -> CompletableFuture.completedFuture(Reply.error(42, "custom")));

    f.transport.deliver(signed(f.request(C, "u-10", "throws", "x"), ID_C));
    f.transport.deliver(signed(f.request(C, "u-11", "fails", "x"), ID_C));
    f.transport.deliver(signed(f.request(C, "u-12", "null", "x"), ID_C));
    f.transport.deliver(signed(f.request(C, "u-13", "error", "x"), ID_C));

    List<Envelope> replies = f.transport.envelopes();
    assertThat(replies).extracting(Envelope::getUid)
        .containsExactly("u-10", "u-11", "u-12", "u-13");
    assertThat(replies).extracting(e -> e.getError().getCode()).containsExactly(0, 0, 0, 42);
    assertThat(replies).extracting(e -> e.getError().getMessage())
        .containsExactly("database is down", "nope", "handler returned no reply", "custom");
    replies.forEach(e -> Envelopes.verify(e, ID_A.publicKey()));
    assertThat(f.peer.stats().handlerFailures()).isEqualTo(3);
  }

  @Test
  void aReplyThatCannotLookUpItsRequesterBecomesAnError500() {
    // the directory works for the verification, then fails when the reply needs B's pk
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    io.rmb.peer.twin.TwinDirectory flaky = id -> calls.incrementAndGet() == 1 ? f.twins.get(id)
        : CompletableFuture.failedFuture(new io.rmb.peer.twin.TwinDirectoryException(
            "chain unreachable"));
    try (PeerFixture g = new PeerFixture(b -> b.twins(flaky))) {
      g.peer.handle("echo", RequestHandler.sync(req -> Reply.of("ok"))).start();
      g.transport.deliver(signed(g.request(B, "u-20", "echo", "x"), ID_B));
      Envelope reply = g.transport.last();
      assertThat(reply.getError().getCode()).isEqualTo(500);
      assertThat(reply.getError().getMessage()).contains("chain unreachable");
      assertThat(reply.getDestination().getTwin()).isEqualTo((int) B);
    }
  }

  @Test
  void anUnknownCommandIsAnsweredUnlessAFallbackServesIt() {
    f.transport.deliver(signed(f.request(C, "u-14", "nobody.home", "x"), ID_C));
    assertErrorReply(C, "u-14", 0, "function is not found: nobody.home");

    f.peer.handleOthers(RequestHandler.sync(req -> Reply.of("fallback:" + req.command())));
    f.transport.deliver(signed(f.request(C, "u-15", "nobody.home", "x"), ID_C));
    assertThat(f.transport.last().getPlain().toStringUtf8()).isEqualTo("fallback:nobody.home");
  }

  @Test
  void failedAnswersAreNeverAnswered() {
    f.transport.deliver(signed(f.response(B, "r-1", "{}").setTimestamp(f.nowSeconds() - 100),
        ID_B)); // expired
    f.transport.deliver(signed(f.response(77, "r-2", "{}"), ID_B)); // unknown twin
    f.transport.deliver(signed(f.response(B, "r-3", "{}"), ID_C)); // bad signature
    f.transport.deliver(signed(f.response(C, "r-4", "{}")
        .setCipher(ByteString.copyFrom(new byte[40])), ID_C)); // no pk
    assertThat(f.transport.sent).isEmpty();
    PeerStats stats = f.peer.stats();
    assertThat(stats.dropped(DropReason.EXPIRED)).isEqualTo(1);
    assertThat(stats.dropped(DropReason.UNKNOWN_TWIN)).isEqualTo(1);
    assertThat(stats.dropped(DropReason.BAD_SIGNATURE)).isEqualTo(1);
    assertThat(stats.dropped(DropReason.NO_PUBLIC_KEY)).isEqualTo(1);
  }

  @Test
  void envelopesForAnotherTwinOrWithoutSourceAreDropped() {
    f.transport.deliver(signed(f.request(B, "u-16", "echo", "x")
        .setDestination(Address.newBuilder().setTwin(5)), ID_B));
    f.transport.deliver(signed(f.request(B, "u-17", "echo", "x").clearSource(), ID_B));
    assertThat(f.transport.sent).isEmpty();
    assertThat(handled).isEmpty();
    assertThat(f.peer.stats().dropped(DropReason.WRONG_DESTINATION)).isEqualTo(1);
    assertThat(f.peer.stats().dropped(DropReason.NO_SOURCE)).isEqualTo(1);
  }

  @Test
  void handlersRunOnTheHandlerExecutorNotTheDeliveringThread() throws Exception {
    java.util.concurrent.ExecutorService handlers =
        java.util.concurrent.Executors.newSingleThreadExecutor(r -> new Thread(r, "handlers"));
    try (PeerFixture g = new PeerFixture(b -> b.handlerExecutor(handlers))) {
      CompletableFuture<String> thread = new CompletableFuture<>();
      g.peer.handle("where", RequestHandler.sync(req -> {
        thread.complete(Thread.currentThread().getName());
        return Reply.of("{}");
      })).start();
      g.transport.deliver(signed(g.request(C, "u-18", "where", "x"), ID_C));
      assertThat(thread.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("handlers");
    } finally {
      handlers.shutdownNow();
    }
  }
}
