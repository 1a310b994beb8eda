package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.rmb.relay.routing.RouteOutcome;
import io.rmb.testing.RedisServer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis path under faults (issue 9): rmb-peer-style requests on {@code
 * msgbus.system.local} to echo twins 8 and 9 while relay A is stopped and started again, the
 * bridge ({@code rmb peer} in its own JVM) is SIGKILLed and started again, redis-server (AOF
 * on) is SIGKILLed and started again, and twin 9 drops relay A from its relay list. Every
 * destination must get at most one answer on its {@code ret} queue (none pushed twice: the
 * bridge's answered set prevents it; {@code -Drmb.chaos.strict=false} only requires that a
 * duplicate repeats the first, issue 9's rule, and counts it), and every destination must
 * get one: an answer, or the bridge's error 102 at the deadline when none came (non-strict
 * only bounds the destinations with nothing by their deadline plus a grace). CI runs a
 * short version; the full one is {@code -Drmb.chaos.requests=100000 -Drmb.chaos.relay.kills=5
 * -Drmb.chaos.gateway.kills=2 -Drmb.chaos.redis.kills=2}.
 */
class RedisChaosIT {
  private static final int REQUESTS = Integer.getInteger("rmb.chaos.requests", 3000);
  private static final int RELAY_KILLS = Integer.getInteger("rmb.chaos.relay.kills", 1);
  private static final int BRIDGE_KILLS = Integer.getInteger("rmb.chaos.gateway.kills", 1);
  private static final int REDIS_KILLS = Integer.getInteger("rmb.chaos.redis.kills", 1);
  private static final int EXP_SECONDS = Integer.getInteger("rmb.chaos.exp", 30);
  private static final int WINDOW = Integer.getInteger("rmb.chaos.window", 300);
  private static final int RET_QUEUES = 4;
  private static final boolean STRICT =
      Boolean.parseBoolean(System.getProperty("rmb.chaos.strict", "true"));
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The bridge's error 102 for a destination without an answer by the deadline. */
  private static final java.util.regex.Pattern NO_ANSWER_FROM =
      java.util.regex.Pattern.compile("no answer from twin ([0-9]+) before the deadline");

  @TempDir static Path dir;
  private static ChaosNet net;
  private static RedisServer redis;

  @BeforeAll
  static void start() throws Exception {
    net = new ChaosNet(dir);
    redis = RedisServer.startWithAof();
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
    if (net != null) {
      net.close();
    }
  }

