package io.rmb.peer.runtime;

import java.util.Objects;
import java.util.Optional;

/**
 * A verified answer (response, peer error or relay error) whose uid has no request waiting in
 * this peer: typically sent by an earlier run of a bridge that keeps its own record of what
 * it sent (rmb-peer's backlog keys, a Kafka state store). Delivered to the listener set with
 * {@link RmbPeer#onUnmatchedAnswer}; without one such answers are dropped and counted as
 * {@link DropReason#UNKNOWN_REQUEST} or {@link DropReason#UNMATCHED_RELAY_ERROR}.
 *
 * @param uid the envelope uid the answer carries
 * @param session the source session, empty for the twin's default connection (and for
 *     relay errors)
 * @param outcome the answer; for a relay error the twin is 0, because a relay error does not
 *     name the destination it was about
 */
public record UnmatchedAnswer(String uid, Optional<String> session, Outcome outcome) {
  public UnmatchedAnswer {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** The source as rmb-peer writes it: {@code "41"} or {@code "41:session"}. */
  public String source() {
    return session.map(s -> outcome.twin() + ":" + s).orElse(Long.toString(outcome.twin()));
  }
}
