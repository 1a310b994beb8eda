package io.rmb.bridge.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The bridge's multi-key Redis steps, each one atomic Lua script, so a crash between two
 * commands can neither lose a message nor push it twice. Non-blocking (async connection);
 * scripts run by SHA1 ({@link LuaScript}).
 */
final class RedisOps {
  /**
   * The least time a finished request's answered set is kept, even when its backlog is gone:
   * outcomes still on their way for it (the other destinations of a resent request that
   * finished at its deadline) must find it.
   */
  static final long FINISHED_KEEP_SECONDS = 60;

  /** Remove the entry from a processing list and push a message to a list, trimmed. */
  private static final LuaScript FINISH_AND_PUSH = new LuaScript("""
      redis.call('LREM', KEYS[1], 1, ARGV[1])
      local n = redis.call('LPUSH', KEYS[2], ARGV[2])
      local max = tonumber(ARGV[3])
      if n > max then redis.call('LTRIM', KEYS[2], 0, max - 1) return n - max end
      return 0""");

  /**
   * Swap a raw entry for its accepted form (uid kept) and write the backlog, at once; 0 when
   * the raw entry is no longer there (handled already), 1 otherwise. Idempotent: when the
   * accepted form (with this uid) is there already, this very step ran before and its reply
   * was lost (Lettuce re-sends a command in flight when the connection drops, and the bridge
   * retries after a Redis error), so it answers 1 again and the request is sent; without this
   * the request sat unsent in the processing list until the next bridge start.
   */
  private static final LuaScript ACCEPT = new LuaScript("""
      if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then
        if redis.call('LPOS', KEYS[1], ARGV[2]) then return 1 end
        return 0
      end
      redis.call('LPUSH', KEYS[1], ARGV[2])
      redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
      return 1""");

  /**
   * Push an answer for one destination once: the answered set (KEYS[1]) remembers the
   * destination (ARGV[1]; '' pushes without the check). When the set then holds all ARGV[5]
   * destinations (0: never) the request is finished in the same step: its entry (ARGV[6])
   * leaves the processing list (KEYS[3]), which saves a round trip per request, and the set
   * is kept as long as the request's backlog (KEYS[4]), at least {@link
   * #FINISHED_KEEP_SECONDS}: a relay that restarts on its Redis queue may deliver an answer
   * again, and a late copy routed by the backlog must still find the set (RedisChaosIT saw
   * such answers pushed twice when the set was deleted); and a request resent after a restart
   * finishes at or after its deadline, when the backlog is gone, while its other destinations'
   * outcomes (answered by the previous process) are still on their way (pushed twice when the
   * set went at once).
   * Returns -1 for a duplicate, else trimmed * 2 + (1 if finished).
   */
  private static final LuaScript ANSWER_ONCE = new LuaScript("""
      local once = ARGV[1] ~= ''
      if once and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return -1 end
      local n = redis.call('LPUSH', KEYS[2], ARGV[2])
      local max = tonumber(ARGV[3])
      local trimmed = 0
      if n > max then redis.call('LTRIM', KEYS[2], 0, max - 1) trimmed = n - max end
      if not once then return trimmed * 2 end
      local count = tonumber(ARGV[5])
      if count > 0 and redis.call('SCARD', KEYS[1]) >= count then
        redis.call('LREM', KEYS[3], -1, ARGV[6])
        redis.call('EXPIRE', KEYS[1], math.max(redis.call('TTL', KEYS[4]), %d))
        return trimmed * 2 + 1
      end
      redis.call('EXPIRE', KEYS[1], ARGV[4])
      return trimmed * 2""".formatted(FINISHED_KEEP_SECONDS));

  /**
   * Remove a finished request; which destinations were answered (KEYS[2]) is kept as long as
   * its backlog (KEYS[3]), at least {@link #FINISHED_KEEP_SECONDS}, for late copies of answers
   * (see ANSWER_ONCE). Finished entries are old ones, near the tail of the processing list
   * (pushed on the left): LREM -1 scans from there instead of past every newer entry.
   */
  private static final LuaScript FINISH = new LuaScript("""
      redis.call('EXPIRE', KEYS[2], math.max(redis.call('TTL', KEYS[3]), %d))
      return redis.call('LREM', KEYS[1], -1, ARGV[1])""".formatted(FINISHED_KEEP_SECONDS));

