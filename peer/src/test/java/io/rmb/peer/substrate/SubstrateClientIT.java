package io.rmb.peer.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SubstrateClientIT {
  static final byte[] KEY = HexBytes.decode("0x0102", "key");

  FakeSubstrateNode node;
  SubstrateClient client;

  @BeforeEach
  void startNode() throws Exception {
    node = FakeSubstrateNode.start();
    node.put(KEY, new byte[] {7, 0, 0, 0});
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    node.close();
  }

  /** A URL nothing listens on: connections are refused at once. */
  static String deadUrl(String scheme) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return scheme + "://127.0.0.1:" + socket.getLocalPort();
    }
  }

  static Throwable failure(java.util.concurrent.CompletableFuture<?> future) {
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> future.get(20, TimeUnit.SECONDS));
    return e.getCause();
  }

  @Test
  void readsStorageOverWebSocket() throws Exception {
    client = SubstrateClient.create(node.wsUrl());
    ChainApi chain = new ChainApi(client);
    assertThat(chain.storage(KEY).get(10, TimeUnit.SECONDS))
        .hasValueSatisfying(v -> assertThat(v).containsExactly(7, 0, 0, 0));
    assertThat(chain.storage(new byte[] {9}).get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(chain.runtimeVersion().get(10, TimeUnit.SECONDS))
        .isEqualTo(new RuntimeVersion("substrate-threefold", 149, 2));
    assertThat(chain.transactionContext().get(10, TimeUnit.SECONDS))
        .isEqualTo(new TransactionContext(149, 2, node.genesis()));
    assertThat(chain.accountNextIndex("5Alice").get(10, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void readsStorageOverHttp() throws Exception {
    client = SubstrateClient.create(node.httpUrl());
    assertThat(new ChainApi(client).storage(KEY).get(10, TimeUnit.SECONDS))
        .hasValueSatisfying(v -> assertThat(v).containsExactly(7, 0, 0, 0));
    assertThat(failure(client.subscribe("state_subscribeStorage", List.of(List.of()),
        "state_unsubscribeStorage", result -> { })))
        .isInstanceOf(SubstrateException.class).hasMessageContaining("need ws://");
  }

  @Test
  void failsOverFromADeadUrlOverHttp() throws Exception {
    String dead = deadUrl("http");
    client = SubstrateClient.create(dead, node.httpUrl());
    assertThat(new ChainApi(client).storage(KEY).get(10, TimeUnit.SECONDS)).isPresent();
    assertThat(client.currentUrl()).isEqualTo(node.httpUrl());
  }

  @Test
  void failsOverFromARefusingUrl() throws Exception {
    String dead = deadUrl("ws");
    client = SubstrateClient.create(dead, node.wsUrl());
    assertThat(new ChainApi(client).storage(KEY).get(10, TimeUnit.SECONDS)).isPresent();
    assertThat(client.currentUrl()).isEqualTo(node.wsUrl());
    assertThat(node.calls()).containsExactly("state_getStorage");
  }

  @Test
  void failsOverFromANodeThatNeverCompletesTheHandshake() throws Exception {
    // accepts TCP connections but never answers the WebSocket upgrade
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      client = SubstrateClient.create(SubstrateClientOptions.builder()
          .urls("ws://127.0.0.1:" + silent.getLocalPort(), node.wsUrl())
          .connectTimeout(Duration.ofMillis(300))
          .build());
      long start = System.nanoTime();
      assertThat(new ChainApi(client).storage(KEY).get(10, TimeUnit.SECONDS)).isPresent();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(client.currentUrl()).isEqualTo(node.wsUrl());
    }
  }

  @Test
  void givesUpAfterTwiceTheUrlsAndNamesThem() throws Exception {
    String dead1 = deadUrl("ws");
    String dead2 = deadUrl("ws");
    client = SubstrateClient.create(dead1, dead2);
    Throwable error = failure(client.call("state_getStorage", "0x01"));
    assertThat(error).isInstanceOf(RpcTransportException.class)
        .hasMessageContaining("no node answered after 4 attempts")
        .hasMessageContaining(dead1.substring(5)).hasMessageContaining(dead2.substring(5));
    assertThat(error.getMessage().split("could not connect")).hasSize(5);
  }

  @Test
  void nodeErrorsAreNotRetried() throws Exception {
    client = SubstrateClient.create(node.wsUrl(), node.wsUrl());
    Throwable error = failure(client.call("no_suchMethod"));
    assertThat(error).isInstanceOf(RpcException.class)
        .hasMessage("no_suchMethod failed: -32601 Method not found");
    assertThat(((RpcException) error).code()).isEqualTo(-32601);
    assertThat(node.calls()).containsExactly("no_suchMethod");
  }

  @Test
  void unansweredCallTimesOut() throws Exception {
    node.silence("state_getStorage");
    client = SubstrateClient.create(SubstrateClientOptions.builder().urls(node.wsUrl())
        .callTimeout(Duration.ofMillis(300)).build());
    assertThat(failure(client.call("state_getStorage", "0x01")))
        .isInstanceOf(RpcTimeoutException.class)
        .hasMessageContaining("state_getStorage: no answer from " + node.wsUrl()
            + " within 300 ms");
    // the connection survives a timeout
    assertThat(client.call("state_getRuntimeVersion").get(10, TimeUnit.SECONDS).isObject())
        .isTrue();
  }

  @Test
  void malformedAnswersAreProtocolErrors() throws Exception {
    client = SubstrateClient.create(node.wsUrl());
    ChainApi chain = new ChainApi(client);
    assertThat(failure(chain.blockHash(5))).isInstanceOf(RpcProtocolException.class)
        .hasMessageContaining("no block 5");
  }

  @Test
  void reconnectsOnDemandAfterTheConnectionDrops() throws Exception {
    client = SubstrateClient.create(node.wsUrl());
    ChainApi chain = new ChainApi(client);
    assertThat(chain.storage(KEY).get(10, TimeUnit.SECONDS)).isPresent();
    node.dropConnections();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(chain.storage(KEY).get(10, TimeUnit.SECONDS)).isPresent());
  }

  @Test
  void storageSubscriptionDeliversChangesAndTerminatesWithTheConnection() throws Exception {
    client = SubstrateClient.create(node.wsUrl());
    List<List<StorageChange>> seen = new CopyOnWriteArrayList<>();
    AtomicReference<SubstrateException> terminated = new AtomicReference<>();
    Subscription sub = new ChainApi(client)
        .subscribeStorage(List.of(KEY), seen::add, terminated::set)
        .get(10, TimeUnit.SECONDS);
    assertThat(sub.isActive()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1); // current value
    node.put(KEY, new byte[] {8, 0, 0, 0});
    node.put(new byte[] {0x55}, new byte[] {1}); // not subscribed
    node.put(KEY, null);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 3);
    assertThat(seen.get(1).get(0).value()).hasValueSatisfying(v ->
        assertThat(v).containsExactly(8, 0, 0, 0));
    assertThat(seen.get(2).get(0).value()).isEqualTo(Optional.empty());
    assertThat(seen.get(2).get(0).key()).containsExactly(KEY);

    node.dropConnections();
    await().atMost(Duration.ofSeconds(10)).until(() -> terminated.get() != null);
    assertThat(terminated.get()).isInstanceOf(RpcTransportException.class)
        .hasMessageContaining("lost");
    assertThat(sub.isActive()).isFalse();
  }

  @Test
  void unsubscribeStopsNotifications() throws Exception {
    client = SubstrateClient.create(node.wsUrl());
    List<List<StorageChange>> seen = new CopyOnWriteArrayList<>();
    Subscription sub = new ChainApi(client)
        .subscribeStorage(List.of(KEY), seen::add, e -> { })
        .get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
    sub.unsubscribe().get(10, TimeUnit.SECONDS);
    assertThat(node.storageSubscriptions()).isZero();
    assertThat(node.calls()).contains("state_unsubscribeStorage");
  }

  @Test
  void closedClientFailsCalls() throws Exception {
    client = SubstrateClient.create(node.wsUrl());
    assertThat(client.call("state_getRuntimeVersion").get(10, TimeUnit.SECONDS)).isNotNull();
    client.close();
    assertThat(failure(client.call("state_getRuntimeVersion")))
        .isInstanceOf(RpcTransportException.class).hasMessageContaining("closed");
  }

  @Test
  void closeAbortsAConnectionStillHandshaking() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      client = SubstrateClient.create(SubstrateClientOptions.builder()
          .urls("ws://127.0.0.1:" + silent.getLocalPort())
          .connectTimeout(Duration.ofSeconds(60)).build());
      java.util.concurrent.CompletableFuture<JsonNode> call =
          client.call("state_getRuntimeVersion");
      assertThat(call).isNotDone();
      client.close();
      // fails now, not after the 60 s connect timeout
      assertThat(failure(call)).isInstanceOf(RpcTransportException.class);
    }
  }

  @Test
  void callsReturnAtOnceAndCompleteOffTheSocketThread() throws Exception {
    client = SubstrateClient.create(node.wsUrl());
    AtomicReference<String> thread = new AtomicReference<>();
    JsonNode version = client.call("state_getRuntimeVersion")
        .thenApply(v -> {
          thread.set(Thread.currentThread().getName());
          return v;
        }).get(10, TimeUnit.SECONDS);
    assertThat(version.path("specVersion").asLong()).isEqualTo(149);
    assertThat(thread.get()).doesNotContain("WebSocket");
  }
}
