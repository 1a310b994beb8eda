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

  /**
   * The session (connection) the destination answered from, empty for its default
   * connection and for outcomes not sent by the destination (relay and local errors,
   * timeouts). rmb-peer writes a response's source as {@code "41:session"} then.
   */
  default Optional<String> session() {
    return Optional.empty();
  }

  /** A response from the destination twin. */
  final class Response implements Outcome {
    private final long twin;
    private final byte[] payload;
    private final String schema;
    private final String session;

    public Response(long twin, byte[] payload, String schema) {
      this(twin, payload, schema, null);
    }

    /** A response sent from {@code session} of the twin (null or empty: its default one). */
    public Response(long twin, byte[] payload, String schema, String session) {
      this.twin = twin;
      this.payload = Objects.requireNonNull(payload, "payload").clone();
      this.schema = schema == null || schema.isEmpty() ? null : schema;
      this.session = session == null || session.isEmpty() ? null : session;
    }

    @Override
    public Kind kind() {
      return Kind.RESPONSE;
    }

    @Override
    public long twin() {
      return twin;
    }

    @Override
    public Optional<String> session() {
      return Optional.ofNullable(session);
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
          && Objects.equals(r.schema, schema) && Objects.equals(r.session, session);
    }

    @Override
    public int hashCode() {
      return Objects.hash(twin, Arrays.hashCode(payload), schema, session);
    }

    @Override
    public String toString() {
      return "Response{twin=" + twin + (session == null ? "" : ":" + session) + ", "
          + payload.length + " bytes, schema=" + schema + "}";
    }
  }

  /**
   * An error for this destination.
   *
   * @param twin the destination twin
   * @param origin who reported it
   * @param code the RMB error code (see {@code ErrorCode}; 0 for handler and relay errors)
   * @param message the reporter's message
   * @param connection the session a {@link Origin#PEER} error was sent from, null for the
   *     default connection and for other origins (see {@link #session()})
   */
  record Error(long twin, Origin origin, long code, String message, String connection)
      implements Outcome {
    public Error {
      Objects.requireNonNull(origin, "origin");
      message = message == null ? "" : message;
      connection = connection == null || connection.isEmpty() ? null : connection;
    }

    /** An error from the twin's default connection, a relay or this peer. */
    public Error(long twin, Origin origin, long code, String message) {
      this(twin, origin, code, message, null);
    }

    @Override
    public Optional<String> session() {
      return Optional.ofNullable(connection);
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
