package io.rmb.peer.metrics;

import java.util.Objects;

/** One named check behind {@code /health} or {@code /ready}; must be cheap and non-blocking. */
@FunctionalInterface
public interface HealthCheck {

  /** The current state. A check that throws counts as down, with the exception's message. */
  Result check();

  /**
   * A check's answer.
   *
   * @param up true when healthy (or ready)
   * @param detail one line for operators, e.g. "2 of 2 relays connected"
   */
  record Result(boolean up, String detail) {
    public Result {
      Objects.requireNonNull(detail, "detail");
    }

    public static Result up(String detail) {
      return new Result(true, detail);
    }

    public static Result down(String detail) {
      return new Result(false, detail);
    }
  }
}
