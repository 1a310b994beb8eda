package io.rmb.streams.topology;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Topic names the topology reads and writes.
 *
 * @param requests requests from users ({@code rmb.requests})
 * @param responses outcomes ({@code rmb.responses})
 * @param incoming requests remote twins sent us ({@code rmb.incoming}); written by the network
 * @param replies replies of Kafka-side services ({@code rmb.replies})
 * @param dlq records that could not be understood ({@code rmb.dlq})
 * @param answers internal: answers from the network, partitioned like {@code requests}
 * @param incomingIndex internal, compacted: uid -> source and deadline of incoming requests
 * @param replyTopics the reply topics a request may name with {@code kafka_replyTopic};
 *     empty: the header is ignored and outcomes go to {@code responses}
 */
public record GatewayTopics(String requests, String responses, String incoming, String replies,
    String dlq, String answers, String incomingIndex, Optional<Pattern> replyTopics) {
  public GatewayTopics {
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(responses, "responses");
    Objects.requireNonNull(incoming, "incoming");
    Objects.requireNonNull(replies, "replies");
    Objects.requireNonNull(dlq, "dlq");
    Objects.requireNonNull(answers, "answers");
    Objects.requireNonNull(incomingIndex, "incomingIndex");
    Objects.requireNonNull(replyTopics, "replyTopics");
  }

  /** The default names of kafka.md; internal topics get the {@code rmb.gateway.} prefix. */
  public static GatewayTopics defaults() {
    return new GatewayTopics("rmb.requests", "rmb.responses", "rmb.incoming", "rmb.replies",
        "rmb.dlq", "rmb.gateway.answers", "rmb.gateway.incoming-index", Optional.empty());
  }

  /** True when outcomes may be routed to {@code topic} named by a request header. */
  public boolean replyTopicAllowed(String topic) {
    return replyTopics.map(p -> p.matcher(topic).matches()).orElse(false);
  }
}
