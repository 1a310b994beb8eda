package io.rmb.peer.substrate;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed, asynchronous access to the few Substrate RPC methods a twin client needs: storage
 * reads and subscriptions, runtime version, block hash, account nonce and extrinsic
 * submission. Answers are validated: a wrong type or bad hex fails with an
 * {@link RpcProtocolException}. Thread-safe; shares the {@link SubstrateClient}'s connection.
 */
public final class ChainApi {
  private static final Logger LOG = LoggerFactory.getLogger(ChainApi.class);

  private final SubstrateClient client;

  public ChainApi(SubstrateClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** The underlying client. */
  public SubstrateClient client() {
    return client;
  }

  /** {@code state_getStorage}: the raw value at {@code key}, or empty when absent. */
  public CompletableFuture<Optional<byte[]>> storage(byte[] key) {
    String hexKey = HexBytes.encode(key);
    return client.call("state_getStorage", hexKey).thenApply(result -> result.isNull()
        ? Optional.empty()
        : Optional.of(HexBytes.decode(text(result, "state_getStorage"),
            "state_getStorage " + hexKey)));
  }

  /** {@code state_getRuntimeVersion} of the best block. */
  public CompletableFuture<RuntimeVersion> runtimeVersion() {
    return client.call("state_getRuntimeVersion").thenApply(result -> {
      if (!result.isObject()) {
        throw new RpcProtocolException("state_getRuntimeVersion: expected an object, got "
            + result);
      }
      return new RuntimeVersion(result.path("specName").asText(""),
          u32(result.get("specVersion"), "state_getRuntimeVersion specVersion"),
          u32(result.get("transactionVersion"), "state_getRuntimeVersion transactionVersion"));
    });
  }

  /** {@code chain_getBlockHash [number]}: the 32-byte hash of block {@code number}. */
  public CompletableFuture<byte[]> blockHash(long number) {
    return client.call("chain_getBlockHash", number).thenApply(result -> {
      if (result.isNull()) {
        throw new RpcProtocolException("chain_getBlockHash: the node has no block " + number);
      }
      return HexBytes.decode(text(result, "chain_getBlockHash"), 32,
          "chain_getBlockHash " + number);
    });
  }

  /** {@code system_accountNextIndex [address]}: the nonce for the account's next extrinsic. */
  public CompletableFuture<Long> accountNextIndex(String ss58) {
    return client.call("system_accountNextIndex", ss58).thenApply(result -> {
      if (!result.isIntegralNumber() || result.asLong() < 0 || !result.canConvertToLong()) {
        throw new RpcProtocolException("system_accountNextIndex: expected a non-negative"
            + " integer, got " + result);
      }
      return result.asLong();
    });
  }

  /** Runtime versions and genesis hash, read in parallel: what a signature commits to. */
  public CompletableFuture<TransactionContext> transactionContext() {
    CompletableFuture<RuntimeVersion> version = runtimeVersion();
    CompletableFuture<byte[]> genesis = blockHash(0);
    return version.thenCombine(genesis, (v, g) ->
        new TransactionContext(v.specVersion(), v.transactionVersion(), g));
  }

  /**
   * {@code state_subscribeStorage [[keys]]}: {@code listener} receives the changed keys of
   * each block that touches one of them. The node sends the current values first.
   * Malformed notifications are logged and skipped.
   */
  public CompletableFuture<Subscription> subscribeStorage(List<byte[]> keys,
      Consumer<List<StorageChange>> listener, Consumer<SubstrateException> onTerminated) {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(onTerminated, "onTerminated");
    List<String> hexKeys = new ArrayList<>();
    keys.forEach(key -> hexKeys.add(HexBytes.encode(key)));
    SubscriptionListener adapter = new SubscriptionListener() {
      @Override
      public void onNotification(JsonNode result) {
        List<StorageChange> changes;
        try {
          changes = changes(result);
        } catch (RpcProtocolException e) {
          LOG.warn("skipping a malformed storage notification: {}", e.getMessage());
          return;
        }
        listener.accept(changes);
      }

      @Override
      public void onTerminated(SubstrateException cause) {
        onTerminated.accept(cause);
      }
    };
    return client.subscribe("state_subscribeStorage", List.of(hexKeys),
        "state_unsubscribeStorage", adapter);
  }

  /**
   * Submits a signed extrinsic with {@code author_submitAndWatchExtrinsic} and completes with
   * the hash of the block it was finalized in. Fails with an {@link ExtrinsicException} when
   * the node refuses it, reports it invalid, dropped, usurped or past its finality timeout,
   * the connection is lost, or it is not finalized within {@code timeout}; the failure names
   * the last status seen.
   *
   * @param onStatus sees every status update, e.g. for logging
   */
  public CompletableFuture<String> submitAndWatch(byte[] extrinsic, Duration timeout,
      Consumer<ExtrinsicStatus> onStatus) {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(onStatus, "onStatus");
    CompletableFuture<String> finalized = new CompletableFuture<>();
    AtomicReference<ExtrinsicStatus> last = new AtomicReference<>();
    SubscriptionListener listener = new SubscriptionListener() {
      @Override
      public void onNotification(JsonNode result) {
        ExtrinsicStatus status;
        try {
          status = ExtrinsicStatus.parse(result);
        } catch (RpcProtocolException e) {
          LOG.warn("ignoring an extrinsic status: {}", e.getMessage());
          return;
        }
        last.set(status);
        onStatus.accept(status);
        if (status.kind() == ExtrinsicStatus.Kind.FINALIZED) {
          finalized.complete(status.detail());
        } else if (status.kind().terminal()) {
          finalized.completeExceptionally(new ExtrinsicException("extrinsic not finalized: "
              + status));
        }
      }

      @Override
      public void onTerminated(SubstrateException cause) {
        finalized.completeExceptionally(new ExtrinsicException("lost the node while watching"
            + " the extrinsic (last status: " + describe(last.get()) + "); it may still be"
            + " included: " + cause.getMessage(), cause));
      }
    };
    client.subscribe("author_submitAndWatchExtrinsic", List.of(HexBytes.encode(extrinsic)),
        "author_unwatchExtrinsic", listener).whenComplete((subscription, error) -> {
          if (error != null) {
            Throwable cause = SubstrateClient.unwrap(error);
            finalized.completeExceptionally(cause instanceof RpcException
                ? new ExtrinsicException("the node refused the extrinsic: " + cause.getMessage(),
                    cause)
                : cause);
          } else {
            finalized.whenComplete((hash, e) -> subscription.unsubscribe());
          }
        });
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() ->
        finalized.completeExceptionally(new ExtrinsicException("extrinsic not finalized within "
            + timeout.toMillis() + " ms (last status: " + describe(last.get()) + ")")));
    return finalized;
  }

