package io.rmb.relay.redis;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.rmb.relay.federation.FederationJob;
import io.rmb.relay.federation.FederationQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FederationQueue} on one Redis stream shared by all instances
 * ({@code <prefix>federation}, consumer group {@code federation}, one consumer per instance).
 *
 * <ul>
 *   <li>{@link #offer} adds with {@code MAXLEN ~} {@link RedisOptions#federationMaxLen()}, and
 *       {@link #complete} acknowledges and deletes: the stream holds only unsettled work
 *       (rmb-rs never trims it, wire.md section 7).
 *   <li>A reader thread takes new entries ({@code XREADGROUP ... >}); every half
 *       {@link RedisOptions#claimIdle()} it also takes over entries pending longer than that
 *       ({@code XAUTOCLAIM}): those of a crashed or stopped instance, or of this relay before a
 *       restart. {@link #touch} resets a job's idle time while its retries go on.
 * </ul>
 */
public final class RedisFederationQueue implements FederationQueue {
  private static final Logger LOG = LoggerFactory.getLogger(RedisFederationQueue.class);
  static final String GROUP = "federation";
  private static final int READ_COUNT = 64;
  private static final long READ_BLOCK_MILLIS = 500;
  private static final Duration READ_BLOCK = Duration.ofMillis(READ_BLOCK_MILLIS);

  private final RedisBackend backend;
  private final String stream;
  private final Consumer<String> consumer;
  private final RedisAsyncCommands<String, byte[]> redis;
  private final XAddArgs add;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private Thread reader;
  private StatefulRedisConnection<String, byte[]> readerConnection;
  private ScheduledFuture<?> claimer;

  RedisFederationQueue(RedisBackend backend) {
    this.backend = backend;
    this.stream = backend.key("federation");
    this.consumer = Consumer.from(GROUP, backend.instanceId());
    this.redis = backend.connection().async();
    this.add = XAddArgs.Builder.maxlen(backend.options().federationMaxLen())
        .approximateTrimming();
  }

  /** The stream key. */
  public String streamKey() {
    return stream;
  }

  @Override
  public CompletionStage<Void> offer(byte[] envelope, long deadline) {
    Map<String, byte[]> body = new LinkedHashMap<>(2);
    body.put(RedisOfflineQueue.DEADLINE,
        Long.toString(deadline).getBytes(StandardCharsets.US_ASCII));
    body.put(RedisOfflineQueue.ENVELOPE, envelope);
    return redis.xadd(stream, add, body).thenAccept(id -> { });
  }

  @Override
  public synchronized void start(java.util.function.Consumer<FederationJob> worker) {
    Objects.requireNonNull(worker, "worker");
    if (reader != null) {
      throw new IllegalStateException("federation queue already started");
    }
    try {
      backend.connection().sync().xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), GROUP,
          XGroupCreateArgs.Builder.mkstream());
    } catch (RedisBusyException e) {
      // BUSYGROUP: another instance (or an earlier run) made it
    }
    // blocking reads get their own connection: they would stall the shared one
    readerConnection = backend.client().connect(RedisBackend.CODEC);
    reader = new Thread(() -> read(worker), "rmb-federation-reader");
    reader.setDaemon(true);
    reader.start();
    long claimEvery = Math.max(500, backend.options().claimIdle().toMillis() / 2);
    claimer = backend.scheduler().scheduleWithFixedDelay(() -> claim(worker), 0, claimEvery,
        TimeUnit.MILLISECONDS);
  }

  private void read(java.util.function.Consumer<FederationJob> worker) {
    RedisCommands<String, byte[]> sync = readerConnection.sync();
    XReadArgs args = XReadArgs.Builder.count(READ_COUNT).block(READ_BLOCK);
    while (!closed) {
      try {
        List<StreamMessage<String, byte[]>> entries =
            sync.xreadgroup(consumer, args, XReadArgs.StreamOffset.lastConsumed(stream));
        dispatch(entries, worker);
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.warn("reading the federation stream failed, retrying: {}", e.toString());
        sleepQuietly(1000);
      }
    }
  }

  private void claim(java.util.function.Consumer<FederationJob> worker) {
    if (closed) {
      return;
    }
    try {
      RedisCommands<String, byte[]> sync = backend.connection().sync();
      String cursor = "0-0";
      do {
        var claimed = sync.xautoclaim(stream, XAutoClaimArgs.Builder
            .xautoclaim(consumer, backend.options().claimIdle(), cursor).count(100));
        dispatch(claimed.getMessages(), worker);
        cursor = claimed.getId();
      } while (!closed && !"0-0".equals(cursor));
      forgetIdleConsumers(sync);
    } catch (RuntimeException e) {
      LOG.debug("taking over pending federation entries failed: {}", e.toString());
    }
  }

  /**
   * Deletes consumers that own nothing and were not seen for longer than the claim idle time:
   * stopped instances whose entries were taken over. A live instance reads every
   * {@value #READ_BLOCK_MILLIS} ms, and a consumer deleted by mistake is recreated by its next
   * read.
   */
  private void forgetIdleConsumers(RedisCommands<String, byte[]> sync) {
    long idleLimit = backend.options().claimIdle().toMillis();
    for (Object row : sync.xinfoConsumers(stream, GROUP)) {
      if (!(row instanceof List<?> fields)) {
        continue;
      }
      Map<String, Object> info = new HashMap<>();
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        info.put(text(fields.get(i)), fields.get(i + 1));
      }
      String name = text(info.get("name"));
      if (name.equals(consumer.getName()) || !(info.get("pending") instanceof Long pending)
          || !(info.get("idle") instanceof Long idle)) {
        continue;
      }
      if (pending == 0 && idle > idleLimit) {
        sync.xgroupDelconsumer(stream, Consumer.from(GROUP, name));
      }
    }
  }

  private static String text(Object value) {
    return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
        : String.valueOf(value);
  }

  private void dispatch(List<StreamMessage<String, byte[]>> entries,
      java.util.function.Consumer<FederationJob> worker) {
    for (StreamMessage<String, byte[]> entry : entries) {
      byte[] deadline = entry.getBody().get(RedisOfflineQueue.DEADLINE);
      byte[] envelope = entry.getBody().get(RedisOfflineQueue.ENVELOPE);
      if (deadline == null || envelope == null) {
        LOG.warn("dropping malformed federation entry {}", entry.getId());
        complete(new FederationJob(entry.getId(), new byte[0], 0));
        continue;
      }
      if (!inFlight.add(entry.getId())) {
        continue; // ours, still being worked on (idle only because the workers are busy)
      }
      worker.accept(new FederationJob(entry.getId(), envelope,
          Long.parseLong(new String(deadline, StandardCharsets.US_ASCII))));
    }
  }

  @Override
  public void touch(FederationJob job) {
    redis.xclaim(stream, consumer, XClaimArgs.Builder.minIdleTime(0).justid(), job.id())
        .exceptionally(error -> {
          LOG.debug("cannot refresh federation entry {}: {}", job.id(), error.toString());
          return null;
        });
  }

  @Override
  public void complete(FederationJob job) {
    inFlight.remove(job.id());
    redis.xack(stream, GROUP, job.id());
    redis.xdel(stream, job.id()).exceptionally(error -> {
      LOG.warn("cannot delete settled federation entry {}: {}", job.id(), error.toString());
      return null;
    });
  }

  @Override
  public long pending() {
    return inFlight.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (claimer != null) {
      claimer.cancel(false);
    }
    if (reader != null) {
      try {
        reader.join(READ_BLOCK.toMillis() * 3);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      readerConnection.close();
      forgetConsumerIfIdle();
    }
  }

  /**
   * Removes this instance's consumer from the group when it owns no pending entry, so
   * restarts do not pile up consumers (one that still owns entries stays: deleting it would
   * drop them from the group's pending list, and another instance must take them over).
   */
  private void forgetConsumerIfIdle() {
    try {
      RedisCommands<String, byte[]> sync = backend.connection().sync();
      if (sync.xpending(stream, consumer, Range.create("-", "+"), Limit.from(1)).isEmpty()) {
        sync.xgroupDelconsumer(stream, consumer);
      }
    } catch (RuntimeException e) {
      LOG.debug("cannot remove federation consumer {}: {}", consumer.getName(), e.toString());
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
