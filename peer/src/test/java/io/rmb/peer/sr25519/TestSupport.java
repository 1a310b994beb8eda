package io.rmb.peer.sr25519;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Shared test helpers: the RMB vector file, hex and a replaying SecureRandom. */
final class TestSupport {
  private TestSupport() {}

  private static final String RELATIVE = "shared/vectors/rmb-vectors.json";
  private static JsonNode vectors;

  /**
   * The parsed vector file: the {@code rmb.vectors} system property, else the first
   * {@code shared/vectors/rmb-vectors.json} found walking up from the working directory.
   * Throws (so the calling test fails, never skips) when the file cannot be found.
   */
  static synchronized JsonNode vectors() {
    if (vectors == null) {
      Path file = locate();
      try {
        vectors = new ObjectMapper().readTree(file.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read test vectors " + file, e);
      }
    }
    return vectors;
  }

  private static Path locate() {
    return locate(System.getProperty("rmb.vectors"), Paths.get("").toAbsolutePath());
  }

  /** Resolves the vector file from an explicit path or by walking up from {@code start}. */
  static Path locate(String property, Path start) {
    if (property != null && !property.isBlank()) {
      Path p = Paths.get(property);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "RMB test vectors not found: set -Drmb.vectors or provide ../" + RELATIVE
            + " (rmb.vectors=" + property + ", searched up from " + start + ")");
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  static byte[] hex(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalStateException("vector field missing: " + field + " in " + node);
    }
    return hex(v.asText());
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** A SecureRandom that hands out fixed bytes (repeating them), for reproducible tests. */
  static final class ReplayRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;
    private int next;

    ReplayRandom(byte[] bytes) {
      super(new byte[0]); // no seeding of the platform RNG; nextBytes is overridden
      this.bytes = bytes.clone();
    }

    @Override
    public synchronized void nextBytes(byte[] out) {
      for (int i = 0; i < out.length; i++) {
        out[i] = bytes[next];
        next = (next + 1) % bytes.length;
      }
    }
  }
}
