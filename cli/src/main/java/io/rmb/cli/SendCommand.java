package io.rmb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rmb.streams.avro.AvroValueFormat;
import io.rmb.streams.record.InvalidRecordException;
import io.rmb.streams.record.RmbHeaders;
import io.rmb.streams.record.ValueFormat;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
        "  rmb send -b 127.0.0.1:9092 --dst 2 --cmd test.echo --value-format avro \\",
        "      --schema-registry-url http://127.0.0.1:8080/apis/registry/v2",
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

  @Option(names = "--value-format", paramLabel = "json|avro", defaultValue = "json",
      description = "Value format of the requests and responses topics, as the gateway's"
          + " (default json; avro needs --schema-registry-url).")
  String valueFormat;

  @Option(names = "--schema-registry-url", paramLabel = "URL",
      description = "Apicurio Registry 2.x API for Avro, e.g. http://host:8080/apis/registry/v2.")
  String schemaRegistryUrl;

  @Override
  public Integer call() throws Exception {
    if (timeoutSeconds < 1 || timeoutSeconds > 1800) {
      throw new IllegalArgumentException("--timeout must be in [1, 1800] seconds");
    }
    try (ValueFormat format = valueFormat()) {
      return send(format);
    }
  }

  /** The format the gateway reads and writes: JSON, or Avro through the registry. */
  private ValueFormat valueFormat() {
    if (valueFormat.equalsIgnoreCase("json")) {
      if (schemaRegistryUrl != null) {
        throw new IllegalArgumentException("--schema-registry-url needs --value-format avro");
      }
      return ValueFormat.JSON;
    }
    if (!valueFormat.equalsIgnoreCase("avro")) {
      throw new IllegalArgumentException("--value-format must be json or avro, not "
          + valueFormat);
    }
    if (schemaRegistryUrl == null || schemaRegistryUrl.isBlank()) {
      throw new IllegalArgumentException("--value-format avro needs --schema-registry-url");
    }
    // registers the request schema under <requests topic>-value if it is not there yet,
    // as the gateway does by default for the topics it writes
    return new AvroValueFormat(schemaRegistryUrl, true, Map.of());
  }

  private int send(ValueFormat format) throws Exception {
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
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
            new ByteArraySerializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(responsesTopic,
          Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(responsesTopic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // positioned before the request exists
      ProducerRecord<String, byte[]> record = new ProducerRecord<>(requestsTopic, requestRef,
          format.fromJson(requestsTopic, ValueFormat.RecordType.REQUEST,
              JSON.writeValueAsBytes(request)));
      record.headers().add(RmbHeaders.CORRELATION_ID,
          requestRef.getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
      // the gateway writes a timeout at the deadline; wait a little longer than that
      long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds + 15).toNanos();
      while (!waiting.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> outcome : consumer.poll(Duration.ofMillis(100))) {
          JsonNode value = parse(format, outcome, requestRef);
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

  /** The JSON form of an outcome; null for what is not one (other writers may share the topic). */
  private static JsonNode parse(ValueFormat format, ConsumerRecord<byte[], byte[]> outcome,
      String ref) {
    try {
      return outcome.value() == null ? null : JSON.readTree(format.toJson(outcome.topic(),
          ValueFormat.RecordType.OUTCOME, outcome.value(), ref));
    } catch (IOException | InvalidRecordException e) {
      return null;
    }
  }
}
