package io.rmb.peer.runtime;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests waiting for their outcomes, by uid. Each destination's future is completed once;
 * later answers for it are reported as {@link Match#ALREADY_DONE} so the caller can count them.
 *
 * <p>Futures are completed outside the per-request lock, so user callbacks never run under it.
 */
final class PendingRequests {
  /** What happened to an incoming answer. */
  enum Match {
    MATCHED,
    /** No request with that uid is waiting (never sent, or every destination finished). */
    UNKNOWN_UID,
    /** The uid is known but the answering twin was not asked. */
    UNEXPECTED_SOURCE,
    /** That destination already has its outcome. */
    ALREADY_DONE,
    /** A relay error that cannot be tied to one destination yet; kept until it can. */
    DEFERRED
  }

  private final Map<String, Request> byUid = new ConcurrentHashMap<>();

  /** Registers a request; returns the internal futures, one per destination. */
  Map<Long, CompletableFuture<Outcome>> register(String uid, List<Long> destinations,
      Instant deadline) {
    Request request = new Request(uid, deadline, destinations);
    if (byUid.putIfAbsent(uid, request) != null) {
      throw new IllegalStateException("duplicate request uid " + uid);
    }
    return request.futures();
  }

  /** Attaches the deadline timer so finishing early can cancel it. */
  void timer(String uid, Scheduler.Cancellable timer) {
    Request request = byUid.get(uid);
    if (request == null) {
      timer.cancel();
      return;
    }
    synchronized (request) {
      if (request.open == 0) {
        timer.cancel();
      } else {
        request.timer = timer;
      }
    }
  }

  /** A signed response or error from {@code twin}. */
  Match answer(String uid, long twin, Outcome outcome) {
    Request request = byUid.get(uid);
    if (request == null) {
      return Match.UNKNOWN_UID;
    }
    List<Runnable> completions = new ArrayList<>();
    Match match;
    synchronized (request) {
      Destination d = request.destinations.get(twin);
      if (d == null) {
        match = Match.UNEXPECTED_SOURCE;
      } else if (d.done) {
        match = Match.ALREADY_DONE;
      } else {
        request.finish(d, outcome, completions);
        request.attributeRelayErrors(completions);
        match = Match.MATCHED;
      }
    }
    finish(request, completions);
    return match;
  }

  /**
   * An unsigned relay error for {@code uid}. A relay error names no destination, so it is
   * applied only once it is unambiguous: when no more destinations are open than relay errors
   * are known (each destination yields at most one answer or one relay error).
   */
  Match relayError(String uid, long code, String message) {
    Request request = byUid.get(uid);
    if (request == null) {
      return Match.UNKNOWN_UID;
    }
    List<Runnable> completions = new ArrayList<>();
    synchronized (request) {
      request.relayErrors.add(new Outcome.Error(0, Outcome.Origin.RELAY, code, message));
      request.attributeRelayErrors(completions);
    }
    finish(request, completions);
    return completions.isEmpty() ? Match.DEFERRED : Match.MATCHED;
  }

  /** The envelope for {@code twin} was handed to a relay. */
  void markSent(String uid, long twin) {
    Request request = byUid.get(uid);
    if (request != null) {
      synchronized (request) {
        Destination d = request.destinations.get(twin);
        if (d != null) {
          d.sent = true;
        }
      }
    }
  }

  /** A local failure for one destination (unknown twin, encryption, send). */
  void fail(String uid, long twin, long code, String message) {
    answer(uid, twin, new Outcome.Error(twin, Outcome.Origin.LOCAL, code, message));
  }

  /**
   * The deadline has come: open destinations whose envelope went out time out; those never
   * handed to a relay fail locally, which says more than a timeout.
   */
  void expire(String uid) {
    Request request = byUid.get(uid);
    if (request == null) {
      return;
    }
    List<Runnable> completions = new ArrayList<>();
    synchronized (request) {
      for (Destination d : request.destinations.values()) {
        if (!d.done) {
          Outcome outcome = d.sent ? new Outcome.Timeout(d.twin, request.deadline)
              : new Outcome.Error(d.twin, Outcome.Origin.LOCAL, 500,
                  "request was not sent: no relay connection took it before the deadline "
                      + request.deadline);
          request.finish(d, outcome, completions);
        }
      }
    }
    finish(request, completions);
  }

  /** Completes every open destination with a local error; returns how many. */
  int closeAll(String message) {
    int count = 0;
    for (Request request : byUid.values()) {
      List<Runnable> completions = new ArrayList<>();
      synchronized (request) {
        for (Destination d : request.destinations.values()) {
          if (!d.done) {
            request.finish(d, new Outcome.Error(d.twin, Outcome.Origin.LOCAL, 500, message),
                completions);
          }
        }
      }
      count += completions.size();
      finish(request, completions);
    }
    return count;
  }

  /** Requests with at least one open destination. */
  int size() {
    return byUid.size();
  }

  private void finish(Request request, List<Runnable> completions) {
    Scheduler.Cancellable timer = null;
    synchronized (request) {
      if (request.open == 0) {
        byUid.remove(request.uid, request);
        timer = request.timer;
        request.timer = null;
      }
    }
    if (timer != null) {
      timer.cancel();
    }
    completions.forEach(Runnable::run);
  }

  private static final class Destination {
    final long twin;
    final CompletableFuture<Outcome> future = new CompletableFuture<>();
    boolean sent;
    boolean done;

    Destination(long twin) {
      this.twin = twin;
    }
  }

  private static final class Request {
    final String uid;
    final Instant deadline;
    final Map<Long, Destination> destinations = new LinkedHashMap<>();
    final Deque<Outcome.Error> relayErrors = new ArrayDeque<>();
    int open;
    Scheduler.Cancellable timer;

    Request(String uid, Instant deadline, List<Long> twins) {
      this.uid = uid;
      this.deadline = deadline;
      for (long twin : twins) {
        destinations.put(twin, new Destination(twin));
      }
      this.open = destinations.size();
    }

    Map<Long, CompletableFuture<Outcome>> futures() {
      Map<Long, CompletableFuture<Outcome>> map = new LinkedHashMap<>();
      destinations.forEach((twin, d) -> map.put(twin, d.future));
      return map;
    }

    void finish(Destination d, Outcome outcome, List<Runnable> completions) {
      d.done = true;
      open--;
      completions.add(() -> d.future.complete(outcome));
    }

    void attributeRelayErrors(List<Runnable> completions) {
      if (relayErrors.isEmpty() || open > relayErrors.size()) {
        return;
      }
      for (Destination d : destinations.values()) {
        if (!d.done && !relayErrors.isEmpty()) {
          Outcome.Error e = relayErrors.poll();
          finish(d, new Outcome.Error(d.twin, e.origin(), e.code(), e.message()), completions);
        }
      }
    }
  }
}
