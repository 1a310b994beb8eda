package io.rmb.connect;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.substrate.SubstrateClient;
import io.rmb.peer.substrate.SubstrateClientOptions;
import io.rmb.peer.twin.CachingTwinDirectory;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.peer.twin.TfchainTwinDirectory;
import io.rmb.peer.twin.TwinDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * A not yet started {@link RmbPeer} built from {@link PeerConfig} settings, with what it needs
 * closed after it (the tfchain client).
 */
final class PeerFactory implements AutoCloseable {
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
  private static final int MAX_SESSION = 64;

  private final RmbPeer peer;
  private final SubstrateClient substrate;

  private PeerFactory(RmbPeer peer, SubstrateClient substrate) {
    this.peer = peer;
    this.substrate = substrate;
  }

  /**
   * Builds the peer of a task.
   *
   * @param session the session id, empty for the twin's session-less connection
   * @throws ConnectException when our twin cannot be resolved
   */
  static PeerFactory create(AbstractConfig config, Optional<String> session) {
    Identity identity = PeerConfig.identity(config);
    String file = config.getString(PeerConfig.TWINS_FILE_CONFIG).trim();
    SubstrateClient substrate = null;
    TwinDirectory source;
    if (!file.isEmpty()) {
      source = new FileTwinDirectory(Path.of(file));
    } else {
      List<String> urls = config.getList(PeerConfig.SUBSTRATE_URLS_CONFIG);
      substrate = SubstrateClient.create(SubstrateClientOptions.of(urls.toArray(String[]::new)));
      source = new TfchainTwinDirectory(substrate);
    }
    CachingTwinDirectory twins = new CachingTwinDirectory(source);
    try {
      long twin = config.getLong(PeerConfig.TWIN_ID_CONFIG);
      if (twin == 0) {
        twin = lookUp(twins, identity);
      }
      RmbPeerOptions.Builder options = RmbPeerOptions.builder().identity(identity).twin(twin)
          .relays(config.getList(PeerConfig.RELAYS_CONFIG).toArray(String[]::new)).twins(twins);
      session.ifPresent(options::session);
      return new PeerFactory(RmbPeer.create(options.build()), substrate);
    } catch (RuntimeException e) {
      if (substrate != null) {
        substrate.close();
      }
      throw e;
    }
  }

  /** A session id of RMB's allowed characters: {@code <connector>-<task>}, shortened if long. */
  static String sessionOf(String connector, int task) {
    String safe = UNSAFE.matcher(connector).replaceAll("_");
    String suffix = "-" + task;
    if (safe.length() + suffix.length() > MAX_SESSION) {
      safe = safe.substring(0, MAX_SESSION - suffix.length());
    }
    return safe + suffix;
  }

  private static long lookUp(TwinDirectory twins, Identity identity) {
    try {
      OptionalLong id = twins.twinIdOf(identity.publicKey()).get(30, TimeUnit.SECONDS);
      if (id.isEmpty()) {
        throw new ConnectException("account " + identity.ss58() + " has no twin; set "
            + PeerConfig.TWIN_ID_CONFIG + " or register it");
      }
      return id.getAsLong();
    } catch (ExecutionException e) {
      throw new ConnectException("cannot resolve our twin: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new ConnectException("timed out resolving the twin of " + identity.ss58());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("interrupted while resolving our twin", e);
    }
  }

  RmbPeer peer() {
    return peer;
  }

  @Override
  public void close() {
    try {
      peer.close();
    } finally {
      if (substrate != null) {
        substrate.close();
      }
    }
  }
}
