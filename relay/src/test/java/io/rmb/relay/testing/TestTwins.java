package io.rmb.relay.testing;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.util.encoders.Hex;

/**
 * The twins every relay test uses. The relay under test serves {@link #DOMAIN}.
 *
 * <ul>
 *   <li>1 Alice (sr25519), 2 Bob (ed25519): on {@link #DOMAIN} only;
 *   <li>3 Charlie: on {@link #OTHER_DOMAIN} and {@link #DOMAIN} (shares one with us);
 *   <li>4 Dave: no relay set;
 *   <li>5 Eve: on {@link #OTHER_DOMAIN} only (federation);
 *   <li>99: not in the directory.
 * </ul>
 */
public final class TestTwins {
  public static final String DOMAIN = "relay.local";
  public static final String OTHER_DOMAIN = "other.example";

  public static final long ALICE = 1;
  public static final long BOB = 2;
  public static final long CHARLIE = 3;
  public static final long DAVE = 4;
  public static final long EVE = 5;
  public static final long UNKNOWN = 99;

  private static final Map<Long, Identity> IDENTITIES = new LinkedHashMap<>();
  private static final Map<Long, String> RELAYS = new LinkedHashMap<>();

  static {
    add(ALICE, Identity.fromSecret("//Alice", KeyType.SR25519), DOMAIN);
    add(BOB, Identity.fromSecret("//Bob", KeyType.ED25519), DOMAIN);
    add(CHARLIE, Identity.fromSecret("//Charlie", KeyType.SR25519), OTHER_DOMAIN + "_" + DOMAIN);
    add(DAVE, Identity.fromSecret("//Dave", KeyType.SR25519), null);
    add(EVE, Identity.fromSecret("//Eve", KeyType.SR25519), OTHER_DOMAIN);
  }

  private TestTwins() {}

  private static void add(long id, Identity identity, String relay) {
    IDENTITIES.put(id, identity);
    RELAYS.put(id, relay);
  }

  /** The identity of a known twin. */
  public static Identity identity(long twin) {
    Identity identity = IDENTITIES.get(twin);
    if (identity == null) {
      throw new IllegalArgumentException("no test identity for twin " + twin);
    }
    return identity;
  }

  /** The twin as a directory returns it. */
  public static Twin twin(long id) {
    return new Twin(id, identity(id).publicKey(), Twin.parseRelays(RELAYS.get(id)), null);
  }

  /** An in-memory directory of the test twins, answering at once. */
  public static TwinDirectory directory() {
    return id -> CompletableFuture.completedFuture(
        IDENTITIES.containsKey(id) ? Optional.of(twin(id)) : Optional.empty());
  }

  /** The test twins as a twins JSON file (accounts as 0x hex for Bob, SS58 for the others). */
  public static Path writeFile(Path dir) {
    StringBuilder json = new StringBuilder("[");
    for (Map.Entry<Long, Identity> entry : IDENTITIES.entrySet()) {
      long id = entry.getKey();
      String account = id == BOB ? "0x" + Hex.toHexString(entry.getValue().publicKey())
          : entry.getValue().ss58();
      String relay = RELAYS.get(id);
      json.append(json.length() > 1 ? "," : "")
          .append("{\"id\":").append(id)
          .append(",\"account\":\"").append(account).append('"')
          .append(",\"relay\":").append(relay == null ? "null" : "\"" + relay + "\"")
          .append(",\"pk\":null}");
    }
    json.append(']');
    try {
      Path file = dir.resolve("twins.json");
      Files.writeString(file, json, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The domains of the relay under test. */
  public static Set<String> domains() {
    return Set.of(DOMAIN);
  }
}
