package io.rmb.bridge.redis;

import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.rmb.peer.transport.Backoff;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
  private volatile boolean running = true;
  private volatile boolean recovered;

  QueueLoop(String queue, String processing, RedisCommands<String, byte[]> redis,
      Duration pollTimeout, Backoff backoff, Gate gate, Sink sink, BridgeMetrics metrics) {
    this.queue = queue;
    this.processing = processing;
    this.redis = redis;
    this.pollTimeout = pollTimeout;
    this.backoff = backoff;
    this.gate = gate;
    this.sink = sink;
    this.metrics = metrics;
  }

  /** True once the entries left by a previous run have been handed over. */
  boolean recovered() {
    return recovered;
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
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RedisException e) {
        if (entered) {
          gate.unused();
        }
        failures++;
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
