package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.rmb.testing.RedisServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rmb peer} as its own JVM, killed with SIGKILL again and again while a client pushes
 * requests to an echo twin: every request must get exactly one response or error on its ret.
 * {@code -Drmb.crash.requests=10000 -Drmb.crash.kills=5} runs the full version of issue 5;
 * the default is shorter for CI.
 */
class PeerCrashIT {
  private static final int REQUESTS = Integer.getInteger("rmb.crash.requests", 1500);
  private static final int KILLS = Integer.getInteger("rmb.crash.kills", 3);
  private static final int RET_QUEUES = 8;

  @TempDir static Path dir;
  private static EchoNet net;
  private static RedisServer redis;
  private static RedisClient client;
  private static RedisCommands<String, String> commands;

  @BeforeAll
  static void start() throws Exception {
    net = new EchoNet(dir);
    redis = RedisServer.start();
    client = RedisClient.create(redis.uri());
    commands = client.connect().sync();
  }

  @AfterAll
  static void stop() {
    client.shutdown();
    redis.close();
    net.close();
  }

  private static Process bridge(String redisUri, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "io.rmb.cli.Rmb", "peer", "-m", "//Alice", "--relay", net.relayUrl(), "--twins",
        net.twins.toString(), "-r", redisUri, "--no-update");
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  /** Every answer on the ret queues so far, by ref (not popped: LRANGE). */
  private static Map<String, Integer> answers() throws IOException {
    Map<String, Integer> byRef = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (int q = 0; q < RET_QUEUES; q++) {
      for (String message : commands.lrange("crash.ret." + q, 0, -1)) {
        JsonNode node = json.readTree(message);
        byRef.merge(node.get("ref").asText(), 1, Integer::sum);
      }
    }
    return byRef;
  }

  @Test
  void everyRequestGetsExactlyOneAnswerAcrossSigkills() throws Exception {
    Path log = dir.resolve("bridge.log");
    long now = System.currentTimeMillis() / 1000;
    List<String> batch = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      // rmb_tester's message; exp covers the restarts, so answers, not expiry, are tested
      batch.add("{\"ver\":1,\"ref\":\"r" + i + "\",\"cmd\":\"test.echo\",\"exp\":30,"
          + "\"dat\":\"aGk=\",\"dst\":[8],\"ret\":\"crash.ret." + (i % RET_QUEUES)
          + "\",\"shm\":\"application/json\",\"now\":" + now + "}");
    }
    Process process = bridge(redis.uri(), log);
    int pushed = 0;
    int step = Math.max(1, REQUESTS / (KILLS + 1));
    for (int kill = 0; kill < KILLS; kill++) {
      int until = Math.min(REQUESTS, pushed + step);
      commands.lpush("msgbus.system.local", batch.subList(pushed, until).toArray(String[]::new));
      pushed = until;
      int target = answers().size() + step / 4; // kill it mid-stream, with work in flight
      await().atMost(Duration.ofSeconds(60)).until(() -> answers().size() >= target);
      process.destroyForcibly(); // SIGKILL
      process.waitFor();
      process = bridge(redis.uri(), log);
    }
    commands.lpush("msgbus.system.local",
        batch.subList(pushed, REQUESTS).toArray(String[]::new));
    try {
      await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500))
          .until(() -> answers().size() == REQUESTS);
      // resends finish (answer, or a duplicate that times out) before we count again
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
          .until(() -> commands.llen("msgbus.system.local.processing") == 0
              && commands.llen("msgbus.system.local") == 0);
    } finally {
      process.destroyForcibly();
      process.waitFor();
    }

    Map<String, Integer> answers = answers();
    assertThat(answers).as("log: %s", log).hasSize(REQUESTS);
    assertThat(answers.entrySet().stream().filter(e -> e.getValue() != 1).toList())
        .as("requests answered more than once").isEmpty();
    assertThat(Files.readString(log)).contains("recovering");
  }

  @Test
  void anUnreachableRedisIsRetriedWithBackoffAndSaidSo() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    Path log = dir.resolve("unreachable.log");
    Process process = bridge("redis://127.0.0.1:" + port, log);
    try {
      // generous: a JVM start on a loaded shared machine took over 30 s (load average 46)
      await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(log)
          && Files.readString(log).contains("retrying in")
          && Files.readString(log).contains("(attempt 2)"));
      assertThat(Files.readString(log)).contains("Redis at redis://127.0.0.1:" + port
          + " is unreachable");
      assertThat(process.isAlive()).isTrue();
    } finally {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
