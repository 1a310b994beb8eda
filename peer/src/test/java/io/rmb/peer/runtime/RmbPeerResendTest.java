package io.rmb.peer.runtime;

import static io.rmb.peer.runtime.PeerFixture.A;
import static io.rmb.peer.runtime.PeerFixture.B;
import static io.rmb.peer.runtime.PeerFixture.C;
import static io.rmb.peer.runtime.PeerFixture.ID_B;
import static io.rmb.peer.runtime.PeerFixture.START;
import static io.rmb.peer.runtime.PeerFixture.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.proto.Address;
import io.rmb.proto.Envelope;
import io.rmb.proto.Error;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What bridges need to survive their own restarts: sending again under the first run's uid
 * and deadline, and receiving answers for uids this run never sent.
 */
class RmbPeerResendTest {
  private final PeerFixture f = new PeerFixture();
  private final List<UnmatchedAnswer> unmatched = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void aCallerChosenUidGoesOnTheWireAndCorrelatesTheAnswer() {
    f.peer.start();
    RequestHandle handle = f.peer.request(OutgoingRequest.builder().destinations(C)
        .command("x").uid("bridge-uid-1").ttl(Duration.ofSeconds(30)).build());

    assertThat(handle.uid()).isEqualTo("bridge-uid-1");
    assertThat(f.transport.last().getUid()).isEqualTo("bridge-uid-1");
    assertThatThrownBy(() -> f.peer.request(OutgoingRequest.builder().destinations(C)
        .command("x").uid("bridge-uid-1").build()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("bridge-uid-1");
  }

  @Test
  void uidsMustBeNonEmptyAndBounded() {
    assertThatThrownBy(() -> OutgoingRequest.builder().destinations(C).command("x").uid("")
        .build()).isInstanceOf(IllegalArgumentException.class);
    String longest = "u".repeat(OutgoingRequest.MAX_UID_LENGTH);
    assertThat(OutgoingRequest.builder().destinations(C).command("x").uid(longest).build()
        .uid()).contains(longest);
    assertThatThrownBy(() -> OutgoingRequest.builder().destinations(C).command("x")
        .uid(longest + "u").build()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void issuedAtKeepsTheOriginalDeadlineOnAResend() {
    f.peer.start();
    Instant firstSent = Instant.ofEpochMilli(START - 10_000);
    RequestHandle handle = f.peer.request(OutgoingRequest.builder().destinations(C)
        .command("x").uid("u-2").issuedAt(firstSent).ttl(Duration.ofSeconds(30)).build());

    assertThat(handle.deadline()).isEqualTo(firstSent.plusSeconds(30));
    // stamped at send time (as every envelope), with what is left of the first deadline
    Envelope e = f.transport.last();
    assertThat(e.getTimestamp()).isEqualTo(START / 1000);
    assertThat(e.getTimestamp() + e.getExpiration())
        .isBetween(handle.deadline().getEpochSecond(), handle.deadline().getEpochSecond() + 1);
    assertThat(f.transport.deadlines).containsExactly(handle.deadline());
  }

  @Test
  void aResendPastItsDeadlineNeverReachesTheWire() {
    f.peer.start();
    RequestHandle handle = f.peer.request(OutgoingRequest.builder().destinations(C)
        .command("x").uid("u-3").issuedAt(Instant.ofEpochMilli(START - 60_000))
        .ttl(Duration.ofSeconds(30)).build());
    f.scheduler.advanceTo(START);

    Outcome outcome = handle.outcome(C).join();
    assertThat(outcome).isInstanceOf(Outcome.Error.class);
    assertThat(((Outcome.Error) outcome).message()).startsWith("request was not sent");
    assertThat(handle.deadline()).isEqualTo(Instant.ofEpochMilli(START - 30_000));
    assertThat(f.transport.envelopes()).isEmpty();
  }

  @Test
  void answersForUidsNobodyWaitsForReachTheListenerWithTheirSession() {
    f.peer.onUnmatchedAnswer(unmatched::add).start();
    f.transport.deliver(signed(f.response(B, "from-last-run", "{\"ok\":1}")
        .setSource(Address.newBuilder().setTwin((int) B).setConnection("s1")), ID_B));
    f.transport.deliver(signed(f.from(B, "failed-last-run")
        .setError(Error.newBuilder().setCode(7).setMessage("nope")), ID_B));
    f.transport.deliver(Envelope.newBuilder().setUid("relay-last-run").setExpiration(300)
        .setTimestamp(START / 1000).setDestination(Address.newBuilder().setTwin((int) A))
        .setError(Error.newBuilder().setMessage("destination offline")).build());

    assertThat(unmatched).hasSize(3);
    UnmatchedAnswer response = unmatched.get(0);
    assertThat(response.uid()).isEqualTo("from-last-run");
    assertThat(response.session()).contains("s1");
    assertThat(response.source()).isEqualTo(B + ":s1");
    assertThat(((Outcome.Response) response.outcome()).payloadText()).isEqualTo("{\"ok\":1}");
    assertThat(unmatched.get(1)).isEqualTo(new UnmatchedAnswer("failed-last-run",
        Optional.empty(), new Outcome.Error(B, Outcome.Origin.PEER, 7, "nope")));
    assertThat(unmatched.get(1).source()).isEqualTo(Long.toString(B));
    assertThat(unmatched.get(2)).isEqualTo(new UnmatchedAnswer("relay-last-run",
        Optional.empty(), new Outcome.Error(0, Outcome.Origin.RELAY, 0, "destination offline")));

    PeerStats stats = f.peer.stats();
    assertThat(stats.answersUnmatched()).isEqualTo(3);
    assertThat(stats.dropped(DropReason.UNKNOWN_REQUEST)).isZero();
    assertThat(stats.dropped(DropReason.UNMATCHED_RELAY_ERROR)).isZero();
  }

  @Test
  void matchedAnswersNeverReachTheListenerAndAThrowingListenerLosesNothingElse() {
    f.peer.onUnmatchedAnswer(a -> {
      unmatched.add(a);
      throw new IllegalStateException("listener bug");
    }).start();
    RequestHandle handle = f.peer.request(List.of(B), "x", new byte[0], Duration.ofSeconds(30));
    f.transport.deliver(signed(f.response(B, "stray", "{}"), ID_B));
    f.transport.deliver(signed(f.response(B, handle.uid(), "{}"), ID_B));

    assertThat(handle.outcome(B).join().kind()).isEqualTo(Outcome.Kind.RESPONSE);
    assertThat(unmatched).extracting(UnmatchedAnswer::uid).containsExactly("stray");
    assertThat(f.peer.stats().answersReceived()).isEqualTo(1);
  }

  @Test
  void aDeferredRequestIsAnsweredLaterFromOutsideTheHandler() throws Exception {
    List<IncomingRequest> queued = new CopyOnWriteArrayList<>();
    f.peer.handleOthers(request -> {
      queued.add(request);
      return java.util.concurrent.CompletableFuture.completedFuture(Reply.later());
    }).start();
    f.transport.deliver(signed(f.request(B, "req-1", "calc.add", "[1,2]")
        .setSource(Address.newBuilder().setTwin((int) B).setConnection("s9")), ID_B));

    assertThat(queued).extracting(IncomingRequest::uid).containsExactly("req-1");
    assertThat(f.transport.envelopes()).isEmpty(); // nothing answered yet

    f.peer.reply("req-1", B, Optional.of("s9"), Reply.of("{\"sum\":3}")).join();
    f.peer.reply("req-2", C, Optional.empty(), Reply.error(7, "no")).join();

    Envelope response = f.transport.envelopes().get(0);
    assertThat(response.getUid()).isEqualTo("req-1");
    assertThat(response.getDestination().getTwin()).isEqualTo((int) B);
    assertThat(response.getDestination().getConnection()).isEqualTo("s9");
    assertThat(response.hasResponse()).isTrue();
    assertThat(response.hasCipher()).isTrue(); // B has an encryption key
    io.rmb.peer.envelope.Envelopes.verify(response, PeerFixture.ID_A.publicKey());
    Envelope error = f.transport.envelopes().get(1);
    assertThat(error.getDestination().getTwin()).isEqualTo((int) C);
    assertThat(error.getError().getCode()).isEqualTo(7);
    assertThat(error.getError().getMessage()).isEqualTo("no");
    assertThat(f.peer.stats().responsesSent()).isEqualTo(1);
    assertThat(f.peer.stats().errorsSent()).isEqualTo(1);
    assertThatThrownBy(() -> f.peer.reply("x", B, Optional.empty(), Reply.later()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> f.peer.reply("x", 0, Optional.empty(), Reply.of("{}")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
