package io.rmb.peer.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One sent request: its uid, its deadline and one future per destination twin. Every future
 * completes exactly once, with a {@link Outcome} (never exceptionally): a response, an error,
 * or a timeout produced at the deadline.
 *
 * <pre>{@code
 * RequestHandle handle = peer.request(List.of(7L, 8L), "calc.add", "[1,2]".getBytes(UTF_8),
 *     Duration.ofSeconds(30));
 * handle.onOutcome(outcome -> log.info("{} -> {}", outcome.twin(), outcome.kind()));
 * List<Outcome> all = handle.all().join();
 * }</pre>
 */
public final class RequestHandle {
  private final String uid;
  private final Instant deadline;
  private final Map<Long, CompletableFuture<Outcome>> outcomes;

  RequestHandle(String uid, Instant deadline, Map<Long, CompletableFuture<Outcome>> internal) {
    this.uid = uid;
    this.deadline = deadline;
    Map<Long, CompletableFuture<Outcome>> copies = new LinkedHashMap<>();
    // callers get copies: completing one of them cannot forge the peer's own outcome
    internal.forEach((twin, future) -> copies.put(twin, future.copy()));
    this.outcomes = Collections.unmodifiableMap(copies);
  }

  /** The envelope uid shared by every destination. */
  public String uid() {
    return uid;
  }

  /** When unanswered destinations time out. */
  public Instant deadline() {
    return deadline;
  }

  /** The destination twins, in request order. */
  public List<Long> destinations() {
    return List.copyOf(outcomes.keySet());
  }

  /**
   * The outcome for {@code twin}.
   *
   * @throws IllegalArgumentException when {@code twin} is not a destination of this request
   */
  public CompletableFuture<Outcome> outcome(long twin) {
    CompletableFuture<Outcome> future = outcomes.get(twin);
    if (future == null) {
      throw new IllegalArgumentException("twin " + twin + " is not a destination of request "
          + uid + " " + outcomes.keySet());
    }
    return future;
  }

  /** Every destination's outcome, keyed by twin, in request order. */
  public Map<Long, CompletableFuture<Outcome>> outcomes() {
    return outcomes;
  }

  /** Completes when every destination has its outcome; the list is in request order. */
  public CompletableFuture<List<Outcome>> all() {
    List<CompletableFuture<Outcome>> futures = new ArrayList<>(outcomes.values());
    return CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
        .thenApply(ignored -> {
          List<Outcome> list = new ArrayList<>(futures.size());
          futures.forEach(f -> list.add(f.join()));
          return list;
        });
  }

  /**
   * Calls {@code callback} once per destination as its outcome arrives (on the thread that
   * completes it, or at once for outcomes that are already known).
   */
  public RequestHandle onOutcome(Consumer<Outcome> callback) {
    Objects.requireNonNull(callback, "callback");
    outcomes.values().forEach(f -> f.thenAccept(callback));
    return this;
  }

  @Override
  public String toString() {
    return "RequestHandle{uid=" + uid + ", deadline=" + deadline + ", destinations="
        + outcomes.keySet() + "}";
  }
}
