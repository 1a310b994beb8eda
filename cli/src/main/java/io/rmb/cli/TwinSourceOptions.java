package io.rmb.cli;

import io.rmb.peer.substrate.SubstrateClient;
import io.rmb.peer.substrate.SubstrateClientOptions;
import io.rmb.peer.twin.CachingTwinDirectory;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.peer.twin.TfchainTwinDirectory;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.peer.twin.TwinDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Option;

/**
 * Where twins come from: a JSON file ({@code --twins}) for private networks and tests, else
 * tfchain ({@code --substrate}, repeatable). Either way lookups go through the 5-minute cache.
 */
final class TwinSourceOptions implements AutoCloseable {
  static final String DEFAULT_SUBSTRATE = "wss://tfchain.grid.tf:443";

  @Option(names = "--twins", paramLabel = "FILE",
      description = "JSON file of twins [{\"id\",\"account\",\"relay\",\"pk\"}] instead of tfchain.")
  Path twinsFile;

  @Option(names = {"-s", "--substrate"}, paramLabel = "URL",
      description = "tfchain node (repeatable; default " + DEFAULT_SUBSTRATE + ")."
          + " Ignored with --twins.")
  List<String> substrate = new ArrayList<>();

  private SubstrateClient client;
  private TfchainTwinDirectory tfchain;
  private CachingTwinDirectory directory;

  /** The cached directory (built once). */
  synchronized CachingTwinDirectory directory() {
    if (directory == null) {
      TwinDirectory source;
      if (twinsFile != null) {
        source = new FileTwinDirectory(twinsFile);
      } else {
        List<String> urls = substrate.isEmpty() ? List.of(DEFAULT_SUBSTRATE) : substrate;
        client = SubstrateClient.create(SubstrateClientOptions.of(urls.toArray(String[]::new)));
        tfchain = new TfchainTwinDirectory(client);
        source = tfchain;
      }
      directory = new CachingTwinDirectory(source);
    }
    return directory;
  }

  /** The tfchain directory, when twins come from the chain. */
  synchronized java.util.Optional<TfchainTwinDirectory> tfchain() {
    directory();
    return java.util.Optional.ofNullable(tfchain);
  }

  /**
   * Our twin id: {@code explicit} when given, else looked up by account (a clear error when
   * the account owns no twin).
   */
  long resolveOwnTwin(Long explicit, byte[] account, String address) {
    if (explicit != null) {
      return explicit;
    }
    try {
      OptionalLong id = directory().twinIdOf(account).get(30, TimeUnit.SECONDS);
      if (id.isEmpty()) {
        throw new TwinDirectoryException("account " + address + " has no twin in "
            + (twinsFile != null ? twinsFile.toString() : "tfchain") + "; pass --twin ID or register it");
      }
      return id.getAsLong();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException
          ? (RuntimeException) e.getCause()
          : new TwinDirectoryException("cannot resolve our twin: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new TwinDirectoryException("timed out resolving the twin of account " + address);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TwinDirectoryException("interrupted while resolving our twin");
    }
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
  }
}
