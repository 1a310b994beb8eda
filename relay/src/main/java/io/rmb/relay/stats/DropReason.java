package io.rmb.relay.stats;

/** Why an envelope the relay received was never delivered and nobody was told. */
public enum DropReason {
  /** Its session's queue (or a draining session's buffer) was full: the oldest was dropped. */
  QUEUE_FULL,
  /** Its session's queue was idle past the expiry and dropped with everything in it. */
  QUEUE_IDLE,
  /** Its deadline passed before it could be delivered. */
  EXPIRED,
  /** The offline queue failed to store it. */
  QUEUE_ERROR,
  /**
   * It was refused (a {@link io.rmb.relay.routing.RouteFailure}) but was not a request, so no
   * error envelope went back: responses, errors and pongs are never answered.
   */
  UNANSWERED
}
