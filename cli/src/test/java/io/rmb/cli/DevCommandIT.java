package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rmb dev --demo N}: the whole stack in one process, N requests through Kafka. */
class DevCommandIT {
  @TempDir Path dir;

  @Test
  void theDemoGetsAResponseForEveryRequestThroughKafka() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    // a gateway setting is accepted, and two stream threads still answer every request
    int code = cli.execute("dev", "--demo", "20", "--concurrency", "5", "--dir",
        dir.toString(), "--gateway-prop", "num.stream.threads=2", "--stages", "--direct",
        "--warmup", "5", "--settle");

    assertThat(code).as("stdout: %s%nstderr: %s", out, err).isZero();
    assertThat(out.toString()).contains("Kafka bootstrap:")
        .contains("bin/rmb send --bootstrap-servers")
        .contains("kafka:       sent 20, responses 20, errors 0, timeouts 0;")
        .contains("direct:      sent 20, responses 20, errors 0, timeouts 0;")
        .contains("ratio:       kafka/direct throughput");
    // the direct load runs before any Kafka load, so nothing the Kafka path leaves behind
    // (purges, tombstones) runs during it
    assertThat(out.toString().indexOf("warm-up (discarded): direct:"))
        .isNotNegative()
        .isLessThan(out.toString().indexOf("warm-up (discarded): kafka:"));
    if (Files.isDirectory(Path.of("/proc/self/task"))) {
      // each window says how much of its CPU went to the JIT (Linux)
      assertThat(out.toString()).containsPattern("kafka: .*; JIT \\d+% of the CPU");
    }
    // --settle rounds (W/5 = 1 request) come after their path's warm-up, at most 20 a path
    long rounds = out.toString().lines().filter(l -> l.startsWith("settling")).count();
    assertThat(rounds).isLessThanOrEqualTo(2 * WarmUp.MAX_ROUNDS);
    assertThat(err.toString()).contains("20/20")
        .containsPattern("stages p50/p99 \\(ms\\): request\\+network \\d+/\\d+, answers hop"
            + " \\d+/\\d+, outcome hop \\d+/\\d+ \\(\\d+ samples");
    String twins = Files.readString(dir.resolve("twins.json"));
    assertThat(twins).contains("\"id\": 1").contains("\"id\": 2").contains("\"pk\": \"0x");
  }

  @Test
  void aDemoOfZeroRequestsIsAUsageError() {
    StringWriter err = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setErr(new PrintWriter(err));

    assertThat(cli.execute("dev", "--demo", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--demo must be at least 1");
  }

  @Test
  void settlingWithoutAWarmUpIsAUsageError() {
    StringWriter err = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setErr(new PrintWriter(err));

    assertThat(cli.execute("dev", "--demo", "10", "--settle")).isEqualTo(2);
    assertThat(err.toString()).contains("--settle needs --warmup");
  }
}
