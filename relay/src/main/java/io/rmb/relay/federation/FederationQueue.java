package io.rmb.relay.federation;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Envelopes accepted for federation and not yet settled. The in-memory queue hands them to
 * the workers at once; the Redis one keeps them in a stream until {@link #complete}, so work
 * pending when an instance stops is taken over by another instance (or the same relay after a
 * restart).
 */
public interface FederationQueue extends AutoCloseable {
  /** Stores an envelope for federation; completes when stored. */
  CompletionStage<Void> offer(byte[] envelope, long deadline);

  /** Starts handing stored jobs (new and taken over) to {@code worker}; called once. */
  void start(Consumer<FederationJob> worker);

  /** The job is still being worked on (keeps other instances from taking it over). */
  default void touch(FederationJob job) {}

  /** The job is settled (posted, or given up and reported): forget it. */
  default void complete(FederationJob job) {}

  /** Jobs stored and not settled, as far as this instance knows (gauge). */
  long pending();

  @Override
  default void close() {}
}
