package io.rmb.streams.record;

import java.util.Locale;
import java.util.Objects;

/**
 * What one destination answered, as it travels from the peer runtime to the topology on the
 * gateway's internal answers topic, and as the topology writes it into an outcome.
 *
 * @param twin the destination twin; 0 for a relay error after a restart (relay errors do not
 *     name the destination)
 * @param status response, error or timeout
 * @param payload the response payload (empty otherwise)
 * @param schema the response schema, null for none
 * @param code the error code (0 for a response)
 * @param message the error message (empty for a response)
 */
public record Answer(long twin, Status status, byte[] payload, String schema, long code,
    String message) {
  /** Code of the gateway's own timeout outcome. */
  public static final long TIMEOUT_CODE = 408;
  /** Message of the gateway's own timeout outcome. */
  public static final String TIMEOUT_MESSAGE = "no response before expiration";

  /** The {@code status} field of an outcome. */
  public enum Status {
    RESPONSE, ERROR, TIMEOUT;

    /** The lower-case label used in records and headers. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Answer {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(payload, "payload");
    message = message == null ? "" : message;
  }

  public static Answer response(long twin, byte[] payload, String schema) {
    return new Answer(twin, Status.RESPONSE, payload, schema, 0, "");
  }

  public static Answer error(long twin, long code, String message) {
    return new Answer(twin, Status.ERROR, new byte[0], null, code, message);
  }

  /** The gateway's timeout for {@code twin}: code 408, "no response before expiration". */
  /** The answer a peer-runtime outcome stands for (a timeout becomes code 408). */
  public static Answer of(io.rmb.peer.runtime.Outcome outcome) {
    if (outcome instanceof io.rmb.peer.runtime.Outcome.Response r) {
      return response(r.twin(), r.payload(), r.schema().orElse(null));
    }
    if (outcome instanceof io.rmb.peer.runtime.Outcome.Error e) {
      return error(e.twin(), e.code(), e.message());
    }
    return timeout(outcome.twin());
  }

  public static Answer timeout(long twin) {
    return new Answer(twin, Status.TIMEOUT, new byte[0], null, TIMEOUT_CODE, TIMEOUT_MESSAGE);
  }

  /** The same answer attributed to {@code destination}. */
  public Answer withTwin(long destination) {
    return new Answer(destination, status, payload, schema, code, message);
  }
}
