package io.rmb.peer.runtime;

import static io.rmb.peer.runtime.PeerFixture.A;
import static io.rmb.peer.runtime.PeerFixture.B;
import static io.rmb.peer.runtime.PeerFixture.C;
import static io.rmb.peer.runtime.PeerFixture.ID_A;
import static io.rmb.peer.runtime.PeerFixture.ID_B;
import static io.rmb.peer.runtime.PeerFixture.ID_C;
import static io.rmb.peer.runtime.PeerFixture.START;
import static io.rmb.peer.runtime.PeerFixture.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.rmb.peer.crypto.E2eCipher;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.envelope.ProtocolException;
import io.rmb.peer.transport.RelaySendException;
import io.rmb.proto.Address;
import io.rmb.proto.Envelope;
import io.rmb.proto.Error;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outgoing side of {@link RmbPeer}, on a fake transport and a manual clock. */
class RmbPeerRequestTest {
  private final PeerFixture f = new PeerFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private RequestHandle send(List<Long> to, Duration ttl) {
    f.peer.start();
    return f.peer.request(to, "calc.add", "[1,2]".getBytes(StandardCharsets.UTF_8), ttl);
  }

  @Test
  void encryptsOnlyForTwinsWithAKeyAndSignsTheFinalBytes() throws Exception {
    RequestHandle handle = send(List.of(B, C), Duration.ofSeconds(30));

    List<Envelope> sent = f.transport.envelopes();
    assertThat(sent).hasSize(2);
    Envelope toB = sent.get(0);
    Envelope toC = sent.get(1);
    for (Envelope e : sent) {
      assertThat(e.getUid()).isEqualTo(handle.uid());
      assertThat(e.getSource().getTwin()).isEqualTo((int) A);
      assertThat(e.getSource().hasConnection()).isFalse();
      assertThat(e.getRequest().getCommand()).isEqualTo("calc.add");
      assertThat(e.getSchema()).isEqualTo("application/json");
      assertThat(e.getTimestamp()).isEqualTo(START / 1000);
      // the signature covers exactly the bytes on the wire
      Envelopes.verify(e, ID_A.publicKey());
    }
    assertThat(toB.getDestination().getTwin()).isEqualTo((int) B);
    assertThat(toB.hasCipher()).isTrue();
    byte[] opened = new E2eCipher(ID_B.e2eKeyPair().orElseThrow(), new SecureRandom())
        .decrypt(ID_A.e2ePublicKey().orElseThrow(), toB.getCipher().toByteArray());
    assertThat(new String(opened, StandardCharsets.UTF_8)).isEqualTo("[1,2]");
    assertThat(toC.getDestination().getTwin()).isEqualTo((int) C);
    assertThat(toC.hasPlain()).isTrue();
    assertThat(toC.getPlain().toStringUtf8()).isEqualTo("[1,2]");

    Envelope tampered = toC.toBuilder().setPlain(ByteString.copyFromUtf8("[1,3]")).build();
    assertThatThrownBy(() -> Envelopes.verify(tampered, ID_A.publicKey()))
        .isInstanceOf(ProtocolException.BadSignatureException.class);
  }

  @Test
  void stampingAtSendTimeKeepsTheDeadlineAndIsCoveredByTheSignature() {
    // B's lookup answers 2.5 s late: the envelope is re-stamped then, and only then signed
    CompletableFuture<java.util.Optional<io.rmb.peer.twin.Twin>> lookup =
        new CompletableFuture<>();
    io.rmb.peer.twin.TwinDirectory slow = id -> id == B ? lookup : f.twins.get(id);
    try (PeerFixture g = new PeerFixture(b -> b.twins(slow))) {
      g.peer.start();
      RequestHandle handle = g.peer.request(List.of(B), "x", new byte[0], Duration.ofSeconds(30));
      g.clock.advance(2_500);
      lookup.complete(java.util.Optional.of(PeerFixture.twin(B, ID_B)));

      Envelope e = g.transport.last();
      assertThat(e.getTimestamp()).isEqualTo(START / 1000 + 2);
      assertThat(e.getExpiration()).isEqualTo(31 - 2);
      assertThat(handle.deadline()).isEqualTo(Instant.ofEpochMilli(START + 30_000));
      Envelopes.verify(e, ID_A.publicKey());
      assertThat(g.transport.deadlines).containsExactly(handle.deadline());
    }
  }

