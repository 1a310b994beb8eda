package io.rmb.relay.federation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.envelope.Expiry;
import io.rmb.peer.envelope.ProtocolException.EnvelopeDecodeException;
import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.proto.Envelope;
import io.rmb.relay.routing.Federator;
import io.rmb.relay.routing.RelayErrors;
import io.rmb.relay.routing.RouteException;
import io.rmb.relay.routing.RouteFailure;
import io.rmb.relay.routing.Switchboard;
import io.rmb.relay.session.SessionKey;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Federation to other relays (wire.md section 6): {@link #federate} stores the envelope in a
 * {@link FederationQueue}; workers post it ({@code POST <scheme>://<domain>/}, the bytes as
 * received) to the destination twin's relays, best ranked first.
 *
 * <ul>
 *   <li>202: done. 4xx: that relay refuses for good (for example a fail-fast 404), the others
 *       are still tried (rmb-rs stops at the first 4xx, wire.md section 7). 5xx or no answer:
 *       the relay is downvoted in the {@link RelayRanker} and the others are tried.
 *   <li>When a round had a temporary failure, it is repeated after a growing delay until the
 *       envelope's deadline; then the sender of a request gets {@value #EXPIRED}.
 *   <li>When every relay refused for good, the sender gets {@value #REJECTED}.
 * </ul>
 *
 * <p>A job whose twin, as this instance's directory sees it now, lists one of our own domains
 * is not posted (to ourselves) but queued here for the twin's session, as the {@link
 * io.rmb.relay.routing.Router} would queue it, and counted in {@code
 * rmb.relay.federation.requeued}. Directories of relay instances lag a twin's move by
 * different amounts: the instance whose re-route sweep saw a twin leave may hand the job to an
 * instance that has not seen it yet; the envelope then waits in the queue until the sweeps
 * agree, instead of being refused by a relay that already knows better.
 *
 * <p>Posts are counted per remote relay and result in {@code rmb.relay.federation.posts}.
 */
public final class HttpFederator implements Federator, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpFederator.class);
  /** Error for an envelope whose deadline passed before any relay accepted it (rmb-rs). */
  public static final String EXPIRED = "message has expired";
  /** Error when every relay of the twin refused it with a 4xx (rmb-rs's wording). */
  public static final String REJECTED = "remote relay rejected permanently: destination offline";
  /** Error when the destination twin vanished from the directory meanwhile. */
  public static final String UNKNOWN_TWIN =
      "remote relay rejected permanently: unknown twin destination";
  /** Error when the destination twin has no relay any more. */
  public static final String NO_RELAY =
      "remote relay rejected permanently: relay is not set for this twin";

  private final FederationOptions options;
  private final Set<String> domains;
  private final FederationQueue queue;
  private final TwinDirectory twins;
  private final Switchboard switchboard;
  private final RelayRanker ranker;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final HttpClient http;
  private final ExecutorService workers;
  private final ScheduledExecutorService retries;
  private volatile boolean closed;

  /**
   * @param domains this relay's domains: a twin that lists one of them is queued here, not
   *     posted
   */
  public HttpFederator(FederationOptions options, Set<String> domains, FederationQueue queue,
      TwinDirectory twins, Switchboard switchboard, MeterRegistry metrics, Clock clock) {
    this.options = Objects.requireNonNull(options, "options");
    this.domains = Set.copyOf(domains);
    this.queue = Objects.requireNonNull(queue, "queue");
    this.twins = Objects.requireNonNull(twins, "twins");
    this.switchboard = Objects.requireNonNull(switchboard, "switchboard");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ranker = new RelayRanker(options.rankerPeriod(), clock);
    this.workers = Executors.newFixedThreadPool(options.workers(), daemons("rmb-federation"));
    this.retries = Executors.newSingleThreadScheduledExecutor(daemons("rmb-federation-retry"));
    this.http = HttpClient.newBuilder()
        .connectTimeout(options.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    metrics.gauge("rmb.relay.federation.pending", queue, FederationQueue::pending);
    queue.start(job -> submit(job, 0));
  }

  /** The ranker (tests and metrics look at it). */
  public RelayRanker ranker() {
    return ranker;
  }

  @Override
  public CompletionStage<Void> federate(Envelope envelope, byte[] bytes, Twin destination) {
    long deadline = Expiry.deadline(envelope.getTimestamp(), envelope.getExpiration());
    return queue.offer(bytes, deadline).handle((ignored, error) -> {
      if (error != null) {
        Throwable cause = RouteException.unwrap(error);
        throw new RouteException(RouteFailure.INTERNAL, RouteFailure.INTERNAL.message()
            + ": cannot store for federation: " + cause.getMessage(), cause);
      }
      return null;
    });
  }

  private void submit(FederationJob job, int round) {
    if (closed) {
      return; // a Redis job stays pending for the next instance; an in-memory one is lost
    }
    workers.execute(() -> {
      try {
        attempt(job, round);
      } catch (RuntimeException e) {
        LOG.warn("federation of {} failed unexpectedly, retrying", job, e);
        retry(job, round + 1);
      }
    });
  }

  private void attempt(FederationJob job, int round) {
    if (closed) {
      return;
    }
    Envelope envelope;
    try {
      envelope = Envelopes.decode(job.envelope());
    } catch (EnvelopeDecodeException e) {
      LOG.warn("dropping undecodable federation entry {}: {}", job, e.getMessage());
      settle(job, "undecodable");
      return;
    }
    if (job.deadline() <= Expiry.now(clock)) {
      giveUp(job, envelope, EXPIRED, "expired");
      return;
    }
    Optional<Twin> twin;
    try {
      twin = twins.get(Envelopes.destinationTwin(envelope)).toCompletableFuture()
          .get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      LOG.debug("federation of {}: twin lookup failed, retrying: {}", job, e.toString());
      retry(job, round + 1);
      return;
    }
    if (twin.isEmpty()) {
      giveUp(job, envelope, UNKNOWN_TWIN, "unknown_twin");
      return;
    }
    if (twin.get().relays().isEmpty()) {
      giveUp(job, envelope, NO_RELAY, "no_relay");
      return;
    }
    if (!Collections.disjoint(twin.get().relays(), domains)) {
      requeue(job, envelope, round);
      return;
    }
    boolean temporary = false;
    for (String domain : ranker.rank(twin.get().relays())) {
      Result result = post(domain, job.envelope());
      count(domain, result);
      if (result == Result.SUCCESS) {
        settle(job, null);
        return;
      }
      if (result == Result.UNAVAILABLE) {
        ranker.downvote(domain);
        temporary = true;
      }
    }
    if (temporary) {
      retry(job, round + 1);
    } else {
      giveUp(job, envelope, REJECTED, "rejected");
    }
  }

  private Result post(String domain, byte[] body) {
    HttpRequest request = HttpRequest.newBuilder(options.endpoint(domain))
        .timeout(options.requestTimeout())
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status == 202) {
        return Result.SUCCESS;
      }
      LOG.debug("relay {} answered {} to a federated envelope", domain, status);
      return status >= 400 && status < 500 ? Result.REJECTED : Result.UNAVAILABLE;
    } catch (IOException e) {
      LOG.debug("relay {} unreachable: {}", domain, e.toString());
      return Result.UNAVAILABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.UNAVAILABLE;
    }
  }

  /** The twin is ours as far as this instance knows: deliver or queue here (see above). */
  private void requeue(FederationJob job, Envelope envelope, int round) {
    SessionKey destination = SessionKey.of(envelope.getDestination());
    switchboard.send(destination, job.envelope(), job.deadline()).whenComplete(
        (outcome, error) -> {
          if (error != null) {
            LOG.debug("federation of {}: cannot queue it here, retrying: {}", job,
                error.toString());
            retry(job, round + 1);
            return;
          }
          metrics.counter("rmb.relay.federation.requeued").increment();
          settle(job, null);
        });
  }

  private void retry(FederationJob job, int round) {
    if (closed) {
      return;
    }
    queue.touch(job);
    long base = options.retryDelay().toMillis() << Math.min(round - 1, 16);
    long delay = Math.min(base, options.maxRetryDelay().toMillis());
    // never sleep past the deadline: the next attempt reports the expiry on time
    long untilDeadline = job.deadline() * 1000L - clock.millis();
    retries.schedule(() -> submit(job, round), Math.max(0, Math.min(delay, untilDeadline)),
        TimeUnit.MILLISECONDS);
  }

  private void giveUp(FederationJob job, Envelope envelope, String message, String reason) {
    LOG.debug("federation of {} given up: {}", envelope.getUid(), message);
    if (RelayErrors.answers(envelope) && envelope.hasSource()) {
      SessionKey sender = SessionKey.of(envelope.getSource());
      Envelope error = RelayErrors.errorFor(envelope, message, sender, clock);
      switchboard.send(sender, error.toByteArray(),
              Expiry.deadline(error.getTimestamp(), error.getExpiration()))
          .exceptionally(failure -> {
            LOG.warn("relay error for {} to {} lost", envelope.getUid(), sender, failure);
            return null;
          });
    }
    settle(job, reason);
  }

  private void settle(FederationJob job, String givenUp) {
    if (givenUp != null) {
      metrics.counter("rmb.relay.federation.given.up", "reason", givenUp).increment();
    }
    queue.complete(job);
  }

  private void count(String domain, Result result) {
    Counter.builder("rmb.relay.federation.posts")
        .description("posts of envelopes to other relays, by relay and result")
        .tag("relay", domain)
        .tag("result", result.label)
        .register(metrics)
        .increment();
  }

  /** Stops posting; pending Redis jobs stay for another instance or the next start. */
  @Override
  public void close() {
    closed = true;
    retries.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    queue.close();
  }

  @Override
  public String toString() {
    return "HttpFederator{" + options + "}";
  }

  private static java.util.concurrent.ThreadFactory daemons(String name) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private enum Result {
    SUCCESS("success"),
    REJECTED("rejected"),
    UNAVAILABLE("unavailable");

    final String label;

    Result(String label) {
      this.label = label;
    }
  }
}
