package io.rmb.peer.twin;

import io.rmb.peer.substrate.ChainApi;
import io.rmb.peer.substrate.HexBytes;
import io.rmb.peer.substrate.StorageChange;
import io.rmb.peer.substrate.SubstrateException;
import io.rmb.peer.substrate.Subscription;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a fixed set of twins on tfchain ({@code state_subscribeStorage} on their
 * {@code Twins(id)} keys) and reports each change, typically to
 * {@link CachingTwinDirectory#invalidate(long)} so a rotated key or moved relay is picked up
 * at once instead of after the cache's time to live.
 *
 * <p>Optional: the cache works without it. When the subscription ends (connection lost) every
 * watched twin is reported as changed, since changes may have been missed, and the watcher
 * subscribes again after {@code retryDelay}, until closed. The node's first notification
 * carries the current values; those are reported too, which is harmless for invalidation.
 */
public final class TwinChangeWatcher implements AutoCloseable {
  /** Wait before subscribing again after a failure. */
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(TwinChangeWatcher.class);

  private final ChainApi chain;
  private final Map<String, Long> idsByKey = new HashMap<>();
  private final LongConsumer onChange;
  private final Duration retryDelay;
  private final CompletableFuture<Void> firstSubscription = new CompletableFuture<>();
  private volatile Subscription subscription;
  private volatile boolean closed;

  private TwinChangeWatcher(ChainApi chain, Collection<Long> ids, LongConsumer onChange,
      Duration retryDelay) {
    this.chain = Objects.requireNonNull(chain, "chain");
    this.onChange = Objects.requireNonNull(onChange, "onChange");
    this.retryDelay = Objects.requireNonNull(retryDelay, "retryDelay");
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("no twin ids to watch");
    }
    for (long id : Set.copyOf(ids)) {
      idsByKey.put(HexBytes.encode(TfchainCodec.twinKey(id)), id);
    }
  }

  /**
   * Starts watching {@code ids}; each change calls {@code onChange} with the twin id. Returns
   * at once; {@link #subscribed()} tells when the first subscription is in place.
   */
  public static TwinChangeWatcher start(ChainApi chain, Collection<Long> ids,
      LongConsumer onChange, Duration retryDelay) {
    TwinChangeWatcher watcher = new TwinChangeWatcher(chain, ids, onChange, retryDelay);
    watcher.subscribe();
    return watcher;
  }

  /** Starts watching {@code ids} and invalidates them in {@code cache} when they change. */
  public static TwinChangeWatcher invalidating(ChainApi chain, Collection<Long> ids,
      CachingTwinDirectory cache) {
    Objects.requireNonNull(cache, "cache");
    return start(chain, ids, cache::invalidate, DEFAULT_RETRY_DELAY);
  }

  /** Completes when the first subscription is active (fails only if closed before). */
  public CompletableFuture<Void> subscribed() {
    return firstSubscription.copy();
  }

  /** The watched twin ids. */
  public Set<Long> ids() {
    return Set.copyOf(idsByKey.values());
  }

  /** Stops watching; idempotent. */
  @Override
  public void close() {
    closed = true;
    firstSubscription.completeExceptionally(new TwinDirectoryException("watcher closed"));
    Subscription current = subscription;
    if (current != null) {
      current.unsubscribe();
    }
  }

  private void subscribe() {
    if (closed) {
      return;
    }
    List<byte[]> keys = idsByKey.keySet().stream()
        .map(key -> HexBytes.decode(key, "twin key"))
        .toList();
    chain.subscribeStorage(keys, this::onChanges, this::onTerminated)
        .whenComplete((sub, error) -> {
          if (error != null) {
            LOG.warn("cannot watch twins {} on tfchain, retrying in {} ms: {}", ids(),
                retryDelay.toMillis(), TfchainTwinDirectory.unwrap(error).getMessage());
            retryLater();
            return;
          }
          subscription = sub;
          if (closed) {
            sub.unsubscribe();
            return;
          }
          LOG.debug("watching twins {} on tfchain", ids());
          firstSubscription.complete(null);
        });
  }

  private void onChanges(List<StorageChange> changes) {
    for (StorageChange change : changes) {
      Long id = idsByKey.get(HexBytes.encode(change.key()));
      if (id != null) {
        LOG.debug("twin {} changed on tfchain", id);
        notifyChange(id);
      }
    }
  }

  private void onTerminated(SubstrateException cause) {
    if (closed) {
      return;
    }
    LOG.warn("lost the tfchain twin subscription, re-reading twins {} and subscribing again"
        + " in {} ms: {}", ids(), retryDelay.toMillis(), cause.getMessage());
    idsByKey.values().forEach(this::notifyChange);
    retryLater();
  }

  private void notifyChange(long id) {
    try {
      onChange.accept(id);
    } catch (RuntimeException e) {
      LOG.warn("twin change handler failed for twin {}", id, e);
    }
  }

  private void retryLater() {
    if (!closed) {
      CompletableFuture.delayedExecutor(retryDelay.toMillis(), TimeUnit.MILLISECONDS)
          .execute(this::subscribe);
    }
  }
}
