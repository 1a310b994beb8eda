package io.rmb.relay.queue;

/**
 * A snapshot of an {@link OfflineQueue}'s gauges and counters. Counters only grow (bind them as
 * monotonic counters); {@code depth} and {@code sessions} are gauges.
 *
 * @param depth envelopes currently queued, all sessions together (gauge)
 * @param sessions sessions that currently have a queue (gauge)
 * @param offered envelopes accepted into the queue (counter)
 * @param delivered envelopes acknowledged as written to their session (counter)
 * @param droppedFull oldest envelopes dropped to make room in a full session queue (counter)
 * @param droppedIdle envelopes dropped with a queue idle past its expiry (counter)
 * @param droppedExpired envelopes dropped because their deadline passed in the queue, or had
 *     passed when offered (counter)
 */
public record QueueStats(long depth, long sessions, long offered, long delivered,
    long droppedFull, long droppedIdle, long droppedExpired) {
  /** All zeros, for a queue that keeps no statistics. */
  public static final QueueStats EMPTY = new QueueStats(0, 0, 0, 0, 0, 0, 0);
}
