package io.rmb.relay.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.RequestHandler;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.CachingTwinDirectory;
import io.rmb.peer.twin.FileTwinDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Twins files with chosen relay domains (identities from {@link TestTwins}) and real
 * {@link RmbPeer}s on them, for the multi-relay integration tests.
 */
public final class Twins {
  private final Path file;

  private Twins(Path file) {
    this.file = file;
  }

  /** Writes {@code twins.json} in {@code dir}: twin id to its relay field ("a_b"). */
  public static Twins write(Path dir, Map<Long, String> relays) {
    ArrayNode twins = new ObjectMapper().createArrayNode();
    relays.forEach((id, relay) -> twins.addObject().put("id", id)
        .put("account", TestTwins.identity(id).ss58()).put("relay", relay));
    try {
      Path file = dir.resolve("twins.json");
      Files.writeString(file, twins.toString());
      return new Twins(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** A peer for {@code twin} connecting to {@code relays} (ws URLs), not started. */
  public RmbPeer peer(long twin, String... relays) {
    return RmbPeer.create(RmbPeerOptions.builder().identity(TestTwins.identity(twin)).twin(twin)
        .relays(relays).twins(new CachingTwinDirectory(new FileTwinDirectory(file))).build());
  }

  /** A started peer for {@code twin} that answers every request with its payload. */
  public RmbPeer echo(long twin, String... relays) {
    return peer(twin, relays).handleOthers(RequestHandler.sync(request ->
        Reply.of(request.payload(), null))).start();
  }

  /** {@code ws://127.0.0.1:<port>}. */
  public static String ws(int port) {
    return "ws://127.0.0.1:" + port;
  }

  /** A port that was free a moment ago (for relays restarted on the same port). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
