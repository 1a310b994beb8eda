package io.rmb.cli;

import io.rmb.peer.identity.Identity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Files of {@code rmb dev}: the generated twins file, and cleaning up its directory. */
final class DevFiles {
  private DevFiles() {}

  /** Writes a twins file (docs/examples/twins.json format), all on relay domain localhost. */
  static void writeTwins(Path file, Map<Long, Identity> twins) throws IOException {
    StringBuilder json = new StringBuilder("[\n");
    new TreeMap<>(twins).forEach((id, identity) -> {
      json.append(json.length() > 2 ? ",\n" : "").append("  {\"id\": ").append(id)
          .append(", \"account\": \"").append(identity.ss58())
          .append("\", \"relay\": \"localhost\", \"pk\": ");
      json.append(identity.e2ePublicKey().map(pk -> "\"0x" + HexFormat.of().formatHex(pk) + "\"")
          .orElse("null")).append('}');
    });
    Files.writeString(file, json.append("\n]\n").toString());
  }

  /** Deletes {@code root} and everything under it, best effort. */
  static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
