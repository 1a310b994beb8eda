package io.rmb.peer.envelope;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.rmb.peer.envelope.ProtocolException.BadSignatureException;
import io.rmb.peer.envelope.ProtocolException.EnvelopeDecodeException;
import io.rmb.peer.identity.InvalidSignatureException;
import io.rmb.peer.identity.SignatureVerifier;
import io.rmb.peer.identity.Signer;
import io.rmb.proto.Envelope;

/**
 * Decoding, signing and verifying RMB envelopes (wire.md sections 2 and 3).
 *
 * <p>Signing covers the {@link Challenge} of every other field, so sign last: after stamping,
 * encrypting and setting the schema.
 */
public final class Envelopes {
  /** Length of a prefixed signature on the wire. */
  public static final int SIGNATURE_LENGTH = 65;

  private Envelopes() {}

  /**
   * Decodes envelope bytes. The envelope's bytes fields (payload, signature) are views of
   * {@code bytes}, not copies: every frame is decoded once and its payload read once more
   * (verify, decrypt), so copying it on decode was pure garbage. The caller hands the array
   * over and must not change it afterwards (every caller decodes a frame it just received).
   *
   * @throws EnvelopeDecodeException (code 101) for null, empty, truncated or garbage input
   */
  public static Envelope decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new EnvelopeDecodeException("envelope bytes are empty");
    }
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.enableAliasing(true);
      Envelope envelope = Envelope.parser().parseFrom(in);
      in.checkLastTagWas(0); // as parseFrom(byte[]) does: a stray end-group tag is garbage
      return envelope;
    } catch (InvalidProtocolBufferException e) {
      throw new EnvelopeDecodeException(
          "cannot decode envelope (" + bytes.length + " bytes): " + e.getMessage(), e);
    }
  }

  /**
   * Signs {@code builder} in place with {@code signer}: sets the 65-byte prefixed signature
   * over the challenge of all other fields. Any previous signature is replaced.
   */
  public static Envelope.Builder sign(Envelope.Builder builder, Signer signer) {
    builder.clearSignature();
    byte[] signature = signer.sign(Challenge.of(builder.build()));
    return builder.setSignature(ByteString.copyFrom(signature));
  }

  /**
   * Checks that {@code envelope} carries a valid signature by {@code account}, the 32-byte
   * account key of the envelope's source twin. The signature prefix picks the scheme strictly.
   *
   * @throws BadSignatureException (code 104) when the signature is missing, malformed or wrong
   */
  public static void verify(Envelope envelope, byte[] account) {
    if (!envelope.hasSignature() || envelope.getSignature().isEmpty()) {
      throw new BadSignatureException("envelope " + envelope.getUid() + " has no signature");
    }
    byte[] signature = envelope.getSignature().toByteArray();
    try {
      SignatureVerifier.verify(account, Challenge.of(envelope), signature);
    } catch (InvalidSignatureException e) {
      throw new BadSignatureException(
          "envelope " + envelope.getUid() + " from twin " + sourceTwin(envelope)
              + ": " + e.getMessage(), e);
    }
  }

  /** The source twin id, 0 when the envelope has no source. */
  public static long sourceTwin(Envelope envelope) {
    return envelope.hasSource() ? Integer.toUnsignedLong(envelope.getSource().getTwin()) : 0;
  }

  /** The destination twin id, 0 when the envelope has no destination. */
  public static long destinationTwin(Envelope envelope) {
    return envelope.hasDestination()
        ? Integer.toUnsignedLong(envelope.getDestination().getTwin())
        : 0;
  }

  /**
   * True for the error envelopes relays make: an {@code error} message with no source twin
   * (twin 0). They carry no signature and must never be treated as a peer's message.
   */
  public static boolean isRelayError(Envelope envelope) {
    return envelope.hasError() && sourceTwin(envelope) == 0;
  }
}
