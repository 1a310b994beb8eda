package io.rmb.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.rmb.peer.crypto.E2eCipher;
import io.rmb.peer.crypto.E2eKeyPair;
import io.rmb.peer.envelope.Challenge;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.envelope.ProtocolException.BadSignatureException;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.token.InvalidTokenException;
import io.rmb.peer.token.RelayToken;
import io.rmb.proto.Address;
import io.rmb.proto.Envelope;
import io.rmb.proto.Request;
import io.rmb.proto.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-checks the Java stack against independent JavaScript implementations
 * (@scure/sr25519, @noble/curves, protobufjs, node:crypto) in both directions.
 *
 * <p>sr25519 signatures are randomised, so fixed vectors cannot pin them: here Node verifies
 * what Java signs during this run, and Java verifies what Node signs. Node.js and the packages
 * from {@code peer/src/test/node} (installed by the build's {@code npm ci}) are required; the
 * test fails, not skips, when they are missing.
 */
class NodeCrossCheckIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MNEMONIC =
      "volume behind cable present pull exchange wish loyal avocado snap film increase";
  private static final long TWIN = 42;

  @TempDir static Path work;

  private static final Map<String, Boolean> expected = new HashMap<>();
  private static JsonNode response;
  private static ObjectNode request;
  private static E2eCipher javaCipher;
  private static Map<String, byte[]> javaPlaintexts = new HashMap<>();

  @BeforeAll
  static void runNode() throws Exception {
    request = JSON.createObjectNode();
    request.put("twin", TWIN);
    ArrayNode items = request.putArray("java_signed");
    for (KeyType type : KeyType.values()) {
      for (String secret : new String[] {MNEMONIC, "//Alice", MNEMONIC + "//rmb"}) {
        Identity identity = Identity.fromSecret(secret, type);
        String pk = Hex.toHexString(identity.publicKey());
        String base = type + ":" + secret.substring(secret.length() - 6);
        int n = 0;
        for (Envelope envelope : sampleEnvelopes()) {
          Envelope signed = Envelopes.sign(envelope.toBuilder(), identity.signer()).build();
          add(items, base + ":env" + n, "envelope", pk, signed.toByteArray(), true);
          Envelope tampered = signed.toBuilder().setUid(signed.getUid() + "x").build();
          add(items, base + ":env" + n + ":tampered", "envelope", pk, tampered.toByteArray(),
              false);
          n++;
        }
        for (String session : new String[] {null, "java-session"}) {
          RelayToken token = RelayToken.create(identity.signer(), TWIN, session,
              Clock.systemUTC(), Duration.ofSeconds(60));
          ObjectNode item = items.addObject();
          String id = base + ":jwt:" + session;
          item.put("id", id).put("kind", "jwt").put("public_key", pk).put("token", token.text());
          expected.put(id, true);
          String forged = token.text().substring(0, token.text().lastIndexOf('.') + 1)
              + RelayToken.create(Identity.fromSecret("//Bob", type).signer(), TWIN, session,
                  Clock.systemUTC(), Duration.ofSeconds(60)).text().replaceAll(".*\\.", "");
          items.addObject().put("id", id + ":forged").put("kind", "jwt").put("public_key", pk)
              .put("token", forged);
          expected.put(id + ":forged", false);
        }
      }
    }
    ArrayNode keys = request.putArray("node_keys");
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    keys.addObject().put("key_type", "sr25519").put("seed", Hex.toHexString(seed));
    keys.addObject().put("key_type", "ed25519").put("seed", Hex.toHexString(seed));

    Identity javaIdentity = Identity.fromSecret(MNEMONIC, KeyType.SR25519);
    javaCipher = new E2eCipher(E2eKeyPair.fromSecret(javaIdentity.e2eSecret().orElseThrow()),
        new SecureRandom());
    byte[] nodeSecret = Identity.fromSecret("0x340f7341b312bcc61aeea7a76d759d809b8601cbc6d22cb2817278e346137a5d",
        KeyType.SR25519).e2eSecret().orElseThrow();
    byte[] nodePublic = E2eKeyPair.fromSecret(nodeSecret).publicKey();
    ObjectNode e2e = request.putObject("e2e");
    e2e.put("java_public_key", Hex.toHexString(javaCipher.publicKey()));
    e2e.put("node_secret", Hex.toHexString(nodeSecret));
    ArrayNode payloads = e2e.putArray("java_payloads");
    int i = 0;
    for (int size : new int[] {0, 11, 1024, 65_536}) {
      byte[] plaintext = new byte[size];
      new SecureRandom().nextBytes(plaintext);
      javaPlaintexts.put("p" + i, plaintext);
      payloads.addObject().put("id", "p" + i++)
          .put("payload", Hex.toHexString(javaCipher.encrypt(nodePublic, plaintext)));
    }

    Path requestFile = work.resolve("request.json");
    Path responseFile = work.resolve("response.json");
    JSON.writeValue(requestFile.toFile(), request);
    Path nodeDir = nodeDir();
    assertThat(nodeDir.resolve("node_modules/@scure/sr25519"))
        .as("npm packages missing: run `npm ci` in %s (the Maven build does)", nodeDir)
        .exists();
    Path proto = nodeDir.resolve("../../../../schemas/src/main/proto/types.proto").normalize();
    Process node = new ProcessBuilder("node", "crosscheck.mjs", requestFile.toString(),
        responseFile.toString(), proto.toString())
        .directory(nodeDir.toFile()).redirectErrorStream(true).start();
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node finished").isTrue();
    assertThat(node.exitValue()).as("node output:%n%s", output).isZero();
    response = JSON.readTree(responseFile.toFile());
  }

  private static void add(ArrayNode items, String id, String kind, String pk, byte[] bytes,
      boolean valid) {
    items.addObject().put("id", id).put("kind", kind).put("public_key", pk)
        .put("bytes", Hex.toHexString(bytes));
    expected.put(id, valid);
  }

  private static Envelope[] sampleEnvelopes() {
    Envelope request = Envelope.newBuilder().setUid("java-req").setTimestamp(1_700_000_000L)
        .setExpiration(300).setSource(Address.newBuilder().setTwin((int) TWIN).setConnection("s1"))
        .setDestination(Address.newBuilder().setTwin(11))
        .setRequest(Request.newBuilder().setCommand("zos.statistics.get"))
        .setSchema("application/json").setPlain(ByteString.copyFromUtf8("{\"a\":1}")).build();
    Envelope response = Envelope.newBuilder().setUid("java-resp").setTimestamp(1_700_000_001L)
        .setExpiration(60).setTags("").setSource(Address.newBuilder().setTwin((int) TWIN))
        .setDestination(Address.newBuilder().setTwin(11).setConnection("sid"))
        .setResponse(Response.getDefaultInstance()).setCipher(ByteString.copyFrom(new byte[40]))
        .build();
    Envelope error = Envelope.newBuilder().setUid("java-err").setTimestamp(1_700_000_002L)
        .setExpiration(60).setSource(Address.newBuilder().setTwin((int) TWIN))
        .setError(io.rmb.proto.Error.newBuilder().setCode(104).setMessage("bad signature ü"))
        .setFederation("relay.example").addRelays("a.example").addRelays("b.example").build();
    return new Envelope[] {request, response, error};
  }

  private static Path nodeDir() {
    String property = System.getProperty("rmb.node.dir");
    if (property != null && !property.isBlank()) {
      return Paths.get(property).toAbsolutePath().normalize();
    }
    return Paths.get("src/test/node").toAbsolutePath().normalize();
  }

  @Test
  void nodeAcceptsEveryJavaSignatureAndRejectsEveryTamperedOne() {
    assertThat(response.get("verified")).hasSize(expected.size());
    for (JsonNode result : response.get("verified")) {
      String id = result.get("id").asText();
      assertThat(result.get("ok").asBoolean()).as(id).isEqualTo(expected.get(id));
    }
  }

  @Test
  void nodeComputesTheSameChallengesAsJava() throws IOException {
    Map<String, String> javaChallenges = new HashMap<>();
    for (JsonNode item : request.get("java_signed")) {
      if (item.get("kind").asText().equals("envelope")) {
        Envelope envelope = Envelopes.decode(Hex.decode(item.get("bytes").asText()));
        javaChallenges.put(item.get("id").asText(), Hex.toHexString(Challenge.of(envelope)));
      }
    }
    assertThat(javaChallenges).isNotEmpty();
    for (JsonNode result : response.get("verified")) {
      if (result.has("challenge")) {
        assertThat(result.get("challenge").asText()).as(result.get("id").asText())
            .isEqualTo(javaChallenges.get(result.get("id").asText()));
      }
    }
  }

  @Test
  void javaAcceptsEveryNodeSignatureAndRejectsItTampered() {
    JsonNode signed = response.get("node_signed");
    assertThat(signed).hasSize(10);
    for (JsonNode item : signed) {
      byte[] pk = Hex.decode(item.get("public_key").asText());
      if (item.get("kind").asText().equals("envelope")) {
        Envelope envelope = Envelopes.decode(Hex.decode(item.get("bytes").asText()));
        Envelopes.verify(envelope, pk);
        assertThat(envelope.getSignature().byteAt(0))
            .isEqualTo(KeyType.fromLabel(item.get("key_type").asText()).prefix());
        Envelope tampered = envelope.toBuilder().setExpiration(envelope.getExpiration() + 1)
            .build();
        assertThatThrownBy(() -> Envelopes.verify(tampered, pk))
            .as(item.get("id").asText()).isInstanceOf(BadSignatureException.class);
      } else {
        RelayToken token = RelayToken.parse(item.get("token").asText())
            .verify(pk, Clock.systemUTC(), Duration.ofHours(1));
        assertThat(token.twin()).isEqualTo(TWIN);
        assertThat(token.session()).contains("node-session");
        assertThatThrownBy(() -> token.verify(new byte[32], Clock.systemUTC(), null))
            .isInstanceOf(InvalidTokenException.class);
      }
    }
  }

  @Test
  void e2eWorksBothWays() {
    JsonNode e2e = response.get("e2e");
    byte[] nodePublic = Hex.decode(e2e.get("node_public_key").asText());

    assertThat(Hex.toHexString(javaCipher.sharedKey(nodePublic)))
        .isEqualTo(e2e.get("shared_key").asText());
    for (JsonNode decrypted : e2e.get("decrypted")) {
      String id = decrypted.get("id").asText();
      assertThat(decrypted.has("error")).as("node failed to decrypt %s: %s", id,
          decrypted.get("error")).isFalse();
      assertThat(Hex.decode(decrypted.get("plaintext").asText()))
          .isEqualTo(javaPlaintexts.get(id));
    }
    assertThat(e2e.get("decrypted")).hasSize(javaPlaintexts.size());
    for (JsonNode payload : e2e.get("node_payloads")) {
      assertThat(javaCipher.decrypt(nodePublic, Hex.decode(payload.get("payload").asText())))
          .isEqualTo(Hex.decode(payload.get("plaintext").asText()));
    }
  }
}
