package io.rmb.bridge.redis;

import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.sync.RedisCommands;
import io.rmb.peer.transport.Backoff;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread per queue: first hands over what a previous run left in the processing list,
 * then moves messages one by one from the queue into the processing list (BLMOVE, popping
 * the right end as rmb-peer's BRPOP does, so LPUSH clients get FIFO order) and hands each
 * over. Uses its own connection, since a blocking pop holds it. Redis failures are logged and
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

    /** The pop came back empty: give back what {@link #enter()} took. */
    void unused();
  }

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
        if (entry == null) {
          gate.unused();
        } else {
          sink.accept(entry, false);
        }
        entered = false;
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