  @Test
  void uidIsARandomUuidPerRequest() {
    RequestHandle first = send(List.of(B), Duration.ofSeconds(5));
    RequestHandle second = f.peer.request(List.of(B), "x", new byte[0], Duration.ofSeconds(5));
    assertThat(first.uid())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(second.uid()).isNotEqualTo(first.uid());
  }

  @Test
  void ttlBecomesTheDeadlineAndIsClampedLikeRmbPeer() {
    f.peer.start();
    long ts = START / 1000;
    RequestHandle thirty = f.peer.request(List.of(C), "x", new byte[0], Duration.ofSeconds(30));
    assertThat(thirty.deadline()).isEqualTo(Instant.ofEpochMilli(START + 30_000));
    // whole seconds from the (floored) timestamp up to the deadline
    assertThat(f.transport.last().getExpiration()).isEqualTo(31);

    RequestHandle zero = f.peer.request(List.of(C), "x", new byte[0], Duration.ZERO);
    assertThat(zero.deadline()).isEqualTo(Instant.ofEpochMilli(START + 300_000));
    assertThat(f.transport.last().getExpiration()).isEqualTo(301);

    RequestHandle huge = f.peer.request(List.of(C), "x", new byte[0], Duration.ofHours(2));
    assertThat(f.transport.last().getExpiration()).isEqualTo(1800);
    assertThat(huge.deadline()).isEqualTo(Instant.ofEpochSecond(ts + 1800));
  }

  @Test
  void schemaTagsSessionAndDestinationConnectionGoOnTheWire() {
    try (PeerFixture g = new PeerFixture(b -> b.session("session-a"))) {
      g.peer.start();
      g.peer.request(OutgoingRequest.builder().destinations(C).command("x").payload("raw")
          .schema(null).tags("t1").connection("session-c").build());
      Envelope e = g.transport.last();
      assertThat(e.getSource().getConnection()).isEqualTo("session-a");
      assertThat(e.getDestination().getConnection()).isEqualTo("session-c");
      assertThat(e.hasSchema()).isFalse();
      assertThat(e.getTags()).isEqualTo("t1");
      Envelopes.verify(e, ID_A.publicKey());
    }
  }

  @Test
  void unknownDestinationFailsLocallyWith103() {
    RequestHandle handle = send(List.of(99L, C), Duration.ofSeconds(5));
    assertThat(handle.outcome(99).join())
        .isEqualTo(new Outcome.Error(99, Outcome.Origin.LOCAL, 103,
            "destination twin 99 is not in the twin directory"));
    assertThat(f.transport.envelopes()).extracting(e -> e.getDestination().getTwin())
        .containsExactly((int) C);
  }

  @Test
  void timeoutCompletesExactlyAtTheDeadline() {
    RequestHandle handle = send(List.of(B), Duration.ofMillis(4_500));
    long deadline = START + 4_500;
    List<Long> completedAt = new CopyOnWriteArrayList<>();
    handle.onOutcome(o -> completedAt.add(f.clock.millis()));

    f.scheduler.advanceTo(deadline - 1);
    assertThat(handle.outcome(B)).isNotDone();

    f.scheduler.advanceTo(deadline);
    assertThat(handle.outcome(B).join())
        .isEqualTo(new Outcome.Timeout(B, Instant.ofEpochMilli(deadline)));
    assertThat(completedAt).containsExactly(deadline);
    assertThat(f.peer.stats().pendingRequests()).isZero();
  }

