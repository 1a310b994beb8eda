package io.rmb.peer.substrate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code author_extrinsicUpdate} notification of {@code author_submitAndWatchExtrinsic}.
 *
 * @param kind what happened
 * @param detail the block hash for in-block, retracted, finality-timeout and finalized; the
 *     usurping extrinsic's hash for usurped; the peers for broadcast; else empty
 */
public record ExtrinsicStatus(Kind kind, String detail) {
  /** The states of Substrate's {@code TransactionStatus}. */
  public enum Kind {
    FUTURE("future", false),
    READY("ready", false),
    BROADCAST("broadcast", false),
    IN_BLOCK("inBlock", false),
    RETRACTED("retracted", false),
    FINALITY_TIMEOUT("finalityTimeout", true),
    FINALIZED("finalized", true),
    USURPED("usurped", true),
    DROPPED("dropped", true),
    INVALID("invalid", true);

    private final String wireName;
    private final boolean terminal;

    Kind(String wireName, boolean terminal) {
      this.wireName = wireName;
      this.terminal = terminal;
    }

    /** The name used on the wire, e.g. {@code inBlock}. */
    public String wireName() {
      return wireName;
    }

    /** True when no further status follows. */
    public boolean terminal() {
      return terminal;
    }
  }

  /**
   * Parses a notification's result: a string ({@code "ready"}) or a one-member object
   * ({@code {"inBlock": "0x..."}}).
   *
   * @throws RpcProtocolException for anything else
   */
  public static ExtrinsicStatus parse(JsonNode result) {
    if (result != null && result.isTextual()) {
      return new ExtrinsicStatus(kind(result.asText()), "");
    }
    if (result != null && result.isObject() && result.size() == 1) {
      Iterator<Map.Entry<String, JsonNode>> fields = result.fields();
      Map.Entry<String, JsonNode> only = fields.next();
      JsonNode value = only.getValue();
      return new ExtrinsicStatus(kind(only.getKey()),
          value.isTextual() ? value.asText() : value.toString());
    }
    throw new RpcProtocolException("author_extrinsicUpdate: unknown extrinsic status " + result);
  }

  private static Kind kind(String name) {
    for (Kind kind : Kind.values()) {
      if (kind.wireName.equals(name)) {
        return kind;
      }
    }
    throw new RpcProtocolException("author_extrinsicUpdate: unknown extrinsic status '"
        + name.toLowerCase(Locale.ROOT) + "'");
  }

  @Override
  public String toString() {
    return detail.isEmpty() ? kind.wireName : kind.wireName + " " + detail;
  }
}
