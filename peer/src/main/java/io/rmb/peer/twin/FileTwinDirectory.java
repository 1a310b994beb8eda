package io.rmb.peer.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rmb.peer.identity.InvalidAddressException;
import io.rmb.peer.identity.Ss58;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.util.encoders.DecoderException;
import org.bouncycastle.util.encoders.Hex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A twin directory read from a JSON file, for private networks, the embedded default and tests.
 *
 * <p>The file is a JSON array of {@code {"id": 7, "account": "5F...(SS58) or 0x+64 hex",
 * "relay": "host1_host2", "pk": "0x...(33 bytes) or null"}}. It is read when the directory is
 * created (a bad file fails fast, naming the entry) and read again when its modification time
 * or size changes, checked at most once per {@code recheck} interval on lookup. A reload that
 * fails keeps the previous twins and logs why, so a half-written file never empties the
 * directory.
 */
public final class FileTwinDirectory implements TwinDirectory {
  /** Default minimum time between two checks of the file's modification time. */
  public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(FileTwinDirectory.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;
  private final Clock clock;
  private final long recheckMillis;
  private final Object reloadLock = new Object();
  private volatile Snapshot snapshot;
  private volatile long lastCheck;

  public FileTwinDirectory(Path path) {
    this(path, Clock.systemUTC(), DEFAULT_RECHECK);
  }

  /**
   * @throws TwinDirectoryException when the file is missing or malformed
   */
  public FileTwinDirectory(Path path, Clock clock, Duration recheck) {
    this.path = Objects.requireNonNull(path, "path");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.recheckMillis = recheck.toMillis();
    this.snapshot = load();
    this.lastCheck = clock.millis();
  }

  @Override
  public CompletableFuture<Optional<Twin>> get(long id) {
    reloadIfChanged();
    return CompletableFuture.completedFuture(Optional.ofNullable(snapshot.twins.get(id)));
  }

  @Override
  public CompletableFuture<OptionalLong> twinIdOf(byte[] account) {
    reloadIfChanged();
    // a linear scan: asked once at start-up, and files hold tens of twins, not millions
    return CompletableFuture.completedFuture(snapshot.twins.values().stream()
        .filter(twin -> Arrays.equals(twin.account(), account))
        .mapToLong(Twin::id).min());
  }

  /** Number of twins currently loaded. */
  public int size() {
    return snapshot.twins.size();
  }

  /** Reads the file again now if it changed; returns true when new content was loaded. */
  public boolean reloadIfChanged() {
    long now = clock.millis();
    if (now - lastCheck < recheckMillis) {
      return false;
    }
    synchronized (reloadLock) {
      if (now - lastCheck < recheckMillis) {
        return false;
      }
      lastCheck = now;
      Stamp current;
      try {
        current = stamp(path);
      } catch (TwinDirectoryException e) {
        LOG.warn("twins file {} cannot be read, keeping {} known twins: {}", path,
            snapshot.twins.size(), e.getMessage());
        return false;
      }
      if (current.equals(snapshot.stamp)) {
        return false;
      }
      try {
        snapshot = load();
        LOG.info("reloaded {} twins from {}", snapshot.twins.size(), path);
        return true;
      } catch (TwinDirectoryException e) {
        LOG.warn("twins file {} changed but is invalid, keeping {} known twins: {}", path,
            snapshot.twins.size(), e.getMessage());
        return false;
      }
    }
  }

  private Snapshot load() {
    Stamp stamp = stamp(path);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(path));
    } catch (IOException e) {
      throw new TwinDirectoryException("twins file " + path + " is not valid JSON: "
          + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new TwinDirectoryException("twins file " + path + " must hold a JSON array");
    }
    Map<Long, Twin> twins = new HashMap<>();
    for (int i = 0; i < root.size(); i++) {
      Twin twin = parseEntry(root.get(i), i);
      if (twins.putIfAbsent(twin.id(), twin) != null) {
        throw new TwinDirectoryException("twins file " + path + ": entry " + i
            + " repeats twin id " + twin.id());
      }
    }
    return new Snapshot(stamp, Map.copyOf(twins));
  }

  private Twin parseEntry(JsonNode entry, int index) {
    String where = "twins file " + path + ": entry " + index;
    if (entry == null || !entry.isObject()) {
      throw new TwinDirectoryException(where + " is not an object");
    }
    JsonNode id = entry.get("id");
    if (id == null || !id.isIntegralNumber() || id.asLong() < 1 || id.asLong() > 0xffff_ffffL) {
      throw new TwinDirectoryException(where + ": id must be an integer in [1, 2^32), got " + id);
    }
    where = "twins file " + path + ": twin " + id.asLong();
    JsonNode account = entry.get("account");
    if (account == null || !account.isTextual()) {
      throw new TwinDirectoryException(where + ": account (SS58 or 0x hex) is missing");
    }
    byte[] accountKey = parseAccount(account.asText(), where);
    JsonNode relay = entry.get("relay");
    if (relay != null && !relay.isNull() && !relay.isTextual()) {
      throw new TwinDirectoryException(where + ": relay must be a string like \"host1_host2\"");
    }
    JsonNode pk = entry.get("pk");
    byte[] publicKey = null;
    if (pk != null && !pk.isNull()) {
      if (!pk.isTextual()) {
        throw new TwinDirectoryException(where + ": pk must be a 0x hex string or null");
      }
      publicKey = parseHex(pk.asText(), where + ": pk");
      if (publicKey.length != 0 && publicKey.length != 33) {
        throw new TwinDirectoryException(where + ": pk must be 33 bytes (compressed secp256k1), got "
            + publicKey.length);
      }
    }
    return new Twin(id.asLong(), accountKey,
        Twin.parseRelays(relay == null || relay.isNull() ? null : relay.asText()), publicKey);
  }

  private static byte[] parseAccount(String text, String where) {
    if (text.startsWith("0x") || text.startsWith("0X")) {
      byte[] key = parseHex(text, where + ": account");
      if (key.length != 32) {
        throw new TwinDirectoryException(where + ": account must be 32 bytes, got " + key.length);
      }
      return key;
    }
    try {
      return Ss58.decode(text);
    } catch (InvalidAddressException e) {
      throw new TwinDirectoryException(where + ": account " + e.getMessage(), e);
    }
  }

  private static byte[] parseHex(String text, String what) {
    String hex = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    if (hex.length() % 2 != 0) {
      throw new TwinDirectoryException(what + " has an odd number of hex digits");
    }
    try {
      return Hex.decodeStrict(hex);
    } catch (DecoderException e) {
      throw new TwinDirectoryException(what + " is not hex: " + e.getMessage(), e);
    }
  }

  private static Stamp stamp(Path path) {
    try {
      BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
      return new Stamp(attrs.lastModifiedTime().toMillis(), attrs.size());
    } catch (NoSuchFileException e) {
      throw new TwinDirectoryException("twins file " + path + " does not exist", e);
    } catch (IOException e) {
      throw new TwinDirectoryException("twins file " + path + " cannot be read: "
          + e.getMessage(), e);
    }
  }

  private record Stamp(long modified, long size) {}

  private record Snapshot(Stamp stamp, Map<Long, Twin> twins) {}
}
