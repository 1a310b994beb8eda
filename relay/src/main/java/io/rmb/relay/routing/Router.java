package io.rmb.relay.routing;

import com.google.protobuf.ByteString;
import io.rmb.peer.envelope.Expiry;
import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.proto.Envelope;
import io.rmb.proto.Pong;
import io.rmb.relay.session.SessionKey;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Decides where one envelope received from a session goes (wire.md section 6), in rmb-rs's
 * order:
 *
 * <ol>
 *   <li>the source must be the sending session's (twin, sid): else {@link
 *       RouteFailure#WRONG_SOURCE};
 *   <li>a {@code ping} becomes a {@code pong} (source and destination swapped, "hello world"
 *       appended to {@code plain}) and is routed back to the sender;
 *   <li>destination twin 0: {@link RouteFailure#MISSING_DESTINATION};
 *   <li>the same envelope routed before and still valid: {@link RouteOutcome#DUPLICATE}, no
 *       answer (with a {@link ReplayFilter}; an envelope that is then refused is forgotten, so
 *       sending it again is a retry);
 *   <li>destination session connected here: deliver the received bytes unchanged;
 *   <li>otherwise look the destination twin up: unknown ({@link RouteFailure#UNKNOWN_TWIN}), no
 *       relays ({@link RouteFailure#RELAY_NOT_SET}), a relay domain in common with ours (queue
 *       for the session, or {@link RouteFailure#DESTINATION_OFFLINE} when tagged
 *       {@code fail-fast}), or none in common ({@link Federator}).
 * </ol>
 *
 * <p>Thread-safe and shared by all sessions. Nothing blocks: when the twin lookup completes,
 * routing continues on the executor the caller passes (the sending channel's event loop).
 */
public final class Router {
  private static final ByteString HELLO_WORLD = ByteString.copyFromUtf8("hello world");

  private final Set<String> domains;
  private final TwinDirectory twins;
  private final Switchboard switchboard;
  private final Federator federator;
  private final ReplayFilter replays;

  /** A router without replay filtering (as rmb-rs). */
  public Router(Set<String> domains, TwinDirectory twins, Switchboard switchboard,
      Federator federator) {
    this(domains, twins, switchboard, federator, null);
  }

  /**
   * @param domains this relay's domains, compared exactly (case-sensitive) with twins' relays
   * @param replays drops envelopes routed before, or null for none
   */
  public Router(Set<String> domains, TwinDirectory twins, Switchboard switchboard,
      Federator federator, ReplayFilter replays) {
    this.domains = Set.copyOf(domains);
    this.twins = Objects.requireNonNull(twins, "twins");
    this.switchboard = Objects.requireNonNull(switchboard, "switchboard");
    this.federator = Objects.requireNonNull(federator, "federator");
    this.replays = replays;
  }

  /**
   * Routes {@code envelope} ({@code bytes} as received) sent by the session {@code sender}.
   *
   * @param executor where to continue after an asynchronous step (the sender's event loop)
   * @return where it went; fails with a {@link RouteException} when the relay refuses it
   */
  public CompletionStage<RouteOutcome> route(SessionKey sender, Envelope envelope, byte[] bytes,
      Executor executor) {
    try {
      if (!SessionKey.of(envelope.hasSource() ? envelope.getSource() : null).equals(sender)) {
        throw new RouteException(RouteFailure.WRONG_SOURCE);
      }
      if (envelope.hasPing()) {
        envelope = pong(envelope);
        bytes = envelope.toByteArray();
      }
      SessionKey destination =
          SessionKey.of(envelope.hasDestination() ? envelope.getDestination() : null);
      if (destination.isEmpty()) {
        throw new RouteException(RouteFailure.MISSING_DESTINATION);
      }
      if (replays == null) {
        return routeChecked(envelope, bytes, destination, executor);
      }
      if (!replays.firstSeen(envelope)) {
        return CompletableFuture.completedFuture(RouteOutcome.DUPLICATE);
      }
      Envelope recorded = envelope;
      return routeChecked(envelope, bytes, destination, executor).whenComplete(
          (outcome, error) -> {
            if (error != null) {
              replays.forget(recorded);
            }
          });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(RouteException.of(e));
    }
  }

  private CompletionStage<RouteOutcome> routeChecked(Envelope envelope, byte[] bytes,
      SessionKey destination, Executor executor) {
    try {
      long deadline = Expiry.deadline(envelope.getTimestamp(), envelope.getExpiration());
      if (switchboard.isLocal(destination)) {
        return switchboard.send(destination, bytes, deadline);
      }
      return lookup(destination.twin())
          .thenComposeAsync(twin -> routeToTwin(envelope, bytes, destination, deadline, twin),
              executor);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(RouteException.of(e));
    }
  }

  /** The pong for {@code ping}: message swapped, addresses swapped, "hello world" appended. */
  static Envelope pong(Envelope ping) {
    Envelope.Builder pong = ping.toBuilder().setPong(Pong.getDefaultInstance())
        .clearSource()
        .clearDestination();
    if (ping.hasDestination()) {
      pong.setSource(ping.getDestination());
    }
    if (ping.hasSource()) {
      pong.setDestination(ping.getSource());
    }
    // like rmb-rs's mut_plain(): a cipher payload is replaced, a plain one is extended
    return pong.setPlain(ping.getPlain().concat(HELLO_WORLD)).build();
  }

  private CompletionStage<Optional<Twin>> lookup(long twin) {
    CompletionStage<Optional<Twin>> found;
    try {
      found = Objects.requireNonNull(twins.get(twin), "twin directory returned null");
    } catch (RuntimeException e) {
      found = CompletableFuture.failedFuture(e);
    }
    return found.handle((result, error) -> {
      if (error != null) {
        Throwable cause = RouteException.unwrap(error);
        throw new RouteException(RouteFailure.TWIN_LOOKUP_FAILED,
            RouteFailure.TWIN_LOOKUP_FAILED.message() + ": " + cause.getMessage(), cause);
      }
      return result;
    });
  }

  private CompletionStage<RouteOutcome> routeToTwin(Envelope envelope, byte[] bytes,
      SessionKey destination, long deadline, Optional<Twin> found) {
    Twin twin = found.orElseThrow(() -> new RouteException(RouteFailure.UNKNOWN_TWIN));
    if (twin.relays().isEmpty()) {
      throw new RouteException(RouteFailure.RELAY_NOT_SET);
    }
    if (Collections.disjoint(twin.relays(), domains)) {
      return federator.federate(envelope, bytes, twin)
          .thenApply(ignored -> RouteOutcome.FEDERATED);
    }
    // the twin is ours; its session may have connected while we looked it up
    if (switchboard.isLocal(destination)) {
      return switchboard.send(destination, bytes, deadline);
    }
    if (RelayErrors.isFailFast(envelope)) {
      // connected to another instance of this relay: the shared queue reaches it at once
      return switchboard.isConnectedAnywhere(destination).thenCompose(connected -> {
        if (!connected) {
          throw new RouteException(RouteFailure.DESTINATION_OFFLINE);
        }
        return enqueue(destination, bytes, deadline);
      });
    }
    return enqueue(destination, bytes, deadline);
  }

  private CompletionStage<RouteOutcome> enqueue(SessionKey destination, byte[] bytes,
      long deadline) {
    return switchboard.enqueue(destination, bytes, deadline)
        .handle((ignored, error) -> {
          if (error != null) {
            Throwable cause = RouteException.unwrap(error);
            throw new RouteException(RouteFailure.INTERNAL, RouteFailure.INTERNAL.message()
                + " '" + destination + "': " + cause.getMessage(), cause);
          }
          return RouteOutcome.QUEUED;
        });
  }
}