  private static Process bridge(Path log) throws IOException, URISyntaxException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // the product's log layout plus a time, so its lines can be set against the records
    String logConfig = Path.of(RedisChaosIT.class.getResource("/chaos-child-logback.xml")
        .toURI()).toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m",
        "-Dlogback.configurationFile=" + logConfig,
        "-Drmb.chaos.debug.level=" + (Boolean.getBoolean("rmb.chaos.debug") ? "DEBUG" : "INFO"),
        "-cp", System.getProperty("java.class.path"), "io.rmb.cli.Rmb", "peer", "-m", "//Alice",
        "--twin", "7", "--twins", net.twins.toString(), "-r", redis.uri(), "--no-update"));
    for (String url : net.relayUrls()) {
      cmd.add("--relay");
      cmd.add(url);
    }
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  private static String request(int i, long now) {
    String dst = i % 10 == 0 ? "[8,9]" : i % 2 == 0 ? "[8]" : "[9]";
    return "{\"ver\":1,\"ref\":\"c" + i + "\",\"cmd\":\"test.echo\",\"exp\":" + EXP_SECONDS
        + ",\"dat\":\"aGk=\",\"dst\":" + dst + ",\"ret\":\"chaos.ret." + (i % RET_QUEUES)
        + "\",\"shm\":\"application/json\",\"now\":" + now + "}";
  }

  private static List<Long> destinations(int i) {
    return i % 10 == 0 ? List.of(8L, 9L) : i % 2 == 0 ? List.of(8L) : List.of(9L);
  }

  @Test
  void noDestinationIsAnsweredTwiceDifferentlyAcrossBridgeRedisAndRelayKills()
      throws Exception {
    Path log = Fault.out().resolve("redis-bridge.log");
    Files.createDirectories(log.getParent());
    Files.deleteIfExists(log);
    OutcomeTally tally = new OutcomeTally();
    List<Fault> faults = Fault.plan(RELAY_KILLS, BRIDGE_KILLS, REDIS_KILLS);
    List<String> report = new ArrayList<>();
    long[] deadlines = new long[REQUESTS]; // System.nanoTime() after which a client gives up
    long federated = 0;
    long clientTimeouts = 0;
    RedisClient client = RedisClient.create(redis.uri());
    Process bridge = bridge(log);
    long started = System.nanoTime();
    RedisChaosRecords records = new RedisChaosRecords(started, REQUESTS);
    try (Collector collector = new Collector(client, tally, records);
        StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> commands = connection.sync();
      int sent = 0;
      int next = 0;
      int complete = 0; // requests answered on every destination or given up, in order
      Fault.Pending pending = null;
      long relayKilledNanos = 0; // relay A is down since then
      long relayDownUntil = 0; // number of responses after which it comes back
      long progressAt = 0;
      while (complete < REQUESTS) {
        long seen = tally.total(); // before looking: an outcome from now on wakes the wait
        if (System.nanoTime() - progressAt > TimeUnit.SECONDS.toNanos(10)) {
          // a long run stopped by hand still leaves its figures
          progressAt = System.nanoTime();
          Fault.progress("redis", String.format("%.0f s: sent %d, complete %d, outcomes %d, "
              + "duplicates %d, conflicts %d, faults %d/%d %s", (progressAt - started) / 1e9,
              sent, complete, tally.total(), tally.duplicates(), tally.conflicts().size(), next,
              faults.size(), report));
        }
        while (complete < sent && (answered(tally, complete)
            || System.nanoTime() > deadlines[complete])) {
          complete++;
        }
        if (complete == REQUESTS) {
          break;
        }
        if (relayKilledNanos != 0 && tally.responses() > relayDownUntil) {
          net.restartRelayA();
          records.fault("RELAY back", System.nanoTime());
          pending = new Fault.Pending(Fault.RELAY, relayKilledNanos, System.nanoTime());
          relayKilledNanos = 0;
        }
        if (pending != null && tally.lastResponseNanos() > pending.restartedNanos()) {
          report.add(pending.recovered(tally.lastResponseNanos()));
          pending = null;
        }
        if (next < faults.size() && pending == null && relayKilledNanos == 0
            && complete >= (next + 1) * REQUESTS / (faults.size() + 1)) {
          Fault fault = faults.get(next++);
          long killed = System.nanoTime();
          records.fault(fault.name(), killed);
          switch (fault) {
            case RELAY -> {
              federated += net.relayA().stats().routed(RouteOutcome.FEDERATED);
              net.killRelayA();
              // down until responses flowed through relay B meanwhile (the loop goes on)
              relayDownUntil = tally.responses() + 20;
              relayKilledNanos = killed;
              continue;
            }
            case GATEWAY -> {
              bridge.destroyForcibly(); // SIGKILL
              bridge.waitFor();
              bridge = bridge(log);
            }
            case REDIS -> {
              // our own pops must not be lost with a reply that never comes back
              collector.pause();
              redis.kill();
              redis.restart();
              collector.resume();
            }
            case TWIN_RELAYS -> net.dropRelayAOfTwin9();
          }
          pending = new Fault.Pending(fault, killed, System.nanoTime());
          continue;
        }
        if (sent < REQUESTS && sent - complete < WINDOW) {
          long now = System.currentTimeMillis() / 1000;
          int until = Math.min(REQUESTS, sent + 50);
          List<String> batch = new ArrayList<>();
          for (int i = sent; i < until; i++) {
            batch.add(request(i, now));
            records.sent(i, System.nanoTime());
            // now is whole seconds: the deadline may be up to 1 s earlier than exp from here
            deadlines[i] = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXP_SECONDS + 15);
          }
          commands.lpush("msgbus.system.local", batch.toArray(String[]::new));
          sent = until;
          continue;
        }
        long giveUp = deadlines[complete];
        try {
          await().atMost(Duration.ofSeconds(EXP_SECONDS + 120L)).pollInterval(
              Duration.ofMillis(20)).until(() -> tally.total() > seen
                  || System.nanoTime() > giveUp);
        } catch (ConditionTimeoutException e) {
          throw new AssertionError("no answer for " + (EXP_SECONDS + 120) + " s; log " + log, e);
        }
      }
      federated += net.relayA().stats().routed(RouteOutcome.FEDERATED);
      clientTimeouts = expected() - tally.distinct();
      double seconds = (System.nanoTime() - started) / 1e9;
      report.add(String.format("redis chaos: %d requests, %d destinations answered, %d answers, "
          + "%d duplicates, %d client timeouts, first answers %s, %d envelopes federated by "
          + "relay A, %.0f s", REQUESTS, tally.distinct(), tally.total(), tally.duplicates(),
          clientTimeouts, tally.firstByStatus(), federated, seconds));
      report.add("error answers by message: " + collector.errors);
    } finally {
      bridge.destroyForcibly();
      bridge.waitFor();
      client.shutdown();
      Fault.write("redis", report);
      records.write(Fault.out().resolve("redis-destinations.txt"), REQUESTS,
          RedisChaosIT::destinations);
    }

    assertThat(tally.conflicts()).as("destinations with differing answers").isEmpty();
    // issue 9's rule: a duplicate repeats the first answer (checked above: no conflicts) and
    // is counted in the report; strict (the default since the duplicates' causes were fixed,
    // docs/reliability.md) requires none: the answered set prevents them
    if (STRICT) {
      assertThat(tally.duplicates()).as("answers pushed twice (the answered set prevents it)")
          .isZero();
    }
    if (STRICT) {
      // issue 9: exactly one outcome per destination; one whose envelope died in a relay gets
      // the bridge's error 102 at its deadline (see the records for any that did not)
      assertThat(clientTimeouts).as("destinations without any answer on ret; records in %s, "
          + "log %s", Fault.out().resolve("redis-destinations.txt"), log).isZero();
    } else {
      assertThat(clientTimeouts).as("destinations never answered; log %s", log)
          .isLessThanOrEqualTo((long) WINDOW * RELAY_KILLS * 2);
    }
    assertThat(Files.readString(log)).contains("recovering");
  }

  private static long expected() {
    long expected = 0;
    for (int i = 0; i < REQUESTS; i++) {
      expected += destinations(i).size();
    }
    return expected;
  }

  private static boolean answered(OutcomeTally tally, int i) {
    return destinations(i).stream().allMatch(t -> tally.has("c" + i, Long.toString(t)));
  }

  /**
   * Pops answers off the ret queues into a tally, on its own thread; {@link #pause()} makes
   * it stop popping (and wait until its last pop returned) while redis-server is killed.
   */
  private static final class Collector implements AutoCloseable {
    private final Thread thread;
    private final Object lock = new Object();
    private volatile boolean running = true;
    private boolean paused;
    private boolean popping;
    private volatile Throwable failure;
    final java.util.Map<String, Long> errors = new java.util.concurrent.ConcurrentSkipListMap<>();

    Collector(RedisClient client, OutcomeTally tally, RedisChaosRecords records) {
      thread = new Thread(() -> {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
          RedisCommands<String, String> commands = connection.sync();
          while (running) {
            synchronized (lock) {
              while (paused && running) {
                lock.wait();
              }
              popping = true;
            }
            int popped = 0;
            try {
              for (int q = 0; q < RET_QUEUES; q++) {
                List<String> answers = commands.rpop("chaos.ret." + q, 500);
                for (String answer : answers == null ? List.<String>of() : answers) {
                  popped++;
                  JsonNode node = JSON.readTree(answer);
                  String ref = node.path("ref").asText();
                  String src = node.path("src").asText();
                  src = src.contains(":") ? src.substring(0, src.indexOf(':')) : src;
                  java.util.regex.Matcher timeout = NO_ANSWER_FROM.matcher(
                      node.path("err").path("message").asText());
                  if ((src.isEmpty() || src.equals("0")) && timeout.lookingAt()) {
                    src = timeout.group(1); // the bridge's timeout error names its twin
                  } else if (src.isEmpty() || src.equals("0")) {
                    // a local or relay error names no twin: it stands for the first
                    // destination of the request still without an answer
                    List<Long> dst = destinations(Integer.parseInt(ref.substring(1)));
                    src = Long.toString(dst.stream().filter(t -> !tally.has(ref,
                        Long.toString(t))).findFirst().orElse(dst.get(0)));
                  }
                  String message = node.path("err").path("message").asText();
                  if (node.path("err").isObject()) {
                    // error answers are counted by message so the report says where they came from
                    errors.merge(node.path("err").path("code").asText() + " "
                        + message.replaceAll("[0-9]{3,}", "N"), 1L, Long::sum);
                  }
                  // a response carries "err": null
                  String status = node.path("err").isObject()
                      ? "error " + node.path("err").path("code").asText() : "response";
                  tally.add(ref, src, "", status);
                  records.answer(OutcomeTally.key(ref, src), status, message,
                      node.path("src").asText(), System.nanoTime());
                }
              }
            } finally {
              synchronized (lock) {
                popping = false;
                lock.notifyAll();
              }
            }
            if (popped == 0) {
              synchronized (lock) {
                lock.wait(20); // nothing queued: poll again shortly (or when resumed)
              }
            }
          }
        } catch (Throwable e) {
          failure = e;
        }
      }, "chaos-redis-collector");
      thread.setDaemon(true);
      thread.start();
    }

    void pause() throws InterruptedException {
      synchronized (lock) {
        paused = true;
        while (popping) {
          lock.wait();
        }
      }
    }

    void resume() {
      synchronized (lock) {
        paused = false;
        lock.notifyAll();
      }
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      resume();
      thread.join(TimeUnit.SECONDS.toMillis(10));
      if (failure != null) {
        throw new AssertionError("the answer collector failed", failure);
      }
    }
  }
}
