package io.rmb.bridge.redis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * An accepted request as kept in {@link Keys#LOCAL_PROCESSING}: the uid and issue time it was
 * sent with, then the client's raw JSON. A resend after a crash reuses both, so the answer
 * still correlates and the receiver drops the duplicate.
 *
 * <p>Format: {@code "rmb-bridge/1 <uid> <issuedAtMillis>\n"} followed by the raw bytes. A
 * client's JSON starts with {@code '{'} (or white space), so it never looks like this.
 */
record ProcessingEntry(String uid, Instant issuedAt, byte[] raw) {
  private static final String MAGIC = "rmb-bridge/1 ";
  private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);

  byte[] encode() {
    byte[] head = (MAGIC + uid + " " + issuedAt.toEpochMilli() + "\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(head, head.length + raw.length);
    System.arraycopy(raw, 0, out, head.length, raw.length);
    return out;
  }

  /** The entry, or empty when {@code bytes} is a raw client message (not yet accepted). */
  static Optional<ProcessingEntry> decode(byte[] bytes) {
    if (bytes.length < MAGIC_BYTES.length
        || !Arrays.equals(bytes, 0, MAGIC_BYTES.length, MAGIC_BYTES, 0, MAGIC_BYTES.length)) {
      return Optional.empty();
    }
    int newline = -1;
    for (int i = MAGIC_BYTES.length; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        newline = i;
        break;
      }
    }
    if (newline < 0) {
      return Optional.empty();
    }
    String[] head = new String(bytes, MAGIC_BYTES.length, newline - MAGIC_BYTES.length,
        StandardCharsets.US_ASCII).split(" ");
    if (head.length != 2 || head[0].isEmpty()) {
      return Optional.empty();
    }
    try {
      Instant issuedAt = Instant.ofEpochMilli(Long.parseLong(head[1]));
      return Optional.of(new ProcessingEntry(head[0], issuedAt,
          Arrays.copyOfRange(bytes, newline + 1, bytes.length)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
