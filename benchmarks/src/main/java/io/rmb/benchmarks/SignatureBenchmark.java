package io.rmb.benchmarks;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.identity.SignatureVerifier;
import io.rmb.peer.identity.Signer;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signing and verifying a 16-byte challenge: our sr25519 and ed25519 signers against raw
 * BouncyCastle Ed25519, the baseline the targets are stated against (sr25519 sign <= 1.5x,
 * verify <= 2.5x BouncyCastle Ed25519).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SignatureBenchmark {
  private static final String SECRET =
      "volume behind cable present pull exchange wish loyal avocado snap film increase";

  private final byte[] message = new byte[16];
  private Signer sr25519;
  private Signer ed25519;
  private byte[] srPublic;
  private byte[] edPublic;
  private byte[] srSignature;
  private byte[] edSignature;
  private Ed25519PrivateKeyParameters bcPrivate;
  private Ed25519PublicKeyParameters bcPublic;
  private byte[] bcSignature;

  @Setup
  public void setup() {
    for (int i = 0; i < message.length; i++) {
      message[i] = (byte) (i * 7);
    }
    Identity sr = Identity.fromSecret(SECRET, KeyType.SR25519);
    Identity ed = Identity.fromSecret(SECRET, KeyType.ED25519);
    sr25519 = sr.signer();
    ed25519 = ed.signer();
    srPublic = sr.publicKey();
    edPublic = ed.publicKey();
    srSignature = sr25519.sign(message);
    edSignature = ed25519.sign(message);
    bcPrivate = new Ed25519PrivateKeyParameters(new byte[32]);
    bcPublic = bcPrivate.generatePublicKey();
    bcSignature = bcSign();
  }

  @Benchmark
  public byte[] bouncyCastleEd25519Sign() {
    return bcSign();
  }

  @Benchmark
  public boolean bouncyCastleEd25519Verify() {
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, bcPublic);
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(bcSignature);
  }

  @Benchmark
  public byte[] sr25519Sign() {
    return sr25519.sign(message);
  }

  @Benchmark
  public boolean sr25519Verify() {
    return SignatureVerifier.isValid(srPublic, message, srSignature);
  }

  @Benchmark
  public byte[] ed25519Sign() {
    return ed25519.sign(message);
  }

  @Benchmark
  public boolean ed25519Verify() {
    return SignatureVerifier.isValid(edPublic, message, edSignature);
  }

  private byte[] bcSign() {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, bcPrivate);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }
}