  /**
   * How long an answered set outlives its last answer when its request is never finished
   * (the bridge is not restarted): it must outlast any restart delay, because a resend after
   * a restart is checked against it. A finished request's set is kept as long as its backlog,
   * at least {@link #FINISHED_KEEP_SECONDS}.
   */
  static final long ANSWERED_TTL_SECONDS = 86_400;

  private final RedisAsyncCommands<String, byte[]> redis;
  private final int maxQueueLength;

  RedisOps(RedisAsyncCommands<String, byte[]> redis, int maxQueueLength) {
    this.redis = redis;
    this.maxQueueLength = maxQueueLength;
  }

  RedisAsyncCommands<String, byte[]> commands() {
    return redis;
  }

  /** Completes with the number of messages trimmed off {@code list}. */
  CompletableFuture<Long> finishAndPush(String processing, byte[] entry, String list,
      byte[] message) {
    return FINISH_AND_PUSH.run(redis, ScriptOutputType.INTEGER,
        new String[] {processing, list}, entry, message, ascii(maxQueueLength));
  }

  /** Pushes to {@code list} and trims it; completes with the number trimmed. */
  CompletableFuture<Long> pushTrimmed(String list, byte[] message) {
    return ANSWER_ONCE.<Long>run(redis, ScriptOutputType.INTEGER,
        new String[] {"-", list, "-", "-"}, new byte[0], message, ascii(maxQueueLength), ascii(1),
        ascii(0), new byte[0]).thenApply(n -> n / 2);
  }

  /**
   * Swaps {@code raw} for {@code acceptedEntry} (a {@link ProcessingEntry#encode()}) and writes
   * the backlog; completes with false when the raw entry was not in the processing list any
   * more.
   */
  CompletableFuture<Boolean> accept(byte[] raw, byte[] acceptedEntry, String backlogKey,
      byte[] backlog, long ttlSeconds) {
    return ACCEPT.<Long>run(redis, ScriptOutputType.INTEGER,
        new String[] {Keys.LOCAL_PROCESSING, backlogKey}, raw, acceptedEntry, backlog,
        ascii(ttlSeconds)).thenApply(n -> n == 1L);
  }

  /** What {@link #answerOnce} did. */
  record Answered(boolean duplicate, long trimmed, boolean finished) {
    static Answered decode(long n) {
      return n < 0 ? new Answered(true, 0, false) : new Answered(false, n / 2, n % 2 == 1);
    }
  }

  /**
   * Pushes an answer for {@code destination} of {@code uid} once, without finishing the
   * request (an answer routed by its backlog: its entry is finished by its own pipeline).
   */
  CompletableFuture<Answered> answerOnce(String uid, String destination, String ret,
      byte[] message) {
    return answerOnce(uid, destination, ret, message, 0, new byte[0]);
  }

  /**
   * Pushes an answer for {@code destination} of {@code uid} once; when that makes
   * {@code destinations} answered ones, also removes {@code entry} from the processing list
   * and the answered set ({@link Answered#finished()}). An empty destination pushes without
   * the once-check and never finishes.
   */
  CompletableFuture<Answered> answerOnce(String uid, String destination, String ret,
      byte[] message, int destinations, byte[] entry) {
    return ANSWER_ONCE.<Long>run(redis, ScriptOutputType.INTEGER,
        new String[] {Keys.answered(uid), ret, Keys.LOCAL_PROCESSING, Keys.backlog(uid)},
        ascii(destination),
        message, ascii(maxQueueLength), ascii(ANSWERED_TTL_SECONDS), ascii(destinations), entry)
        .thenApply(Answered::decode);
  }

  /**
   * Removes the finished request {@code uid} from the processing list; its answered set lives
   * on as long as its backlog.
   */
  CompletableFuture<Long> finish(byte[] entry, String uid) {
    return FINISH.run(redis, ScriptOutputType.INTEGER,
        new String[] {Keys.LOCAL_PROCESSING, Keys.answered(uid), Keys.backlog(uid)}, entry);
  }

  CompletableFuture<Long> remove(String processing, byte[] entry) {
    return redis.lrem(processing, -1, entry).toCompletableFuture();
  }

  private static byte[] ascii(Object value) {
    return String.valueOf(value).getBytes(StandardCharsets.US_ASCII);
  }
}
