package io.rmb.peer.twin;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caches another {@link TwinDirectory} for a fixed time to live (rmb-peer uses 5 minutes).
 *
 * <p>Concurrent misses for one id share a single lookup: the first caller starts it and the
 * others get the same future. Failed lookups are not cached, so the next call retries.
 * {@link #invalidate(long)} drops one entry: callers use it to "refetch once" when a signature
 * or decryption fails, because the twin may have rotated its key since it was cached.
 * "No such twin" answers are cached like any other, for the same TTL.
 */
public final class CachingTwinDirectory implements TwinDirectory {
  /** rmb-peer's cache lifetime. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

  private final TwinDirectory delegate;
  private final Clock clock;
  private final long ttlMillis;
  private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();

  public CachingTwinDirectory(TwinDirectory delegate) {
    this(delegate, DEFAULT_TTL, Clock.systemUTC());
  }

  public CachingTwinDirectory(TwinDirectory delegate, Duration ttl, Clock clock) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("cache ttl must be positive, got " + ttl);
    }
    this.ttlMillis = ttl.toMillis();
  }

  @Override
  public CompletableFuture<Optional<Twin>> get(long id) {
    long now = clock.millis();
    Entry entry = entries.compute(id, (key, existing) -> {
      if (existing != null && (existing.pending() || now - existing.loadedAt < ttlMillis)) {
        return existing;
      }
      return new Entry(new CompletableFuture<>(), Long.MIN_VALUE);
    });
    if (entry.loadedAt == Long.MIN_VALUE && entry.claim()) {
      load(id, entry);
    }
    // callers must not be able to complete the shared future
    return entry.future.copy();
  }

  /** Not cached: asked once at start-up, so it goes straight to the delegate. */
  @Override
  public CompletableFuture<OptionalLong> twinIdOf(byte[] account) {
    return delegate.twinIdOf(account);
  }

  /** Forgets {@code id} so the next lookup goes to the delegate. */
  public void invalidate(long id) {
    entries.remove(id);
  }

  /** Forgets every cached twin. */
  public void invalidateAll() {
    entries.clear();
  }

  private void load(long id, Entry entry) {
    CompletableFuture<Optional<Twin>> lookup;
    try {
      lookup = Objects.requireNonNull(delegate.get(id), "directory returned null");
    } catch (RuntimeException e) {
      lookup = CompletableFuture.failedFuture(e);
    }
    lookup.whenComplete((twin, error) -> {
      if (error != null) {
        // failures are not cached: remove only our own entry, not a newer one
        entries.remove(id, entry);
        entry.future.completeExceptionally(error);
      } else {
        entries.replace(id, entry, entry.loaded(clock.millis()));
        entry.future.complete(twin);
      }
    });
  }

  private static final class Entry {
    final CompletableFuture<Optional<Twin>> future;
    final long loadedAt;
    private final java.util.concurrent.atomic.AtomicBoolean claimed =
        new java.util.concurrent.atomic.AtomicBoolean();

    Entry(CompletableFuture<Optional<Twin>> future, long loadedAt) {
      this.future = future;
      this.loadedAt = loadedAt;
    }

    boolean pending() {
      return loadedAt == Long.MIN_VALUE;
    }

    boolean claim() {
      return claimed.compareAndSet(false, true);
    }

    Entry loaded(long at) {
      Entry done = new Entry(future, at);
      done.claimed.set(true);
      return done;
    }
  }
}
