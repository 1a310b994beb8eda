package io.rmb.peer.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link RequestHandler} answers: a response (payload and schema) or an error (code
 * and message). Immutable.
 */
public final class Reply {
  /** The schema every RMB client uses for JSON payloads. */
  public static final String JSON = "application/json";

  private final byte[] payload;
  private final String schema;
  private final long code;
  private final String message; // non-null for errors only

  private Reply(byte[] payload, String schema, long code, String message) {
    this.payload = payload;
    this.schema = schema;
    this.code = code;
    this.message = message;
  }

  /** A response with {@code payload} and schema {@value #JSON}. */
  public static Reply of(byte[] payload) {
    return of(payload, JSON);
  }

  /** A response with a UTF-8 text payload (usually JSON) and schema {@value #JSON}. */
  public static Reply of(String text) {
    return of(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8), JSON);
  }

  /** A response with {@code payload} and {@code schema} (null or empty: no schema field). */
  public static Reply of(byte[] payload, String schema) {
    Objects.requireNonNull(payload, "payload");
    return new Reply(payload.clone(), schema == null || schema.isEmpty() ? null : schema, 0,
        null);
  }

  private static final Reply LATER = new Reply(new byte[0], null, 0, null);

  /**
   * No reply now: the application answers later, possibly from another thread or after a
   * restart, with {@link RmbPeer#reply(String, long, java.util.Optional, Reply)}. For
   * bridges that hand requests to a queue (rmb-peer's Redis lists, a Kafka topic).
   */
  public static Reply later() {
    return LATER;
  }

  /** True for {@link #later()}. */
  public boolean isLater() {
    return this == LATER;
  }

  /** An error with code 0, the code RMB uses for handler errors. */
  public static Reply error(String message) {
    return error(0, message);
  }

  /**
   * An error with an application-chosen code.
   *
   * @throws IllegalArgumentException when the code is not a u32
   */
  public static Reply error(long code, String message) {
    if (code < 0 || code > 0xffff_ffffL) {
      throw new IllegalArgumentException("error code must be a u32, got " + code);
    }
    return new Reply(null, null, code, message == null ? "" : message);
  }

  /** True for an error reply. */
  public boolean isError() {
    return message != null;
  }

  /** The response payload (a copy); empty for an error. */
  public byte[] payload() {
    return payload == null ? new byte[0] : payload.clone();
  }

  byte[] payloadUnsafe() {
    return payload == null ? new byte[0] : payload;
  }

  /** The response schema; empty for an error or a response without one. */
  public Optional<String> schema() {
    return Optional.ofNullable(schema);
  }

  /** The error code; 0 for a response. */
  public long code() {
    return code;
  }

  /** The error message; empty for a response. */
  public Optional<String> message() {
    return Optional.ofNullable(message);
  }

  @Override
  public String toString() {
    return isError() ? "Reply{error " + code + ": " + message + "}"
        : "Reply{" + payload.length + " bytes, schema=" + schema + "}";
  }
}
