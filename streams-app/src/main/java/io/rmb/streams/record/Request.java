package io.rmb.streams.record;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A validated request read from {@code rmb.requests}.
 *
 * @param ref the user's id for the request (its own, the correlation id, the key or the
 *     record coordinates)
 * @param command the command to call
 * @param destinations the destination twins, distinct, in request order
 * @param payload the payload bytes ({@code dat} decoded, or the UTF-8 text of {@code json})
 * @param schema the payload schema, null for none
 * @param tags the opaque tags, null for none
 * @param ttlSeconds the time to live, in (0, 1800]
 * @param issuedAt when the request was made; the deadline counts from here
 */
public record Request(String ref, String command, List<Long> destinations, byte[] payload,
    String schema, String tags, long ttlSeconds, Instant issuedAt) {
  public Request {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(command, "command");
    destinations = List.copyOf(destinations);
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(issuedAt, "issuedAt");
  }

  /** When the request expires: {@code issuedAt + ttl}. */
  public Instant deadline() {
    return issuedAt.plusSeconds(ttlSeconds);
  }
}