  @Test
  void aResponseCompletesItsDestinationOnceAndRepeatsAreCounted() {
    RequestHandle handle = send(List.of(B), Duration.ofSeconds(30));
    Envelope response = signed(f.encryptedFromB(f.response(B, handle.uid(), "{\"sum\":3}")), ID_B);

    f.transport.deliver(response);
    f.transport.deliver(response); // replayed bytes
    f.transport.deliver(signed(f.response(B, handle.uid(), "{\"sum\":4}"), ID_B)); // a 2nd answer

    Outcome outcome = handle.outcome(B).join();
    assertThat(outcome).isInstanceOf(Outcome.Response.class);
    assertThat(((Outcome.Response) outcome).payloadText()).isEqualTo("{\"sum\":3}");
    assertThat(((Outcome.Response) outcome).schema()).contains("application/json");
    PeerStats stats = f.peer.stats();
    assertThat(stats.answersReceived()).isEqualTo(1);
    // (sender, uid) was already accepted: the re-signed second answer is a replay as well
    assertThat(stats.dropped(DropReason.DUPLICATE)).isEqualTo(2);
    f.scheduler.advanceTo(START + 60_000);
    assertThat(handle.outcome(B).join()).isSameAs(outcome);
  }

  @Test
  void answersFromTwinsNotAskedOrForUnknownUidsAreDropped() {
    RequestHandle handle = send(List.of(B), Duration.ofSeconds(30));
    f.transport.deliver(signed(f.response(C, handle.uid(), "{}"), ID_C));
    f.transport.deliver(signed(f.response(B, "not-a-request", "{}"), ID_B));

    assertThat(handle.outcome(B)).isNotDone();
    assertThat(f.peer.stats().dropped(DropReason.UNEXPECTED_SOURCE)).isEqualTo(1);
    assertThat(f.peer.stats().dropped(DropReason.UNKNOWN_REQUEST)).isEqualTo(1);
  }

  @Test
  void aPeerErrorEnvelopeBecomesAnErrorOutcome() {
    RequestHandle handle = send(List.of(B), Duration.ofSeconds(30));
    f.transport.deliver(signed(f.from(B, handle.uid())
        .setError(Error.newBuilder().setCode(0).setMessage("boom")), ID_B));
    assertThat(handle.outcome(B).join())
        .isEqualTo(new Outcome.Error(B, Outcome.Origin.PEER, 0, "boom"));
  }

  @Test
  void anAnswerFromASessionNamesIt() {
    RequestHandle handle = send(List.of(B, C), Duration.ofSeconds(30));
    Address fromSession = Address.newBuilder().setTwin((int) B).setConnection("sess-b").build();
    f.transport.deliver(signed(f.encryptedFromB(f.response(B, handle.uid(), "{}"))
        .setSource(fromSession), ID_B));
    f.transport.deliver(signed(f.from(C, handle.uid()).setSource(Address.newBuilder()
        .setTwin((int) C).setConnection("sess-c")).setError(Error.newBuilder()
        .setMessage("nope")), ID_C));

    assertThat(handle.outcome(B).join().session()).contains("sess-b");
    assertThat(handle.outcome(C).join())
        .isEqualTo(new Outcome.Error(C, Outcome.Origin.PEER, 0, "nope", "sess-c"));
    assertThat(handle.outcome(C).join().session()).contains("sess-c");
    assertThat(new Outcome.Error(C, Outcome.Origin.PEER, 0, "x").session()).isEmpty();
    assertThat(new Outcome.Response(B, new byte[0], null, "").session()).isEmpty();
  }

  private static Envelope relayError(String uid, String message) {
    // what relays send: no source, no signature (wire.md section 6)
    return Envelope.newBuilder().setUid(uid).setExpiration(300).setTimestamp(START / 1000)
        .setDestination(Address.newBuilder().setTwin((int) A))
        .setError(Error.newBuilder().setMessage(message)).build();
  }

  @Test
  void aRelayErrorCompletesTheOpenDestinationOnlyOnceItIsUnambiguous() {
    RequestHandle single = send(List.of(B), Duration.ofSeconds(30));
    f.transport.deliver(relayError(single.uid(), "destination offline"));
    assertThat(single.outcome(B).join())
        .isEqualTo(new Outcome.Error(B, Outcome.Origin.RELAY, 0, "destination offline"));

    RequestHandle both = f.peer.request(List.of(B, C), "x", new byte[0], Duration.ofSeconds(30));
    f.transport.deliver(relayError(both.uid(), "unknown twin destination"));
    // it names no destination: with two open, guessing could swallow a real response
    assertThat(both.outcome(B)).isNotDone();
    assertThat(both.outcome(C)).isNotDone();

    f.transport.deliver(signed(f.response(B, both.uid(), "{}"), ID_B));
    assertThat(both.outcome(B).join().kind()).isEqualTo(Outcome.Kind.RESPONSE);
    assertThat(both.outcome(C).join())
        .isEqualTo(new Outcome.Error(C, Outcome.Origin.RELAY, 0, "unknown twin destination"));

    f.transport.deliver(relayError("unknown", "x"));
    assertThat(f.peer.stats().dropped(DropReason.UNMATCHED_RELAY_ERROR)).isEqualTo(1);
  }

