package io.rmb.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A fault the chaos ITs inject, and the plan that spreads them over a run. */
enum Fault {
  /** Relay A stopped (sessions dropped, queue lost) and started again. */
  RELAY,
  /** The gateway or bridge process SIGKILLed and started again. */
  GATEWAY,
  /** redis-server SIGKILLed and started again (AOF on). */
  REDIS,
  /** Twin 9 drops relay A from its relay list in the twin directory. */
  TWIN_RELAYS;

  /** Interleaves the kills, with the twin directory change early, once. */
  static List<Fault> plan(int relayKills, int processKills) {
    return plan(relayKills, processKills, GATEWAY);
  }

  static List<Fault> plan(int relayKills, int processKills, Fault process) {
    List<Fault> plan = new ArrayList<>();
    int relays = relayKills;
    int processes = processKills;
    while (relays > 0 || processes > 0) {
      if (relays > 0) {
        plan.add(RELAY);
        relays--;
      }
      if (plan.size() == 1) {
        plan.add(TWIN_RELAYS);
      }
      if (processes > 0 && (relays <= processes || plan.size() % 3 == 0)) {
        plan.add(process);
        processes--;
      }
    }
    if (!plan.contains(TWIN_RELAYS)) {
      plan.add(TWIN_RELAYS);
    }
    return plan;
  }

  /** {@link #plan(int, int, Fault)} with {@code redisKills} redis-server kills spread in. */
  static List<Fault> plan(int relayKills, int processKills, int redisKills) {
    List<Fault> plan = plan(relayKills, processKills, GATEWAY);
    for (int k = redisKills; k > 0; k--) {
      plan.add(k * plan.size() / (redisKills + 1) + 1, REDIS);
    }
    return plan;
  }

  /** Where reports and child logs go: {@code -Drmb.chaos.out=DIR}, default target/chaos. */
  static Path out() {
    return Path.of(System.getProperty("rmb.chaos.out", "target/chaos")).toAbsolutePath();
  }

  /** Writes a run's report lines to {@code <out>/<name>.txt} (and stdout). */
  static void write(String name, List<String> lines) throws IOException {
    lines.forEach(System.out::println);
    Path file = out().resolve(name + ".txt");
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
  }

  /** Appends one progress line to {@code <out>/<name>-progress.txt}. */
  static void progress(String name, String line) throws IOException {
    Path file = out().resolve(name + "-progress.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, line + System.lineSeparator(), java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  /** A fault injected, waiting for the first response after its component came back. */
  record Pending(Fault fault, long killedNanos, long restartedNanos) {
    String recovered(long responseNanos) {
      return String.format("%s: back after %.1f s (kill to first response after restart)",
          fault, (responseNanos - killedNanos) / 1e9);
    }
  }
}