  private static String describe(ExtrinsicStatus status) {
    return status == null ? "none" : status.toString();
  }

  private static List<StorageChange> changes(JsonNode result) {
    JsonNode changes = result.get("changes");
    if (changes == null || !changes.isArray()) {
      throw new RpcProtocolException("state_storage: expected {block, changes[]}, got " + result);
    }
    List<StorageChange> out = new ArrayList<>();
    for (JsonNode change : changes) {
      if (!change.isArray() || change.size() != 2) {
        throw new RpcProtocolException("state_storage: a change must be [key, value], got "
            + change);
      }
      byte[] key = HexBytes.decode(text(change.get(0), "state_storage key"), "state_storage key");
      JsonNode value = change.get(1);
      out.add(new StorageChange(key, value.isNull() ? Optional.empty()
          : Optional.of(HexBytes.decode(text(value, "state_storage value"),
              "state_storage value"))));
    }
    return out;
  }

  private static String text(JsonNode node, String what) {
    if (node == null || !node.isTextual()) {
      throw new RpcProtocolException(what + ": expected a hex string, got " + node);
    }
    return node.asText();
  }

  private static long u32(JsonNode node, String what) {
    if (node == null || !node.isIntegralNumber() || node.asLong() < 0
        || node.asLong() > 0xffff_ffffL) {
      throw new RpcProtocolException(what + ": expected a u32, got " + node);
    }
    return node.asLong();
  }
}
