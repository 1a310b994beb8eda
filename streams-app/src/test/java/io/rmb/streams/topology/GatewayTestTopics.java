package io.rmb.streams.topology;

import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A gateway topology on TopologyTestDriver with the topics the request-side tests pipe into
 * and read from; the tests keep their own network, clock and metrics.
 */
final class GatewayTestTopics implements AutoCloseable {
  /** kafka.md's default names, with replies to any {@code replies.*} topic allowed. */
  static final GatewayTopics TOPICS = topics(Optional.of(Pattern.compile("replies\\..*")));

  final TopologyTestDriver driver;
  final TestInputTopic<byte[], byte[]> requests;
  final TestInputTopic<String, byte[]> answers;
  final TestOutputTopic<byte[], byte[]> responses;
  final TestOutputTopic<byte[], byte[]> dlq;

  GatewayTestTopics(String applicationId, Topology topology, java.time.Instant start) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(topology, props, start);
    requests = driver.createInputTopic("rmb.requests", new ByteArraySerializer(),
        new ByteArraySerializer());
    answers = driver.createInputTopic("rmb.gateway.answers", new StringSerializer(),
        new ByteArraySerializer());
    responses = driver.createOutputTopic("rmb.responses", new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    dlq = driver.createOutputTopic("rmb.dlq", new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  static GatewayTopics topics(Optional<Pattern> replyTopics) {
    return new GatewayTopics("rmb.requests", "rmb.responses", "rmb.incoming", "rmb.replies",
        "rmb.dlq", "rmb.gateway.answers", "rmb.gateway.incoming-index", replyTopics);
  }

  @Override
  public void close() {
    driver.close();
  }
}
