package io.rmb.peer.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to send to one or more twins. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * OutgoingRequest request = OutgoingRequest.builder()
 *     .destinations(7, 8)
 *     .command("zos.system.version")
 *     .payload("{}")
 *     .ttl(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 */
public final class OutgoingRequest {
  private final List<Long> destinations;
  private final String command;
  private final byte[] payload;
  private final Duration ttl;
  private final String schema;
  private final String tags;
  private final String connection;
  private final String uid;
  private final Instant issuedAt;

  private OutgoingRequest(Builder b) {
    if (b.destinations.isEmpty()) {
      throw new IllegalArgumentException("a request needs at least one destination twin");
    }
    for (long twin : b.destinations) {
      if (twin < 1 || twin > 0xffff_ffffL) {
        throw new IllegalArgumentException("destination twin must be in [1, 2^32), got " + twin);
      }
    }
    if (b.command == null || b.command.isEmpty()) {
      throw new IllegalArgumentException("a request needs a command");
    }
    if (b.ttl != null && b.ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative, got " + b.ttl);
    }
    // a uid correlates one answer per twin, so each twin is asked once
    this.destinations = Collections.unmodifiableList(new ArrayList<>(b.destinations));
    this.command = b.command;
    this.payload = b.payload.clone();
    this.ttl = b.ttl;
    this.schema = b.schema == null || b.schema.isEmpty() ? null : b.schema;
    this.tags = b.tags == null || b.tags.isEmpty() ? null : b.tags;
    this.connection = b.connection == null || b.connection.isEmpty() ? null : b.connection;
    if (b.uid != null && (b.uid.isEmpty() || b.uid.length() > MAX_UID_LENGTH)) {
      throw new IllegalArgumentException("uid must have 1 to " + MAX_UID_LENGTH
          + " characters, got " + b.uid.length());
    }
    this.uid = b.uid;
    this.issuedAt = b.issuedAt;
  }

  /** Longest caller-chosen uid accepted; uids are correlation keys, not payload. */
  public static final int MAX_UID_LENGTH = 128;

  public static Builder builder() {
    return new Builder();
  }

  /** Destination twins, duplicates removed, in the order given. */
  public List<Long> destinations() {
    return destinations;
  }

  public String command() {
    return command;
  }

  /** The plain payload (a copy). */
  public byte[] payload() {
    return payload.clone();
  }

  byte[] payloadUnsafe() {
    return payload;
  }

  /** The requested time to live; empty means the peer's default. */
  public Optional<Duration> ttl() {
    return Optional.ofNullable(ttl);
  }

  /** The declared schema; empty means no schema field on the wire. */
  public Optional<String> schema() {
    return Optional.ofNullable(schema);
  }

  public Optional<String> tags() {
    return Optional.ofNullable(tags);
  }

  /** The destination session (same for every destination); empty for the default session. */
  public Optional<String> connection() {
    return Optional.ofNullable(connection);
  }

  /**
   * The uid chosen by the caller; empty means the peer makes a fresh one. A bridge that must
   * resend after a crash sends again with the same uid, so the answer still correlates and
   * the receiver's replay guard drops the duplicate.
   */
  public Optional<String> uid() {
    return Optional.ofNullable(uid);
  }

  /**
   * When the request was first made; empty means now. Its deadline is counted from here, so a
   * resend keeps the original deadline instead of extending it.
   */
  public Optional<Instant> issuedAt() {
    return Optional.ofNullable(issuedAt);
  }

  @Override
  public String toString() {
    return "OutgoingRequest{" + command + " -> " + destinations + ", " + payload.length
        + " bytes}";
  }

  /** Builder for {@link OutgoingRequest}; not thread-safe. */
  public static final class Builder {
    private final LinkedHashSet<Long> destinations = new LinkedHashSet<>();
    private String command;
    private byte[] payload = new byte[0];
    private Duration ttl;
    private String schema = Reply.JSON;
    private String tags;
    private String connection;
    private String uid;
    private Instant issuedAt;

    private Builder() {}

    /** Replaces the destination twins. */
    public Builder destinations(long... twins) {
      destinations.clear();
      for (long twin : twins) {
        destinations.add(twin);
      }
      return this;
    }

    /** Replaces the destination twins. */
    public Builder destinations(List<Long> twins) {
      destinations.clear();
      for (Long twin : Objects.requireNonNull(twins, "twins")) {
        destinations.add(Objects.requireNonNull(twin, "destination twin"));
      }
      return this;
    }

    public Builder command(String command) {
      this.command = command;
      return this;
    }

    public Builder payload(byte[] payload) {
      this.payload = Objects.requireNonNull(payload, "payload");
      return this;
    }

    /** A UTF-8 text payload, usually JSON. */
    public Builder payload(String text) {
      return payload(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Time to live: null or zero means the peer's default; the wire value is clamped to
     * 1800 s like rmb-peer does.
     */
    public Builder ttl(Duration ttl) {
      this.ttl = ttl;
      return this;
    }

    /** Payload schema; default {@value Reply#JSON}; null or empty sends none. */
    public Builder schema(String schema) {
      this.schema = schema;
      return this;
    }

    public Builder tags(String tags) {
      this.tags = tags;
      return this;
    }

    /** Destination session id, for twins served by several sessions. */
    public Builder connection(String connection) {
      this.connection = connection;
      return this;
    }

    /** Sends with this uid instead of a fresh one (see {@link OutgoingRequest#uid()}). */
    public Builder uid(String uid) {
      this.uid = uid;
      return this;
    }

    /** Counts the deadline from this instant (see {@link OutgoingRequest#issuedAt()}). */
    public Builder issuedAt(Instant issuedAt) {
      this.issuedAt = issuedAt;
      return this;
    }

    /**
     * @throws IllegalArgumentException for no destination, a twin id outside u32 or 0, no
     *     command, a negative ttl, or an empty or over-long uid
     */
    public OutgoingRequest build() {
      return new OutgoingRequest(this);
    }
  }
}
