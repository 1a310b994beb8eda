package io.rmb.peer.twin;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.substrate.ChainApi;
import io.rmb.peer.substrate.FakeSubstrateNode;
import io.rmb.peer.substrate.FakeSubstrateNode.Finality;
import io.rmb.peer.substrate.FakeSubstrateNode.Rejected;
import io.rmb.peer.substrate.SubstrateClient;
import io.rmb.peer.substrate.SubstrateClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TwinPublisherIT {
  static final String DEV_PHRASE =
      "bottom drive obey lake curtain smoke basket hold race lonely fit walk";
  static final byte[] G = Hex.decode(
      "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  static final Set<String> RELAYS = Set.of("relay1.example.org", "relay2.example.org");

  FakeSubstrateNode node;
  FakeTfchain tfchain;
  SubstrateClient client;
  ChainApi chain;

  @BeforeEach
  void start() throws Exception {
    node = FakeSubstrateNode.start();
    tfchain = FakeTfchain.install(node);
    client = SubstrateClient.create(node.wsUrl());
    chain = new ChainApi(client);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    node.close();
  }

  TwinPublisher.Builder publisher(Identity identity) {
    return TwinPublisher.builder().chain(chain).identity(identity).relays(RELAYS)
        .finalizationTimeout(Duration.ofSeconds(10)).timeout(Duration.ofSeconds(20));
  }

  static PublishOutcome outcome(CompletableFuture<PublishOutcome> future) throws Exception {
    return future.get(30, TimeUnit.SECONDS);
  }

  @Test
  void updatesAnEd25519Twin() throws Exception {
    Identity me = Identity.fromSecret(DEV_PHRASE, KeyType.ED25519);
    byte[] pk = me.e2ePublicKey().orElseThrow();
    FakeTfchain.putTwin(node, new Twin(12, me.publicKey(), Set.of("old.example.org"), null));
    node.nonce(me.ss58(), 5);

    List<PublishOutcome> reported = new CopyOnWriteArrayList<>();
    TwinPublisher publisher = publisher(me).onOutcome(reported::add).build();
    PublishOutcome outcome = outcome(publisher.start());

    assertThat(outcome.status()).as(outcome.toString()).isEqualTo(PublishOutcome.Status.UPDATED);
    assertThat(outcome.twinId()).isEqualTo(OptionalLong.of(12));
    assertThat(outcome.detail()).contains("finalized in block 0x");
    assertThat(tfchain.lastSignatureType.get()).isEqualTo(0);
    assertThat(node.nonce(me.ss58())).isEqualTo(6);
    Twin onChain = new TfchainTwinDirectory(chain).get(12).get(10, TimeUnit.SECONDS).orElseThrow();
    assertThat(onChain.relays()).isEqualTo(RELAYS);
    assertThat(onChain.publicKey()).hasValueSatisfying(v -> assertThat(v).isEqualTo(pk));
    assertThat(reported).containsExactly(outcome);
    assertThat(publisher.lastOutcome()).contains(outcome);
  }

  @Test
  void updatesAnSr25519Twin() throws Exception {
    Identity alice = Identity.fromSecret("//Alice", KeyType.SR25519);
    FakeTfchain.putTwin(node, new Twin(7, alice.publicKey(), Set.of("relay.grid.tf"), null));

    PublishOutcome outcome = outcome(publisher(alice).publicKey(G).build().start());

    assertThat(outcome.status()).as(outcome.toString()).isEqualTo(PublishOutcome.Status.UPDATED);
    assertThat(tfchain.lastSignatureType.get()).isEqualTo(1);
    Twin onChain = FakeTfchain.twin(node, 7).orElseThrow();
    assertThat(onChain.relays()).isEqualTo(RELAYS);
    assertThat(onChain.publicKey()).hasValueSatisfying(v -> assertThat(v).isEqualTo(G));
  }

  @Test
  void doesNothingWhenAlreadyUpToDate() throws Exception {
    Identity alice = Identity.fromSecret("//Alice", KeyType.SR25519);
    // same relays in another order: compared as a set
    FakeTfchain.putTwin(node, new Twin(7, alice.publicKey(),
        new java.util.LinkedHashSet<>(List.of("relay2.example.org", "relay1.example.org")), G));

    PublishOutcome outcome = outcome(publisher(alice).publicKey(G).build().start());

    assertThat(outcome.status()).as(outcome.toString())
        .isEqualTo(PublishOutcome.Status.UP_TO_DATE);
    assertThat(node.submissions()).isZero();
  }

  @Test
  void aDifferentPkAloneTriggersAnUpdate() throws Exception {
    Identity alice = Identity.fromSecret("//Alice", KeyType.SR25519);
    FakeTfchain.putTwin(node, new Twin(7, alice.publicKey(), RELAYS, G));
    byte[] otherPk = Identity.fromSecret(DEV_PHRASE, KeyType.SR25519).e2ePublicKey()
        .orElseThrow();

    PublishOutcome outcome = outcome(publisher(alice).publicKey(otherPk).build().start());

    assertThat(outcome.status()).as(outcome.toString()).isEqualTo(PublishOutcome.Status.UPDATED);
    assertThat(FakeTfchain.twin(node, 7).orElseThrow().publicKey())
        .hasValueSatisfying(v -> assertThat(v).isEqualTo(otherPk));
  }

  @Test
  void updateThatNeverFinalizesTimesOutInTheBackground() throws Exception {
    Identity alice = Identity.fromSecret("//Alice", KeyType.SR25519);
    FakeTfchain.putTwin(node, new Twin(7, alice.publicKey(), Set.of("relay.grid.tf"), null));
    node.finality(Finality.NEVER_FINALIZE);
    TwinPublisher publisher = publisher(alice).publicKey(G)
        .finalizationTimeout(Duration.ofSeconds(2)).build();

    long before = System.nanoTime();
    CompletableFuture<PublishOutcome> future = publisher.start();
    Duration startTook = Duration.ofNanos(System.nanoTime() - before);

    // the caller got its future back at once, long before the 2 s finalization timeout
    assertThat(startTook).isLessThan(Duration.ofMillis(500));
    assertThat(future).isNotDone();
    assertThat(publisher.lastOutcome()).isEmpty();
    PublishOutcome outcome = outcome(future);
    assertThat(outcome.status()).isEqualTo(PublishOutcome.Status.FAILED);
    assertThat(outcome.detail()).contains("not finalized within 2000 ms (last status: ready)");
    assertThat(outcome.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(node.submissions()).isEqualTo(1);
  }

  @Test
  void aHangingChainIsBoundedByTheOverallTimeout() throws Exception {
    Identity alice = Identity.fromSecret("//Alice", KeyType.SR25519);
    FakeTfchain.putTwin(node, new Twin(7, alice.publicKey(), Set.of("relay.grid.tf"), null));
    node.silence("system_accountNextIndex");

    PublishOutcome outcome = outcome(publisher(alice).publicKey(G)
        .timeout(Duration.ofMillis(800)).build().start());

    assertThat(outcome.status()).isEqualTo(PublishOutcome.Status.FAILED);
    assertThat(outcome.detail()).isEqualTo("gave up after 800 ms while reading runtime version,"
        + " genesis hash and nonce");
    assertThat(outcome.twinId()).isEqualTo(OptionalLong.of(7));
  }

  @Test
  void unknownSpecVersionIsRefused() throws Exception {
    Identity alice = Identity.fromSecret("//Alice", KeyType.SR25519);
    FakeTfchain.putTwin(node, new Twin(7, alice.publicKey(), Set.of("relay.grid.tf"), null));
    node.specVersion(150);

    PublishOutcome outcome = outcome(publisher(alice).publicKey(G).build().start());

    assertThat(outcome.status()).isEqualTo(PublishOutcome.Status.FAILED);
    assertThat(outcome.detail()).isEqualTo("tfchain runtime specVersion 150 is not one this client"
        + " knows [149]; refusing to sign update_twin since call indices may have moved");
    assertThat(node.submissions()).isZero();
  }

  @Test
  void accountWithoutTwinFails() throws Exception {
    Identity bob = Identity.fromSecret("//Bob", KeyType.SR25519);
    PublishOutcome outcome = outcome(publisher(bob).build().start());
    assertThat(outcome.status()).isEqualTo(PublishOutcome.Status.FAILED);
    assertThat(outcome.detail()).startsWith("account " + bob.ss58() + " has no twin on tfchain");
    assertThat(outcome.twinId()).isEmpty();
  }

  @Test
  void refusedAndDroppedExtrinsicsFail() throws Exception {
    Identity alice = Identity.fromSecret("//Alice", KeyType.SR25519);
    FakeTfchain.putTwin(node, new Twin(7, alice.publicKey(), Set.of("relay.grid.tf"), null));
    node.handler((n, extrinsic) -> {
      throw new Rejected("Stale");
    });
    PublishOutcome refused = outcome(publisher(alice).publicKey(G).build().start());
    assertThat(refused.status()).isEqualTo(PublishOutcome.Status.FAILED);
    assertThat(refused.detail()).isEqualTo("the node refused the extrinsic:"
        + " author_submitAndWatchExtrinsic failed: 1010 Invalid Transaction (\"Stale\")");

    FakeTfchain.install(node);
    node.finality(Finality.DROP);
    PublishOutcome dropped = outcome(publisher(alice).publicKey(G).build().start());
    assertThat(dropped.status()).isEqualTo(PublishOutcome.Status.FAILED);
    assertThat(dropped.detail()).isEqualTo("extrinsic not finalized: dropped");
  }

  @Test
  void unreachableChainFailsWithoutDelayingTheCaller() throws Exception {
    client.close();
    SubstrateClient dead = SubstrateClient.create(SubstrateClientOptions.builder()
        .urls("ws://127.0.0.1:1").connectTimeout(Duration.ofMillis(200)).build());
    try {
      Identity alice = Identity.fromSecret("//Alice", KeyType.SR25519);
      TwinPublisher publisher = TwinPublisher.builder().chain(new ChainApi(dead))
          .identity(alice).relays(RELAYS).build();
      PublishOutcome outcome = outcome(publisher.start());
      assertThat(outcome.status()).isEqualTo(PublishOutcome.Status.FAILED);
      assertThat(outcome.detail()).startsWith("cannot read the twin of account " + alice.ss58()
          + " from tfchain");
      // a second start reports the same run, it does not publish twice
      assertThat(publisher.start().get(1, TimeUnit.SECONDS)).isEqualTo(outcome);
    } finally {
      dead.close();
    }
  }

  @Test
  void skippedOutcomeForNoUpdate() {
    PublishOutcome skipped = PublishOutcome.skipped("--no-update");
    assertThat(skipped.status()).isEqualTo(PublishOutcome.Status.SKIPPED);
    assertThat(skipped.ok()).isTrue();
    assertThat(skipped.toString()).isEqualTo("SKIPPED (0 ms): --no-update");
  }
}
