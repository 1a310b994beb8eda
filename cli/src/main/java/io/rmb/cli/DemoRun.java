package io.rmb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.RmbPeer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The load of {@code rmb dev --demo N}: N echo round trips with at most {@code concurrency}
 * in flight, either through Kafka (request record -> gateway -> relay -> echo twin -> outcome
 * record) or directly on a peer, with a progress bar and a {@link Summary}.
 */
final class DemoRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a run achieved; latencies are from send to outcome. {@code cpu} is the CPU time the
   * whole process (broker, relay, gateway, echo twin and the load itself) spent meanwhile: on a
   * shared machine round trips per CPU-second compare paths better than per wall second.
   * {@code jit} is the part of {@code cpu} the JIT compiler threads used (negative where it
   * cannot be read): a window in which it is more than a small share ran code still being
   * compiled, so it measured a warm-up rather than a steady state.
   */
  record Summary(String mode, int sent, int responses, int errors, int timeouts,
      Duration elapsed, Duration cpu, Duration jit, double p50Millis, double p99Millis) {
    double perSecond() {
      return responses * 1e9 / Math.max(1, elapsed.toNanos());
    }

    double perCpuSecond() {
      return responses * 1e9 / Math.max(1, cpu.toNanos());
    }

    /** The JIT compiler threads' share of the process CPU; NaN where it cannot be read. */
    double jitShare() {
      return jit.isNegative() ? Double.NaN : jit.toNanos() / (double) Math.max(1, cpu.toNanos());
    }

    String line() {
      String line = String.format(Locale.ROOT, "%-12s sent %d, responses %d, errors %d,"
          + " timeouts %d; %.0f round trips/s, %.0f per CPU-second; latency p50 %.1f ms,"
          + " p99 %.1f ms", mode + ":", sent, responses, errors, timeouts, perSecond(),
          perCpuSecond(), p50Millis, p99Millis);
      return Double.isNaN(jitShare()) ? line
          : line + String.format(Locale.ROOT, "; JIT %.0f%% of the CPU", 100 * jitShare());
    }
  }

  private final int count;
  private final int concurrency;
  private final PrintWriter progress;

  DemoRun(int count, int concurrency, PrintWriter progress) {
    this.count = count;
    this.concurrency = concurrency;
    this.progress = progress;
  }

  /** How many requests a run sends. */
  int count() {
    return count;
  }

  /** The same load with {@code count} requests. */
  DemoRun withCount(int count) {
    return new DemoRun(count, concurrency, progress);
  }

  /**
   * N requests produced to {@code requests}, outcomes read from {@code responses}. With
   * {@code answers} (the gateway's internal answers topic, null for none) the reader also
   * reads it and prints the {@link Stages} of the round trips: a diagnosis that costs the
   * load generator a second topic, which a user's client does not read.
   */
  Summary throughKafka(String bootstrap, String requests, String responses, String answers,
      long twin, Duration timeout) throws InterruptedException {
    String run = "demo-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    Tally tally = new Tally("kafka");
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Map<String, Long> sentAtMillis = new ConcurrentHashMap<>();
    Stages stages = new Stages(count, java.time.Clock.systemUTC());
    Semaphore window = new Semaphore(concurrency);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
            new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new StringSerializer())) {
      List<String> topics = answers == null ? List.of(responses) : List.of(responses, answers);
      List<TopicPartition> partitions = topics.stream()
          .flatMap(topic -> consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))).toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // from here on, before the first request
      Thread reader = new Thread(() -> {
        while (tally.done() < count && !Thread.currentThread().isInterrupted()) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
            if (answers != null && record.topic().equals(answers)) {
              stages.answered(record);
              continue;
            }
            JsonNode outcome = parse(record.value());
            String ref = outcome == null ? "" : outcome.path("ref").asText();
            Long start = sentAt.remove(ref);
            if (start != null) {
              stages.outcome(record, sentAtMillis.remove(ref));
              tally.add(outcome.path("status").asText(), System.nanoTime() - start);
              window.release();
            }
          }
        }
      }, "rmb-demo-reader");
      tally.start();
      reader.start();
      for (int i = 0; i < count; i++) {
        window.acquire();
        String ref = run + i;
        sentAtMillis.put(ref, System.currentTimeMillis());
        sentAt.put(ref, System.nanoTime());
        producer.send(new ProducerRecord<>(requests, ref, "{\"ref\":\"" + ref
            + "\",\"cmd\":\"demo.echo\",\"dst\":[" + twin + "],\"json\":{\"i\":" + i
            + "},\"exp\":" + timeout.toSeconds() + "}"));
        tally.sent.incrementAndGet();
      }
      producer.flush();
      reader.join(timeout.plusSeconds(30).toMillis());
      reader.interrupt();
      reader.join();
    }
    if (answers != null) {
      progress.println("  " + stages.line());
      progress.flush();
    }
    return tally.summary();
  }

  /** N requests on {@code peer} to {@code twin}, the same load without Kafka. */
  Summary direct(RmbPeer peer, long twin, Duration timeout) throws InterruptedException {
    Tally tally = new Tally("direct");
    Semaphore window = new Semaphore(concurrency);
    tally.start();
    for (int i = 0; i < count; i++) {
      window.acquire();
      long start = System.nanoTime();
      peer.request(List.of(twin), "demo.echo",
          ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8), timeout)
          .onOutcome(outcome -> {
            tally.add(outcome instanceof Outcome.Response ? "response"
                : outcome instanceof Outcome.Timeout ? "timeout" : "error",
                System.nanoTime() - start);
            window.release();
          });
      tally.sent.incrementAndGet();
    }
    if (!window.tryAcquire(concurrency, timeout.plusSeconds(30).toSeconds(), TimeUnit.SECONDS)) {
      progress.println();
    }
    return tally.summary();
  }

  /** CPU time of this process (all threads, JVM's own included); 0 where not available. */
  static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os
        ? Math.max(0, os.getProcessCpuTime()) : 0;
  }

  private static JsonNode parse(byte[] value) {
    try {
      return value == null ? null : JSON.readTree(value);
    } catch (IOException e) {
      return null;
    }
  }

  /** Counts and latencies of one run, with the progress bar. */
  private final class Tally {
    final String mode;
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger responses = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();
    final AtomicInteger timeouts = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    final AtomicLongArray latencies = new AtomicLongArray(count);
    private long startNanos;
    private long startCpuNanos;
    private JitCpu.Sample startJit;
    private volatile long endNanos;
    private volatile long endCpuNanos;
    private volatile JitCpu.Sample endJit;

    Tally(String mode) {
      this.mode = mode;
    }

    void start() {
      startNanos = System.nanoTime();
      startCpuNanos = processCpuNanos();
      startJit = JitCpu.sample();
    }

    int done() {
      return done.get();
    }

    void add(String status, long nanos) {
      switch (status) {
        case "response" -> responses.incrementAndGet();
        case "timeout" -> timeouts.incrementAndGet();
        default -> errors.incrementAndGet();
      }
      int n = done.incrementAndGet();
      latencies.set(n - 1, nanos);
      if (n == count) {
        endNanos = System.nanoTime();
        endCpuNanos = processCpuNanos();
        endJit = JitCpu.sample();
      }
      int step = Math.max(1, count / 40);
      if (n % step == 0 || n == count) {
        synchronized (progress) {
          int width = 40;
          int filled = (int) ((long) n * width / count);
          progress.print("\r  " + mode + " [" + "#".repeat(filled) + "-".repeat(width - filled)
              + "] " + n + "/" + count + (n == count ? "\n" : ""));
          progress.flush();
        }
      }
    }

    Summary summary() {
      int n = done.get();
      long[] sorted = new long[n];
      for (int i = 0; i < n; i++) {
        sorted[i] = latencies.get(i);
      }
      Arrays.sort(sorted);
      long end = endNanos != 0 ? endNanos : System.nanoTime();
      long endCpu = endCpuNanos != 0 ? endCpuNanos : processCpuNanos();
      long jit = (endNanos != 0 ? endJit : JitCpu.sample()).nanosSince(startJit);
      return new Summary(mode, sent.get(), responses.get(), errors.get(), timeouts.get(),
          Duration.ofNanos(end - startNanos), Duration.ofNanos(endCpu - startCpuNanos),
          Duration.ofNanos(jit), percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    private double percentile(long[] sorted, double p) {
      if (sorted.length == 0) {
        return 0;
      }
      int index = (int) Math.ceil(p * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
  }
}
