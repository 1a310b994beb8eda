package io.rmb.bridge.redis;

import com.google.protobuf.InvalidProtocolBufferException;
import io.rmb.peer.runtime.IncomingRequest;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.UnmatchedAnswer;
import io.rmb.proto.Backlog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the network brings: requests for local services go to {@code msgbus.<cmd>} (answered
 * later from {@link Keys#REPLY}); answers this process is not waiting for (sent before a
 * restart) are routed by their {@code msgbus.backlog.<uid>} key, as rmb-peer does.
 */
final class Inbox {
  private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);

  private final RedisOps ops;
  private final BridgeMetrics metrics;
  private final Clock clock;
  private final RedisRetry retry;

  Inbox(RedisOps ops, BridgeMetrics metrics, Clock clock, RedisRetry retry) {
    this.ops = ops;
    this.metrics = metrics;
    this.clock = clock;
    this.retry = retry;
  }

  /** The fallback handler: queue the request for its service and answer later. */
  CompletionStage<Reply> request(IncomingRequest request) {
    byte[] json = RedisJson.incomingRequest(request, clock.instant().getEpochSecond());
    return ops.pushTrimmed(Keys.command(request.command()), json).thenApply(trimmed -> {
      metrics.incomingRequest();
      if (trimmed > 0) {
        metrics.trimmed("command", trimmed);
        LOG.warn("{} is full: {} oldest request(s) trimmed; is a service popping it?",
            Keys.command(request.command()), trimmed);
      }
      return Reply.later();
    });
  }

  /** An answer for a uid sent by an earlier run: look up where it goes. */
  void unmatched(UnmatchedAnswer answer) {
    retry.run("backlog", clock.instant().plus(RequestPipeline.ANSWER_RETRY),
        () -> ops.commands().get(Keys.backlog(answer.uid())).toCompletableFuture())
        .whenComplete((bytes, error) -> route(answer, bytes, error));
  }

  private void route(UnmatchedAnswer answer, byte[] bytes, Throwable error) {
    if (error != null) {
      metrics.answerDropped("redis");
      LOG.warn("answer {} from {} dropped: backlog unreadable ({})", answer.uid(),
          answer.source(), error.getMessage());
      return;
    }
    if (bytes == null) {
      metrics.answerDropped("no_backlog");
      LOG.warn("answer {} from {} dropped: no {} (expired, or not ours)", answer.uid(),
          answer.source(), Keys.backlog(answer.uid()));
      return;
    }
    Backlog backlog;
    try {
      backlog = Backlog.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      metrics.answerDropped("bad_backlog");
      LOG.warn("answer {} dropped: {} is not a Backlog", answer.uid(),
          Keys.backlog(answer.uid()));
      return;
    }
    // relay errors name no twin (0): they are pushed without the once-check
    String twin = answer.outcome().twin() == 0 ? "" : Long.toString(answer.outcome().twin());
    byte[] message = RedisJson.answer(backlog.hasReference() ? backlog.getReference() : null,
        answer.source(), answer.outcome(), clock.instant().getEpochSecond());
    // once-checked pushes are retried on a Redis error (a retry of one that ran is a
    // duplicate); a relay error's push is not, since running it twice would push it twice
    Instant until = clock.instant().plus(twin.isEmpty() ? Duration.ZERO
        : RequestPipeline.ANSWER_RETRY);
    retry.run("answer", until,
            () -> ops.answerOnce(answer.uid(), twin, backlog.getReplyTo(), message))
        .whenComplete((result, pushError) -> {
          if (pushError != null) {
            metrics.answerDropped("redis");
            LOG.warn("answer {} dropped: {}", answer.uid(), pushError.getMessage());
          } else if (result.duplicate()) {
            metrics.answerDropped("duplicate");
            LOG.debug("answer {} from {} dropped: {} answered already", answer.uid(),
                answer.source(), twin);
          } else {
            LOG.debug("answer {} from {} ({}) routed by its backlog to {}", answer.uid(),
                answer.source(), answer.outcome().kind(), backlog.getReplyTo());
            metrics.trimmed("ret", result.trimmed());
            metrics.answerPushed(answer.outcome().kind().name().toLowerCase(Locale.ROOT),
                true);
          }
        });
  }
}
