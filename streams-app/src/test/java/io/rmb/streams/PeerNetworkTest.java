package io.rmb.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.peer.runtime.Outcome;
import io.rmb.streams.metrics.GatewayMetrics;
import io.rmb.streams.topology.GatewayTopics;
import io.rmb.streams.topology.LocalAnswers;
import java.time.Clock;
import java.util.Optional;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The in-process hand-over of answers: an answer reaches the stream thread only once its copy
 * on the answers topic is written, since that copy is what a crash replays (an outcome joined
 * from an answer whose copy a crash lost was followed by a timeout of the replayed request).
 * Kafka's {@link MockProducer} stands in for the broker's acknowledgement only.
 */
class PeerNetworkTest {
  private static final GatewayTopics TOPICS = new GatewayTopics("rmb.requests",
      "rmb.responses", "rmb.incoming", "rmb.replies", "rmb.dlq", "rmb.gateway.answers",
      "rmb.gateway.incoming-index", Optional.empty());

  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
  private final PeerNetwork network = new PeerNetwork(null, producer, TOPICS,
      GatewayMetrics.standalone(), Clock.systemUTC());
  private final LocalAnswers local = network.localAnswers().orElseThrow();

  @Test
  void anAnswerIsHandedOverInProcessOnlyOnceItsTopicCopyIsWritten() {
    network.publish("u1", 3, new Outcome.Error(8, Outcome.Origin.PEER, 0, "no"));
    assertThat(producer.history()).hasSize(1);
    assertThat(producer.history().get(0).topic()).isEqualTo("rmb.gateway.answers");
    assertThat(local.queued(3)).as("not before the broker acknowledged the copy").isZero();

    producer.completeNext();
    assertThat(local.queued(3)).isEqualTo(1);
  }

  @Test
  void anAnswerWhoseTopicCopyFailedIsNotHandedOver() {
    network.publish("u2", 3, new Outcome.Error(8, Outcome.Origin.PEER, 0, "no"));
    producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker gone"));
    assertThat(local.queued(3)).isZero();
  }
}
