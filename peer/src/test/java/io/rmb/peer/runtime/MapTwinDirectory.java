package io.rmb.peer.runtime;

import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory twin directory that counts lookups; public for the transport ITs too. */
public final class MapTwinDirectory implements TwinDirectory {
  private final Map<Long, Twin> twins = new ConcurrentHashMap<>();
  public final AtomicInteger lookups = new AtomicInteger();

  public MapTwinDirectory put(Twin twin) {
    twins.put(twin.id(), twin);
    return this;
  }

  public void remove(long id) {
    twins.remove(id);
  }

  @Override
  public CompletableFuture<Optional<Twin>> get(long id) {
    lookups.incrementAndGet();
    return CompletableFuture.completedFuture(Optional.ofNullable(twins.get(id)));
  }
}
