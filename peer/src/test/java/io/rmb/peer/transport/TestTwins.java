package io.rmb.peer.transport;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Twins 1 (//Alice, sr25519) and 2 (//Bob, ed25519) on relay 127.0.0.1, for transport ITs. */
final class TestTwins {
  static final Identity ONE = Identity.fromSecret("//Alice", KeyType.SR25519);
  static final Identity TWO = Identity.fromSecret("//Bob", KeyType.ED25519);
  static final TwinDirectory TWINS = id -> CompletableFuture.completedFuture(
      Optional.ofNullable(Map.of(
          1L, new Twin(1, ONE.publicKey(), Set.of("127.0.0.1"), null),
          2L, new Twin(2, TWO.publicKey(), Set.of("127.0.0.1"), null)).get(id)));

  private TestTwins() {}
}
