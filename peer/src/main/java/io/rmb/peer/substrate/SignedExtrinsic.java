package io.rmb.peer.substrate;

import io.rmb.peer.identity.KeyType;
import io.rmb.peer.identity.Signer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Builds signed extrinsics, format version 4, as a Substrate runtime with the standard signed
 * extensions expects ({@code CheckNonZeroSender, CheckSpecVersion, CheckTxVersion,
 * CheckGenesis, CheckMortality, CheckNonce, CheckWeight, ChargeTransactionPayment}; tfchain
 * spec 149 has exactly these):
 *
 * <pre>
 * compact(len) || 0x84 || 0x00 (MultiAddress::Id) || account (32)
 *   || signature type (00 ed25519, 01 sr25519) || signature (64)
 *   || extra || call
 * extra          = era (00, immortal) || compact(nonce) || compact(tip)
 * signed payload = call || extra || specVersion u32 LE || txVersion u32 LE
 *                  || genesis hash || genesis hash (the immortal era's block)
 * </pre>
 *
 * A payload longer than 256 bytes is replaced by its blake2b-256 hash before signing.
 */
public final class SignedExtrinsic {
  /** Signed bit (0x80) | extrinsic format version 4. */
  public static final int SIGNED_V4 = 0x84;
  /** Signing payloads longer than this are hashed first. */
  public static final int MAX_UNHASHED_PAYLOAD = 256;

  private static final int ADDRESS_ID = 0x00;
  private static final int ERA_IMMORTAL = 0x00;

  private SignedExtrinsic() {}

  /**
   * Signs {@code call} and returns the complete extrinsic, length prefix included, ready for
   * {@code author_submitExtrinsic}.
   *
   * @param call the encoded call (pallet index, call index, arguments)
   * @param signer the account key; its raw 64-byte signature goes on chain, without RMB's
   *     one-byte key-type prefix
   * @param nonce the account's next index ({@code system_accountNextIndex})
   * @param tip the tip in the chain's smallest unit, usually 0
   * @param context spec and transaction versions and genesis hash of the chain
   */
  public static byte[] sign(byte[] call, Signer signer, long nonce, long tip,
      TransactionContext context) {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(context, "context");
    if (call.length < 2) {
      throw new IllegalArgumentException("call must hold at least pallet and call index, got "
          + call.length + " bytes");
    }
    byte[] extra = extra(nonce, tip);
    byte[] prefixed = signer.sign(signingPayload(call, extra, context));
    if (prefixed.length != 65) {
      throw new IllegalStateException("signer returned " + prefixed.length
          + " bytes, expected 65 (prefix + signature)");
    }
    byte[] account = signer.publicKey();
    ScaleWriter body = new ScaleWriter()
        .u8(SIGNED_V4)
        .u8(ADDRESS_ID)
        .raw(account)
        .u8(signatureType(signer.keyType()))
        .raw(Arrays.copyOfRange(prefixed, 1, 65))
        .raw(extra)
        .raw(call);
    byte[] encoded = body.toByteArray();
    return new ScaleWriter().vecU8(encoded).toByteArray();
  }

  /** The signed extensions' extra data: immortal era, compact nonce, compact tip. */
  public static byte[] extra(long nonce, long tip) {
    return new ScaleWriter().u8(ERA_IMMORTAL).compact(nonce).compact(tip).toByteArray();
  }

  /**
   * The bytes the account signs: call, extra and the extensions' additional data, hashed
   * with blake2b-256 when longer than 256 bytes.
   */
  public static byte[] signingPayload(byte[] call, byte[] extra, TransactionContext context) {
    byte[] genesis = context.genesisHash();
    byte[] payload = new ScaleWriter()
        .raw(call)
        .raw(extra)
        .u32(context.specVersion())
        .u32(context.transactionVersion())
        .raw(genesis)
        .raw(genesis)
        .toByteArray();
    return payload.length > MAX_UNHASHED_PAYLOAD ? Hashing.blake2b256(payload) : payload;
  }

  /** The {@code MultiSignature} variant index of a key type. */
  public static int signatureType(KeyType type) {
    switch (type) {
      case ED25519:
        return 0x00;
      case SR25519:
        return 0x01;
      default:
        throw new IllegalArgumentException("no MultiSignature variant for " + type);
    }
  }
}
