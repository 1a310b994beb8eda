package io.rmb.benchmarks;

import com.google.protobuf.ByteString;
import io.rmb.peer.crypto.E2eCipher;
import io.rmb.peer.crypto.E2eKeyPair;
import io.rmb.peer.envelope.Challenge;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.token.RelayToken;
import io.rmb.proto.Address;
import io.rmb.proto.Envelope;
import io.rmb.proto.Request;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * Envelope challenge, end-to-end encryption of 1 KiB (warm: shared key cached; cold: a new
 * cipher per operation, so the ECDH is paid every time) and relay JWT create/verify.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EnvelopeBenchmark {
  private static final String SECRET =
      "volume behind cable present pull exchange wish loyal avocado snap film increase";

  private final SecureRandom random = new SecureRandom();
  private Envelope envelope;
  private E2eKeyPair alice;
  private E2eKeyPair bob;
  private E2eCipher aliceCipher;
  private E2eCipher bobCipher;
  private byte[] payload;
  private Identity identity;
  private String token;
  private final Clock clock = Clock.systemUTC();

  @Setup
  public void setup() {
    payload = new byte[1024];
    random.nextBytes(payload);
    envelope = Envelope.newBuilder().setUid("b5a9a6f4-7c1e-4a59-9a1b-2f3c4d5e6f70")
        .setTimestamp(1_700_000_000L).setExpiration(300)
        .setSource(Address.newBuilder().setTwin(7).setConnection("session-1"))
        .setDestination(Address.newBuilder().setTwin(11))
        .setRequest(Request.newBuilder().setCommand("zos.system.version"))
        .setSchema("application/json").setPlain(ByteString.copyFrom(payload)).build();
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    a[31] = 1;
    b[31] = 2;
    alice = E2eKeyPair.fromSecret(a);
    bob = E2eKeyPair.fromSecret(b);
    aliceCipher = new E2eCipher(alice, random);
    bobCipher = new E2eCipher(bob, random);
    identity = Identity.fromSecret(SECRET, KeyType.ED25519);
    token = RelayToken.create(identity.signer(), 7, "bench", clock, Duration.ofMinutes(5)).text();
  }

  @Benchmark
  public byte[] challenge1KiB() {
    return Challenge.of(envelope);
  }

  @Benchmark
  public byte[] encryptDecrypt1KiBWarm() {
    return bobCipher.decrypt(alice.publicKey(), aliceCipher.encrypt(bob.publicKey(), payload));
  }

  @Benchmark
  public byte[] encryptDecrypt1KiBCold() {
    E2eCipher sender = new E2eCipher(alice, random);
    E2eCipher receiver = new E2eCipher(bob, random);
    return receiver.decrypt(alice.publicKey(), sender.encrypt(bob.publicKey(), payload));
  }

  @Benchmark
  public String jwtCreateEd25519() {
    return RelayToken.create(identity.signer(), 7, "bench", clock, Duration.ofMinutes(5)).text();
  }

  @Benchmark
  public RelayToken jwtParseAndVerifyEd25519() {
    return RelayToken.parse(token).verify(identity.publicKey(), clock, Duration.ofHours(1));
  }
}
