package io.rmb.peer.twin;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.Signer;
import io.rmb.peer.identity.Ss58;
import io.rmb.peer.substrate.ChainApi;
import io.rmb.peer.substrate.HexBytes;
import io.rmb.peer.substrate.SignedExtrinsic;
import io.rmb.peer.substrate.TransactionContext;
import io.rmb.peer.substrate.UnsupportedRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes our relays and e2e key on tfchain, as rmb-peer does at start: when the twin's
 * on-chain relay set (compared as a set) or pk differ from ours, it submits
 * {@code TfgridModule.update_twin(relay, pk)} signed by our account, waits for finalization and
 * reads the twin back to confirm.
 *
 * <p>It runs in the background: {@link #start()} returns at once and the gateway must not wait
 * for it (rmb-peer once left nodes unreachable by blocking its start on the chain). The
 * future never fails: every problem becomes a {@link PublishOutcome.Status#FAILED} outcome
 * with a reason, and the whole run is bounded by {@link Builder#timeout(Duration)}. Outcomes
 * are logged and kept in {@link #lastOutcome()} for a metric.
 *
 * <p>It refuses to sign for a runtime {@code specVersion} outside
 * {@link #KNOWN_SPEC_VERSIONS}: pallet and call indices have moved between tfchain runtimes
 * without a transaction-version bump.
 *
 * <pre>{@code
 * TwinPublisher publisher = TwinPublisher.builder()
 *     .chain(chain).identity(identity).relays(Set.of("relay.grid.tf")).build();
 * publisher.start().thenAccept(outcome -> metrics.record(outcome.status()));
 * }</pre>
 */
public final class TwinPublisher {
  /** tfchain runtime versions whose {@code update_twin} index (25, 18) is verified. */
  public static final Set<Long> KNOWN_SPEC_VERSIONS = Set.of(149L);
  /** How long to wait for {@code update_twin} to be finalized. */
  public static final Duration DEFAULT_FINALIZATION_TIMEOUT = Duration.ofMinutes(2);
  /** Upper bound on the whole run. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

  private static final Logger LOG = LoggerFactory.getLogger(TwinPublisher.class);

  private final ChainApi chain;
  private final TfchainTwinDirectory directory;
  private final Signer signer;
  private final byte[] account;
  private final String address;
  private final Set<String> relays;
  private final byte[] publicKey;
  private final Set<Long> knownSpecVersions;
  private final Duration finalizationTimeout;
  private final Duration timeout;
  private final Clock clock;
  private final Consumer<PublishOutcome> onOutcome;
  private final AtomicReference<CompletableFuture<PublishOutcome>> run = new AtomicReference<>();
  private final AtomicReference<PublishOutcome> last = new AtomicReference<>();

  private TwinPublisher(Builder b) {
    this.chain = Objects.requireNonNull(b.chain, "chain");
    this.directory = new TfchainTwinDirectory(chain);
    this.signer = Objects.requireNonNull(b.signer, "signer (or identity)");
    this.account = signer.publicKey();
    this.address = Ss58.encode(account);
    if (b.relays.isEmpty()) {
      throw new IllegalArgumentException("at least one relay is required");
    }
    this.relays = Set.copyOf(b.relays);
    TfchainCodec.relayBytes(relays); // refuses a relay containing the '_' separator now
    if (b.publicKey != null && b.publicKey.length != 33) {
      throw new IllegalArgumentException("pk must be a 33-byte compressed secp256k1 key, got "
          + b.publicKey.length + " bytes");
    }
    this.publicKey = b.publicKey == null ? null : b.publicKey.clone();
    this.knownSpecVersions = Set.copyOf(b.knownSpecVersions);
    this.finalizationTimeout = positive(b.finalizationTimeout, "finalization timeout");
    this.timeout = positive(b.timeout, "timeout");
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.onOutcome = Objects.requireNonNull(b.onOutcome, "onOutcome");
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the run in the background and returns at once; a second call returns the same
   * future. The future completes normally with the outcome, never exceptionally.
   */
  public CompletableFuture<PublishOutcome> start() {
    CompletableFuture<PublishOutcome> outcome = new CompletableFuture<>();
    if (!run.compareAndSet(null, outcome)) {
      return run.get().copy();
    }
    long started = clock.millis();
    AtomicReference<String> step = new AtomicReference<>("starting");
    AtomicReference<Long> twinId = new AtomicReference<>();
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() ->
        finish(outcome, PublishOutcome.Status.FAILED, twinId.get(), "gave up after "
            + timeout.toMillis() + " ms while " + step.get(), started));
    // hop off the caller's thread before touching the network
    CompletableFuture.runAsync(() -> { })
        .thenCompose(ignored -> publish(step, twinId))
        .whenComplete((result, error) -> {
          if (error != null) {
            Throwable cause = TfchainTwinDirectory.unwrap(error);
            String reason = cause.getMessage() != null ? cause.getMessage() : cause.toString();
            finish(outcome, PublishOutcome.Status.FAILED, twinId.get(), reason, started);
          } else {
            finish(outcome, result.status(), twinId.get(), result.detail(), started);
          }
        });
    return outcome.copy();
  }

  /** The outcome of the run, once it ended. */
  public Optional<PublishOutcome> lastOutcome() {
    return Optional.ofNullable(last.get());
  }

  private CompletableFuture<Result> publish(AtomicReference<String> step,
      AtomicReference<Long> twinId) {
    step.set("resolving the twin of " + address);
    return directory.resolveTwinId(account).thenCompose(id -> {
      twinId.set(id);
      step.set("reading twin " + id);
      return directory.get(id).thenCompose(found -> {
        Twin twin = found.orElseThrow(() -> new TwinDirectoryException("account " + address
            + " maps to twin " + id + ", but Twins(" + id + ") is empty"));
        if (!Arrays.equals(twin.account(), account)) {
          throw new TwinDirectoryException("twin " + id + " belongs to account "
              + Ss58.encode(twin.account()) + ", not to " + address);
        }
        if (matches(twin)) {
          return CompletableFuture.completedFuture(new Result(PublishOutcome.Status.UP_TO_DATE,
              "relays " + sorted(relays) + " and pk " + pkText(publicKey) + " already on chain"));
        }
        LOG.info("twin {} on tfchain has relays {} and pk {}; publishing relays {} and pk {}",
            id, sorted(twin.relays()), pkText(twin.publicKey().orElse(null)), sorted(relays),
            pkText(publicKey));
        return update(id, step);
      });
    });
  }

  private CompletableFuture<Result> update(long id, AtomicReference<String> step) {
    step.set("reading runtime version, genesis hash and nonce");
    CompletableFuture<TransactionContext> context = chain.transactionContext();
    CompletableFuture<Long> nonce = chain.accountNextIndex(address);
    return context.thenCombine(nonce, (ctx, n) -> {
      if (!knownSpecVersions.contains(ctx.specVersion())) {
        throw new UnsupportedRuntimeException("tfchain runtime specVersion " + ctx.specVersion()
            + " is not one this client knows " + new TreeSet<>(knownSpecVersions)
            + "; refusing to sign update_twin since call indices may have moved");
      }
      byte[] call = TfchainCodec.updateTwinCall(relays, publicKey);
      return SignedExtrinsic.sign(call, signer, n, 0, ctx);
    }).thenCompose(extrinsic -> {
      step.set("waiting for update_twin to be finalized");
      return chain.submitAndWatch(extrinsic, finalizationTimeout,
          status -> LOG.debug("update_twin for twin {}: {}", id, status));
    }).thenCompose(block -> {
      step.set("reading twin " + id + " back");
      return directory.get(id).thenApply(found -> {
        Twin twin = found.orElseThrow(() -> new TwinDirectoryException("twin " + id
            + " is gone after update_twin was finalized in block " + block));
        if (!matches(twin)) {
          return new Result(PublishOutcome.Status.FAILED, "update_twin was finalized in block "
              + block + " but twin " + id + " still shows relays " + sorted(twin.relays())
              + " and pk " + pkText(twin.publicKey().orElse(null)));
        }
        return new Result(PublishOutcome.Status.UPDATED, "relays " + sorted(relays) + " and pk "
            + pkText(publicKey) + " published, finalized in block " + block);
      });
    });
  }

  private boolean matches(Twin twin) {
    return twin.relays().equals(relays)
        && Arrays.equals(twin.publicKey().orElse(null), publicKey);
  }

  private void finish(CompletableFuture<PublishOutcome> outcome, PublishOutcome.Status status,
      Long twinId, String detail, long started) {
    PublishOutcome result = new PublishOutcome(status,
        twinId == null ? OptionalLong.empty() : OptionalLong.of(twinId), detail,
        Duration.ofMillis(Math.max(0, clock.millis() - started)));
    if (!outcome.complete(result)) {
      return; // the run already ended (or timed out); report once
    }
    last.set(result);
    if (status == PublishOutcome.Status.FAILED) {
      LOG.warn("publishing our twin on tfchain failed; the gateway runs on, but peers may not"
          + " reach it through the new relays: {}", result);
    } else {
      LOG.info("publishing our twin on tfchain: {}", result);
    }
    try {
      onOutcome.accept(result);
    } catch (RuntimeException e) {
      LOG.warn("twin publish outcome listener failed", e);
    }
  }

  private static Set<String> sorted(Set<String> relays) {
    return new TreeSet<>(relays);
  }

  private static String pkText(byte[] pk) {
    return pk == null ? "(none)" : HexBytes.encode(pk);
  }

  private static Duration positive(Duration value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
    return value;
  }

  private record Result(PublishOutcome.Status status, String detail) {}

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private ChainApi chain;
    private Signer signer;
    private byte[] publicKey;
    private final Set<String> relays = new LinkedHashSet<>();
    private Set<Long> knownSpecVersions = KNOWN_SPEC_VERSIONS;
    private Duration finalizationTimeout = DEFAULT_FINALIZATION_TIMEOUT;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Clock clock = Clock.systemUTC();
    private Consumer<PublishOutcome> onOutcome = outcome -> { };

    private Builder() {}

    public Builder chain(ChainApi chain) {
      this.chain = chain;
      return this;
    }

    /**
     * Our account signer and its e2e public key as pk. A secret with a derivation path (such
     * as {@code //Alice}) has no e2e key: then no pk is published, which clears a pk already
     * on chain; call {@link #publicKey(byte[])} afterwards to choose otherwise.
     */
    public Builder identity(Identity identity) {
      this.signer = identity.signer();
      this.publicKey = identity.e2ePublicKey().orElse(null);
      return this;
    }

    /** The account key that signs {@code update_twin}; the twin is looked up by its key. */
    public Builder signer(Signer signer) {
      this.signer = signer;
      return this;
    }

    /** The 33-byte e2e key to publish, or null to publish none. */
    public Builder publicKey(byte[] publicKey) {
      this.publicKey = publicKey == null ? null : publicKey.clone();
      return this;
    }

    /** The relay domains to publish (at least one; no '_' inside). */
    public Builder relays(Collection<String> relays) {
      this.relays.clear();
      for (String relay : relays) {
        if (relay != null && !relay.isBlank()) {
          this.relays.add(relay.trim());
        }
      }
      return this;
    }

    /** Runtime spec versions to sign for; {@link #KNOWN_SPEC_VERSIONS} by default. */
    public Builder knownSpecVersions(Set<Long> knownSpecVersions) {
      this.knownSpecVersions = Set.copyOf(knownSpecVersions);
      return this;
    }

    public Builder finalizationTimeout(Duration finalizationTimeout) {
      this.finalizationTimeout = finalizationTimeout;
      return this;
    }

    /** Upper bound on the whole run, including connecting and reading back. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Called once with the outcome, e.g. to set a metric. */
    public Builder onOutcome(Consumer<PublishOutcome> onOutcome) {
      this.onOutcome = onOutcome;
      return this;
    }

    public TwinPublisher build() {
      return new TwinPublisher(this);
    }
  }
}
