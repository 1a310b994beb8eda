package io.rmb.streams.topology;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * A record the topology writes (outcome or dead letter), carrying its own destination so one
 * sink serves every output topic, including reply topics named by requests.
 *
 * @param topic the topic to write to
 * @param partition the partition; null: by key
 * @param value the serialized value
 */
public record Output(String topic, Integer partition, byte[] value) {
  public Output {
    Objects.requireNonNull(topic, "topic");
  }

  /** Picks the sink topic from the record. */
  public static TopicNameExtractor<byte[], Output> topicExtractor() {
    return (key, output, context) -> output.topic();
  }

  /** The explicit partition when there is one, else Kafka's default partitioning. */
  public static StreamPartitioner<byte[], Output> partitioner() {
    return (topic, key, output, partitions) -> output.partition() == null ? Optional.empty()
        : Optional.of(Set.of(output.partition()));
  }

  /** Writes {@link #value()}. */
  public static Serializer<Output> serializer() {
    return (topic, output) -> output == null ? null : output.value();
  }
}