  @Test
  void aSendThatFailsOrNeverLeavesIsALocalError() {
    f.transport.behaviour = frame -> CompletableFuture.failedFuture(
        new RelaySendException.QueueFull("10000 frames are already waiting"));
    RequestHandle refused = send(List.of(B), Duration.ofSeconds(5));
    assertThat(refused.outcome(B).join())
        .isEqualTo(new Outcome.Error(B, Outcome.Origin.LOCAL, 500,
            "request could not be sent: 10000 frames are already waiting"));

    f.transport.behaviour = frame -> new CompletableFuture<>(); // waits for a relay forever
    RequestHandle stuck = f.peer.request(List.of(B), "x", new byte[0], Duration.ofSeconds(5));
    f.scheduler.advanceTo(START + 5_000);
    Outcome outcome = stuck.outcome(B).join();
    assertThat(outcome).isInstanceOf(Outcome.Error.class);
    assertThat(((Outcome.Error) outcome).message()).startsWith("request was not sent");
  }

  @Test
  void closeCompletesOpenDestinationsAndRefusesNewRequests() {
    RequestHandle handle = send(List.of(B, C), Duration.ofSeconds(30));
    f.transport.deliver(signed(f.response(C, handle.uid(), "{}"), ID_C));
    f.peer.close();

    assertThat(handle.outcome(B).join()).isEqualTo(new Outcome.Error(B, Outcome.Origin.LOCAL,
        500, "peer closed before an answer arrived"));
    assertThat(handle.outcome(C).join().kind()).isEqualTo(Outcome.Kind.RESPONSE);
    assertThat(f.transport.closed).isTrue();
    assertThatThrownBy(() -> f.peer.request(List.of(B), "x", new byte[0], Duration.ZERO))
        .isInstanceOf(IllegalStateException.class).hasMessage("peer is closed");
  }

  @Test
  void requestsNeedAStartedPeerAndValidDestinations() {
    assertThatThrownBy(() -> f.peer.request(List.of(B), "x", new byte[0], Duration.ZERO))
        .isInstanceOf(IllegalStateException.class).hasMessage("peer is not started");
    f.peer.start();
    assertThatThrownBy(() -> f.peer.request(List.of(), "x", new byte[0], Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("destination");
    assertThatThrownBy(() -> f.peer.request(List.of(0L), "x", new byte[0], Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    assertThatThrownBy(() -> f.peer.request(List.of(B), "", new byte[0], Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("command");
  }

  @Test
  void callbacksSeeEachOutcomeOnceAndAllCollectsThemInOrder() {
    RequestHandle handle = send(List.of(B, C, 99L), Duration.ofSeconds(10));
    List<Outcome> seen = new CopyOnWriteArrayList<>();
    handle.onOutcome(seen::add);
    f.transport.deliver(signed(f.response(C, handle.uid(), "{}"), ID_C));
    f.scheduler.advanceTo(START + 10_000);

    assertThat(seen).extracting(Outcome::twin).containsExactlyInAnyOrder(B, C, 99L);
    assertThat(handle.all().join()).extracting(Outcome::kind).containsExactly(
        Outcome.Kind.TIMEOUT, Outcome.Kind.RESPONSE, Outcome.Kind.ERROR);
  }

  @Test
  void callersCannotCompleteThePeersOutcome() {
    RequestHandle handle = send(List.of(B), Duration.ofSeconds(10));
    handle.outcome(B).complete(new Outcome.Timeout(B, Instant.EPOCH));
    f.transport.deliver(signed(f.response(B, handle.uid(), "{}"), ID_B));
    assertThat(f.peer.stats().answersReceived()).isEqualTo(1);
  }
}
