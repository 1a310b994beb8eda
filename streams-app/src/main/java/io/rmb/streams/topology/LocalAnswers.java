package io.rmb.streams.topology;

import io.rmb.streams.record.Answer;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Answers handed from the peer's threads to the stream thread in this process, per input
 * partition, next to their copy on the answers topic.
 *
 * <p>Why: the answers topic is a full Kafka hop (produce, broker, fetch) between an answer and
 * its outcome, measured at about a third of a round trip through the gateway. The copy on the
 * topic stays the source of truth (a crash, a rebalance or a full queue falls back to it); the
 * in-process copy only lets the task owning the request write the outcome earlier, and only
 * when its store still holds the request with that destination open; it is offered once the
 * topic copy is acknowledged, so no outcome is written from an answer a crash could lose.
 * The task then recognises the topic copy as already delivered.
 *
 * <p>Thread-safe: offered on the peer's and producer's threads, drained on stream threads.
 */
public final class LocalAnswers {
  /** Per partition; beyond this the topic copy alone delivers the answer. */
  static final int MAX_QUEUED_PER_PARTITION = 10_000;

  /** One answer for the request {@code uid}. */
  record Delivered(String uid, Answer answer) {}

  private final Map<Integer, Queue<Delivered>> queues = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> sizes = new ConcurrentHashMap<>();

  /**
   * Queues {@code answer} for the task of {@code partition}; false (and nothing queued) when
   * that queue is full, e.g. because the task runs in another process.
   */
  public boolean offer(int partition, String uid, Answer answer) {
    AtomicInteger size = sizes.computeIfAbsent(partition, p -> new AtomicInteger());
    if (size.incrementAndGet() > MAX_QUEUED_PER_PARTITION) {
      size.decrementAndGet();
      return false;
    }
    queues.computeIfAbsent(partition, p -> new ConcurrentLinkedQueue<>())
        .add(new Delivered(uid, answer));
    return true;
  }

  /** How many answers are queued for {@code partition}. */
  public int queued(int partition) {
    AtomicInteger size = sizes.get(partition);
    return size == null ? 0 : size.get();
  }

  /** Hands every answer queued for {@code partition} to {@code sink}, oldest first. */
  void drain(int partition, BiConsumer<String, Answer> sink) {
    Queue<Delivered> queue = queues.get(partition);
    if (queue == null) {
      return;
    }
    AtomicInteger size = sizes.get(partition);
    for (Delivered next = queue.poll(); next != null; next = queue.poll()) {
      size.decrementAndGet();
      sink.accept(next.uid(), next.answer());
    }
  }
}
