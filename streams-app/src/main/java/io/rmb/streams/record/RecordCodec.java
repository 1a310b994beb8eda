package io.rmb.streams.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rmb.peer.text.Utf8;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * JSON form of the gateway's records (kafka.md), field names as in the rmb-peer Redis API.
 * Thread-safe.
 */
public final class RecordCodec {
  /** Schema of JSON payloads. */
  public static final String JSON_SCHEMA = "application/json";
  /** TTL of a request without {@code exp} (or with 0), seconds. */
  public static final long DEFAULT_TTL = 300;
  /** Longest TTL; larger {@code exp} values are clamped to it. */
  public static final long MAX_TTL = 1800;
  private static final long MAX_TWIN = 0xffff_ffffL;

  private final ObjectMapper mapper = new ObjectMapper();
  private final Clock clock;

  public RecordCodec(Clock clock) {
    this.clock = clock;
  }

  /**
   * Parses and validates a request value.
   *
   * @param value the record value
   * @param correlationId the correlation header, if any: the ref when the value has none
   * @param fallbackRef the ref when neither the value nor a header names one (the record key,
   *     else {@code topic-partition-offset})
   * @throws InvalidRecordException for anything kafka.md does not allow, naming the ref when
   *     the value or the correlation header gave one
   */
  public Request parseRequest(byte[] value, Optional<String> correlationId, String fallbackRef)
      throws InvalidRecordException {
    ObjectNode node = object(value, correlationId.orElse(null));
    String explicitRef = refOf(node);
    String namedRef = explicitRef != null && !explicitRef.isEmpty() ? explicitRef
        : correlationId.orElse(null);
    try {
      checkVersion(node);
      String command = text(node, "cmd");
      if (command == null || command.isEmpty()) {
        throw new IllegalArgumentException("cmd is required");
      }
      List<Long> destinations = destinations(node.get("dst"));
      Payload payload = payload(node);
      long ttl = integral(node, "exp", 0);
      if (ttl < 0) {
        throw new IllegalArgumentException("exp must not be negative, got " + ttl);
      }
      ttl = ttl == 0 ? DEFAULT_TTL : Math.min(ttl, MAX_TTL);
      long now = integral(node, "now", 0);
      if (now < 0) {
        throw new IllegalArgumentException("now must not be negative, got " + now);
      }
      Instant clockNow = clock.instant();
      // a request stamped in the future is treated as made now: its deadline never grows
      Instant issuedAt = now == 0 || now > clockNow.getEpochSecond() ? clockNow
          : Instant.ofEpochSecond(now);
      return new Request(namedRef != null ? namedRef : fallbackRef, command, destinations,
          payload.bytes, payload.schema(text(node, "shm")), text(node, "tag"), ttl, issuedAt);
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException("invalid request: " + e.getMessage(), namedRef);
    }
  }

  /**
   * Parses and validates a reply value.
   *
   * @throws InvalidRecordException when the value is not a reply kafka.md allows
   */
  public Reply parseReply(byte[] value) throws InvalidRecordException {
    ObjectNode node = object(value, null);
    String ref = refOf(node);
    try {
      checkVersion(node);
      if (ref == null || ref.isEmpty()) {
        throw new IllegalArgumentException("ref (the uid of the incoming request) is required");
      }
      JsonNode dst = node.get("dst");
      if (dst == null || dst.isNull()) {
        throw new IllegalArgumentException("dst (the src of the incoming request) is required");
      }
      String source = dst.isIntegralNumber() ? dst.asText() : dst.isTextual() ? dst.asText()
          : null;
      if (source == null) {
        throw new IllegalArgumentException("dst must be \"<twin>[:<session>]\", got " + dst);
      }
      int colon = source.indexOf(':');
      long twin = twin(colon < 0 ? source : source.substring(0, colon));
      Optional<String> connection = colon < 0 ? Optional.empty()
          : Optional.of(source.substring(colon + 1)).filter(s -> !s.isEmpty());
      JsonNode err = node.get("err");
      if (err != null && !err.isNull()) {
        if (!err.isObject()) {
          throw new IllegalArgumentException("err must be an object {code, message}");
        }
        long code = integral((ObjectNode) err, "code", 0);
        if (code < 0 || code > MAX_TWIN) {
          throw new IllegalArgumentException("err.code must be a u32, got " + code);
        }
        String message = text((ObjectNode) err, "message");
        return new Reply(ref, twin, connection, new byte[0], null, code,
            message == null ? "" : message);
      }
      Payload payload = payload(node);
      return new Reply(ref, twin, connection, payload.bytes,
          payload.schema(text(node, "shm")), 0, null);
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException("invalid reply: " + e.getMessage(), ref);
    }
  }

