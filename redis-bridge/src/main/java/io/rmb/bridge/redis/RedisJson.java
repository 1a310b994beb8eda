package io.rmb.bridge.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rmb.peer.runtime.IncomingRequest;
import io.rmb.peer.runtime.OutgoingRequest;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.text.Utf8;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The JSON messages of rmb-peer's Redis API (redis-api.md): parsing what clients and services
 * push, writing what they pop. Keys and field order are those rmb-peer writes; absent optional
 * values are written as {@code null}, as rmb-peer (serde) does. Unknown keys are ignored.
 */
final class RedisJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  /** rmb-peer's clamp of request TTLs (and backlog lifetimes). */
  static final long MAX_TTL_SECONDS = 1800;
  private static final long U32_MAX = 0xffff_ffffL;
  private static final byte[] EMPTY = new byte[0];

  private RedisJson() {}

  /**
   * A valid request from {@code msgbus.system.local}.
   *
   * @param ttl the remaining time to live when it was popped, already clamped to 1800 s
   */
  record LocalRequest(String ref, String ret, String command, byte[] payload, String tags,
      String schema, List<Long> destinations, Duration ttl) {

    /** The request to send with {@code uid}, its deadline counted from {@code issuedAt}. */
    OutgoingRequest toOutgoing(String uid, Instant issuedAt) {
      return OutgoingRequest.builder().uid(uid).issuedAt(issuedAt).destinations(destinations)
          .command(command).payload(payload).tags(tags).schema(schema).ttl(ttl).build();
    }
  }

  /** A valid response from {@code msgbus.system.reply}. */
  record LocalReply(String uid, long twin, Optional<String> connection, Reply reply) {}

  /**
   * Parses a request as rmb-peer does, with its TTL arithmetic: a {@code now} in the past
   * shortens {@code exp} by the time spent queued; {@code now} 0, absent or in the future
   * leaves {@code exp} as it is.
   *
   * @param poppedAt the bridge's clock when the message was taken from the queue, unix seconds
   * @throws MalformedMessageException with code 101 (undecodable) or 102 (exp 0, expired)
   */
  static LocalRequest parseRequest(byte[] raw, long poppedAt) {
    JsonNode root = readObject(raw);
    String ret = text(root, "ret");
    String ref = text(root, "ref");
    if (ret == null || ret.isBlank()) {
      throw new MalformedMessageException(101, "no_ret", null, ref,
          "request has no usable \"ret\" queue");
    }
    String command = text(root, "cmd");
    if (command == null || command.isEmpty()) {
      throw bad("field", ret, ref, "request has no \"cmd\"");
    }
    List<Long> destinations = destinations(root.get("dst"), ret, ref);
    byte[] payload = base64(root.get("dat"), ret, ref);
    long exp = unsigned(root.get("exp"), "exp", ret, ref);
    JsonNode nowNode = root.get("now");
    long now = nowNode == null || nowNode.isNull() ? 0 : unsigned(nowNode, "now", ret, ref);
    if (exp == 0) {
      throw new MalformedMessageException(102, "exp_zero", ret, ref,
          "request has expired: \"exp\" is 0");
    }
    long remaining = now == 0 || now > poppedAt ? exp : exp - (poppedAt - now);
    if (remaining <= 0) {
      throw new MalformedMessageException(102, "expired", ret, ref, "request has expired: "
          + "now " + now + " + exp " + exp + " is not after " + poppedAt);
    }
    String tags = optionalText(root, "tag", ret, ref);
    String schema = optionalText(root, "shm", ret, ref);
    LocalRequest request = new LocalRequest(ref, ret, command, payload, tags, schema,
        destinations, Duration.ofSeconds(Math.min(remaining, MAX_TTL_SECONDS)));
    try {
      request.toOutgoing("check", Instant.EPOCH); // the peer's own validation, up front
    } catch (IllegalArgumentException e) {
      throw bad("field", ret, ref, e.getMessage());
    }
    return request;
  }

  /**
   * Parses a service's response: {@code ref} is the request's uid, {@code dst} the request's
   * {@code src} ({@code "41"} or {@code "41:session"}); an {@code err} object makes it an error.
   *
   * @throws MalformedMessageException (never with a {@code ret}: a reply has none)
   */
  static LocalReply parseReply(byte[] raw) {
    JsonNode root = readObject(raw);
    String uid = text(root, "ref");
    if (uid == null || uid.isEmpty()) {
      throw bad("field", null, null, "reply has no \"ref\" (the request's uid)");
    }
    String dst = text(root, "dst");
    if (dst == null || dst.isEmpty()) {
      throw bad("field", null, uid, "reply has no \"dst\"");
    }
    int colon = dst.indexOf(':');
    String twinText = colon < 0 ? dst : dst.substring(0, colon);
    Optional<String> connection = colon < 0 ? Optional.empty()
        : Optional.of(dst.substring(colon + 1)).filter(c -> !c.isEmpty());
    long twin;
    try {
      twin = Long.parseLong(twinText.trim());
    } catch (NumberFormatException e) {
      throw bad("field", null, uid, "reply \"dst\" is not \"<twin>[:<connection>]\": " + dst);
    }
    if (twin < 1 || twin > U32_MAX) {
      throw bad("field", null, uid, "reply \"dst\" twin must be in [1, 2^32): " + dst);
    }
    JsonNode err = root.get("err");
    Reply reply;
    if (err != null && !err.isNull()) {
      if (!err.isObject()) {
        throw bad("field", null, uid, "reply \"err\" is not an object");
      }
      long code = err.has("code") ? unsigned(err.get("code"), "err.code", null, uid) : 0;
      if (code > U32_MAX) {
        throw bad("field", null, uid, "reply \"err.code\" is not a u32: " + code);
      }
      JsonNode message = err.get("message");
      reply = Reply.error(code, message == null || message.isNull() ? "" : message.asText());
    } else {
      reply = Reply.of(base64(root.get("dat"), null, uid),
          optionalText(root, "shm", null, uid));
    }
    return new LocalReply(uid, twin, connection, reply);
  }

  /** What a service pops from {@code msgbus.<cmd>}. */
  static byte[] incomingRequest(IncomingRequest request, long now) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("ver", 1);
    node.put("ref", request.uid());
    node.put("src", request.sourceConnection().map(c -> request.sourceTwin() + ":" + c)
        .orElse(Long.toString(request.sourceTwin())));
    node.put("cmd", request.command());
    node.put("exp", Math.max(1, request.deadline().getEpochSecond() - now));
    node.put("dat", request.payload()); // see head(): Jackson writes it as base64
    node.put("tag", request.tags().orElse(null));
    node.put("ret", Keys.REPLY);
    node.put("shm", request.schema().orElse(null));
    node.put("now", now);
    return bytes(node);
  }

  /**
   * What a client pops from its {@code ret} for one destination's outcome: {@code src} is the
   * twin (and session) for answers from the destination, "0" for relay errors and "" for
   * errors made locally (unknown twin, not sent), as rmb-peer does.
   */
  static byte[] answer(String ref, String source, Outcome outcome, long now) {
    if (outcome instanceof Outcome.Response response) {
      return response(ref, source, response.payload(), response.schema().orElse(null), now);
    }
    Outcome.Error error = (Outcome.Error) outcome;
    String src = switch (error.origin()) {
      case PEER -> source;
      case RELAY -> "0";
      case LOCAL -> "";
    };
    return error(ref, src, error.code(), error.message(), now);
  }

  /**
   * The {@code src} rmb-peer writes for an answer from the destination: {@code "41"}, or
   * {@code "41:session"} when it answered from a session.
   */
  static String source(Outcome outcome) {
    return outcome.session().map(session -> outcome.twin() + ":" + session)
        .orElse(Long.toString(outcome.twin()));
  }

  static byte[] response(String ref, String src, byte[] payload, String schema, long now) {
    ObjectNode node = head(ref, payload, src, schema, now);
    node.putNull("err");
    return bytes(node);
  }

  static byte[] error(String ref, String src, long code, String message, long now) {
    ObjectNode node = head(ref, EMPTY, src, null, now);
    node.putObject("err").put("code", code).put("message", message);
    return bytes(node);
  }

  /** A dead-letter record: where it came from, why, when, and the message as it was. */
  static byte[] deadLetter(String queue, String reason, byte[] raw, long now) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("queue", queue);
    node.put("reason", reason);
    node.put("at", now);
    String text = new String(raw, StandardCharsets.UTF_8);
    if (java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), raw)) {
      node.put("raw", text);
    } else {
      node.put("raw_b64", Base64.getEncoder().encodeToString(raw)); // not UTF-8: keep bytes
    }
    return bytes(node);
  }

  /**
   * {@code dat} goes into the tree as binary: Jackson's default variant (MIME_NO_LINEFEEDS) is
   * the standard alphabet with padding and no line feeds, byte for byte what
   * {@code Base64.getEncoder()} gives, and it encodes straight into the output instead of
   * through an intermediate String (1 KiB payloads: about 4 KiB less garbage per message).
   */
  private static ObjectNode head(String ref, byte[] dat, String src, String schema, long now) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("ver", 1);
    node.put("ref", ref);
    node.put("dat", dat);
    node.put("src", src);
    node.put("shm", schema);
    node.put("now", now);
    return node;
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e); // a tree always serializes
    }
  }

  private static JsonNode readObject(byte[] raw) {
    // Jackson may read a field name with invalid UTF-8 as a known name (it pads a name's
    // last quad with 0xFF bytes and skips validation on a symbol-table hit): check first
    int invalid = Utf8.firstInvalid(raw);
    if (invalid >= 0) {
      throw new MalformedMessageException(101, "json", null, null,
          "not UTF-8: invalid byte sequence at offset " + invalid);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(raw);
    } catch (IOException e) {
      String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage()
          : e.getMessage();
      throw new MalformedMessageException(101, "json", null, null, "not JSON: " + detail);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedMessageException(101, "json", null, null, "not a JSON object");
    }
    return root;
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    return node != null && node.isTextual() ? node.asText() : null;
  }

  private static String optionalText(JsonNode root, String field, String ret, String ref) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw bad("field", ret, ref, "\"" + field + "\" is not a string");
    }
    return node.asText();
  }

  private static List<Long> destinations(JsonNode dst, String ret, String ref) {
    if (dst == null || !dst.isArray() || dst.isEmpty()) {
      throw bad("field", ret, ref, "request has no \"dst\" (a non-empty array of twin ids)");
    }
    List<Long> twins = new ArrayList<>(dst.size());
    for (JsonNode twin : dst) {
      // canConvertToLong first: asLong() of a number above 2^63 wraps around (2^64 + 7 would
      // become twin 7)
      if (!twin.canConvertToExactIntegral() || !twin.canConvertToLong() || twin.asLong() < 1
          || twin.asLong() > U32_MAX) {
        throw bad("field", ret, ref, "\"dst\" holds " + twin + ", not a twin id in [1, 2^32)");
      }
      twins.add(twin.asLong());
    }
    return twins;
  }

  private static byte[] base64(JsonNode dat, String ret, String ref) {
    if (dat == null || dat.isNull()) {
      return new byte[0];
    }
    if (!dat.isTextual()) {
      throw bad("base64", ret, ref, "\"dat\" is not a base64 string");
    }
    try {
      return Base64.getDecoder().decode(dat.asText());
    } catch (IllegalArgumentException e) {
      throw bad("base64", ret, ref, "\"dat\" is not valid base64: " + e.getMessage());
    }
  }

  private static long unsigned(JsonNode node, String field, String ret, String ref) {
    if (node == null || node.isNull()) {
      throw bad("field", ret, ref, "request has no \"" + field + "\"");
    }
    if (!node.canConvertToExactIntegral() || !node.canConvertToLong() || node.asLong() < 0) {
      throw bad("field", ret, ref, "\"" + field + "\" is not an unsigned integer: " + node);
    }
    return node.asLong();
  }

  private static MalformedMessageException bad(String reason, String ret, String ref,
      String message) {
    return new MalformedMessageException(101, reason, ret, ref, message);
  }
}
