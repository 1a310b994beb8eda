package io.rmb.peer.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * BIP39 English mnemonics as substrate uses them: phrase to entropy (with checksum validation),
 * and entropy to the 32-byte mini secret of {@code substrate-bip39}.
 *
 * <p>Substrate does <em>not</em> use the standard BIP39 seed (PBKDF2 over the sentence): its mini
 * secret is PBKDF2-HMAC-SHA512 over the <em>entropy</em>, salt {@code "mnemonic" + password},
 * 2048 rounds, first 32 bytes.
 */
final class Mnemonic {
  /** Word counts BIP39 defines (128 to 256 bits of entropy in 32-bit steps). */
  private static final int[] WORD_COUNTS = {12, 15, 18, 21, 24};

  private static final int PBKDF2_ROUNDS = 2048;
  private static final int MINI_SECRET_LENGTH = 32;
  /** Longest word in the English list; a longer token is not echoed in messages. */

  private static final List<String> WORDS = loadWordList();
  private static final Map<String, Integer> INDEX = indexOf(WORDS);

  private Mnemonic() {}

  /** The 2048 English words, in BIP39 order. */
  static List<String> wordList() {
    return WORDS;
  }

  /**
   * Decodes a phrase to its entropy (16 to 32 bytes). The phrase is NFKD-normalised and split on
   * any run of whitespace, so leading, trailing and repeated spaces, tabs and newlines are fine.
   * Words are matched exactly (lowercase), as the Rust {@code bip39} crate does.
   *
   * @throws InvalidSecretException naming the wrong word count, the first unknown word and its
   *     1-based position, or a checksum mismatch
   */
  static byte[] toEntropy(String phrase) {
    if (phrase == null) {
      throw new InvalidSecretException("mnemonic is null");
    }
    String normalized = Normalizer.normalize(phrase, Normalizer.Form.NFKD).strip();
    String[] words = normalized.isEmpty() ? new String[0] : normalized.split("(?U)\\s+");
    if (Arrays.stream(WORD_COUNTS).noneMatch(n -> n == words.length)) {
      throw new InvalidSecretException(
          "mnemonic must have 12, 15, 18, 21 or 24 words, got " + words.length);
    }
    int totalBits = words.length * 11;
    int checksumBits = totalBits / 33; // ENT / 32, with ENT + CS = 11 * words and CS = ENT / 32
    int entropyBits = totalBits - checksumBits;
    byte[] bits = new byte[(totalBits + 7) / 8];
    for (int w = 0; w < words.length; w++) {
      Integer index = INDEX.get(words[w]);
      if (index == null) {
        throw new InvalidSecretException(unknownWord(words[w], w + 1));
      }
      for (int b = 0; b < 11; b++) {
        if ((index & (1 << (10 - b))) != 0) {
          int bit = w * 11 + b;
          bits[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
      }
    }
    byte[] entropy = Arrays.copyOf(bits, entropyBits / 8);
    int expected = (Hashes.sha256(entropy)[0] & 0xff) >>> (8 - checksumBits);
    int actual = (bits[entropy.length] & 0xff) >>> (8 - checksumBits);
    Arrays.fill(bits, (byte) 0);
    if (expected != actual) {
      Arrays.fill(entropy, (byte) 0);
      throw new InvalidSecretException(
          "mnemonic checksum does not match (a word is wrong, missing or out of order)");
    }
    return entropy;
  }

  /**
   * The substrate-bip39 mini secret: first 32 bytes of PBKDF2-HMAC-SHA512(entropy, "mnemonic" +
   * password, 2048). The password is used as given (UTF-8, no normalisation), like substrate.
   */
  static byte[] miniSecret(byte[] entropy, String password) {
    if (entropy.length < 16 || entropy.length > 32 || entropy.length % 4 != 0) {
      throw new InvalidSecretException(
          "mnemonic entropy must be 16 to 32 bytes in steps of 4, got " + entropy.length);
    }
    String salt = "mnemonic" + (password == null ? "" : password);
    PKCS5S2ParametersGenerator pbkdf2 = new PKCS5S2ParametersGenerator(new SHA512Digest());
    pbkdf2.init(entropy, salt.getBytes(StandardCharsets.UTF_8), PBKDF2_ROUNDS);
    byte[] seed = ((KeyParameter) pbkdf2.generateDerivedParameters(512)).getKey();
    byte[] mini = Arrays.copyOf(seed, MINI_SECRET_LENGTH);
    Arrays.fill(seed, (byte) 0);
    return mini;
  }

  private static String unknownWord(String word, int position) {
    // Never echo the word: a mistyped word is most of a secret word, and errors end up in logs
    // and terminals. The position is enough to find it.
    String hint = word.equals(word.toLowerCase(java.util.Locale.ROOT)) ? ""
        : "; list words are lowercase";
    return "unknown mnemonic word at position " + position + " (not in the BIP39 English list"
        + hint + ")";
  }

  private static List<String> loadWordList() {
    String resource = "bip39-english.txt";
    try (InputStream in = Mnemonic.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      List<String> words = new ArrayList<>(2048);
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          words.add(line.strip());
        }
      }
      if (words.size() != 2048) {
        throw new IllegalStateException(
            resource + " has " + words.size() + " words, expected 2048");
      }
      return Collections.unmodifiableList(words);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static Map<String, Integer> indexOf(List<String> words) {
    Map<String, Integer> index = new HashMap<>(4096);
    for (int i = 0; i < words.size(); i++) {
      index.put(words.get(i), i);
    }
    return index;
  }
}
