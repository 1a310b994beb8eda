package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.RequestHandle;
import io.rmb.peer.runtime.RequestHandler;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.CachingTwinDirectory;
import io.rmb.peer.twin.FileTwinDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: real {@link RmbPeer}s (the peer runtime every front door uses) talking through
 * the real relay on loopback sockets, both key types, plain and encrypted.
 */
@Tag("integration")
class PeersThroughRelayIT {
  private static final String DOMAIN = "relay.local";
  private static final String MNEMONIC_A =
      "volume behind cable present pull exchange wish loyal avocado snap film increase";
  private static final String MNEMONIC_B =
      "tackle blouse grain dawn adult loyal tattoo price access tilt chimney silk";
  private static final String SEED_C =
      "0x340f7341b312bcc61aeea7a76d759d809b8601cbc6d22cb2817278e346137a5d";

  // twin id -> identity; 1, 2, 3 have e2e keys (encrypted traffic), 4 (//Dave) has none
  private static final Map<Long, Identity> TWINS = Map.of(
      1L, Identity.fromSecret(MNEMONIC_A, KeyType.SR25519),
      2L, Identity.fromSecret(MNEMONIC_B, KeyType.ED25519),
      3L, Identity.fromSecret(SEED_C, KeyType.SR25519),
      4L, Identity.fromSecret("//Dave", KeyType.ED25519));

  @TempDir static Path dir;
  private static Path twinsFile;
  private static RelayServer relay;
  private final List<RmbPeer> peers = new ArrayList<>();

