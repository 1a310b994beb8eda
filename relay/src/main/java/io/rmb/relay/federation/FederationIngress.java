package io.rmb.relay.federation;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.envelope.Expiry;
import io.rmb.peer.envelope.ProtocolException.EnvelopeDecodeException;
import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.proto.Envelope;
import io.rmb.relay.http.HttpRoute;
import io.rmb.relay.http.HttpRoutes;
import io.rmb.relay.routing.RelayErrors;
import io.rmb.relay.routing.ReplayFilter;
import io.rmb.relay.routing.RouteFailure;
import io.rmb.relay.routing.Switchboard;
import io.rmb.relay.session.SessionKey;
import java.time.Clock;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code POST /}: another relay hands in an envelope (the raw bytes) for one of our twins.
 *
 * <ul>
 *   <li>202: delivered to the session or queued for it (anywhere in this relay's population).
 *   <li>4xx, permanent: undecodable (400), no destination (400), expired (400), unknown twin
 *       (400), a twin we do not host (400: no relay domain in common with ours), or tagged
 *       {@code fail-fast} while the session is not connected (404 "destination offline", as
 *       rmb-rs).
 *   <li>5xx, temporary: the twin directory (503) or the queue (500) failed.
 *   <li>Bodies over the relay's maximum body size are refused with 413 before they get here.
 *   <li>An envelope accepted before and still valid (same source, destination, uid and kind,
 *       see {@link ReplayFilter}) is answered 202 again but not delivered again: a relay that
 *       retries a post whose answer it lost must not see a failure, and a replayed capture
 *       must not reach the twin twice. Counted as a duplicate.
 * </ul>
 *
 * <p>Federation is unauthenticated (as in rmb-rs): anyone can post. What protects the twins
 * is that envelopes are signed by their sender and checked by the receiving peer; this door
 * only makes sure we accept nothing we would not route: a twin we host, a live envelope, a
 * bounded body.
 */
public final class FederationIngress implements HttpRoute {
  private final Set<String> domains;
  private final TwinDirectory twins;
  private final Switchboard switchboard;
  private final Clock clock;
  private final LongAdder accepted = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final ReplayFilter replays;

  /** An ingress without replay filtering. */
  public FederationIngress(Set<String> domains, TwinDirectory twins, Switchboard switchboard,
      Clock clock) {
    this(domains, twins, switchboard, clock, null);
  }

  /**
   * @param replays remembers what was accepted (shared with the {@link
   *     io.rmb.relay.routing.Router}), or null for none
   */
  public FederationIngress(Set<String> domains, TwinDirectory twins, Switchboard switchboard,
      Clock clock, ReplayFilter replays) {
    this.domains = Set.copyOf(domains);
    this.twins = Objects.requireNonNull(twins, "twins");
    this.switchboard = Objects.requireNonNull(switchboard, "switchboard");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.replays = replays;
  }

  @Override
  public HttpMethod method() {
    return HttpMethod.POST;
  }

  @Override
  public String path() {
    return "/";
  }

  /** Envelopes accepted (202) so far. */
  public long accepted() {
    return accepted.sum();
  }

  /** Envelopes refused (4xx or 5xx) so far. */
  public long refused() {
    return refused.sum();
  }

  /** Envelopes answered 202 but not delivered again: accepted before and still valid. */
  public long duplicates() {
    return duplicates.sum();
  }

  @Override
  public CompletionStage<FullHttpResponse> handle(FullHttpRequest request) {
    byte[] bytes = ByteBufUtil.getBytes(request.content());
    Envelope envelope;
    try {
      envelope = Envelopes.decode(bytes);
    } catch (EnvelopeDecodeException e) {
      return refuse(HttpResponseStatus.BAD_REQUEST, "cannot decode envelope: " + e.getMessage());
    }
    SessionKey destination =
        SessionKey.of(envelope.hasDestination() ? envelope.getDestination() : null);
    if (destination.isEmpty()) {
      return refuse(HttpResponseStatus.BAD_REQUEST, RouteFailure.MISSING_DESTINATION.message());
    }
    long deadline = Expiry.deadline(envelope.getTimestamp(), envelope.getExpiration());
    if (deadline <= Expiry.now(clock)) {
      return refuse(HttpResponseStatus.BAD_REQUEST, HttpFederator.EXPIRED);
    }
    CompletionStage<Optional<Twin>> lookup;
    try {
      lookup = twins.get(destination.twin());
    } catch (RuntimeException e) {
      lookup = CompletableFuture.failedFuture(e);
    }
    return lookup.handle((twin, error) -> {
      if (error != null) {
        return refused(HttpResponseStatus.SERVICE_UNAVAILABLE,
            RouteFailure.TWIN_LOOKUP_FAILED.message());
      }
      if (twin.isEmpty()) {
        return refused(HttpResponseStatus.BAD_REQUEST, RouteFailure.UNKNOWN_TWIN.message());
      }
      if (Collections.disjoint(twin.get().relays(), domains)) {
        return refused(HttpResponseStatus.BAD_REQUEST,
            "twin " + destination.twin() + " is not hosted by this relay");
      }
      return null;
    }).thenCompose(refusal -> {
      if (refusal != null) {
        return CompletableFuture.completedFuture(refusal);
      }
      if (RelayErrors.isFailFast(envelope)) {
        return switchboard.isConnectedAnywhere(destination).thenCompose(connected -> connected
            ? deliver(envelope, destination, bytes, deadline)
            : refuse(HttpResponseStatus.NOT_FOUND, RouteFailure.DESTINATION_OFFLINE.message()));
      }
      return deliver(envelope, destination, bytes, deadline);
    });
  }

  private CompletionStage<FullHttpResponse> deliver(Envelope envelope, SessionKey destination,
      byte[] bytes, long deadline) {
    if (replays != null && !replays.firstSeen(envelope)) {
      duplicates.increment();
      return CompletableFuture.completedFuture(HttpRoutes.text(HttpResponseStatus.ACCEPTED, ""));
    }
    return switchboard.send(destination, bytes, deadline).handle((outcome, error) -> {
      if (error != null) {
        if (replays != null) {
          replays.forget(envelope); // not accepted: the sender's retry is no replay
        }
        return refused(HttpResponseStatus.INTERNAL_SERVER_ERROR,
            RouteFailure.INTERNAL.message() + ": " + error.getMessage());
      }
      accepted.increment();
      return HttpRoutes.text(HttpResponseStatus.ACCEPTED, "");
    });
  }

  private CompletionStage<FullHttpResponse> refuse(HttpResponseStatus status, String reason) {
    return CompletableFuture.completedFuture(refused(status, reason));
  }

  private FullHttpResponse refused(HttpResponseStatus status, String reason) {
    refused.increment();
    return HttpRoutes.text(status, reason);
  }

  @Override
  public String toString() {
    return "FederationIngress{POST /, domains=" + domains + "}";
  }
}
