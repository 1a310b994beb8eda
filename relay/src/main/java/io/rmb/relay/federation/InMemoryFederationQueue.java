package io.rmb.relay.federation;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link FederationQueue} without storage: jobs go straight to the workers and are lost when
 * the relay stops. Thread-safe.
 */
public final class InMemoryFederationQueue implements FederationQueue {
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong pending = new AtomicLong();
  private volatile Consumer<FederationJob> worker;

  @Override
  public CompletionStage<Void> offer(byte[] envelope, long deadline) {
    Consumer<FederationJob> target = worker;
    if (target == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("federation queue not started"));
    }
    pending.incrementAndGet();
    target.accept(new FederationJob(Long.toString(sequence.incrementAndGet()), envelope,
        deadline));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void start(Consumer<FederationJob> worker) {
    this.worker = Objects.requireNonNull(worker, "worker");
  }

  @Override
  public void complete(FederationJob job) {
    pending.decrementAndGet();
  }

  @Override
  public long pending() {
    return pending.get();
  }
}
