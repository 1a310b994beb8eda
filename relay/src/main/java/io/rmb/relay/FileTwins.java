package io.rmb.relay;

import io.rmb.peer.twin.CachingTwinDirectory;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.peer.twin.TwinDirectory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/** The twin directory a relay builds from {@link RelayOptions.Builder#twinsFile(Path)}. */
final class FileTwins {
  private FileTwins() {}

  /**
   * The file directory behind a cache. A file lookup may stat and re-read the file, which is
   * blocking IO, so it runs on the common pool: callers on an event loop only ever wait on the
   * returned future, and the cache makes such lookups rare (one per twin per 5 minutes).
   */
  static TwinDirectory directory(Path file, Clock clock) {
    FileTwinDirectory direct =
        new FileTwinDirectory(file, clock, FileTwinDirectory.DEFAULT_RECHECK);
    TwinDirectory offloaded = id -> CompletableFuture.supplyAsync(() -> direct.get(id),
        ForkJoinPool.commonPool()).thenCompose(lookup -> lookup);
    return new CachingTwinDirectory(offloaded, CachingTwinDirectory.DEFAULT_TTL, clock);
  }
}
