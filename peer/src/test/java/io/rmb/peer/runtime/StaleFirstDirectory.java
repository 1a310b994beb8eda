package io.rmb.peer.runtime;

import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Answers the first lookup of one twin with a stale record, later ones from the delegate. */
final class StaleFirstDirectory implements TwinDirectory {
  private final TwinDirectory delegate;
  private final long staleId;
  private final Twin stale;
  private final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();

  StaleFirstDirectory(TwinDirectory delegate, long staleId, Twin stale) {
    this.delegate = delegate;
    this.staleId = staleId;
    this.stale = stale;
  }

  @Override
  public CompletableFuture<Optional<Twin>> get(long id) {
    int n = calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    if (id == staleId && n == 1) {
      return CompletableFuture.completedFuture(Optional.of(stale));
    }
    return delegate.get(id);
  }

  int calls(long id) {
    AtomicInteger n = calls.get(id);
    return n == null ? 0 : n.get();
  }
}
