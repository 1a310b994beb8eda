package io.rmb.streams.record;

import java.util.Objects;
import java.util.Optional;

/**
 * A validated reply read from {@code rmb.replies}: the answer of a Kafka-side service to an
 * incoming request.
 *
 * @param ref the uid of the incoming request
 * @param twin the twin that sent the request (the {@code dst} of the reply)
 * @param connection its session, empty for the twin's default connection
 * @param payload the response payload (empty for an error)
 * @param schema the response schema, null for none
 * @param errorCode the error code when this is an error reply
 * @param errorMessage the error message, non-null exactly for an error reply
 */
public record Reply(String ref, long twin, Optional<String> connection, byte[] payload,
    String schema, long errorCode, String errorMessage) {
  public Reply {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(payload, "payload");
  }

  /** True when the service answered with an error. */
  public boolean isError() {
    return errorMessage != null;
  }

  /** The answer the peer runtime sends back to {@link #twin()} for this reply. */
  public io.rmb.peer.runtime.Reply toAnswer() {
    return isError() ? io.rmb.peer.runtime.Reply.error(errorCode, errorMessage)
        : io.rmb.peer.runtime.Reply.of(payload, schema);
  }
}
