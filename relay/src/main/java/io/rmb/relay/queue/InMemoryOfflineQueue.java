package io.rmb.relay.queue;

import io.rmb.relay.session.SessionKey;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The default {@link OfflineQueue}: one bounded FIFO per session, in this process's memory
 * (lost on restart; a Redis Streams backend is for relays that must survive one).
 *
 * <ul>
 *   <li>Bound: {@link QueueLimits#maxPerSession()} envelopes per session; offering to a full
 *       queue drops its <em>oldest</em> envelope (counted in {@link QueueStats#droppedFull()}).
 *   <li>Idle expiry: a session's queue is dropped {@link QueueLimits#idleExpiry()} after its
 *       last offer, checked on every access and by {@link #evictIdle()} (counted per envelope in
 *       {@link QueueStats#droppedIdle()}).
 *   <li>Deadlines: an envelope whose deadline has passed is never returned by {@link #peek};
 *       it is dropped when met (counted in {@link QueueStats#droppedExpired()}).
 * </ul>
 *
 * <p>Thread-safe: every change to a session's queue runs inside
 * {@link ConcurrentHashMap#compute}, so an offer can never land in a queue another thread is
 * removing. All stages are already complete when returned.
 */
public final class InMemoryOfflineQueue implements OfflineQueue {
  private final QueueLimits limits;
  private final Clock clock;
  private final long idleMillis;
  private final ConcurrentHashMap<SessionKey, Box> boxes = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong depth = new AtomicLong();
  private final LongAdder offered = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder droppedFull = new LongAdder();
  private final LongAdder droppedIdle = new LongAdder();
  private final LongAdder droppedExpired = new LongAdder();

  /** A queue with the {@link QueueLimits#DEFAULT default limits} and the UTC system clock. */
  public InMemoryOfflineQueue() {
    this(QueueLimits.DEFAULT, Clock.systemUTC());
  }

  public InMemoryOfflineQueue(QueueLimits limits, Clock clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.idleMillis = limits.idleExpiry().toMillis();
  }

  /** The limits this queue enforces. */
  public QueueLimits limits() {
    return limits;
  }

  @Override
  public CompletionStage<Void> offer(SessionKey key, byte[] envelope, long deadline) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(envelope, "envelope");
    long nowMillis = clock.millis();
    if (deadline <= Math.floorDiv(nowMillis, 1000L)) {
      // dead on arrival: storing it would only cost memory until the next peek
      droppedExpired.increment();
      return CompletableFuture.completedFuture(null);
    }
    boxes.compute(key, (k, box) -> {
      if (box != null && box.idleAt(nowMillis, idleMillis)) {
        dropIdle(box);
        box = null;
      }
      if (box == null) {
        box = new Box();
      }
      if (box.entries.size() >= limits.maxPerSession()) {
        box.entries.removeFirst();
        depth.decrementAndGet();
        droppedFull.increment();
      }
      long seq = sequence.incrementAndGet();
      box.entries.addLast(new Entry(seq, new QueuedEnvelope(Long.toString(seq), envelope,
          deadline)));
      box.lastWrite = nowMillis;
      depth.incrementAndGet();
      offered.increment();
      return box;
    });
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<List<QueuedEnvelope>> peek(SessionKey key, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive, got " + max);
    }
    long nowMillis = clock.millis();
    long nowSeconds = Math.floorDiv(nowMillis, 1000L);
    List<QueuedEnvelope> result = new ArrayList<>(Math.min(max, 64));
    boxes.computeIfPresent(key, (k, box) -> {
      if (box.idleAt(nowMillis, idleMillis)) {
        dropIdle(box);
        return null;
      }
      Iterator<Entry> it = box.entries.iterator();
      while (it.hasNext() && result.size() < max) {
        Entry entry = it.next();
        if (entry.envelope.expiredAt(nowSeconds)) {
          it.remove();
          depth.decrementAndGet();
          droppedExpired.increment();
        } else {
          result.add(entry.envelope);
        }
      }
      return box.entries.isEmpty() ? null : box;
    });
    return CompletableFuture.completedFuture(result);
  }

  @Override
  public CompletionStage<Void> acknowledge(SessionKey key, List<QueuedEnvelope> written) {
    if (written.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    long last = -1;
    for (QueuedEnvelope envelope : written) {
      last = Math.max(last, parseId(envelope.id()));
    }
    long upTo = last;
    boxes.computeIfPresent(key, (k, box) -> {
      // peek returns a prefix of the queue (expired entries removed), and sequence numbers grow
      // in queue order, so everything up to the last id written is exactly what was written
      while (!box.entries.isEmpty() && box.entries.peekFirst().seq <= upTo) {
        box.entries.removeFirst();
        depth.decrementAndGet();
        delivered.increment();
      }
      return box.entries.isEmpty() ? null : box;
    });
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void evictIdle() {
    long nowMillis = clock.millis();
    for (SessionKey key : boxes.keySet()) {
      boxes.computeIfPresent(key, (k, box) -> {
        if (box.idleAt(nowMillis, idleMillis)) {
          dropIdle(box);
          return null;
        }
        return box;
      });
    }
  }

  @Override
  public QueueStats stats() {
    return new QueueStats(depth.get(), boxes.size(), offered.sum(), delivered.sum(),
        droppedFull.sum(), droppedIdle.sum(), droppedExpired.sum());
  }

  @Override
  public CompletionStage<List<SessionKey>> queuedSessions() {
    return CompletableFuture.completedFuture(List.copyOf(boxes.keySet()));
  }

  /** Envelopes queued for {@code key} right now, expired or not. */
  public int size(SessionKey key) {
    // reading the deque outside compute would race with writers; take the bin lock
    int[] size = {0};
    boxes.computeIfPresent(key, (k, box) -> {
      size[0] = box.entries.size();
      return box;
    });
    return size[0];
  }

  private void dropIdle(Box box) {
    int count = box.entries.size();
    box.entries.clear();
    depth.addAndGet(-count);
    droppedIdle.add(count);
  }

  private static long parseId(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an id of this queue: " + id, e);
    }
  }

  private static final class Box {
    final ArrayDeque<Entry> entries = new ArrayDeque<>();
    long lastWrite;

    boolean idleAt(long nowMillis, long idleMillis) {
      return nowMillis - lastWrite >= idleMillis;
    }
  }

  private record Entry(long seq, QueuedEnvelope envelope) {}
}
