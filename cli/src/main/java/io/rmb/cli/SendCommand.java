package io.rmb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rmb.streams.record.RmbHeaders;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rmb send}: produces one request to the gateway's requests topic and prints its
 * outcomes from the responses topic. Goes through Kafka and a running gateway, not a relay.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {"Produces one request to rmb.requests and waits for its outcomes on",
        "rmb.responses (one JSON line per destination, as the gateway wrote it)."},
    footer = {"", "Example:",
        "  rmb send --bootstrap-servers 127.0.0.1:9092 --dst 2 --cmd test.echo --data hello",
        "", "Exit codes: 0 every destination answered, 1 some error or timeout, 2 usage."})
final class SendCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT", required = true,
      description = "Kafka bootstrap servers.")
  String bootstrap;

  @Option(names = "--dst", paramLabel = "TWIN", required = true,
      description = "Destination twin id (repeatable).")
  List<Long> destinations = new ArrayList<>();

  @Option(names = "--cmd", paramLabel = "NAME", required = true, description = "Command name.")
  String command;

  @Option(names = "--data", paramLabel = "TEXT",
      description = "Payload: sent as the JSON value when it parses as JSON, else as text.")
  String data;

  @Option(names = "--ref", paramLabel = "REF", description = "Request ref (default: random).")
  String ref;

  @Option(names = "--timeout", paramLabel = "S", defaultValue = "30",
      description = "Request expiration in seconds (default 30; at most 1800).")
  long timeoutSeconds;

  @Option(names = "--requests-topic", paramLabel = "TOPIC", defaultValue = "rmb.requests")
  String requestsTopic;

  @Option(names = "--responses-topic", paramLabel = "TOPIC", defaultValue = "rmb.responses")
  String responsesTopic;

  @Override
  public Integer call() throws Exception {
    if (timeoutSeconds < 1 || timeoutSeconds > 1800) {
      throw new IllegalArgumentException("--timeout must be in [1, 1800] seconds");
    }
    String requestRef = ref != null ? ref : UUID.randomUUID().toString();
    ObjectNode request = JSON.createObjectNode().put("ver", 1).put("ref", requestRef)
        .put("cmd", command).put("exp", timeoutSeconds);
    destinations.forEach(request.putArray("dst")::add);
    if (data != null) {
      request.set("json", payload(data));
    }
    PrintWriter out = spec.commandLine().getOut();
    Set<Long> waiting = new HashSet<>(destinations);
    boolean allAnswered = true;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
            new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
            new StringSerializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(responsesTopic,
          Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(responsesTopic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // positioned before the request exists
      ProducerRecord<String, String> record = new ProducerRecord<>(requestsTopic, requestRef,
          JSON.writeValueAsString(request));
      record.headers().add(RmbHeaders.CORRELATION_ID,
          requestRef.getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
      // the gateway writes a timeout at the deadline; wait a little longer than that
      long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds + 15).toNanos();
      while (!waiting.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> outcome : consumer.poll(Duration.ofMillis(100))) {
          JsonNode value = parse(outcome.value());
          if (value != null && requestRef.equals(value.path("ref").asText())
              && waiting.remove(value.path("src").asLong())) {
            out.println(JSON.writeValueAsString(value));
            out.flush();
            allAnswered &= "response".equals(value.path("status").asText());
          }
        }
      }
    }
    if (!waiting.isEmpty()) {
      spec.commandLine().getErr().println("rmb: no outcome from the gateway for " + waiting
          + " (is a gateway running on " + requestsTopic + "?)");
      return 1;
    }
    return allAnswered ? 0 : 1;
  }

  private static JsonNode payload(String data) {
    try {
      return JSON.readTree(data);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(data);
    }
  }

  private static JsonNode parse(byte[] value) {
    try {
      return value == null ? null : JSON.readTree(value);
    } catch (IOException e) {
      return null;
    }
  }
}
