package io.rmb.peer.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * How a request ended for one destination twin: exactly one of {@link Response},
 * {@link Error} or {@link Timeout}. Switch on {@link #kind()} or use {@code instanceof}.
 */
public sealed interface Outcome permits Outcome.Response, Outcome.Error, Outcome.Timeout {

  /** The three kinds of outcome. */
  enum Kind {
    /** The destination answered with a response. */
    RESPONSE,
    /** The destination, a relay or this peer reported an error. */
    ERROR,
    /** Nothing came back before the deadline. */
    TIMEOUT
  }

  /** Who produced an {@link Error}. */
  enum Origin {
    /** The destination twin sent a signed error envelope (its handler or its protocol checks). */
    PEER,
    /** A relay sent an unsigned error envelope (unknown twin, destination offline, ...). */
    RELAY,
    /** This peer: unknown destination twin, encryption or send failure, peer closed. */
    LOCAL
  }

  /** Which outcome this is. */
  Kind kind();

  /** The destination twin this outcome belongs to. */
  long twin();

  /** A response from the destination twin. */
  final class Response implements Outcome {
    private final long twin;
    private final byte[] payload;
    private final String schema;

    public Response(long twin, byte[] payload, String schema) {
      this.twin = twin;
      this.payload = Objects.requireNonNull(payload, "payload").clone();
      this.schema = schema == null || schema.isEmpty() ? null : schema;
    }

    @Override
    public Kind kind() {
      return Kind.RESPONSE;
    }

    @Override
    public long twin() {
      return twin;
    }

    /** The decrypted payload (a copy). */
    public byte[] payload() {
      return payload.clone();
    }

    /** The payload as UTF-8 text, convenient for JSON. */
    public String payloadText() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The schema the responder declared, e.g. {@code application/json}. */
    public Optional<String> schema() {
      return Optional.ofNullable(schema);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Response r && r.twin == twin && Arrays.equals(r.payload, payload)
          && Objects.equals(r.schema, schema);
    }

    @Override
    public int hashCode() {
      return Objects.hash(twin, Arrays.hashCode(payload), schema);
    }

    @Override
    public String toString() {
      return "Response{twin=" + twin + ", " + payload.length + " bytes, schema=" + schema + "}";
    }
  }

  /**
   * An error for this destination.
   *
   * @param twin the destination twin
   * @param origin who reported it
   * @param code the RMB error code (see {@code ErrorCode}; 0 for handler and relay errors)
   * @param message the reporter's message
   */
  record Error(long twin, Origin origin, long code, String message) implements Outcome {
    public Error {
      Objects.requireNonNull(origin, "origin");
      message = message == null ? "" : message;
    }

    @Override
    public Kind kind() {
      return Kind.ERROR;
    }
  }

  /**
   * No response before the deadline.
   *
   * @param twin the destination twin
   * @param deadline the request deadline, the instant this outcome was produced
   */
  record Timeout(long twin, Instant deadline) implements Outcome {
    public Timeout {
      Objects.requireNonNull(deadline, "deadline");
    }

    @Override
    public Kind kind() {
      return Kind.TIMEOUT;
    }
  }
}
