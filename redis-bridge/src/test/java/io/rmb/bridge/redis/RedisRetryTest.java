package io.rmb.bridge.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisLoadingException;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rmb.peer.transport.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When {@link RedisRetry} runs a step again and when it gives up. */
class RedisRetryTest {
  private static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final RedisRetry retry = new RedisRetry(Backoff.fixed(Duration.ofMillis(10)), clock,
      closing::get, new BridgeMetrics(registry, Tags.empty()));
  private final AtomicInteger attempts = new AtomicInteger();

  /** Fails with LOADING the first {@code failures} times, then answers the attempt number. */
  private CompletableFuture<Integer> loadingFor(int failures) {
    int attempt = attempts.incrementAndGet();
    return attempt <= failures
        ? CompletableFuture.failedFuture(new RedisLoadingException("LOADING"))
        : CompletableFuture.completedFuture(attempt);
  }

  private double errors() {
    return registry.get("rmb.bridge.redis.errors").tag("operation", "accept").counter().count();
  }

  @Test
  void aStepThatFailsWhileRedisLoadsSucceedsOnALaterAttempt() throws Exception {
    int result = retry.run("accept", NOW.plusSeconds(30), () -> loadingFor(3))
        .get(10, TimeUnit.SECONDS);
    assertThat(result).isEqualTo(4);
    assertThat(errors()).isEqualTo(3.0);
  }

  @Test
  void givesUpWithTheLastErrorWhenTheNextAttemptWouldStartAfterTheDeadline() {
    CompletableFuture<Integer> result = retry.run("accept", NOW.plusMillis(5),
        () -> loadingFor(Integer.MAX_VALUE));
    assertThat(result).failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(RedisLoadingException.class);
    assertThat(attempts.get()).isEqualTo(1);
  }

  @Test
  void givesUpWhenTheBridgeIsClosing() {
    closing.set(true);
    CompletableFuture<Integer> result = retry.run("accept", NOW.plusSeconds(30),
        () -> loadingFor(Integer.MAX_VALUE));
    assertThat(result).failsWithin(Duration.ofSeconds(10));
    assertThat(attempts.get()).isEqualTo(1);
  }

  @Test
  void aStepThatThrowsInsteadOfFailingItsFutureIsRetriedToo() throws Exception {
    int[] calls = {0};
    int result = retry.<Integer>run("accept", NOW.plusSeconds(30), () -> {
      if (calls[0]++ == 0) {
        throw new IllegalStateException("connection closed");
      }
      return CompletableFuture.completedFuture(calls[0]);
    }).get(10, TimeUnit.SECONDS);
    assertThat(result).isEqualTo(2);
  }
}
