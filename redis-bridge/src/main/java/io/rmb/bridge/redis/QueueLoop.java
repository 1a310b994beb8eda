package io.rmb.bridge.redis;

import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.rmb.peer.transport.Backoff;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread per queue: first hands over what a previous run left in the processing list,
 * then moves messages from the queue into the processing list (BLMOVE, popping the right end
 * as rmb-peer's BRPOP does, so LPUSH clients get FIFO order) and hands each over. After a
 * blocking move returns, up to {@link #DRAIN} more waiting messages are moved by one script
 * without blocking, so a busy queue costs one Redis round trip per batch, not per message.
 * Uses its own connection, since a blocking pop holds it. Redis failures are logged and
 * retried with backoff; the thread ends only on {@link #stop()}.
 *
 * <p>A pop that fails may still have run: Redis moved the message and its reply was lost with
 * the connection (a redis-server killed right after the move; Lettuce then re-sends the pop,
 * which takes another message). Such an orphan would sit in the processing list until the
 * next start, so after a failed pop or a reconnect ({@link #reconnected()}), once Redis answers,
 * the loop looks at the processing list twice, {@link #ORPHAN_CHECK_DELAY} apart, and hands
 * over again the entries that are candidates (for requests: not yet accepted) in both looks.
 * One it still holds itself is harmless to hand over twice: accepting is one script that
 * only one attempt wins, and a reply sent twice has one uid, which the requester drops.
 */
final class QueueLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueLoop.class);

  /** Receives one processing-list entry. */
  interface Sink {
    void accept(byte[] entry, boolean recovered);
  }

  /** Waits before each pop, e.g. for an in-flight permit; paired with {@link #unused()}. */
  interface Gate {
    void enter() throws InterruptedException;

    /** Takes up to {@code max} permits without waiting; returns how many it took. */
    int tryEnter(int max);

    /** The pop came back empty: give back what {@link #enter()} took. */
    void unused();
  }

  /** How long an entry must stay a candidate to be handed over again after a failed pop. */
  static final Duration ORPHAN_CHECK_DELAY = Duration.ofSeconds(5);

  /** At most this many messages are moved per non-blocking drain after a blocking move. */
  static final int DRAIN = 32;

  /** LMOVE up to ARGV[1] messages from KEYS[1] to KEYS[2] (right to left), in pop order. */
  private static final LuaScript MOVE_UP_TO = new LuaScript("""
      local moved = {}
      for i = 1, tonumber(ARGV[1]) do
        local m = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
        if not m then break end
        moved[i] = m
      end
      return moved""");

  private final String queue;
  private final String processing;
  private final RedisCommands<String, byte[]> redis;
  private final Duration pollTimeout;
  private final Backoff backoff;
  private final Gate gate;
  private final Sink sink;
  private final BridgeMetrics metrics;
  private final Predicate<byte[]> orphanCandidate;
  private volatile boolean running = true;
  private volatile boolean recovered;
  /** A pop failed or the connection was re-established: look for orphans. */
  private volatile boolean popFailed;
  /** Candidates of the first look, and when to look again (0: no look pending). */
  private Map<ByteBuffer, Integer> firstLook = Map.of();
  private long secondLookAt;

  /**
   * @param orphanCandidate which processing-list entries may be orphans of a failed pop
   */
  QueueLoop(String queue, String processing, RedisCommands<String, byte[]> redis,
      Duration pollTimeout, Backoff backoff, Gate gate, Sink sink, BridgeMetrics metrics,
      Predicate<byte[]> orphanCandidate) {
    this.queue = queue;
    this.processing = processing;
    this.redis = redis;
    this.pollTimeout = pollTimeout;
    this.backoff = backoff;
    this.gate = gate;
    this.sink = sink;
    this.metrics = metrics;
    this.orphanCandidate = orphanCandidate;
  }

  /** True once the entries left by a previous run have been handed over. */
  boolean recovered() {
    return recovered;
  }

  /**
   * The loop's connection was re-established: a pop in flight may have run and lost its
   * reply, even when Lettuce re-sent it and the loop saw no failure.
   */
  void reconnected() {
    popFailed = true;
  }

  void stop() {
    running = false;
  }

  @Override
  public void run() {
    int failures = 0;
    while (running) {
      boolean entered = false;
      try {
        if (!recovered) {
          recover();
          recovered = true;
          continue;
        }
        gate.enter();
        entered = true;
        byte[] entry = redis.blmove(queue, processing, LMoveArgs.Builder.rightLeft(),
            pollTimeout.toMillis() / 1000.0);
        entered = false;
        if (entry == null) {
          gate.unused();
        } else {
          sink.accept(entry, false);
          drain();
        }
        if (failures > 0) {
          LOG.info("Redis reachable again; popping {}", queue);
          failures = 0;
        }
        lookForOrphans();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RedisException e) {
        if (entered) {
          gate.unused();
        }
        failures++;
        popFailed = true;
        metrics.redisError("pop");
        Duration delay = backoff.delay(failures);
        LOG.warn("cannot pop {} from Redis ({}); retrying in {} ms (attempt {})", queue,
            e.getMessage(), delay.toMillis(), failures);
        if (!pause(delay)) {
          return;
        }
      }
    }
  }

  /** Moves and hands over what else is waiting, as many as the gate lets through. */
  private void drain() {
    int permits = gate.tryEnter(DRAIN);
    if (permits == 0) {
      return;
    }
    List<byte[]> moved;
    try {
      moved = MOVE_UP_TO.run(redis, ScriptOutputType.MULTI, new String[] {queue, processing},
          Integer.toString(permits).getBytes(StandardCharsets.US_ASCII));
    } catch (RuntimeException e) {
      for (int i = 0; i < permits; i++) {
        gate.unused();
      }
      throw e;
    }
    for (byte[] entry : moved) {
      sink.accept(entry, false);
    }
    for (int i = moved.size(); i < permits; i++) {
      gate.unused();
    }
  }

  /** After a failed pop: two looks at the processing list, then hand over what stayed. */
  private void lookForOrphans() throws InterruptedException {
    if (popFailed) {
      popFailed = false;
      firstLook = candidates();
      secondLookAt = firstLook.isEmpty() ? 0
          : System.nanoTime() + ORPHAN_CHECK_DELAY.toNanos();
      return;
    }
    if (secondLookAt == 0 || System.nanoTime() - secondLookAt < 0) {
      return;
    }
    secondLookAt = 0;
    Map<ByteBuffer, Integer> again = candidates();
    int handed = 0;
    for (Map.Entry<ByteBuffer, Integer> entry : firstLook.entrySet()) {
      int times = Math.min(entry.getValue(), again.getOrDefault(entry.getKey(), 0));
      for (int i = 0; i < times && running; i++) {
        gate.enter();
        sink.accept(entry.getKey().array(), true);
        handed++;
      }
    }
    firstLook = Map.of();
    if (handed > 0) {
      metrics.orphansRecovered(processing, handed);
      LOG.warn("{} message(s) in {} were popped by a pop whose reply was lost; handed over "
          + "again", handed, processing);
    }
  }

  /** The processing list's candidate entries, counted (identical messages may repeat). */
  private Map<ByteBuffer, Integer> candidates() {
    Map<ByteBuffer, Integer> counted = new HashMap<>();
    for (byte[] entry : redis.lrange(processing, 0, -1)) {
      if (orphanCandidate.test(entry)) {
        counted.merge(ByteBuffer.wrap(entry), 1, Integer::sum);
      }
    }
    return counted;
  }

  private void recover() throws InterruptedException {
    List<byte[]> left = redis.lrange(processing, 0, -1);
    if (!left.isEmpty()) {
      LOG.info("recovering {} message(s) left in {} by an earlier run", left.size(), processing);
    }
    // oldest first: the list is pushed on the left, so its right end is the oldest
    for (int i = left.size() - 1; i >= 0 && running; i--) {
      gate.enter();
      sink.accept(left.get(i), true);
    }
  }

  private boolean pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis()); // a retry delay, not a wait for a condition
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
