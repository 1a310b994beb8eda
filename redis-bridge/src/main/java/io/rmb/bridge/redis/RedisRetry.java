package io.rmb.bridge.redis;

import io.rmb.peer.transport.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an idempotent Redis step of a request again after a Redis error (connection lost,
 * {@code LOADING} while a restarted server reads its AOF, a timeout), with backoff, until a
 * deadline or until the bridge closes; only then does the step fail for good.
 *
 * <p>Why: a request whose step failed used to stay in the processing list until the next
 * bridge start, so a redis-server restart alone left requests unsent and answers in hand
 * unpushed until then (RedisChaosIT: 155 of them answered "not sent" 45 s later, after an
 * unrelated bridge restart). Every step retried here is safe to run twice (the scripts in
 * {@link RedisOps} check what they already did).
 */
final class RedisRetry {
  private static final Logger LOG = LoggerFactory.getLogger(RedisRetry.class);

  private final Backoff backoff;
  private final Clock clock;
  private final BooleanSupplier closing;
  private final BridgeMetrics metrics;

  RedisRetry(Backoff backoff, Clock clock, BooleanSupplier closing, BridgeMetrics metrics) {
    this.backoff = backoff;
    this.clock = clock;
    this.closing = closing;
    this.metrics = metrics;
  }

  /**
   * Completes with the step's result, or fails with its last error once the next attempt
   * would start after {@code until} or the bridge is closing; every failed attempt is counted
   * as a Redis error of {@code step}.
   */
  <T> CompletableFuture<T> run(String step, Instant until, Supplier<CompletableFuture<T>> op) {
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(step, until, op, 1, result);
    return result;
  }

  private <T> void attempt(String step, Instant until, Supplier<CompletableFuture<T>> op,
      int attempt, CompletableFuture<T> result) {
    CompletableFuture<T> running;
    try {
      running = op.get();
    } catch (RuntimeException e) {
      running = CompletableFuture.failedFuture(e);
    }
    running.whenComplete((value, error) -> {
      if (error == null) {
        result.complete(value);
        return;
      }
      metrics.redisError(step);
      Duration delay = backoff.delay(attempt);
      if (closing.getAsBoolean() || clock.instant().plus(delay).isAfter(until)) {
        result.completeExceptionally(error);
        return;
      }
      LOG.debug("Redis {} failed ({}); retrying in {} ms (attempt {})", step,
          rootMessage(error), delay.toMillis(), attempt);
      Executor later = CompletableFuture.delayedExecutor(delay.toMillis(),
          TimeUnit.MILLISECONDS);
      later.execute(() -> attempt(step, until, op, attempt + 1, result));
    });
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }
}
