package io.rmb.peer.envelope;

import io.rmb.proto.Address;
import io.rmb.proto.Envelope;
import io.rmb.proto.Error;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 16-byte MD5 challenge that envelope signatures cover (wire.md section 3).
 *
 * <p>The preimage is the concatenation, without separators, of: uid, tags (if present),
 * timestamp, expiration, source twin, source connection (if present), destination twin,
 * destination connection (if present), the request command or the error code and message,
 * schema (if present), federation (if present), the plain or cipher bytes, and every
 * {@code relays} entry in wire order. Numbers are base-10 ASCII; an absent address hashes as
 * twin 0 without connection. The signature field itself is not part of it.
 *
 * <p>This is rmb-rs's {@code Challengeable} for {@code Envelope}; it hashes fields exactly as
 * received, so envelopes from the Go SDK and the TS client (which set {@code federation} and
 * {@code relays}) verify too.
 */
public final class Challenge {
  /** Length of the digest. */
  public static final int LENGTH = 16;

  private Challenge() {}

  /** Computes the MD5 challenge of {@code envelope}. */
  public static byte[] of(Envelope envelope) {
    MessageDigest md5 = newMd5();
    update(md5, envelope);
    return md5.digest();
  }

  /** The exact bytes that are hashed: useful to explain a mismatch. */
  public static byte[] preimage(Envelope envelope) {
    RecordingDigest recorder = new RecordingDigest();
    update(recorder, envelope);
    return recorder.bytes();
  }

  private static void update(MessageDigest md, Envelope e) {
    text(md, e.getUid());
    if (e.hasTags()) {
      text(md, e.getTags());
    }
    number(md, e.getTimestamp());
    number(md, e.getExpiration());
    address(md, e.hasSource() ? e.getSource() : null);
    address(md, e.hasDestination() ? e.getDestination() : null);
    switch (e.getMessageCase()) {
      case REQUEST:
        text(md, e.getRequest().getCommand());
        break;
      case ERROR:
        Error error = e.getError();
        number(md, Integer.toUnsignedLong(error.getCode()));
        text(md, error.getMessage());
        break;
      default:
        // response, ping, pong and no message contribute nothing
        break;
    }
    if (e.hasSchema()) {
      text(md, e.getSchema());
    }
    if (e.hasFederation()) {
      text(md, e.getFederation());
    }
    switch (e.getPayloadCase()) {
      case PLAIN:
        md.update(e.getPlain().asReadOnlyByteBuffer());
        break;
      case CIPHER:
        md.update(e.getCipher().asReadOnlyByteBuffer());
        break;
      default:
        break;
    }
    for (int i = 0; i < e.getRelaysCount(); i++) {
      text(md, e.getRelays(i));
    }
  }

  private static void address(MessageDigest md, Address address) {
    if (address == null) {
      number(md, 0);
      return;
    }
    number(md, Integer.toUnsignedLong(address.getTwin()));
    if (address.hasConnection()) {
      text(md, address.getConnection());
    }
  }

  private static void text(MessageDigest md, String value) {
    md.update(value.getBytes(StandardCharsets.UTF_8));
  }

  private static void number(MessageDigest md, long unsigned) {
    md.update(Long.toUnsignedString(unsigned).getBytes(StandardCharsets.US_ASCII));
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      // every Java SE platform must provide MD5
      throw new IllegalStateException("MD5 is not available", e);
    }
  }

  /** A MessageDigest that records its input instead of hashing it. */
  private static final class RecordingDigest extends MessageDigest {
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

    RecordingDigest() {
      super("record");
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    @Override
    protected void engineUpdate(byte input) {
      out.write(input);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
      out.write(input, offset, len);
    }

    @Override
    protected byte[] engineDigest() {
      return out.toByteArray();
    }

    @Override
    protected void engineReset() {
      out.reset();
    }
  }
}
