package io.rmb.bridge.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The bridge's multi-key Redis steps, each one atomic Lua script, so a crash between two
 * commands can neither lose a message nor push it twice. Non-blocking (async connection).
 */
final class RedisOps {
  /** Remove the entry from a processing list and push a message to a list, trimmed. */
  private static final String FINISH_AND_PUSH = """
      redis.call('LREM', KEYS[1], 1, ARGV[1])
      local n = redis.call('LPUSH', KEYS[2], ARGV[2])
      local max = tonumber(ARGV[3])
      if n > max then redis.call('LTRIM', KEYS[2], 0, max - 1) return n - max end
      return 0""";

  /**
   * Swap a raw entry for its accepted form (uid kept) and write the backlog, at once; 0 when
   * the raw entry is no longer there (handled already), 1 otherwise.
   */
  private static final String ACCEPT = """
      if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
      redis.call('LPUSH', KEYS[1], ARGV[2])
      redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
      return 1""";

  /**
   * Push an answer for one destination once: the answered set remembers the destination;
   * returns -1 when it was answered already, else how many old messages were trimmed.
   */
  private static final String ANSWER_ONCE = """
      if ARGV[1] ~= '' then
        if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return -1 end
        redis.call('EXPIRE', KEYS[1], ARGV[4])
      end
      local n = redis.call('LPUSH', KEYS[2], ARGV[2])
      local max = tonumber(ARGV[3])
      if n > max then redis.call('LTRIM', KEYS[2], 0, max - 1) return n - max end
      return 0""";

  /** Remove a finished request and forget which destinations were answered. */
  private static final String FINISH = """
      redis.call('DEL', KEYS[2])
      return redis.call('LREM', KEYS[1], 1, ARGV[1])""";

  /**
   * How long an answered set outlives its last answer when its request is never finished
   * (the bridge is not restarted): it must outlast any restart delay, because a resend after
   * a restart is checked against it. Finished requests delete theirs at once.
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
    return redis.<Long>eval(FINISH_AND_PUSH, ScriptOutputType.INTEGER,
        new String[] {processing, list}, entry, message, ascii(maxQueueLength))
        .toCompletableFuture();
  }

  /** Pushes to {@code list} and trims it; completes with the number trimmed. */
  CompletableFuture<Long> pushTrimmed(String list, byte[] message) {
    return redis.<Long>eval(ANSWER_ONCE, ScriptOutputType.INTEGER,
        new String[] {"-", list}, new byte[0], message, ascii(maxQueueLength), ascii(1))
        .toCompletableFuture();
  }

  /** Completes with false when the raw entry was not in the processing list any more. */
  CompletableFuture<Boolean> accept(byte[] raw, ProcessingEntry entry, String backlogKey,
      byte[] backlog, long ttlSeconds) {
    return redis.<Long>eval(ACCEPT, ScriptOutputType.INTEGER,
        new String[] {Keys.LOCAL_PROCESSING, backlogKey}, raw, entry.encode(), backlog,
        ascii(ttlSeconds)).toCompletableFuture().thenApply(n -> n == 1L);
  }

  /**
   * Pushes an answer for {@code destination} of {@code uid} once; an empty destination pushes
   * without the once-check. Completes with -1 for a duplicate, else the number trimmed.
   */
  CompletableFuture<Long> answerOnce(String uid, String destination, String ret,
      byte[] message) {
    return redis.<Long>eval(ANSWER_ONCE, ScriptOutputType.INTEGER,
        new String[] {Keys.answered(uid), ret}, ascii(destination), message,
        ascii(maxQueueLength), ascii(ANSWERED_TTL_SECONDS)).toCompletableFuture();
  }

  /** Removes the finished request {@code uid} from the processing list, with its answered set. */
  CompletableFuture<Long> finish(byte[] entry, String uid) {
    return redis.<Long>eval(FINISH, ScriptOutputType.INTEGER,
        new String[] {Keys.LOCAL_PROCESSING, Keys.answered(uid)}, entry).toCompletableFuture();
  }

  CompletableFuture<Long> remove(String processing, byte[] entry) {
    return redis.lrem(processing, 1, entry).toCompletableFuture();
  }

  private static byte[] ascii(Object value) {
    return String.valueOf(value).getBytes(StandardCharsets.US_ASCII);
  }
}
