package io.rmb.peer.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The sp-core secret URI grammar, and the places where this parser is deliberately stricter. */
class SecretUriTest {
  static final String M1 =
      "volume behind cable present pull exchange wish loyal avocado snap film increase";
  static final String SEED = "b37231837527c7173dc212bb23a7fe795d5dae540e7c21366a5fb9f4cc398a36";

  @Test
  void barePhrase() {
    SecretUri uri = SecretUri.parse(M1);
    assertThat(uri.junctions()).isEmpty();
    assertThat(uri.password()).isEmpty();
    assertThat(uri.isBare()).isTrue();
    assertThat(uri.isHexSeed()).isFalse();
    assertThat(uri.rootSecret()).isEqualTo(Hex.decode(SEED)); // vector: M1's mini secret
  }

  @Test
  void fullUriWithHardSoftAndPasswordContainingSlashes() {
    SecretUri uri = SecretUri.parse(M1 + "//hard/soft///pass/word//x");
    assertThat(uri.junctions()).extracting(Junction::isHard).containsExactly(true, false);
    assertThat(uri.junctions().get(0).chainCode()).isEqualTo(Junction.chainCode("hard"));
    assertThat(uri.junctions().get(1).chainCode()).isEqualTo(Junction.chainCode("soft"));
    assertThat(uri.password()).hasValue("pass/word//x");
    assertThat(uri.isBare()).isFalse();
    byte[] expected = Mnemonic.miniSecret(Mnemonic.toEntropy(M1), "pass/word//x");
    assertThat(uri.rootSecret()).isEqualTo(expected).isNotEqualTo(Hex.decode(SEED));
  }

  @Test
  void devUriUsesTheDevPhrase() {
    SecretUri uri = SecretUri.parse("//Alice");
    assertThat(uri.usesDevPhrase()).isTrue();
    assertThat(uri.isBare()).isFalse();
    assertThat(uri.junctions()).hasSize(1);
    assertThat(uri.rootSecret())
        .isEqualTo(SecretUri.parse(SecretUri.DEV_PHRASE).rootSecret())
        .isEqualTo(Hex.decode("fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e"));
    assertThat(SecretUri.parse("///pw").password()).hasValue("pw");
    assertThat(SecretUri.parse("/soft").junctions()).extracting(Junction::isHard)
        .containsExactly(false);
  }

  @Test
  void emptyPasswordIsAllowedAndEqualsNoPasswordButIsNotBare() {
    // As substrate: "phrase///" has password Some(""), and "mnemonic" + "" is the plain salt.
    SecretUri uri = SecretUri.parse(M1 + "///");
    assertThat(uri.password()).hasValue("");
    assertThat(uri.junctions()).isEmpty();
    assertThat(uri.rootSecret()).isEqualTo(Hex.decode(SEED));
    assertThat(uri.isBare()).as("rmb-peer's e2e parser rejects the trailing ///").isFalse();
  }

  @Test
  void firstTripleSlashStartsThePassword() {
    assertThat(SecretUri.parse(M1 + "////x").password()).hasValue("/x");
    SecretUri uri = SecretUri.parse(M1 + "//a////b");
    assertThat(uri.junctions()).hasSize(1);
    assertThat(uri.password()).hasValue("/b");
  }

  @Test
  void hexSeedWithAndWithoutJunctions() {
    SecretUri bare = SecretUri.parse("0x" + SEED);
    assertThat(bare.isHexSeed()).isTrue();
    assertThat(bare.isBare()).isTrue();
    assertThat(bare.rootSecret()).isEqualTo(Hex.decode(SEED));
    assertThat(SecretUri.parse("0x" + SEED.toUpperCase()).rootSecret())
        .isEqualTo(Hex.decode(SEED));
    assertThat(SecretUri.parse("  0x" + SEED + "\n").rootSecret()).isEqualTo(Hex.decode(SEED));

    SecretUri derived = SecretUri.parse("0x" + SEED + "//1/x");
    assertThat(derived.isBare()).isFalse();
    assertThat(derived.junctions()).hasSize(2);
    assertThat(derived.rootSecret()).isEqualTo(Hex.decode(SEED));
    assertThat(SecretUri.parse("0x" + SEED + "///").rootSecret()).isEqualTo(Hex.decode(SEED));
  }

  @Test
  void phraseWhitespaceIsNormalised() {
    SecretUri uri = SecretUri.parse("\t" + M1.replace(" ", "  \n ") + "  //rmb");
    assertThat(uri.rootSecret()).isEqualTo(Hex.decode(SEED));
    assertThat(uri.junctions().get(0).chainCode()).isEqualTo(Junction.chainCode("rmb"));
  }

  static Stream<Arguments> malformed() {
    String hex62 = SEED.substring(2);
    return Stream.of(
        Arguments.of(null, "secret is null"),
        Arguments.of("", "secret is empty"),
        Arguments.of("   \n\t", "secret is empty"),
        Arguments.of(M1 + "/", "junction 1 is empty"),
        Arguments.of(M1 + "//", "junction 1 is empty"),
        Arguments.of(M1 + "//a/", "junction 2 is empty"),
        Arguments.of(M1 + "//a//", "junction 2 is empty"),
        Arguments.of("/", "junction 1 is empty"),
        Arguments.of("//", "junction 1 is empty"),
        Arguments.of(M1 + "//rmb\n", "junction 1 contains a control character"),
        Arguments.of(M1 + "//a/b\tc", "junction 2 contains a control character"),
        Arguments.of(M1 + "///secret\n", "password contains a control character"),
        Arguments.of("  //Alice", "only whitespace before its derivation path"),
        Arguments.of("0xzz" + hex62, "non-hex character at position 3"),
        Arguments.of("0x" + hex62, "must have 64 hex digits (32 bytes) after 0x, got 62"),
        Arguments.of("0x" + SEED + "00", "got 66"),
        Arguments.of("0x", "got 0"),
        Arguments.of("0x" + SEED.substring(0, 10) + " " + SEED.substring(10),
            "non-hex character at position 13"),
        Arguments.of("0X" + SEED, "lowercase 0x"),
        Arguments.of("0x" + SEED + "///pw", "cannot be combined with a 0x seed"));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void malformedSecretsAreRejectedWithTheProblemNamed(String secret, String problem) {
    assertThatThrownBy(() -> SecretUri.parse(secret))
        .isInstanceOf(InvalidSecretException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void errorMessagesDoNotContainTheSecret() {
    String hex62 = SEED.substring(2);
    for (String secret : List.of("0x" + hex62, "0xzz" + hex62, "0x" + SEED + "///pw")) {
      assertThatThrownBy(() -> SecretUri.parse(secret)).hasMessageNotContaining(hex62);
    }
  }

  @Test
  void toStringShowsOnlyTheShape() {
    SecretUri uri = SecretUri.parse(M1 + "//rmb/soft///pw");
    assertThat(uri.toString())
        .isEqualTo("SecretUri[mnemonic, 2 junction(s), password]")
        .doesNotContain("volume", "rmb", "pw");
    assertThat(SecretUri.parse("0x" + SEED).toString()).doesNotContain(SEED.substring(0, 8));
  }
}
