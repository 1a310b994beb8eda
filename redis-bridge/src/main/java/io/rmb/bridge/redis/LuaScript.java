package io.rmb.bridge.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script run by its SHA1 (EVALSHA), so the script text crosses the wire only when Redis
 * does not know it yet: on NOSCRIPT (first use, SCRIPT FLUSH, a restarted server) it is sent
 * once with EVAL, which also caches it.
 */
final class LuaScript {
  private final String text;
  private final String sha;

  LuaScript(String text) {
    this.text = text;
    this.sha = sha1(text);
  }

  /** The SHA1 Redis names the script by (lower-case hex). */
  String sha() {
    return sha;
  }

  <T> CompletableFuture<T> run(RedisAsyncCommands<String, byte[]> redis, ScriptOutputType type,
      String[] keys, byte[]... args) {
    return redis.<T>evalsha(sha, type, keys, args).toCompletableFuture()
        .exceptionallyCompose(error -> noScript(error)
            ? redis.<T>eval(text, type, keys, args).toCompletableFuture()
            : CompletableFuture.failedFuture(error));
  }

  <T> T run(RedisCommands<String, byte[]> redis, ScriptOutputType type, String[] keys,
      byte[]... args) {
    try {
      return redis.evalsha(sha, type, keys, args);
    } catch (RedisNoScriptException e) {
      return redis.eval(text, type, keys, args);
    }
  }

  private static boolean noScript(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    return cause instanceof RedisNoScriptException;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
