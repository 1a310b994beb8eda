package io.rmb.peer.twin;

import io.rmb.peer.identity.Ss58;
import io.rmb.peer.substrate.ChainApi;
import io.rmb.peer.substrate.ScaleException;
import io.rmb.peer.substrate.SubstrateClient;
import io.rmb.peer.substrate.SubstrateException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Twins read from tfchain with {@code state_getStorage} ({@code TfgridModule.Twins(id)}).
 *
 * <p>An absent twin completes with {@link Optional#empty()}; an unreachable chain, a node
 * error or a malformed value completes exceptionally with a {@link TwinDirectoryException}
 * whose cause is the {@link SubstrateException}. Every call is a network round trip, so put a
 * {@link CachingTwinDirectory} in front (rmb-peer caches for 5 minutes) and, to hear about
 * changes sooner, a {@link TwinChangeWatcher}:
 *
 * <pre>{@code
 * SubstrateClient client = SubstrateClient.create("wss://tfchain.grid.tf:443");
 * TfchainTwinDirectory chain = new TfchainTwinDirectory(new ChainApi(client));
 * CachingTwinDirectory twins = new CachingTwinDirectory(chain);
 * long me = chain.resolveTwinId(identity.publicKey()).get(); // fails if we have no twin
 * }</pre>
 *
 * Thread-safe; closing the client is the owner's job.
 */
public final class TfchainTwinDirectory implements TwinDirectory {
  private final ChainApi chain;

  public TfchainTwinDirectory(ChainApi chain) {
    this.chain = Objects.requireNonNull(chain, "chain");
  }

  /** A directory over {@code client}. */
  public TfchainTwinDirectory(SubstrateClient client) {
    this(new ChainApi(client));
  }

  /** The chain this directory reads. */
  public ChainApi chain() {
    return chain;
  }

  @Override
  public CompletableFuture<Optional<Twin>> get(long id) {
    if (id < 0 || id > 0xffff_ffffL) {
      return CompletableFuture.failedFuture(
          new TwinDirectoryException("twin id must be a u32, got " + id));
    }
    return read(chain.storage(TfchainCodec.twinKey(id)), "twin " + id, value -> {
      Twin twin = TfchainCodec.decodeTwin(value);
      if (twin.id() != id) {
        throw new TwinDirectoryException("tfchain answered twin " + twin.id()
            + " for Twins(" + id + ")");
      }
      return twin;
    });
  }

  /** The id of the twin that {@code account} (32-byte public key) owns, if any. */
  @Override
  public CompletableFuture<OptionalLong> twinIdOf(byte[] account) {
    byte[] key = TfchainCodec.twinIdByAccountKey(account);
    return read(chain.storage(key), "the twin of account " + Ss58.encode(account),
        TfchainCodec::decodeTwinId)
        .thenApply(id -> id.isPresent() ? OptionalLong.of(id.get()) : OptionalLong.empty());
  }

  /**
   * Our own twin id, from our account key: fails with a {@link TwinDirectoryException}
   * "account 5F... has no twin on tfchain" when the account has not created one.
   */
  public CompletableFuture<Long> resolveTwinId(byte[] account) {
    String address = Ss58.encode(account);
    return twinIdOf(account).thenApply(id -> {
      if (id.isEmpty()) {
        throw new TwinDirectoryException("account " + address + " has no twin on tfchain;"
            + " create one first (for example with the ThreeFold dashboard)");
      }
      return id.getAsLong();
    });
  }

  /**
   * Completes a fresh future (so callers get the TwinDirectoryException itself, not a wrapper)
   * with the decoded value, mapping every failure to a TwinDirectoryException.
   */
  private static <T> CompletableFuture<Optional<T>> read(CompletableFuture<Optional<byte[]>> raw,
      String what, Function<byte[], T> decode) {
    CompletableFuture<Optional<T>> out = new CompletableFuture<>();
    raw.whenComplete((value, error) -> {
      if (error != null) {
        Throwable cause = unwrap(error);
        out.completeExceptionally(cause instanceof TwinDirectoryException ? cause
            : new TwinDirectoryException("cannot read " + what + " from tfchain: "
                + cause.getMessage(), cause));
        return;
      }
      try {
        out.complete(value.map(decode));
      } catch (ScaleException e) {
        out.completeExceptionally(new TwinDirectoryException(what + " on tfchain is malformed: "
            + e.getMessage(), e));
      } catch (RuntimeException e) {
        out.completeExceptionally(e instanceof TwinDirectoryException ? e
            : new TwinDirectoryException(what + " on tfchain is invalid: " + e.getMessage(), e));
      }
    });
    return out;
  }

  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof java.util.concurrent.CompletionException
        || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
