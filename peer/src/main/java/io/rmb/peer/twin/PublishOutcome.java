package io.rmb.peer.twin;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How a {@link TwinPublisher} run ended, for the log and a metric.
 *
 * @param status what happened
 * @param twinId our twin id, when it was resolved
 * @param detail one human-readable line: what matched, which block, or why it failed
 * @param elapsed time from start to outcome
 */
public record PublishOutcome(Status status, OptionalLong twinId, String detail,
    Duration elapsed) {
  /** The four ways a publish run ends. */
  public enum Status {
    /** The chain already had our relays and pk; nothing was submitted. */
    UP_TO_DATE,
    /** {@code update_twin} was finalized and the twin read back matches. */
    UPDATED,
    /** Something went wrong; {@link #detail()} says what. The gateway runs on regardless. */
    FAILED,
    /** Publishing was switched off (e.g. {@code --no-update}). */
    SKIPPED
  }

  public PublishOutcome {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(twinId, "twinId");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** An outcome for a run that was never started, e.g. because of {@code --no-update}. */
  public static PublishOutcome skipped(String reason) {
    return new PublishOutcome(Status.SKIPPED, OptionalLong.empty(), reason, Duration.ZERO);
  }

  /** False only for {@link Status#FAILED}. */
  public boolean ok() {
    return status != Status.FAILED;
  }

  @Override
  public String toString() {
    return status + (twinId.isPresent() ? " twin " + twinId.getAsLong() : "") + " ("
        + elapsed.toMillis() + " ms): " + detail;
  }
}
