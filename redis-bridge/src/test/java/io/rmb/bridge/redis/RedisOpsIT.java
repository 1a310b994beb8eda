package io.rmb.bridge.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The answer-once scripts against a real redis-server: an answer delivered again after its
 * request finished (a relay restarted on its Redis queue redelivers) is not pushed twice.
 */
@Tag("integration")
class RedisOpsIT extends SingleRedis {
  private static RedisOps ops;
  private static RedisCommands<String, byte[]> redis;

  @BeforeAll
  static void start() {
    ops = new RedisOps(connection.async(), 10_000);
    redis = connection.sync();
  }

  @Test
  void aLateCopyOfAnAnswerAfterTheFinishIsADuplicateWhileTheBacklogLives() throws Exception {
    redis.setex(Keys.backlog("u1"), 60, bytes("{}"));
    redis.lpush(Keys.LOCAL_PROCESSING, bytes("entry-u1"));

    RedisOps.Answered first = ops.answerOnce("u1", "8", "ret-u1", bytes("answer"), 1,
        bytes("entry-u1")).get(10, TimeUnit.SECONDS);
    assertThat(first.finished()).isTrue();
    assertThat(redis.lrange(Keys.LOCAL_PROCESSING, 0, -1)).isEmpty();
    // the answered set outlives the finish exactly as long as the backlog
    assertThat(redis.ttl(Keys.answered("u1"))).isBetween(1L, 60L);

    RedisOps.Answered late = ops.answerOnce("u1", "8", "ret-u1", bytes("answer"))
        .get(10, TimeUnit.SECONDS);
    assertThat(late.duplicate()).isTrue();
    assertThat(redis.llen("ret-u1")).isEqualTo(1);
  }

  @Test
  void finishingKeepsTheAnsweredSetAsLongAsTheBacklog() throws Exception {
    redis.setex(Keys.backlog("u2"), 30, bytes("{}"));
    redis.lpush(Keys.LOCAL_PROCESSING, bytes("entry-u2"));
    ops.answerOnce("u2", "9", "ret-u2", bytes("answer"), 2, bytes("entry-u2"))
        .get(10, TimeUnit.SECONDS); // one of two destinations: not finished

    assertThat(ops.finish(bytes("entry-u2"), "u2").get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(redis.ttl(Keys.answered("u2"))).isBetween(1L, 30L);
    assertThat(ops.answerOnce("u2", "9", "ret-u2", bytes("again")).get(10, TimeUnit.SECONDS)
        .duplicate()).isTrue();
  }

  @Test
  void withoutABacklogTheAnsweredSetGoesWithTheFinish() throws Exception {
    redis.lpush(Keys.LOCAL_PROCESSING, bytes("entry-u3"));
    assertThat(ops.answerOnce("u3", "8", "ret-u3", bytes("answer"), 1, bytes("entry-u3"))
        .get(10, TimeUnit.SECONDS).finished()).isTrue();
    assertThat(redis.exists(Keys.answered("u3"))).isZero();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
