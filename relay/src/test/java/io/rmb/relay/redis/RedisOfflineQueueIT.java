package io.rmb.relay.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.relay.queue.QueueLimits;
import io.rmb.relay.queue.QueuedEnvelope;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.testing.MutableClock;
import io.rmb.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The Redis Streams offline queue against a real redis-server: bound, expiry, deadlines. */
@Tag("integration")
class RedisOfflineQueueIT {
  private static RedisServer redis;
  private static final SessionKey KEY = SessionKey.of(7, "s");

  private final MutableClock clock = MutableClock.system();
  private RedisBackend backend;
  private RedisOfflineQueue queue;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void connect(TestInfo info) {
    backend = RedisBackend.connect(RedisOptions.builder(redis.uri())
        .prefix("q." + info.getTestMethod().orElseThrow().getName() + ".").build());
    queue = backend.offlineQueue(QueueLimits.builder().maxPerSession(3)
        .idleExpiry(Duration.ofMinutes(10)).build(), clock);
  }

  @AfterEach
  void close() {
    queue.close();
    backend.close();
  }

  private long deadline(long seconds) {
    return clock.millis() / 1000 + seconds;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> texts(List<QueuedEnvelope> entries) {
    return entries.stream().map(e -> new String(e.envelope(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void fullStreamDropsItsOldestAndCountsThem() throws Exception {
    for (int i = 0; i < 5; i++) {
      queue.offer(KEY, bytes("m" + i), deadline(60)).toCompletableFuture().join();
    }

    assertThat(texts(queue.peek(KEY, 10).toCompletableFuture().join()))
        .containsExactly("m2", "m3", "m4");
    assertThat(queue.stats().droppedFull()).isEqualTo(2);
    assertThat(queue.stats().offered()).isEqualTo(5);
    assertThat(redis.command("XLEN " + queue.streamKey(KEY))).isEqualTo(":3");
  }

  @Test
  void everyWriteSetsTheIdleExpiry() throws Exception {
    queue.offer(KEY, bytes("m"), deadline(60)).toCompletableFuture().join();

    long ttl = Long.parseLong(redis.command("PTTL " + queue.streamKey(KEY)).substring(1));
    assertThat(ttl).isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());
  }

  @Test
  void expiredEntriesAreNeverReturnedButDeletedAndCounted() {
    queue.offer(KEY, bytes("short"), deadline(5)).toCompletableFuture().join();
    queue.offer(KEY, bytes("long"), deadline(60)).toCompletableFuture().join();
    queue.offer(KEY, bytes("dead on arrival"), deadline(0)).toCompletableFuture().join();

    clock.advance(Duration.ofSeconds(10));

    assertThat(texts(queue.peek(KEY, 10).toCompletableFuture().join())).containsExactly("long");
    assertThat(queue.stats().droppedExpired()).isEqualTo(2);
  }

  @Test
  void acknowledgedEntriesAreDeletedAndTheGaugesFollow() throws Exception {
    queue.offer(KEY, bytes("a"), deadline(60)).toCompletableFuture().join();
    queue.offer(SessionKey.of(8), bytes("b"), deadline(60)).toCompletableFuture().join();
    queue.refreshGauges();
    assertThat(queue.stats().depth()).isEqualTo(2);
    assertThat(queue.stats().sessions()).isEqualTo(2);

    List<QueuedEnvelope> entries = queue.peek(KEY, 10).toCompletableFuture().join();
    queue.acknowledge(KEY, entries).toCompletableFuture().join();
    queue.refreshGauges();

    assertThat(queue.peek(KEY, 10).toCompletableFuture().join()).isEmpty();
    assertThat(queue.stats().delivered()).isEqualTo(1);
    assertThat(queue.stats().depth()).isEqualTo(1);
    assertThat(redis.command("XLEN " + queue.streamKey(KEY))).isEqualTo(":0");
  }
}
