package io.rmb.peer.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rmb.peer.Vectors;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RelayTokenTest {
  private static final String MNEMONIC =
      "volume behind cable present pull exchange wish loyal avocado snap film increase";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  static List<JsonNode> tokens() {
    return Vectors.list(Vectors.section("jwt"));
  }

  private static Clock at(long millis) {
    return Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("tokens")
  void verifiesEveryVectorTokenWithAFixedClock(JsonNode c) {
    RelayToken token = RelayToken.parse(c.get("token").asText());
    Clock clock = at(c.get("date_now_ms").asLong());

    token.verify(Vectors.hex(c, "public_key"), clock, Duration.ofHours(1));

    assertThat(token.twin()).isEqualTo(c.get("twin").asLong());
    assertThat(token.session().orElse(null))
        .isEqualTo(c.get("session").isNull() ? null : c.get("session").asText());
    assertThat(token.expiresAt() - token.issuedAt()).isEqualTo(1000);
    assertThat(token.signature()).isEqualTo(Vectors.hex(c, "signature_65"));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("tokens")
  void recreatesDeterministicTokensByteForByte(JsonNode c) {
    KeyType type = KeyType.fromLabel(c.get("key_type").asText());
    Identity identity = Identity.fromSecret(c.get("suri").asText(), type);
    String session = c.get("session").isNull() ? null : c.get("session").asText();

    RelayToken token = RelayToken.create(identity.signer(), c.get("twin").asLong(), session,
        at(c.get("date_now_ms").asLong()), Duration.ofSeconds(1000));

    String[] parts = token.text().split("\\.");
    assertThat(parts[0]).isEqualTo(c.get("header_b64").asText());
    assertThat(parts[1]).isEqualTo(c.get("claims_b64").asText());
    if (c.get("signature_is_deterministic").asBoolean()) {
      assertThat(token.text()).isEqualTo(c.get("token").asText());
    }
    RelayToken.parse(token.text()).verify(identity.publicKey(),
        at(c.get("date_now_ms").asLong()), null);
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("tokens")
  void vectorTokensAreExpiredForALiveClockAndForOtherKeys(JsonNode c) {
    RelayToken token = RelayToken.parse(c.get("token").asText());
    byte[] wrongKey = Identity.fromSecret("//Bob", KeyType.SR25519).publicKey();

    assertThatThrownBy(() -> token.verify(Vectors.hex(c, "public_key"), Clock.systemUTC(), null))
        .isInstanceOf(InvalidTokenException.Expired.class).hasMessageContaining("expired");
    assertThatThrownBy(() -> token.verify(wrongKey, at(c.get("date_now_ms").asLong()), null))
        .isInstanceOf(InvalidTokenException.class).hasMessageContaining("signature");
  }

  @Test
  void acceptsTheRustHeaderAndNullSidForm() {
    Identity identity = Identity.fromSecret(MNEMONIC, KeyType.ED25519);
    String header = b64("{\"alg\":\"RS512\"}");
    String claims = b64("{\"sub\":42,\"sid\":null,\"iat\":1700000000,\"exp\":1700000060}");
    String input = header + "." + claims;
    String text = input + "." + B64.encodeToString(
        identity.signer().sign(input.getBytes(StandardCharsets.US_ASCII)));

    RelayToken token = RelayToken.parse(text)
        .verify(identity.publicKey(), at(1_700_000_030_000L), Duration.ofMinutes(5));

    assertThat(token.twin()).isEqualTo(42);
    assertThat(token.session()).isEmpty();
  }

  @Test
  void claimsWithAnInvalidUtf8FieldNameAreRefusedEvenWhenTheBytesMatchAKnownName() {
    // warm the parser's symbol table with the real names, as any earlier token does
    RelayToken.parse(token("{\"alg\":\"RS512\"}", "{\"sub\":1,\"iat\":10,\"exp\":20}"));
    // 0xFF + "exp" is one quad equal to Jackson's padded quad of "exp": without a UTF-8
    // check it reads as a second "exp" and wins over the first
    byte[] claims = "{\"sub\":1,\"iat\":10,\"exp\":20,\"\u00ffexp\":999999}"
        .getBytes(StandardCharsets.ISO_8859_1);
    String text = b64("{\"alg\":\"RS512\"}") + "." + B64.encodeToString(claims) + "."
        + B64.encodeToString(new byte[65]);

    assertThatThrownBy(() -> RelayToken.parse(text))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining("token claims is not UTF-8");
  }

  @Test
  void emptySessionMeansNone() {
    Identity identity = Identity.fromSecret(MNEMONIC, KeyType.ED25519);
    RelayToken created = RelayToken.create(identity.signer(), 5, "", at(0), Duration.ofSeconds(60));

    assertThat(created.session()).isEmpty();
    assertThat(RelayToken.parse(token("{\"alg\":\"RS512\"}",
        "{\"sub\":5,\"sid\":\"\",\"iat\":1,\"exp\":2}")).session()).isEmpty();
  }

  @Test
  void lifetimeAboveTheBoundIsRefused() {
    Identity identity = Identity.fromSecret(MNEMONIC, KeyType.ED25519);
    RelayToken token = RelayToken.create(identity.signer(), 7, null, at(0),
        Duration.ofHours(2));

    assertThatThrownBy(() -> token.verify(identity.publicKey(), at(0), Duration.ofHours(1)))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining("lifetime 7200 s exceeds the allowed 3600 s");
    token.verify(identity.publicKey(), at(0), Duration.ofHours(2));
  }

  @Test
  void expiryIsCheckedAgainstTheInjectedClock() {
    Identity identity = Identity.fromSecret(MNEMONIC, KeyType.ED25519);
    RelayToken token = RelayToken.create(identity.signer(), 7, "s", at(1_000_000L),
        Duration.ofSeconds(60));

    token.verify(identity.publicKey(), at(1_060_999L), null);
    assertThatThrownBy(() -> token.verify(identity.publicKey(), at(1_061_000L), null))
        .isInstanceOf(InvalidTokenException.Expired.class)
        .hasMessageContaining("expired 1 s ago");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "empty | '' | empty",
      "one part | abc | three dot-separated parts",
      "four parts | a.b.c.d | three dot-separated parts",
      "header not base64 | !!.e30.AA | header is not base64url",
      "header not json | bm90anNvbg.e30.AA | header is not valid JSON",
      "header array | W10.e30.AA | header is not a JSON object",
      "wrong alg | eyJhbGciOiJIUzI1NiJ9.e30.AA | alg must be",
      "claims missing sub | eyJhbGciOiJSUzUxMiJ9.e30.AA | claim sub is missing",
      "signature not base64 | eyJhbGciOiJSUzUxMiJ9.eyJzdWIiOjEsImlhdCI6MSwiZXhwIjoyfQ.!! | signature is not base64url"})
  void malformedTokensAreRejectedWithTheReason(String name, String text, String reason) {
    assertThatThrownBy(() -> RelayToken.parse(text))
        .isInstanceOf(InvalidTokenException.class).hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "sub as string | {\"sub\":\"7\",\"iat\":1,\"exp\":2} | claim sub must be",
      "sub negative | {\"sub\":-1,\"iat\":1,\"exp\":2} | claim sub must be",
      "sub above u32 | {\"sub\":4294967296,\"iat\":1,\"exp\":2} | claim sub must be",
      "sub fractional | {\"sub\":1.5,\"iat\":1,\"exp\":2} | claim sub must be",
      "exp missing | {\"sub\":1,\"iat\":1} | claim exp is missing",
      "iat null | {\"sub\":1,\"iat\":null,\"exp\":2} | claim iat is missing",
      "sid number | {\"sub\":1,\"iat\":1,\"exp\":2,\"sid\":5} | claim sid must be a string"})
  void badClaimsAreRejectedWithTheReason(String name, String claims, String reason) {
    assertThatThrownBy(() -> RelayToken.parse(token("{\"alg\":\"RS512\"}", claims)))
        .isInstanceOf(InvalidTokenException.class).hasMessageContaining(reason);
  }

  @Test
  void signaturesOfTheWrongLengthOrPrefixAreRejected() {
    Identity identity = Identity.fromSecret(MNEMONIC, KeyType.ED25519);
    String input = b64("{\"alg\":\"RS512\"}") + "." + b64("{\"sub\":1,\"iat\":1,\"exp\":2}");
    byte[] good = identity.signer().sign(input.getBytes(StandardCharsets.US_ASCII));
    byte[] swapped = good.clone();
    swapped[0] = 's';

    assertThatThrownBy(() -> RelayToken.parse(input + "." + B64.encodeToString(
        java.util.Arrays.copyOf(good, 64))).verify(identity.publicKey(), at(0), null))
        .isInstanceOf(InvalidTokenException.class).hasMessageContaining("65");
    assertThatThrownBy(() -> RelayToken.parse(input + "." + B64.encodeToString(swapped))
        .verify(identity.publicKey(), at(0), null))
        .isInstanceOf(InvalidTokenException.class).hasMessageContaining("signature");
  }

  @Test
  void createValidatesItsArguments() {
    Identity identity = Identity.fromSecret(MNEMONIC, KeyType.ED25519);

    assertThatThrownBy(() -> RelayToken.create(identity.signer(), -1, null, at(0),
        Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("u32");
    assertThatThrownBy(() -> RelayToken.create(identity.signer(), 1, null, at(0),
        Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }

  private static String b64(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String token(String header, String claims) {
    return b64(header) + "." + b64(claims) + "." + B64.encodeToString(new byte[65]);
  }
}
