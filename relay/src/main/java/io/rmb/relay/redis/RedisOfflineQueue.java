package io.rmb.relay.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.rmb.relay.queue.OfflineQueue;
import io.rmb.relay.queue.QueueLimits;
import io.rmb.relay.queue.QueueStats;
import io.rmb.relay.queue.QueuedEnvelope;
import io.rmb.relay.session.SessionKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link OfflineQueue} on Redis Streams, shared by every relay instance on the same Redis:
 * one stream per session ({@code <prefix>queue.<twin>[:<sid>]}), entries {@code d} (deadline,
 * unix seconds) and {@code e} (the envelope bytes).
 *
 * <ul>
 *   <li>Bound: after each {@code XADD} the stream is trimmed to
 *       {@link QueueLimits#maxPerSession()} entries, exactly ({@code XTRIM MAXLEN =}), so the
 *       number of oldest entries dropped is known and counted.
 *   <li>Idle expiry: each write sets the stream's expiry to {@link QueueLimits#idleExpiry()};
 *       Redis deletes it by itself. Such drops happen inside Redis and cannot be counted here
 *       ({@link QueueStats#droppedIdle()} stays 0).
 *   <li>Deadlines: {@link #peek} never returns an expired entry; it deletes and counts it.
 *   <li>Acknowledge deletes the entries ({@code XDEL}); the relay calls it only after the
 *       frames were written.
 *   <li>Re-route leases ({@link #lease}) are keys {@code <prefix>reroute.<twin>[:<sid>]}
 *       holding the instance id with an expiry ({@code SET NX PX}): one instance moves a
 *       session's entries at a time, and a crashed holder's lease runs out by itself.
 * </ul>
 *
 * <p>Counters are this instance's; the depth and session gauges cover the whole Redis and are
 * refreshed every {@value #GAUGE_REFRESH_SECONDS} s by a scan. Thread-safe; nothing blocks the
 * caller.
 */
public final class RedisOfflineQueue implements OfflineQueue {
  private static final Logger LOG = LoggerFactory.getLogger(RedisOfflineQueue.class);
  static final String DEADLINE = "d";
  static final String ENVELOPE = "e";
  private static final long GAUGE_REFRESH_SECONDS = 5;
  /** Deletes the lease only while it holds our instance id. */
  private static final String RELEASE_IF_OURS =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) "
          + "else return 0 end";

  private final RedisBackend backend;
  private final QueueLimits limits;
  private final Clock clock;
  private final String prefix;
  private final String leasePrefix;
  private final byte[] instance;
  private final RedisAsyncCommands<String, byte[]> redis;
  private final XTrimArgs trim;
  private final LongAdder offered = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder droppedFull = new LongAdder();
  private final LongAdder droppedExpired = new LongAdder();
  private final ScheduledFuture<?> gaugeRefresh;
  private volatile long depth;
  private volatile long sessions;

  RedisOfflineQueue(RedisBackend backend, QueueLimits limits, Clock clock) {
    this.backend = backend;
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.prefix = backend.key("queue.");
    this.leasePrefix = backend.key("reroute.");
    this.instance = backend.instanceId().getBytes(StandardCharsets.UTF_8);
    this.redis = backend.connection().async();
    this.trim = XTrimArgs.Builder.maxlen(limits.maxPerSession()).exactTrimming();
    this.gaugeRefresh = backend.scheduler().scheduleWithFixedDelay(this::refreshGauges, 0,
        GAUGE_REFRESH_SECONDS, TimeUnit.SECONDS);
  }

  /** The stream key of {@code session}. */
  public String streamKey(SessionKey session) {
    return prefix + session;
  }

  @Override
  public CompletionStage<Void> offer(SessionKey key, byte[] envelope, long deadline) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(envelope, "envelope");
    if (deadline <= Math.floorDiv(clock.millis(), 1000L)) {
      droppedExpired.increment();
      return CompletableFuture.completedFuture(null);
    }
    String stream = streamKey(key);
    Map<String, byte[]> body = new LinkedHashMap<>(2);
    body.put(DEADLINE, Long.toString(deadline).getBytes(StandardCharsets.US_ASCII));
    body.put(ENVELOPE, envelope);
    // three commands, pipelined on the shared connection: Redis runs them in this order
    RedisFuture<String> added = redis.xadd(stream, body);
    RedisFuture<Long> trimmed = redis.xtrim(stream, trim);
    RedisFuture<Boolean> expiring = redis.pexpire(stream, limits.idleExpiry().toMillis());
    return CompletableFuture.allOf(added.toCompletableFuture(), trimmed.toCompletableFuture(),
        expiring.toCompletableFuture()).thenRun(() -> {
          offered.increment();
          droppedFull.add(trimmed.toCompletableFuture().join());
        });
  }

  @Override
  public CompletionStage<List<QueuedEnvelope>> peek(SessionKey key, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive, got " + max);
    }
    String stream = streamKey(key);
    return redis.xrange(stream, Range.create("-", "+"), Limit.from(max)).thenCompose(entries -> {
      long now = Math.floorDiv(clock.millis(), 1000L);
      List<QueuedEnvelope> live = new ArrayList<>(entries.size());
      List<String> expired = new ArrayList<>();
      for (StreamMessage<String, byte[]> entry : entries) {
        QueuedEnvelope queued = decode(entry);
        if (queued == null || queued.expiredAt(now)) {
          expired.add(entry.getId());
        } else {
          live.add(queued);
        }
      }
      if (expired.isEmpty()) {
        return CompletableFuture.completedFuture(live);
      }
      return redis.xdel(stream, expired.toArray(String[]::new)).thenApply(removed -> {
        droppedExpired.add(removed);
        return live;
      });
    });
  }

  @Override
  public CompletionStage<Void> acknowledge(SessionKey key, List<QueuedEnvelope> written) {
    if (written.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    String[] ids = written.stream().map(QueuedEnvelope::id).toArray(String[]::new);
    return redis.xdel(streamKey(key), ids).thenAccept(delivered::add);
  }

  @Override
  public CompletionStage<List<SessionKey>> queuedSessions() {
    List<SessionKey> found = new ArrayList<>();
    return scan(ScanCursor.INITIAL, found).thenApply(done -> found);
  }

  private CompletionStage<Void> scan(ScanCursor cursor, List<SessionKey> found) {
    return redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500))
        .thenCompose((KeyScanCursor<String> page) -> {
          for (String stream : page.getKeys()) {
            try {
              found.add(SessionKey.parse(stream.substring(prefix.length())));
            } catch (IllegalArgumentException e) {
              LOG.debug("ignoring key {}: not a session stream", stream);
            }
          }
          return page.isFinished() ? CompletableFuture.completedFuture(null)
              : scan(page, found);
        });
  }

  @Override
  public CompletionStage<Boolean> lease(SessionKey key, Duration lease) {
    return redis.set(leasePrefix + key, instance,
            SetArgs.Builder.nx().px(Math.max(1, lease.toMillis())))
        .thenApply("OK"::equals);
  }

  @Override
  public CompletionStage<Void> release(SessionKey key) {
    return redis.<Long>eval(RELEASE_IF_OURS, ScriptOutputType.INTEGER,
        new String[] {leasePrefix + key}, instance).thenApply(ignored -> null);
  }

  @Override
  public QueueStats stats() {
    return new QueueStats(depth, sessions, offered.sum(), delivered.sum(), droppedFull.sum(), 0,
        droppedExpired.sum());
  }

  /** Recomputes the depth and session gauges now (the relay also does it periodically). */
  public void refreshGauges() {
    try {
      RedisCommands<String, byte[]> sync = backend.connection().sync();
      long total = 0;
      long streams = 0;
      ScanIterator<String> keys =
          ScanIterator.scan(sync, ScanArgs.Builder.matches(prefix + "*").limit(500));
      while (keys.hasNext()) {
        Long length = sync.xlen(keys.next());
        if (length != null && length > 0) {
          total += length;
          streams++;
        }
      }
      depth = total;
      sessions = streams;
    } catch (RuntimeException e) {
      LOG.debug("cannot refresh the offline queue gauges: {}", e.toString());
    }
  }

  @Override
  public void close() {
    gaugeRefresh.cancel(false);
  }

  private QueuedEnvelope decode(StreamMessage<String, byte[]> entry) {
    byte[] deadline = entry.getBody().get(DEADLINE);
    byte[] envelope = entry.getBody().get(ENVELOPE);
    if (deadline == null || envelope == null) {
      LOG.warn("dropping malformed queue entry {} (fields {})", entry.getId(),
          entry.getBody().keySet());
      return null;
    }
    try {
      return new QueuedEnvelope(entry.getId(), envelope,
          Long.parseLong(new String(deadline, StandardCharsets.US_ASCII)));
    } catch (NumberFormatException e) {
      LOG.warn("dropping queue entry {} with a bad deadline", entry.getId());
      return null;
    }
  }

  @Override
  public String toString() {
    return "RedisOfflineQueue{" + backend.options() + ", " + limits + "}";
  }
}