  /** The outcome value for one destination of request {@code ref}/{@code uid}. */
  public byte[] outcome(String ref, String uid, Answer answer) {
    ObjectNode node = mapper.createObjectNode();
    node.put("ver", 1);
    node.put("ref", ref);
    node.put("uid", uid);
    node.put("src", Long.toString(answer.twin()));
    node.put("status", answer.status().label());
    node.put("dat", Base64.getEncoder().encodeToString(answer.payload()));
    putJson(node, answer.payload(), answer.schema());
    node.put("shm", answer.schema() == null ? "" : answer.schema());
    node.put("now", clock.instant().getEpochSecond());
    if (answer.status() != Answer.Status.RESPONSE) {
      ObjectNode err = node.putObject("err");
      err.put("code", answer.code());
      err.put("message", answer.message());
    }
    return bytes(node);
  }

  /** The {@code rmb.incoming} value of a request a remote twin sent us. */
  public byte[] incoming(String uid, String source, String command, long ttlSeconds,
      byte[] payload, String schema, String tags) {
    ObjectNode node = mapper.createObjectNode();
    node.put("ver", 1);
    node.put("ref", uid);
    node.put("src", source);
    node.put("cmd", command);
    node.put("exp", ttlSeconds);
    node.put("dat", Base64.getEncoder().encodeToString(payload));
    putJson(node, payload, schema);
    node.put("tag", tags == null ? "" : tags);
    node.put("shm", schema == null ? "" : schema);
    node.put("now", clock.instant().getEpochSecond());
    return bytes(node);
  }

  /** The internal answer record (gateway answers topic). */
  public byte[] answer(Answer answer) {
    ObjectNode node = mapper.createObjectNode();
    node.put("twin", answer.twin());
    node.put("status", answer.status().label());
    node.put("dat", Base64.getEncoder().encodeToString(answer.payload()));
    if (answer.schema() != null) {
      node.put("shm", answer.schema());
    }
    node.put("code", answer.code());
    node.put("message", answer.message());
    return bytes(node);
  }

  /**
   * Reads an internal answer record.
   *
   * @throws InvalidRecordException when it is not one (someone else wrote to the topic)
   */
  public Answer parseAnswer(byte[] value) throws InvalidRecordException {
    ObjectNode node = object(value, null);
    try {
      Answer.Status status = Answer.Status.valueOf(String.valueOf(text(node, "status"))
          .toUpperCase(java.util.Locale.ROOT));
      long twin = integral(node, "twin", -1);
      if (twin < 0 || twin > MAX_TWIN) {
        throw new IllegalArgumentException("twin is required");
      }
      String dat = text(node, "dat");
      byte[] payload = dat == null ? new byte[0] : Base64.getDecoder().decode(dat);
      return new Answer(twin, status, payload, text(node, "shm"), integral(node, "code", 0),
          text(node, "message"));
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException("invalid answer: " + e.getMessage(), null);
    }
  }

