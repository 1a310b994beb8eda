package io.rmb.peer.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingTwinDirectoryTest {

  /** A directory whose lookups the test completes by hand and counts. */
  static final class ControlledDirectory implements TwinDirectory {
    final List<CompletableFuture<Optional<Twin>>> pending = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public CompletableFuture<Optional<Twin>> get(long id) {
      calls.incrementAndGet();
      CompletableFuture<Optional<Twin>> future = new CompletableFuture<>();
      pending.add(future);
      return future;
    }

    void completeAll(long id) {
      pending.forEach(f -> f.complete(Optional.of(twin(id))));
    }
  }

  static Twin twin(long id) {
    return new Twin(id, new byte[32], Set.of("relay.example"), null);
  }

  @Test
  void concurrentMissesShareOneLookup() throws Exception {
    ControlledDirectory delegate = new ControlledDirectory();
    CachingTwinDirectory cache = new CachingTwinDirectory(delegate, Duration.ofMinutes(5),
        new ManualClock(0));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<CompletableFuture<Optional<Twin>>>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 64; i++) {
        calls.add(pool.submit(() -> cache.get(7)));
      }
      List<CompletableFuture<Optional<Twin>>> results = new java.util.ArrayList<>();
      for (Future<CompletableFuture<Optional<Twin>>> call : calls) {
        results.add(call.get(10, TimeUnit.SECONDS));
      }

      assertThat(delegate.calls).hasValue(1);
      assertThat(results).allMatch(f -> !f.isDone());
      delegate.completeAll(7);
      for (CompletableFuture<Optional<Twin>> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).contains(twin(7));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void cachesForTheTtlThenRefetches() throws Exception {
    ControlledDirectory delegate = new ControlledDirectory();
    ManualClock clock = new ManualClock(0);
    CachingTwinDirectory cache = new CachingTwinDirectory(delegate, Duration.ofMinutes(5), clock);

    CompletableFuture<Optional<Twin>> first = cache.get(7);
    delegate.completeAll(7);
    assertThat(first.get()).contains(twin(7));

    clock.advance(Duration.ofMinutes(5).minusMillis(1));
    assertThat(cache.get(7).get()).contains(twin(7));
    assertThat(delegate.calls).hasValue(1);

    clock.advance(1);
    CompletableFuture<Optional<Twin>> refreshed = cache.get(7);
    assertThat(delegate.calls).hasValue(2);
    delegate.completeAll(7);
    assertThat(refreshed.get()).contains(twin(7));
  }

  @Test
  void invalidateForcesOneRefetch() throws Exception {
    ControlledDirectory delegate = new ControlledDirectory();
    CachingTwinDirectory cache = new CachingTwinDirectory(delegate, Duration.ofMinutes(5),
        new ManualClock(0));
    cache.get(7);
    delegate.completeAll(7);

    cache.invalidate(7);
    cache.get(7);
    cache.get(7);

    assertThat(delegate.calls).hasValue(2);
  }

  @Test
  void failuresAreNotCached() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    TwinDirectory flaky = id -> calls.incrementAndGet() == 1
        ? CompletableFuture.failedFuture(new TwinDirectoryException("chain unreachable"))
        : CompletableFuture.completedFuture(Optional.of(twin(id)));
    CachingTwinDirectory cache = new CachingTwinDirectory(flaky, Duration.ofMinutes(5),
        new ManualClock(0));

    assertThatThrownBy(() -> cache.get(7).get())
        .isInstanceOf(ExecutionException.class).hasMessageContaining("chain unreachable");
    assertThat(cache.get(7).get()).contains(twin(7));
    assertThat(cache.get(7).get()).contains(twin(7));
    assertThat(calls).hasValue(2);
  }

  @Test
  void aDelegateThatThrowsIsReportedThroughTheFuture() {
    TwinDirectory broken = id -> {
      throw new TwinDirectoryException("boom");
    };
    CachingTwinDirectory cache = new CachingTwinDirectory(broken);

    assertThatThrownBy(() -> cache.get(1).get()).hasRootCauseInstanceOf(
        TwinDirectoryException.class).hasMessageContaining("boom");
  }

  @Test
  void callersCannotCompleteTheSharedLookup() throws Exception {
    ControlledDirectory delegate = new ControlledDirectory();
    CachingTwinDirectory cache = new CachingTwinDirectory(delegate, Duration.ofMinutes(5),
        new ManualClock(0));

    cache.get(7).complete(Optional.empty());
    delegate.completeAll(7);

    assertThat(cache.get(7).get()).contains(twin(7));
  }

  @Test
  void absentTwinsAreCachedToo() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    TwinDirectory empty = id -> {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture(Optional.empty());
    };
    CachingTwinDirectory cache = new CachingTwinDirectory(empty, Duration.ofMinutes(5),
        new ManualClock(0));

    assertThat(cache.get(3).get()).isEmpty();
    assertThat(cache.get(3).get()).isEmpty();
    assertThat(calls).hasValue(1);
  }
}
