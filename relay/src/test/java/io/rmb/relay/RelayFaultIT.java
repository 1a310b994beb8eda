package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rmb.peer.envelope.Expiry;
import io.rmb.peer.runtime.DropReason;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.proto.Envelope;
import io.rmb.relay.queue.QueueLimits;
import io.rmb.relay.redis.RedisOptions;
import io.rmb.relay.routing.RouteOutcome;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.testing.TestEnvelopes;
import io.rmb.relay.testing.TestPeer;
import io.rmb.relay.testing.TestTwins;
import io.rmb.relay.testing.Twins;
import io.rmb.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relays under faults (issue 9): a Redis-backed pair loses neither an instance's queued
 * envelopes when that instance is killed nor Redis' when redis-server (AOF on) is killed too,
 * and delivers nothing after its deadline; a twin connected to two relays gets exactly one
 * outcome per request while one relay is killed mid-stream, and never sees an expired one.
 * {@code -Drmb.chaos.relay.messages=N} sizes both (default 200).
 */
@Tag("integration")
class RelayFaultIT {
  private static final int MESSAGES = Integer.getInteger("rmb.chaos.relay.messages", 200);

  @TempDir Path dir;

  @Test
  void aKilledInstanceAndAKilledRedisLoseNoQueuedEnvelopeAndDeliverNoneExpired()
      throws Exception {
    Twins twins = Twins.write(dir, Map.of(1L, TestTwins.DOMAIN, 2L, TestTwins.DOMAIN));
    Clock clock = Clock.systemUTC();
    try (RedisServer redis = RedisServer.startWithAof()) {
      RelayServer doomed = instance(twins, redis);
      RelayServer survivor = instance(twins, redis);
      try {
        SessionKey sender = SessionKey.of(TestTwins.ALICE, "sender");
        TestPeer alice = TestPeer.connect(doomed.port(), sender, clock);
        Set<String> live = new HashSet<>();
        Set<String> shortLived = new HashSet<>();
        long shortDeadline = 0;
        for (int i = 0; i < MESSAGES; i++) {
          // Bob is offline: everything waits in the shared queue; odd ones expire soon
          Envelope request = TestEnvelopes.request(sender, SessionKey.of(TestTwins.BOB), clock)
              .setExpiration(i % 2 == 0 ? 120 : 3).build();
          (i % 2 == 0 ? live : shortLived).add(request.getUid());
          shortDeadline = Math.max(shortDeadline, request.getTimestamp() + 3);
          alice.sendBytes(TestEnvelopes.signed(request.toBuilder()));
        }
        await().atMost(Duration.ofSeconds(60))
            .until(() -> doomed.stats().routed(RouteOutcome.QUEUED) == MESSAGES);

        doomed.close(); // shutdown timeout 0: cut, nothing handed over
        redis.kill(); // SIGKILL; the AOF has every write Redis acknowledged
        redis.restart();
        long expiredAt = shortDeadline;
        await("the short-lived ones expired").atMost(Duration.ofSeconds(30))
            .until(() -> Expiry.now(clock) > expiredAt);

        TestPeer bob = TestPeer.connect(survivor.port(), SessionKey.of(TestTwins.BOB), clock);
        Map<String, Integer> received = new HashMap<>();
        List<String> late = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          for (Envelope envelope : bob.drainUntilSync()) {
            received.merge(envelope.getUid(), 1, Integer::sum);
            if (envelope.getTimestamp() + envelope.getExpiration() < Expiry.now(clock)) {
              late.add(envelope.getUid());
            }
          }
          return received.keySet().containsAll(live);
        });
        assertThat(received.keySet()).as("every live envelope, no expired one")
            .isEqualTo(live);
        assertThat(received.values()).as("each once").allMatch(n -> n == 1);
        assertThat(late).as("delivered after their deadline").isEmpty();
        assertThat(shortLived).doesNotContainAnyElementsOf(received.keySet());
        bob.disconnect();
        alice.close();
      } finally {
        doomed.close();
        survivor.close();
      }
    }
  }

  @Test
  void aTwinOnTwoRelaysGetsOneOutcomePerRequestWhileOneIsKilled() throws Exception {
    String second = "second.local";
    Twins twins = Twins.write(dir, Map.of(1L, TestTwins.DOMAIN + "_" + second,
        2L, TestTwins.DOMAIN + "_" + second));
    RelayServer first = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain(TestTwins.DOMAIN).twinsFile(twins.file()).shutdownTimeout(Duration.ZERO)
        .build());
    RelayServer other = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain(second).twinsFile(twins.file()).shutdownTimeout(Duration.ZERO).build());
    String[] urls = {Twins.ws(first.port()), Twins.ws(other.port())};
    RmbPeer echo = twins.echo(2, urls);
    RmbPeer client = twins.peer(1, urls).start();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> echo.isConnected()
          && client.isConnected());
      List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i++) {
        if (i == MESSAGES / 2) {
          first.close(); // with requests in flight through it
        }
        outcomes.add(client.request(List.of(2L), "echo",
            ("n" + i).getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5)).outcome(2));
      }
      int responses = 0;
      for (int i = 0; i < MESSAGES; i++) {
        Outcome outcome = outcomes.get(i).get(60, TimeUnit.SECONDS);
        if (outcome instanceof Outcome.Response response) {
          assertThat(new String(response.payload(), StandardCharsets.UTF_8)).isEqualTo("n" + i);
          responses++;
        }
      }
      // those in relay A when it died time out; everything after goes through the other
      assertThat(responses).as("answered").isGreaterThanOrEqualTo(MESSAGES / 2);
      assertThat(other.stats().routed(RouteOutcome.DELIVERED)).isPositive();
      assertThat(echo.stats().dropped(DropReason.EXPIRED))
          .as("requests the relays delivered after their deadline").isZero();
      assertThat(client.stats().dropped(DropReason.ALREADY_ANSWERED))
          .as("second answers for one destination").isZero();
    } finally {
      client.close();
      echo.close();
      first.close();
      other.close();
    }
  }

  private static RelayServer instance(Twins twins, RedisServer redis) {
    return RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain(TestTwins.DOMAIN).twinsFile(twins.file()).shutdownTimeout(Duration.ZERO)
        .queueLimits(QueueLimits.DEFAULT)
        .redis(RedisOptions.builder(redis.uri()).prefix("fault.").build()).build());
  }
}
