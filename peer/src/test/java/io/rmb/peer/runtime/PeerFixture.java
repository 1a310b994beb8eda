package io.rmb.peer.runtime;

import com.google.protobuf.ByteString;
import io.rmb.peer.crypto.E2eCipher;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.envelope.Expiry;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.twin.Twin;
import io.rmb.proto.Address;
import io.rmb.proto.Envelope;
import io.rmb.proto.Request;
import io.rmb.proto.Response;
import io.rmb.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;

/**
 * Peer A (twin 1, sr25519, with e2e key) on a {@link FakeTransport}, a manual clock and
 * scheduler and direct executors, so a test runs the whole pipeline synchronously. Twin 2 (B,
 * ed25519, has a pk) and twin 3 (C, sr25519 seed with a path: no pk) are the other twins.
 */
final class PeerFixture implements AutoCloseable {
  static final long A = 1;
  static final long B = 2;
  static final long C = 3;
  static final long START = 1_700_000_000_250L; // a quarter second into a unix second

  static final Identity ID_A = Identity.fromSecret("0x" + "11".repeat(32), KeyType.SR25519);
  static final Identity ID_B = Identity.fromSecret("0x" + "22".repeat(32), KeyType.ED25519);
  static final Identity ID_C = Identity.fromSecret("0x" + "33".repeat(32) + "//c",
      KeyType.SR25519);

  final ManualClock clock = new ManualClock(START);
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final FakeTransport transport = new FakeTransport();
  final MapTwinDirectory twins = new MapTwinDirectory();
  final SecureRandom random = new SecureRandom();
  final RmbPeer peer;

  PeerFixture() {
    this(b -> b);
  }

  PeerFixture(java.util.function.UnaryOperator<RmbPeerOptions.Builder> customize) {
    twins.put(twin(A, ID_A)).put(twin(B, ID_B)).put(twin(C, ID_C));
    RmbPeerOptions options = customize.apply(RmbPeerOptions.builder()
        .identity(ID_A)
        .twin(A)
        .relays("ws://relay.test")
        .twins(twins)
        .clock(clock)
        .random(random)
        .scheduler(scheduler)
        .handlerExecutor(Runnable::run)
        .pipelineExecutor(Runnable::run)
        .drainTimeout(Duration.ofSeconds(2)))
        .build();
    peer = RmbPeer.create(options, transport);
  }

  static Twin twin(long id, Identity identity) {
    return new Twin(id, identity.publicKey(), Set.of("relay.test"),
        identity.e2ePublicKey().orElse(null));
  }

  long nowSeconds() {
    return Expiry.now(clock);
  }

  /** An unsigned envelope from {@code from} to A, stamped now with a 60 s TTL. */
  Envelope.Builder from(long from, String uid) {
    return Envelope.newBuilder()
        .setUid(uid)
        .setTimestamp(nowSeconds())
        .setExpiration(60)
        .setSource(Address.newBuilder().setTwin((int) from))
        .setDestination(Address.newBuilder().setTwin((int) A));
  }

  Envelope.Builder request(long from, String uid, String command, String payload) {
    return from(from, uid).setRequest(Request.newBuilder().setCommand(command))
        .setSchema(Reply.JSON)
        .setPlain(ByteString.copyFrom(payload, StandardCharsets.UTF_8));
  }

  Envelope.Builder response(long from, String uid, String payload) {
    return from(from, uid).setResponse(Response.getDefaultInstance())
        .setSchema(Reply.JSON)
        .setPlain(ByteString.copyFrom(payload, StandardCharsets.UTF_8));
  }

  /** Encrypts the plain payload of {@code b} with B's key for A (B is the sender with a key). */
  Envelope.Builder encryptedFromB(Envelope.Builder b) {
    byte[] cipher = new E2eCipher(ID_B.e2eKeyPair().orElseThrow(), random)
        .encrypt(ID_A.e2ePublicKey().orElseThrow(), b.getPlain().toByteArray());
    return b.setCipher(ByteString.copyFrom(cipher));
  }

  static Envelope signed(Envelope.Builder b, Identity by) {
    return Envelopes.sign(b, by.signer()).build();
  }

  static Identity identityOf(long twin) {
    return twin == A ? ID_A : twin == B ? ID_B : ID_C;
  }

  @Override
  public void close() {
    peer.close();
  }
}
