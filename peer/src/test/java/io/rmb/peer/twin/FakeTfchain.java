package io.rmb.peer.twin;

import io.rmb.peer.identity.Ss58;
import io.rmb.peer.sr25519.Sr25519KeyPair;
import io.rmb.peer.substrate.FakeSubstrateNode;
import io.rmb.peer.substrate.FakeSubstrateNode.Rejected;
import io.rmb.peer.substrate.ScaleException;
import io.rmb.peer.substrate.ScaleReader;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * tfchain's side of {@code update_twin} for the fake node: decodes the signed extrinsic on its
 * own (not with the code under test), rebuilds the signing payload from the node's versions and
 * genesis, checks the ed25519 or sr25519 signature and the nonce, and applies the new relay
 * and pk to the signer's twin.
 *
 * <p>Public (and shipped in peer's test-jar) so other modules' ITs can run a fake tfchain.
 */
public final class FakeTfchain implements FakeSubstrateNode.ExtrinsicHandler {
  /** The last accepted extrinsic's signature type (0 ed25519, 1 sr25519). */
  public final AtomicReference<Integer> lastSignatureType = new AtomicReference<>();

  public static FakeTfchain install(FakeSubstrateNode node) {
    FakeTfchain chain = new FakeTfchain();
    node.handler(chain);
    return chain;
  }

  public static void putTwin(FakeSubstrateNode node, Twin twin) {
    node.put(TfchainCodec.twinKey(twin.id()), TfchainCodec.encodeTwin(twin));
    byte[] id = {(byte) twin.id(), (byte) (twin.id() >>> 8), (byte) (twin.id() >>> 16),
        (byte) (twin.id() >>> 24)};
    node.put(TfchainCodec.twinIdByAccountKey(twin.account()), id);
  }

  public static Optional<Twin> twin(FakeSubstrateNode node, long id) {
    byte[] value = node.get(TfchainCodec.twinKey(id));
    return value == null ? Optional.empty() : Optional.of(TfchainCodec.decodeTwin(value));
  }

  @Override
  public Runnable validate(FakeSubstrateNode node, byte[] extrinsic) {
    try {
      return decodeAndCheck(node, extrinsic);
    } catch (ScaleException e) {
      throw new Rejected("cannot decode extrinsic: " + e.getMessage());
    }
  }

  private Runnable decodeAndCheck(FakeSubstrateNode node, byte[] extrinsic) {
    ScaleReader in = new ScaleReader(extrinsic, "extrinsic");
    int length = in.length("length");
    if (length != in.remaining()) {
      throw new Rejected("length prefix " + length + " but " + in.remaining() + " bytes follow");
    }
    int version = in.u8("version");
    if (version != 0x84) {
      throw new Rejected("not a signed v4 extrinsic: " + version);
    }
    if (in.u8("address type") != 0) {
      throw new Rejected("address is not MultiAddress::Id");
    }
    byte[] account = in.bytes(32, "account");
    int signatureType = in.u8("signature type");
    byte[] signature = in.bytes(64, "signature");
    int extraStart = in.position();
    if (in.u8("era") != 0) {
      throw new Rejected("not immortal");
    }
    long nonce = in.compact("nonce");
    in.compact("tip");
    byte[] extra = Arrays.copyOfRange(extrinsic, extraStart, in.position());
    byte[] call = Arrays.copyOfRange(extrinsic, in.position(), extrinsic.length);

    byte[] payload = signingPayload(node, call, extra);
    boolean valid;
    if (signatureType == 0) {
      valid = Ed25519.verify(signature, 0, account, 0, payload, 0, payload.length);
    } else if (signatureType == 1) {
      valid = Sr25519KeyPair.verify(account, payload, signature);
    } else {
      throw new Rejected("unsupported signature type " + signatureType);
    }
    if (!valid) {
      throw new Rejected("bad signature");
    }
    String address = Ss58.encode(account);
    if (nonce != node.nonce(address)) {
      throw new Rejected("nonce " + nonce + " but the account is at " + node.nonce(address));
    }
    ScaleReader args = new ScaleReader(call, "call");
    int pallet = args.u8("pallet");
    int function = args.u8("call");
    if (pallet != 25 || function != 18) {
      throw new Rejected("unknown call " + pallet + "/" + function);
    }
    Optional<byte[]> relay = args.optionVecU8("relay");
    Optional<byte[]> pk = args.optionVecU8("pk");
    args.expectEnd();
    byte[] idValue = node.get(TfchainCodec.twinIdByAccountKey(account));
    if (idValue == null) {
      throw new Rejected("TwinNotExists");
    }
    long id = TfchainCodec.decodeTwinId(idValue);
    lastSignatureType.set(signatureType);
    return () -> {
      Twin old = twin(node, id).orElseThrow();
      Twin updated = new Twin(id, old.account(),
          Twin.parseRelays(relay.map(String::new).orElse(null)), pk.orElse(null));
      node.nonce(address, nonce + 1);
      node.put(TfchainCodec.twinKey(id), TfchainCodec.encodeTwin(updated));
    };
  }

  /** call || extra || spec || tx || genesis || genesis, hashed when over 256 bytes. */
  private static byte[] signingPayload(FakeSubstrateNode node, byte[] call, byte[] extra) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(call);
    out.writeBytes(extra);
    out.writeBytes(u32(node.specVersion()));
    out.writeBytes(u32(node.transactionVersion()));
    out.writeBytes(node.genesis());
    out.writeBytes(node.genesis());
    byte[] payload = out.toByteArray();
    if (payload.length <= 256) {
      return payload;
    }
    Blake2bDigest digest = new Blake2bDigest(256);
    digest.update(payload, 0, payload.length);
    byte[] hash = new byte[32];
    digest.doFinal(hash, 0);
    return hash;
  }

  private static byte[] u32(long value) {
    return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16),
        (byte) (value >>> 24)};
  }
}
