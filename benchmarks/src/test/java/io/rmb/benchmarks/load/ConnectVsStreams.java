package io.rmb.benchmarks.load;

import io.rmb.connect.RmbSinkConnector;
import io.rmb.streams.GatewayConfig;
import io.rmb.streams.StreamsGateway;
import io.rmb.streams.TestNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * Outcomes per second through the Kafka Connect sink and through the Streams gateway, one
 * after the other in the same JVM, on the same in-process broker, relay and echo twin: n
 * {@code test.echo} requests to twin 11 are produced at once and the clock stops at the n-th
 * outcome. Args: n (default 2000), rounds (default 2).
 */
public final class ConnectVsStreams {
  private ConnectVsStreams() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path dir = Files.createTempDirectory("connect-vs-streams");
    Properties broker = new Properties();
    broker.put("transaction.state.log.replication.factor", "1");
    broker.put("transaction.state.log.min.isr", "1");
    EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder().name("bench")
        .numWorkers(1).numBrokers(1).workerProps(new HashMap<>(Map.of(
            "offset.flush.interval.ms", "500"))).brokerProps(broker).build();
    connect.start();
    try (TestNet net = new TestNet(dir)) {
      String bootstrap = connect.kafka().bootstrapServers();
      for (int round = 1; round <= rounds; round++) {
        String s = "st" + round;
        createTopics(connect, s);
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("application.id", s + "-gateway");
        props.put("state.dir", dir.resolve(s).toString());
        for (String t : new String[] {"requests", "responses", "incoming", "replies", "dlq",
            "answers"}) {
          props.put("rmb.topic." + t, s + "." + t);
        }
        props.put("rmb.topic.incoming.index", s + ".incoming-index");
        try (StreamsGateway gateway = StreamsGateway.start(
            GatewayConfig.load(Optional.empty(), Map.of(), props), net.gatewayPeer())) {
          long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
          while (!gateway.isReady() && System.nanoTime() < deadline) {
            Thread.sleep(100); // a load main, not a test: polling readiness is fine here
          }
          report("streams", round, n, run(bootstrap, s, n));
        }

        String k = "sk" + round;
        createTopics(connect, k);
        Map<String, String> sink = new HashMap<>();
        sink.put("connector.class", RmbSinkConnector.class.getName());
        sink.put("tasks.max", "1");
        sink.put("topics", k + ".requests");
        sink.put("rmb.responses.topic", k + ".responses");
        sink.put("reporter.bootstrap.servers", bootstrap);
        sink.put("rmb.mnemonic", "//Alice");
        sink.put("rmb.twin.id", "7");
        sink.put("rmb.relays", net.relayUrl());
        sink.put("rmb.twins.file", net.twins.toString());
        sink.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        sink.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        sink.put("value.converter.schemas.enable", "false");
        connect.configureConnector(k, sink);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(k, 1, "not running");
        report("connect-sink", round, n, run(bootstrap, k, n));
        connect.deleteConnector(k);
      }
    } finally {
      connect.stop();
    }
  }

  private static void createTopics(EmbeddedConnectCluster connect, String prefix) {
    for (String t : new String[] {"requests", "responses"}) {
      connect.kafka().createTopic(prefix + "." + t, 1);
    }
  }

  private static void report(String path, int round, int n, long nanos) {
    System.out.printf("%-13s round %d: %d outcomes in %.2f s = %.0f outcomes/s%n", path, round,
        n, nanos / 1e9, n / (nanos / 1e9));
  }

  /** Produces n requests, returns nanoseconds from the first send to the n-th outcome. */
  private static long run(String bootstrap, String prefix, int n) {
    Map<String, Object> pc = Map.of("bootstrap.servers", bootstrap, "linger.ms", 5);
    Map<String, Object> cc = Map.of("bootstrap.servers", bootstrap);
    try (var producer = new KafkaProducer<>(pc, new StringSerializer(), new StringSerializer());
        var consumer = new KafkaConsumer<>(cc, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition out = new TopicPartition(prefix + ".responses", 0);
      consumer.assign(List.of(out));
      consumer.seekToBeginning(List.of(out));
      consumer.position(out);
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        producer.send(new ProducerRecord<>(prefix + ".requests", "k" + i,
            "{\"ref\":\"r" + i + "\",\"cmd\":\"test.echo\",\"dst\":[11],\"exp\":300,"
                + "\"dat\":\"aGk=\"}"));
      }
      producer.flush();
      int seen = 0;
      long deadline = start + Duration.ofMinutes(5).toNanos();
      while (seen < n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(prefix + ": only " + seen + " of " + n + " outcomes");
        }
        seen += consumer.poll(Duration.ofMillis(200)).count();
      }
      return System.nanoTime() - start;
    }
  }

}
