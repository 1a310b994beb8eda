package io.rmb.peer.identity;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.util.encoders.Hex;

/**
 * A parsed secret URI, the {@code -m} argument of rmb-peer: {@code phrase}, {@code
 * phrase//hard/soft///password}, {@code 0x<64 hex>} with optional junctions, or {@code //Alice}
 * style dev URIs (no phrase: the substrate dev phrase).
 *
 * <p>Grammar of sp-core's {@code SECRET_PHRASE_REGEX}, {@code
 * ^(phrase)?(//?[^/]+)*(///(password.*))?$}: the phrase is everything before the first '/', the
 * password everything after the first "///" (it may contain '/'), and in between every path
 * element is '/' or '//' followed by at least one character other than '/'.
 *
 * <p>Decisions where substrate is lax (each refuses something substrate would turn into an
 * unintended key; none accepts something substrate refuses, nor derives a different key):
 *
 * <ul>
 *   <li>an empty or blank secret is refused (substrate silently uses the public dev phrase);
 *   <li>an empty password ({@code phrase///}) is allowed and equals no password, as in
 *       substrate; it still counts as "has a password" for the e2e key (rmb-peer refuses it);
 *   <li>a non-empty password with a {@code 0x} seed is refused (substrate ignores it);
 *   <li>junctions and passwords containing control characters (a trailing newline from a file)
 *       are refused; substrate would derive a different key from "name\n" than from "name";
 *   <li>whitespace inside the phrase may be any Unicode whitespace (NFKD, collapsed).
 * </ul>
 */
final class SecretUri {
  /** Substrate's {@code DEV_PHRASE}, the root of {@code //Alice}, {@code //Bob}, ... */
  static final String DEV_PHRASE =
      "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

  private static final String PASSWORD_SEPARATOR = "///";
  private static final int SEED_HEX_DIGITS = 64;

  private final String phrase; // null for a hex seed
  private final byte[] hexSeed; // null for a phrase
  private final boolean devPhrase;
  private final List<Junction> junctions;
  private final String password; // null when there is no "///"

  private SecretUri(
      String phrase, byte[] hexSeed, boolean devPhrase, List<Junction> junctions, String password) {
    this.phrase = phrase;
    this.hexSeed = hexSeed;
    this.devPhrase = devPhrase;
    this.junctions = junctions;
    this.password = password;
  }

  /**
   * Parses a secret URI.
   *
   * @throws InvalidSecretException for null or blank input, a malformed path, a bad hex seed
   */
  static SecretUri parse(String secret) {
    if (secret == null) {
      throw new InvalidSecretException("secret is null");
    }
    if (secret.isBlank()) {
      throw new InvalidSecretException("secret is empty");
    }
    int firstSlash = secret.indexOf('/');
    String phrasePart = firstSlash < 0 ? secret : secret.substring(0, firstSlash);
    String rest = firstSlash < 0 ? "" : secret.substring(firstSlash);
    int passwordAt = rest.indexOf(PASSWORD_SEPARATOR);
    String path = passwordAt < 0 ? rest : rest.substring(0, passwordAt);
    String password =
        passwordAt < 0 ? null : rest.substring(passwordAt + PASSWORD_SEPARATOR.length());
    if (password != null && hasControlCharacter(password)) {
      throw new InvalidSecretException(
          "password contains a control character (a trailing newline?)");
    }
    List<Junction> junctions = parsePath(path);

    if (phrasePart.isEmpty()) {
      return new SecretUri(DEV_PHRASE, null, true, junctions, password);
    }
    String phrase = normalizeSpaces(phrasePart);
    if (phrase.isEmpty()) {
      throw new InvalidSecretException(
          "secret has only whitespace before its derivation path (write //Alice, not ' //Alice')");
    }
    if (phrase.startsWith("0x") || phrase.startsWith("0X")) {
      byte[] seed = parseHexSeed(phrase);
      if (password != null && !password.isEmpty()) {
        Arrays.fill(seed, (byte) 0);
        throw new InvalidSecretException(
            "a ///password cannot be combined with a 0x seed (substrate would ignore it)");
      }
      return new SecretUri(null, seed, false, junctions, password);
    }
    return new SecretUri(phrase, null, false, junctions, password);
  }

  /**
   * The 32-byte root secret before any junction: the hex seed itself, or the substrate-bip39
   * mini secret of the phrase and password.
   *
   * @throws InvalidSecretException if the phrase is not a valid BIP39 English mnemonic
   */
  byte[] rootSecret() {
    if (hexSeed != null) {
      return hexSeed.clone();
    }
    byte[] entropy = Mnemonic.toEntropy(phrase);
    try {
      return Mnemonic.miniSecret(entropy, password);
    } finally {
      Arrays.fill(entropy, (byte) 0);
    }
  }

  /** The derivation path, in order (unmodifiable). */
  List<Junction> junctions() {
    return junctions;
  }

  /** True when the secret is a bare phrase or bare 0x seed: no junction and no "///". */
  boolean isBare() {
    return junctions.isEmpty() && password == null && !devPhrase;
  }

  boolean isHexSeed() {
    return hexSeed != null;
  }

  boolean usesDevPhrase() {
    return devPhrase;
  }

  /** The password after "///" ("" for a trailing "///"), empty when there is none. */
  Optional<String> password() {
    return Optional.ofNullable(password);
  }

  private static List<Junction> parsePath(String path) {
    List<Junction> junctions = new ArrayList<>();
    int i = 0;
    while (i < path.length()) {
      // Every element starts with '/': the path begins at the first '/' and each element ends
      // at the next one.
      boolean hard = i + 1 < path.length() && path.charAt(i + 1) == '/';
      int start = i + (hard ? 2 : 1);
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      int position = junctions.size() + 1;
      if (end == start) {
        throw new InvalidSecretException(
            "malformed derivation path: junction " + position + " is empty ('/' or '//' must be"
                + " followed by a name; '///' starts the password)");
      }
      String name = path.substring(start, end);
      if (hasControlCharacter(name)) {
        throw new InvalidSecretException(
            "malformed derivation path: junction " + position
                + " contains a control character (a trailing newline?)");
      }
      junctions.add(Junction.of(name, hard));
      i = end;
    }
    return Collections.unmodifiableList(junctions);
  }

  private static byte[] parseHexSeed(String phrase) {
    if (phrase.startsWith("0X")) {
      throw new InvalidSecretException("hex seed must start with a lowercase 0x");
    }
    String hex = phrase.substring(2);
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        throw new InvalidSecretException(
            "hex seed has a non-hex character at position " + (i + 3) + " (after 0x, only"
                + " 0-9, a-f, A-F)");
      }
    }
    if (hex.length() != SEED_HEX_DIGITS) {
      throw new InvalidSecretException(
          "hex seed must have 64 hex digits (32 bytes) after 0x, got " + hex.length());
    }
    return Hex.decode(hex);
  }

  private static String normalizeSpaces(String phrase) {
    String nfkd = Normalizer.normalize(phrase, Normalizer.Form.NFKD).strip();
    return nfkd.isEmpty() ? nfkd : String.join(" ", nfkd.split("(?U)\\s+"));
  }

  private static boolean hasControlCharacter(String text) {
    return text.codePoints().anyMatch(Character::isISOControl);
  }

  /** Describes the shape only; phrase, seed, junction names and password are secrets. */
  @Override
  public String toString() {
    String root = hexSeed != null ? "0x seed" : devPhrase ? "dev phrase" : "mnemonic";
    return "SecretUri[" + root + ", " + junctions.size() + " junction(s)"
        + (password != null ? ", password" : "") + "]";
  }
}
