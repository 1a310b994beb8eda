package io.rmb.bridge.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The answer-once scripts against a real redis-server: an answer delivered again after its
 * request finished (a relay restarted on its Redis queue redelivers, or a request resent
 * after a restart ends after its backlog expired) is not pushed twice, and accepting a
 * request twice (a retried or re-sent command) still sends it once.
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

  @BeforeEach
  void emptyProcessingList() {
    redis.del(Keys.LOCAL_PROCESSING); // shared by the tests: none sees another's entries
  }

  @Test
  void aLateCopyOfAnAnswerAfterTheFinishIsADuplicateWhileTheBacklogLives() throws Exception {
    redis.setex(Keys.backlog("u1"), 300, bytes("{}"));
    redis.lpush(Keys.LOCAL_PROCESSING, bytes("entry-u1"));

    RedisOps.Answered first = ops.answerOnce("u1", "8", "ret-u1", bytes("answer"), 1,
        bytes("entry-u1")).get(10, TimeUnit.SECONDS);
    assertThat(first.finished()).isTrue();
    assertThat(redis.lrange(Keys.LOCAL_PROCESSING, 0, -1)).isEmpty();
    // the answered set outlives the finish as long as the backlog (longer than the grace)
    assertThat(redis.ttl(Keys.answered("u1")))
        .isBetween(RedisOps.FINISHED_KEEP_SECONDS + 1, 300L);

    RedisOps.Answered late = ops.answerOnce("u1", "8", "ret-u1", bytes("answer"))
        .get(10, TimeUnit.SECONDS);
    assertThat(late.duplicate()).isTrue();
    assertThat(redis.llen("ret-u1")).isEqualTo(1);
  }

  @Test
  void finishingKeepsTheAnsweredSetAsLongAsTheBacklog() throws Exception {
    redis.setex(Keys.backlog("u2"), 300, bytes("{}"));
    redis.lpush(Keys.LOCAL_PROCESSING, bytes("entry-u2"));
    ops.answerOnce("u2", "9", "ret-u2", bytes("answer"), 2, bytes("entry-u2"))
        .get(10, TimeUnit.SECONDS); // one of two destinations: not finished

    assertThat(ops.finish(bytes("entry-u2"), "u2").get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(redis.ttl(Keys.answered("u2")))
        .isBetween(RedisOps.FINISHED_KEEP_SECONDS + 1, 300L);
    assertThat(ops.answerOnce("u2", "9", "ret-u2", bytes("again")).get(10, TimeUnit.SECONDS)
        .duplicate()).isTrue();
  }

  @Test
  void aResentRequestFinishingAfterItsBacklogExpiredStillRefusesASecondOutcome()
      throws Exception {
    // a request to 8 and 9; 9 was answered by the process that died; the resend after the
    // restart ends at its deadline, when the backlog (EX ttl) is gone, with an outcome for
    // both destinations (the new process does not know 9 was answered)
    redis.lpush(Keys.LOCAL_PROCESSING, bytes("entry-u3"));
    redis.sadd(Keys.answered("u3"), bytes("9"));
    assertThat(ops.answerOnce("u3", "8", "ret-u3", bytes("8: error 102"), 2, bytes("entry-u3"))
        .get(10, TimeUnit.SECONDS).finished()).isTrue();
    assertThat(redis.ttl(Keys.answered("u3")))
        .isBetween(RedisOps.FINISHED_KEEP_SECONDS - 5, RedisOps.FINISHED_KEEP_SECONDS);

    RedisOps.Answered again = ops.answerOnce("u3", "9", "ret-u3", bytes("9: error 102"), 2,
        bytes("entry-u3")).get(10, TimeUnit.SECONDS);
    assertThat(again.duplicate()).as("9 was answered before the restart").isTrue();
    assertThat(redis.lrange("ret-u3", 0, -1)).extracting(b -> new String(b, UTF_8))
        .containsExactly("8: error 102");
  }

  @Test
  void finishingWithoutABacklogKeepsTheAnsweredSetForTheGrace() throws Exception {
    redis.lpush(Keys.LOCAL_PROCESSING, bytes("entry-u4"));
    redis.sadd(Keys.answered("u4"), bytes("8"));
    assertThat(ops.finish(bytes("entry-u4"), "u4").get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(redis.ttl(Keys.answered("u4")))
        .isBetween(RedisOps.FINISHED_KEEP_SECONDS - 5, RedisOps.FINISHED_KEEP_SECONDS);
  }

  @Test
  void acceptingAgainAfterALostReplySendsTheRequestInsteadOfLeavingItUnsent()
      throws Exception {
    redis.lpush(Keys.LOCAL_PROCESSING, bytes("raw-u5"));
    byte[] accepted = bytes("accepted-u5");
    assertThat(ops.accept(bytes("raw-u5"), accepted, Keys.backlog("u5"), bytes("{}"), 30)
        .get(10, TimeUnit.SECONDS)).isTrue();
    // the same step again, as Lettuce re-sends a command whose reply a dropped connection
    // lost, or as the bridge retries it: it ran, so the request must still be sent
    assertThat(ops.accept(bytes("raw-u5"), accepted, Keys.backlog("u5"), bytes("{}"), 30)
        .get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(redis.lrange(Keys.LOCAL_PROCESSING, 0, -1)).extracting(b -> new String(b, UTF_8))
        .containsExactly("accepted-u5");
    // another acceptance of the same raw entry (another uid) is still refused
    assertThat(ops.accept(bytes("raw-u5"), bytes("accepted-u6"), Keys.backlog("u6"),
        bytes("{}"), 30).get(10, TimeUnit.SECONDS)).isFalse();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
