package io.rmb.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Produces test records and collects everything written to a topic. */
final class KafkaIo implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String bootstrap;
  private final KafkaProducer<byte[], byte[]> producer;

  KafkaIo(String bootstrap) {
    this.bootstrap = bootstrap;
    this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrap, ProducerConfig.LINGER_MS_CONFIG, 1), new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  void send(String topic, String key, String value, Header... headers) throws Exception {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8), List.of(headers));
    producer.send(record).get();
  }

  /** Reads {@code topic} from its start (committed records only) until closed. */
  Collector collect(String topic) {
    return new Collector(topic);
  }

  @Override
  public void close() {
    producer.close();
  }

  static JsonNode json(ConsumerRecord<byte[], byte[]> record) {
    try {
      return JSON.readTree(record.value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Polls one topic on its own thread. */
  final class Collector implements AutoCloseable {
    final List<ConsumerRecord<byte[], byte[]>> records = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private Collector(String topic) {
      thread = new Thread(() -> {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
          List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition())).toList();
          consumer.assign(partitions);
          consumer.seekToBeginning(partitions);
          while (running) {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
          }
        }
      }, "collect-" + topic);
      thread.setDaemon(true);
      thread.start();
    }

    List<JsonNode> values() {
      return records.stream().map(KafkaIo::json).toList();
    }

    @Override
    public void close() {
      running = false;
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
