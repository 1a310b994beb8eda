package io.rmb.streams.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A request waiting for outcomes: the value of the in-flight store, keyed by {@link #uid()}.
 * Holds what the outcomes need (key, correlation headers, routing, input coordinates) and
 * what a resend needs (command, payload, issue time), so nothing lives only in memory.
 *
 * @param uid the envelope uid, deterministic per input record
 * @param ref the user's ref
 * @param key the request record's key, null for none
 * @param correlationId the {@code rmb-correlation-id} header, null for none
 * @param springCorrelationId the {@code kafka_correlationId} header, null for none
 * @param outputTopic where outcomes go
 * @param outputPartition the partition outcomes go to; null: by key
 * @param inputTopic the request's topic
 * @param inputPartition the request's partition
 * @param inputOffset the request's offset
 * @param command the command
 * @param payload the payload
 * @param schema the payload schema, null for none
 * @param tags the tags, null for none
 * @param issuedAtMillis when the request was made (epoch ms)
 * @param deadlineMillis when unanswered destinations time out (epoch ms)
 * @param acceptedAtMillis when the gateway accepted it (epoch ms), for the latency meter
 * @param remaining destinations still without an outcome
 */
public record InFlight(String uid, String ref, byte[] key, byte[] correlationId,
    byte[] springCorrelationId, String outputTopic, Integer outputPartition, String inputTopic,
    int inputPartition, long inputOffset, String command, byte[] payload, String schema,
    String tags, long issuedAtMillis, long deadlineMillis, long acceptedAtMillis,
    List<Long> remaining) {
  public InFlight {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(outputTopic, "outputTopic");
    Objects.requireNonNull(command, "command");
    payload = payload == null ? new byte[0] : payload;
    remaining = List.copyOf(remaining);
  }

  /**
   * The done marker of this request: every outcome written, kept without payload or
   * destinations so a replayed input record is recognised as a duplicate.
   */
  public InFlight done() {
    return new InFlight(uid, ref, key, correlationId, springCorrelationId, outputTopic,
        outputPartition, inputTopic, inputPartition, inputOffset, command, new byte[0], schema,
        tags, issuedAtMillis, deadlineMillis, acceptedAtMillis, List.of());
  }

  /** This request without {@code twin} among the remaining destinations. */
  public InFlight without(long twin) {
    List<Long> rest = new ArrayList<>(remaining);
    rest.remove(Long.valueOf(twin));
    return new InFlight(uid, ref, key, correlationId, springCorrelationId, outputTopic,
        outputPartition, inputTopic, inputPartition, inputOffset, command, payload, schema,
        tags, issuedAtMillis, deadlineMillis, acceptedAtMillis, rest);
  }
}
