package io.rmb.peer.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.substrate.ChainApi;
import io.rmb.peer.substrate.FakeSubstrateNode;
import io.rmb.peer.substrate.RpcTransportException;
import io.rmb.peer.substrate.ScaleException;
import io.rmb.peer.substrate.SubstrateClient;
import io.rmb.peer.substrate.SubstrateClientOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TfchainTwinDirectoryIT {
  static final byte[] G = Hex.decode(
      "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");

  FakeSubstrateNode node;
  SubstrateClient client;
  Identity alice = Identity.fromSecret("//Alice", KeyType.SR25519);
  Twin twin7;

  @BeforeEach
  void start() throws Exception {
    node = FakeSubstrateNode.start();
    twin7 = new Twin(7, alice.publicKey(), Set.of("relay.grid.tf"), G);
    FakeTfchain.putTwin(node, twin7);
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    node.close();
  }

  static String deadUrl() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "ws://127.0.0.1:" + socket.getLocalPort();
    }
  }

  static Throwable failure(CompletableFuture<?> future) {
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> future.get(20, TimeUnit.SECONDS));
    return e.getCause();
  }

  @Test
  void looksUpATwin() throws Exception {
    client = SubstrateClient.create(node.wsUrl());
    TfchainTwinDirectory directory = new TfchainTwinDirectory(client);
    assertThat(directory.get(7).get(10, TimeUnit.SECONDS)).contains(twin7);
  }

  @Test
  void absentTwinIsEmpty() throws Exception {
    client = SubstrateClient.create(node.wsUrl());
    assertThat(new TfchainTwinDirectory(client).get(8).get(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void looksUpOverHttpToo() throws Exception {
    client = SubstrateClient.create(node.httpUrl());
    assertThat(new TfchainTwinDirectory(client).get(7).get(10, TimeUnit.SECONDS)).contains(twin7);
  }

  @Test
  void failsOverWhenTheFirstUrlIsDead() throws Exception {
    client = SubstrateClient.create(deadUrl(), node.wsUrl());
    assertThat(new TfchainTwinDirectory(client).get(7).get(10, TimeUnit.SECONDS)).contains(twin7);
  }

  @Test
  void unreachableChainFailsWithTwinDirectoryException() throws Exception {
    client = SubstrateClient.create(deadUrl());
    Throwable error = failure(new TfchainTwinDirectory(client).get(7));
    assertThat(error).isInstanceOf(TwinDirectoryException.class)
        .hasMessageStartingWith("cannot read twin 7 from tfchain")
        .hasCauseInstanceOf(RpcTransportException.class);
  }

  @Test
  void malformedTwinFailsWithTwinDirectoryException() throws Exception {
    node.put(TfchainCodec.twinKey(9), Hex.decode("09000000"));
    client = SubstrateClient.create(node.wsUrl());
    Throwable error = failure(new TfchainTwinDirectory(client).get(9));
    assertThat(error).isInstanceOf(TwinDirectoryException.class)
        .hasMessageStartingWith("twin 9 on tfchain is malformed: Twin value: account_id")
        .hasCauseInstanceOf(ScaleException.class);
  }

  @Test
  void resolvesOurOwnTwinId() throws Exception {
    client = SubstrateClient.create(node.wsUrl());
    TfchainTwinDirectory directory = new TfchainTwinDirectory(client);
    assertThat(directory.resolveTwinId(alice.publicKey()).get(10, TimeUnit.SECONDS))
        .isEqualTo(7L);
  }

  @Test
  void accountWithoutTwinIsAClearError() throws Exception {
    client = SubstrateClient.create(node.wsUrl());
    Identity bob = Identity.fromSecret("//Bob", KeyType.SR25519);
    Throwable error = failure(new TfchainTwinDirectory(client).resolveTwinId(bob.publicKey()));
    assertThat(error).isInstanceOf(TwinDirectoryException.class)
        .hasMessageStartingWith("account " + bob.ss58() + " has no twin on tfchain");
  }

  @Test
  void subscriptionInvalidatesACachedTwin() throws Exception {
    client = SubstrateClient.create(node.wsUrl());
    TfchainTwinDirectory chain = new TfchainTwinDirectory(client);
    CachingTwinDirectory cache = new CachingTwinDirectory(chain);
    assertThat(cache.get(7).get(10, TimeUnit.SECONDS)).contains(twin7);

    Twin moved = new Twin(7, alice.publicKey(), Set.of("relay.example.org"), G);
    try (TwinChangeWatcher watcher =
        TwinChangeWatcher.invalidating(new ChainApi(client), List.of(7L), cache)) {
      watcher.subscribed().get(10, TimeUnit.SECONDS);
      FakeTfchain.putTwin(node, moved);
      // without the watcher the cache would serve twin7 for five minutes
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(cache.get(7).get(10, TimeUnit.SECONDS)).contains(moved));
    }
  }

  @Test
  void watcherResubscribesAfterTheConnectionDrops() throws Exception {
    client = SubstrateClient.create(node.wsUrl());
    CachingTwinDirectory cache = new CachingTwinDirectory(new TfchainTwinDirectory(client));
    assertThat(cache.get(7).get(10, TimeUnit.SECONDS)).contains(twin7);
    try (TwinChangeWatcher watcher = TwinChangeWatcher.start(new ChainApi(client), List.of(7L),
        cache::invalidate, Duration.ofMillis(100))) {
      watcher.subscribed().get(10, TimeUnit.SECONDS);
      node.dropConnections();
      await().atMost(Duration.ofSeconds(10)).until(() -> node.storageSubscriptions() == 1
          && node.calls().stream().filter("state_subscribeStorage"::equals).count() == 2);
      Twin moved = new Twin(7, alice.publicKey(), Set.of("relay2.example.org"), null);
      FakeTfchain.putTwin(node, moved);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(cache.get(7).get(10, TimeUnit.SECONDS)).contains(moved));
    }
  }

  @Test
  void cacheServesRepeatedLookupsWithoutTheChain() throws Exception {
    client = SubstrateClient.create(SubstrateClientOptions.of(node.wsUrl()));
    CachingTwinDirectory cache = new CachingTwinDirectory(new TfchainTwinDirectory(client));
    for (int i = 0; i < 5; i++) {
      assertThat(cache.get(7).get(10, TimeUnit.SECONDS)).contains(twin7);
    }
    assertThat(node.calls()).containsExactly("state_getStorage");
  }
}
