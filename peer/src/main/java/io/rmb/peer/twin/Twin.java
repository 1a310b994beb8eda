package io.rmb.peer.twin;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.util.encoders.Hex;

/**
 * A twin as the RMB network knows it: numeric id, 32-byte account key, the relay domains it
 * can be reached through, and its optional secp256k1 encryption key.
 *
 * <p>Immutable. Relay domains compare as a set, exactly and case-sensitively (wire.md
 * section 6); on chain they are one string joined with {@code _}.
 */
public final class Twin {
  private final long id;
  private final byte[] account;
  private final Set<String> relays;
  private final byte[] publicKey;

  /**
   * @param id the u32 twin id
   * @param account the 32-byte account public key
   * @param relays relay domains (no scheme, no port in production)
   * @param publicKey the 33-byte compressed secp256k1 key, or null when the twin has none
   */
  public Twin(long id, byte[] account, Set<String> relays, byte[] publicKey) {
    if (id < 0 || id > 0xffff_ffffL) {
      throw new IllegalArgumentException("twin id must be a u32, got " + id);
    }
    if (account == null || account.length != 32) {
      throw new IllegalArgumentException("twin " + id + ": account must be 32 bytes, got "
          + (account == null ? "null" : account.length));
    }
    if (publicKey != null && publicKey.length == 0) {
      publicKey = null;
    }
    this.id = id;
    this.account = account.clone();
    LinkedHashSet<String> copy = new LinkedHashSet<>();
    for (String relay : Objects.requireNonNull(relays, "relays")) {
      if (relay == null || relay.isBlank()) {
        continue;
      }
      copy.add(relay.trim());
    }
    this.relays = Collections.unmodifiableSet(copy);
    this.publicKey = publicKey == null ? null : publicKey.clone();
  }

  /** Splits the on-chain {@code relay} field ({@code host1_host2}); null or blank gives none. */
  public static Set<String> parseRelays(String field) {
    if (field == null || field.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(field.split("_"))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** The twin id. */
  public long id() {
    return id;
  }

  /** The 32-byte account key (a copy). */
  public byte[] account() {
    return account.clone();
  }

  /** The relay domains; empty when the twin has not set any. */
  public Set<String> relays() {
    return relays;
  }

  /** The relays joined with {@code _}, as stored on chain. */
  public String relayField() {
    return String.join("_", relays);
  }

  /** The encryption key (33 bytes, compressed), if the twin published one. */
  public Optional<byte[]> publicKey() {
    return publicKey == null ? Optional.empty() : Optional.of(publicKey.clone());
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Twin)) {
      return false;
    }
    Twin other = (Twin) o;
    return id == other.id && Arrays.equals(account, other.account)
        && relays.equals(other.relays) && Arrays.equals(publicKey, other.publicKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, Arrays.hashCode(account), relays, Arrays.hashCode(publicKey));
  }

  @Override
  public String toString() {
    return "Twin{id=" + id + ", account=" + Hex.toHexString(account) + ", relays=" + relays
        + ", pk=" + (publicKey == null ? "none" : Hex.toHexString(publicKey)) + "}";
  }
}
