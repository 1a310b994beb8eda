package io.rmb.benchmarks.load;

import com.google.protobuf.ByteString;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.token.RelayToken;
import io.rmb.proto.Address;
import io.rmb.proto.Envelope;
import io.rmb.proto.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

/** Identities, twins files, relay tokens and pre-signed envelopes shared by the load mains. */
final class Fixtures {
  static final String ED_SECRET =
      "tackle blouse grain dawn adult loyal tattoo price access tilt chimney silk";
  static final String SR_SECRET =
      "volume behind cable present pull exchange wish loyal avocado snap film increase";

  /** One ed25519 identity owns every twin of the raw-protocol benchmarks. */
  static final Identity SHARED = Identity.fromSecret(ED_SECRET, KeyType.ED25519);

  private Fixtures() {}

  /** A twins file with twins {@code from..to} (inclusive), all owned by {@link #SHARED}. */
  static Path twinsFile(long from, long to) throws IOException {
    StringBuilder sb = new StringBuilder("[");
    for (long id = from; id <= to; id++) {
      if (id > from) {
        sb.append(',');
      }
      sb.append("{\"id\":").append(id).append(",\"account\":\"").append(SHARED.ss58())
          .append("\",\"relay\":\"localhost\",\"pk\":null}\n");
    }
    sb.append(']');
    Path file = Files.createTempFile("rmb-bench-twins", ".json");
    file.toFile().deleteOnExit();
    Files.writeString(file, sb);
    return file;
  }

  static String token(long twin) {
    return RelayToken.create(SHARED.signer(), twin, null, Clock.systemUTC(), Duration.ofMinutes(10))
        .text();
  }

  /** A signed request envelope of {@code size} plain bytes from {@code src} to {@code dst}. */
  static byte[] envelope(long src, long dst, int size) {
    byte[] payload = new byte[size];
    new Random(src).nextBytes(payload);
    Envelope.Builder b = Envelope.newBuilder().setUid(UUID.randomUUID().toString())
        .setTimestamp(System.currentTimeMillis() / 1000).setExpiration(3600)
        .setSource(Address.newBuilder().setTwin((int) src))
        .setDestination(Address.newBuilder().setTwin((int) dst))
        .setRequest(Request.newBuilder().setCommand("bench.echo"))
        .setSchema("application/octet-stream").setPlain(ByteString.copyFrom(payload));
    return Envelopes.sign(b, SHARED.signer()).build().toByteArray();
  }

  /**
   * A twins file with twin 7 = {@code a} and twin 8 = {@code b}, both on relay "localhost" with
   * their e2e keys (so requests and responses are encrypted both ways).
   */
  static Path echoTwins(Identity a, Identity b) throws IOException {
    HexFormat hex = HexFormat.of();
    Path file = Files.createTempFile("rmb-bench-echo", ".json");
    file.toFile().deleteOnExit();
    Files.writeString(file, "[{\"id\":7,\"account\":\"" + a.ss58()
        + "\",\"relay\":\"localhost\",\"pk\":\"0x" + hex.formatHex(a.e2ePublicKey().orElseThrow())
        + "\"},{\"id\":8,\"account\":\"" + b.ss58()
        + "\",\"relay\":\"localhost\",\"pk\":\"0x" + hex.formatHex(b.e2ePublicKey().orElseThrow())
        + "\"}]");
    return file;
  }
}
