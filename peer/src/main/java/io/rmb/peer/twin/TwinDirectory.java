package io.rmb.peer.twin;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Looks twins up by id. Implementations: {@link FileTwinDirectory} for private networks and
 * tests, a tfchain-backed one for the real network, and the {@link CachingTwinDirectory}
 * decorator that every caller should put in front of a remote one.
 *
 * <p>Asynchronous because the real directory is a network call; a lookup for an id that does
 * not exist completes with {@link Optional#empty()}, a failed lookup (directory unreachable)
 * completes exceptionally with a {@link TwinDirectoryException}.
 */
public interface TwinDirectory {
  /** The twin with {@code id}, or empty when no such twin exists. */
  CompletableFuture<Optional<Twin>> get(long id);

  /**
   * The id of the twin owned by {@code account} (32-byte public key), or empty when it owns
   * none. Used at start-up to find our own twin. Directories that cannot search by account
   * fail with a {@link TwinDirectoryException}.
   */
  default CompletableFuture<OptionalLong> twinIdOf(byte[] account) {
    return CompletableFuture.failedFuture(new TwinDirectoryException(
        getClass().getSimpleName() + " cannot look twins up by account"));
  }
}
