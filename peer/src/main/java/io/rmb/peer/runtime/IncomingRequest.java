package io.rmb.peer.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * A verified, decrypted request handed to a {@link RequestHandler}. Immutable.
 */
public final class IncomingRequest {
  private final String uid;
  private final long sourceTwin;
  private final String sourceConnection;
  private final String command;
  private final byte[] payload;
  private final String schema;
  private final String tags;
  private final Instant deadline;

  IncomingRequest(String uid, long sourceTwin, String sourceConnection, String command,
      byte[] payload, String schema, String tags, Instant deadline) {
    this.uid = uid;
    this.sourceTwin = sourceTwin;
    this.sourceConnection = emptyToNull(sourceConnection);
    this.command = command;
    this.payload = payload;
    this.schema = emptyToNull(schema);
    this.tags = emptyToNull(tags);
    this.deadline = deadline;
  }

  /** The request id; the reply reuses it. */
  public String uid() {
    return uid;
  }

  /** The twin that sent the request (its signature has been verified). */
  public long sourceTwin() {
    return sourceTwin;
  }

  /** The sender's session; the reply goes back to it. */
  public Optional<String> sourceConnection() {
    return Optional.ofNullable(sourceConnection);
  }

  /** The command, e.g. {@code zos.statistics.get}. */
  public String command() {
    return command;
  }

  /** The decrypted payload (a copy). */
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload as UTF-8 text, convenient for JSON. */
  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** The schema the sender declared, e.g. {@code application/json}. */
  public Optional<String> schema() {
    return Optional.ofNullable(schema);
  }

  /** The sender's tags, opaque to RMB. */
  public Optional<String> tags() {
    return Optional.ofNullable(tags);
  }

  /** When the request expires (timestamp + expiration, second precision). */
  public Instant deadline() {
    return deadline;
  }

  @Override
  public String toString() {
    return "IncomingRequest{uid=" + uid + ", from=" + sourceTwin
        + (sourceConnection != null ? "/" + sourceConnection : "") + ", command=" + command
        + ", " + payload.length + " bytes}";
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