  @BeforeAll
  static void startRelay() throws Exception {
    ArrayNode twins = new ObjectMapper().createArrayNode();
    TWINS.forEach((id, identity) -> twins.addObject().put("id", id)
        .put("account", identity.ss58()).put("relay", DOMAIN)
        .put("pk", identity.e2ePublicKey().map(pk -> "0x" + Hex.toHexString(pk)).orElse(null)));
    twinsFile = dir.resolve("twins.json");
    Files.writeString(twinsFile, twins.toString());
    relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0").domain(DOMAIN)
        .twinsFile(twinsFile).build());
  }

  @AfterAll
  static void stopRelay() {
    relay.close();
  }

  @AfterEach
  void closePeers() {
    peers.forEach(RmbPeer::close);
  }

  private RmbPeer peer(long twin, String session, RequestHandler handler) {
    RmbPeerOptions.Builder options = RmbPeerOptions.builder().identity(TWINS.get(twin))
        .twin(twin).relays("ws://127.0.0.1:" + relay.port())
        .twins(new CachingTwinDirectory(new FileTwinDirectory(twinsFile)));
    if (session != null) {
      options.session(session);
    }
    RmbPeer peer = RmbPeer.create(options.build());
    if (handler != null) {
      peer.handleOthers(handler);
    }
    peers.add(peer.start());
    await().atMost(Duration.ofSeconds(20)).until(peer::isConnected);
    return peer;
  }

  private static final RequestHandler ECHO = RequestHandler.sync(request -> Reply.of(
      ("echo:" + request.command() + ":" + request.payloadText()).getBytes(StandardCharsets.UTF_8),
      request.schema().orElse(null)));

  private static Outcome outcome(RequestHandle handle, long twin) throws Exception {
    return handle.outcome(twin).get(30, TimeUnit.SECONDS);
  }

  @Test
  void requestAndResponseBothWaysEncryptedAcrossKeyTypes() throws Exception {
    RmbPeer sr = peer(1, null, ECHO);
    RmbPeer ed = peer(2, null, ECHO);

    Outcome fromEd = outcome(sr.request(List.of(2L), "calc.add", "[1,2]".getBytes(), Duration
        .ofSeconds(20)), 2);
    Outcome fromSr = outcome(ed.request(List.of(1L), "zos.version", "{}".getBytes(), Duration
        .ofSeconds(20)), 1);

    assertThat(fromEd).isInstanceOf(Outcome.Response.class);
    assertThat(((Outcome.Response) fromEd).payloadText()).isEqualTo("echo:calc.add:[1,2]");
    assertThat(((Outcome.Response) fromSr).payloadText()).isEqualTo("echo:zos.version:{}");
    assertThat(relay.stats().routed(io.rmb.relay.routing.RouteOutcome.DELIVERED))
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  void plainTrafficWithATwinThatHasNoEncryptionKey() throws Exception {
    RmbPeer withKey = peer(3, null, null);
    peer(4, null, ECHO);

    Outcome outcome = outcome(withKey.request(List.of(4L), "ping", "x".getBytes(),
        Duration.ofSeconds(20)), 4);

    assertThat(outcome).isInstanceOf(Outcome.Response.class);
    assertThat(((Outcome.Response) outcome).payloadText()).isEqualTo("echo:ping:x");
  }

  @Test
  void handlerErrorsComeBackAsErrorOutcomes() throws Exception {
    RmbPeer caller = peer(1, null, null);
    peer(2, null, RequestHandler.sync(request -> Reply.error(404, "no such thing")));

    Outcome outcome = outcome(caller.request(List.of(2L), "missing", new byte[0],
        Duration.ofSeconds(20)), 2);

    assertThat(outcome).isInstanceOfSatisfying(Outcome.Error.class, error -> {
      assertThat(error.code()).isEqualTo(404);
      assertThat(error.message()).isEqualTo("no such thing");
      assertThat(error.origin()).isEqualTo(Outcome.Origin.PEER);
    });
  }

  @Test
  void aPeerWithASessionIdGetsItsOwnAnswers() throws Exception {
    peer(2, null, ECHO);
    RmbPeer plain = peer(1, null, null);
    RmbPeer withSession = peer(1, "worker-1", null);

    Outcome a = outcome(plain.request(List.of(2L), "a", "1".getBytes(), Duration.ofSeconds(20)), 2);
    Outcome b = outcome(withSession.request(List.of(2L), "b", "2".getBytes(),
        Duration.ofSeconds(20)), 2);

    assertThat(((Outcome.Response) a).payloadText()).isEqualTo("echo:a:1");
    assertThat(((Outcome.Response) b).payloadText()).isEqualTo("echo:b:2");
  }

  @Test
  void multiDestinationRequestsGetOneOutcomePerDestination() throws Exception {
    RmbPeer caller = peer(1, null, null);
    peer(2, null, ECHO);
    peer(3, null, ECHO);

    RequestHandle handle = caller.request(List.of(2L, 3L, 77L), "multi", "m".getBytes(),
        Duration.ofSeconds(20));
    List<Outcome> all = handle.all().get(30, TimeUnit.SECONDS);

    assertThat(all).hasSize(3);
    assertThat(outcome(handle, 2)).isInstanceOf(Outcome.Response.class);
    assertThat(outcome(handle, 3)).isInstanceOf(Outcome.Response.class);
    assertThat(outcome(handle, 77)).as("unknown twin").isInstanceOfSatisfying(Outcome.Error.class,
        error -> assertThat(error.code()).isEqualTo(103));
  }

  @Test
  void aRequestToAnOfflineTwinIsDeliveredWhenItConnects() throws Exception {
    RmbPeer caller = peer(3, null, null);

    long queuedBefore = relay.stats().routed(io.rmb.relay.routing.RouteOutcome.QUEUED);
    RequestHandle handle = caller.request(List.of(4L), "queued", "later".getBytes(),
        Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(10)).until(() ->
        relay.stats().routed(io.rmb.relay.routing.RouteOutcome.QUEUED) > queuedBefore);
    peer(4, null, ECHO);

    Outcome outcome = outcome(handle, 4);
    assertThat(outcome).isInstanceOf(Outcome.Response.class);
    assertThat(((Outcome.Response) outcome).payloadText()).isEqualTo("echo:queued:later");
  }

  @Test
  void aQueuedRequestPastItsDeadlineIsNeverDelivered() throws Exception {
    RmbPeer caller = peer(1, null, null);
    List<String> served = new java.util.concurrent.CopyOnWriteArrayList<>();
    long expiredBefore = relay.stats().dropped(io.rmb.relay.stats.DropReason.EXPIRED);

    RequestHandle handle = caller.request(List.of(3L), "short", "x".getBytes(),
        Duration.ofSeconds(2));
    assertThat(outcome(handle, 3)).isInstanceOf(Outcome.Timeout.class);
    // the envelope's own deadline is whole seconds: wait until it has passed on the wire too
    long deadline = handle.deadline().getEpochSecond() + 1;
    await().atMost(Duration.ofSeconds(5))
        .until(() -> System.currentTimeMillis() / 1000 > deadline);
    peer(3, null, RequestHandler.sync(request -> {
      served.add(request.command());
      return Reply.of("late");
    }));
    RmbPeer other = peer(2, null, null);
    // a fresh request after connecting is served, so the queue was drained by then
    assertThat(outcome(other.request(List.of(3L), "fresh", "y".getBytes(), Duration.ofSeconds(20)),
        3)).isInstanceOf(Outcome.Response.class);

    assertThat(served).containsExactly("fresh");
    assertThat(relay.stats().dropped(io.rmb.relay.stats.DropReason.EXPIRED))
        .as("the expired envelope was dropped by the relay, not delivered")
        .isGreaterThan(expiredBefore);
  }
}
