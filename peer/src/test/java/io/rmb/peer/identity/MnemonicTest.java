package io.rmb.peer.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MnemonicTest {
  private static final String ABOUT =
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon"
          + " about";

  @Test
  void wordListIsTheCanonicalBip39EnglishList() throws IOException {
    // SHA-256 of bip-0039/english.txt in github.com/bitcoin/bips.
    try (InputStream in = Mnemonic.class.getResourceAsStream("bip39-english.txt")) {
      assertThat(in).isNotNull();
      assertThat(Hex.toHexString(Hashes.sha256(in.readAllBytes())))
          .isEqualTo("2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda");
    }
    List<String> words = Mnemonic.wordList();
    assertThat(words).hasSize(2048).doesNotHaveDuplicates().isSorted();
    assertThat(words.get(0)).isEqualTo("abandon");
    assertThat(words.get(2047)).isEqualTo("zoo");
  }

  /** substrate-bip39's own test vectors (password "Substrate"): entropy and mini secret. */
  @ParameterizedTest
  @CsvSource({
    "'" + ABOUT + "', 00000000000000000000000000000000,"
        + " 44e9d125f037ac1d51f0a7d3649689d422c2af8b1ec8e00d71db4d7bf6d127e3",
    "legal winner thank year wave sausage worth useful legal winner thank yellow,"
        + " 7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f,"
        + " 4313249608fe8ac10fd5886c92c4579007272cb77c21551ee5b8d60b78041685",
    "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo when,"
        + " ffffffffffffffffffffffffffffffffffffffffffffffff,"
        + " 8971cb290e7117c64b63379c97ed3b5c6da488841bd9f95cdc2a5651ac89571e",
    "gravity machine north sort system female filter attitude volume fold club stay feature"
        + " office ecology stable narrow fog, 6610b25967cdcca9d59875f5cb50b0ea75433311869e930b,"
        + " fbcc5229ade0c0ff018cb7a329c5459f91876e4dde2a97ddf03c832eab7f2612",
    "hamster diagram private dutch cause delay private meat slide toddler razor book happy"
        + " fancy gospel tennis maple dilemma loan word shrug inflict delay length,"
        + " 68a79eaca2324873eacc50cb9c6eca8cc68ea5d936f98787c60c7ebc74e6ce7c,"
        + " 7c60c555126c297deddddd59f8cdcdc9e3608944455824dd604897984b5cc369",
  })
  void substrateBip39Vectors(String phrase, String entropyHex, String miniSecretHex) {
    byte[] entropy = Mnemonic.toEntropy(phrase);
    assertThat(entropy).isEqualTo(Hex.decode(entropyHex));
    assertThat(Mnemonic.miniSecret(entropy, "Substrate")).isEqualTo(Hex.decode(miniSecretHex));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "  abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon"
        + " about\n",
    "abandon\tabandon abandon  abandon abandon abandon abandon abandon abandon abandon abandon"
        + "\r\nabout",
    "abandon\u00a0abandon abandon abandon abandon abandon abandon abandon abandon abandon"
        + " abandon\u3000about"
  })
  void whitespaceIsNormalised(String phrase) {
    assertThat(Mnemonic.toEntropy(phrase)).isEqualTo(new byte[16]);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 11, 13, 25})
  void wrongWordCount(int count) {
    String phrase = String.join(" ", java.util.Collections.nCopies(count, "abandon"));
    assertThatThrownBy(() -> Mnemonic.toEntropy(phrase))
        .isInstanceOf(InvalidSecretException.class)
        .hasMessage("mnemonic must have 12, 15, 18, 21 or 24 words, got " + count);
  }

  @Test
  void unknownWordIsNamedWithItsPosition() {
    String phrase = ABOUT.replaceFirst("abandon abandon abandon", "abandon abandon xyz");
    assertThatThrownBy(() -> Mnemonic.toEntropy(phrase))
        .isInstanceOf(InvalidSecretException.class)
        .hasMessageContaining("unknown mnemonic word at position 3")
        .hasMessageNotContaining("xyz"); // a mistyped word is most of a secret word
  }

  @Test
  void wordsAreCaseSensitiveLikeTheRustCrate() {
    assertThatThrownBy(() -> Mnemonic.toEntropy(ABOUT.replace("about", "About")))
        .isInstanceOf(InvalidSecretException.class)
        .hasMessageContaining("at position 12").hasMessageContaining("lowercase")
        .hasMessageNotContaining("About");
  }

  @Test
  void longUnknownTokenIsNotEchoed() {
    String token = "0123456789abcdef0123456789abcdef";
    String phrase = ABOUT.replace("about", token);
    assertThatThrownBy(() -> Mnemonic.toEntropy(phrase))
        .isInstanceOf(InvalidSecretException.class)
        .hasMessageContaining("unknown mnemonic word at position 12")
        .hasMessageNotContaining(token);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon"
        + " abandon",
    "legal winner thank year wave sausage worth useful legal winner thank thank",
    "volume behind cable present pull exchange wish loyal avocado snap increase film"
  })
  void badChecksum(String phrase) {
    assertThatThrownBy(() -> Mnemonic.toEntropy(phrase))
        .isInstanceOf(InvalidSecretException.class)
        .hasMessageContaining("checksum");
  }

  @Test
  void nullPhrase() {
    assertThatThrownBy(() -> Mnemonic.toEntropy(null))
        .isInstanceOf(InvalidSecretException.class)
        .hasMessage("mnemonic is null");
  }
}