  private ObjectNode object(byte[] value, String ref) throws InvalidRecordException {
    if (value == null || value.length == 0) {
      throw new InvalidRecordException("empty record value", ref);
    }
    // Jackson may read an invalid field name such as "\xffef" as an earlier record's "ef"
    // (found by RecordCodecFuzzTest; see Utf8): check UTF-8 first
    int invalid = Utf8.firstInvalid(value);
    if (invalid >= 0) {
      throw new InvalidRecordException(
          "value is not UTF-8: invalid byte sequence at offset " + invalid, ref);
    }
    JsonNode node;
    try {
      node = mapper.readTree(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidRecordException("value is not JSON: " + e.getOriginalMessage(), ref);
    } catch (IOException e) {
      throw new InvalidRecordException("value is not JSON: " + e.getMessage(), ref);
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRecordException("value is not a JSON object", ref);
    }
    return (ObjectNode) node;
  }

  private static void checkVersion(ObjectNode node) {
    JsonNode ver = node.get("ver");
    if (ver != null && !ver.isNull() && !(ver.isIntegralNumber() && ver.asLong() == 1)) {
      throw new IllegalArgumentException("unsupported ver " + ver + " (only 1)");
    }
  }

  private static List<Long> destinations(JsonNode dst) {
    if (dst == null || !dst.isArray() || dst.isEmpty()) {
      throw new IllegalArgumentException("dst must be a non-empty list of twin ids");
    }
    Set<Long> twins = new LinkedHashSet<>();
    for (JsonNode item : dst) {
      if (!item.isIntegralNumber() || item.asLong() < 1 || item.asLong() > MAX_TWIN
          || !item.canConvertToLong()) {
        throw new IllegalArgumentException("dst holds " + item + ", not a twin id in [1, 2^32)");
      }
      twins.add(item.asLong());
    }
    return new ArrayList<>(twins);
  }

  private static long twin(String text) {
    try {
      long twin = Long.parseLong(text.trim());
      if (twin >= 1 && twin <= MAX_TWIN) {
        return twin;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("dst twin must be in [1, 2^32), got \"" + text + "\"");
  }

  private Payload payload(ObjectNode node) {
    JsonNode dat = node.get("dat");
    JsonNode json = node.get("json");
    boolean hasDat = dat != null && !dat.isNull() && !(dat.isTextual() && dat.asText().isEmpty());
    boolean hasJson = json != null && !json.isMissingNode();
    if (hasDat && hasJson) {
      throw new IllegalArgumentException("give the payload as dat or json, not both");
    }
    if (hasDat) {
      if (!dat.isTextual()) {
        throw new IllegalArgumentException("dat must be a base64 string");
      }
      try {
        return new Payload(Base64.getDecoder().decode(dat.asText()), false);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("dat is not base64: " + e.getMessage());
      }
    }
    if (hasJson) {
      return new Payload(json.toString().getBytes(StandardCharsets.UTF_8), true);
    }
    return new Payload(new byte[0], false);
  }

  private record Payload(byte[] bytes, boolean json) {
    String schema(String given) {
      return given != null && !given.isEmpty() ? given : json ? JSON_SCHEMA : null;
    }
  }

  /** Adds {@code json} with the parsed payload when it is JSON and parses. */
  private void putJson(ObjectNode node, byte[] payload, String schema) {
    if (schema == null || !schema.toLowerCase(java.util.Locale.ROOT).startsWith(JSON_SCHEMA)
        || payload.length == 0) {
      return;
    }
    try {
      node.set("json", mapper.readTree(payload));
    } catch (IOException e) {
      // not JSON after all: dat carries it
    }
  }

  private static String text(ObjectNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isTextual() || value.isNumber()) {
      return value.asText();
    }
    throw new IllegalArgumentException(field + " must be a string, got " + value.getNodeType());
  }

  /** The ref a record names, if it is text or a number; never throws. */
  private static String refOf(ObjectNode node) {
    JsonNode ref = node.get("ref");
    return ref != null && (ref.isTextual() || ref.isNumber()) ? ref.asText() : null;
  }

  private static long integral(ObjectNode node, String field, long absent) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return absent;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException(field + " must be an integer, got " + value);
    }
    return value.asLong();
  }

  private byte[] bytes(ObjectNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
