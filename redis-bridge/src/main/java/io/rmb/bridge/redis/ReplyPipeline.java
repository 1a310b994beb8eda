package io.rmb.bridge.redis;

import io.rmb.peer.envelope.ProtocolException;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.transport.RelaySendException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Responses from {@link Keys#REPLY} (services answering {@code msgbus.<cmd>} requests) to
 * the network. Each stays in {@link Keys#REPLY_PROCESSING} until a relay took it; one left
 * there by a crash is sent again at start with the same uid, which the requester's replay
 * guard (or its bridge's answered set) turns into a no-op if the first copy arrived.
 * A reply that cannot be used or sent goes to {@link Keys#DEAD}, never into silence.
 */
final class ReplyPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ReplyPipeline.class);

  private final RmbPeer peer;
  private final RedisOps ops;
  private final BridgeMetrics metrics;
  private final Clock clock;
  private final BooleanSupplier closing;

  ReplyPipeline(RmbPeer peer, RedisOps ops, BridgeMetrics metrics, Clock clock,
      BooleanSupplier closing) {
    this.peer = peer;
    this.ops = ops;
    this.metrics = metrics;
    this.clock = clock;
    this.closing = closing;
  }

  void process(byte[] entry, boolean recovered) {
    RedisJson.LocalReply reply;
    try {
      reply = RedisJson.parseReply(entry);
    } catch (MalformedMessageException e) {
      deadLetter(entry, e.reason(), e.getMessage());
      return;
    }
    CompletableFuture<Void> sent;
    try {
      sent = peer.reply(reply.uid(), reply.twin(), reply.connection(), reply.reply());
    } catch (IllegalStateException e) {
      LOG.warn("reply {} not sent now ({}); it stays in {}", reply.uid(), e.getMessage(),
          Keys.REPLY_PROCESSING);
      return;
    }
    sent.whenComplete((ignored, error) -> {
      if (error == null) {
        metrics.replySent(recovered);
        ops.remove(Keys.REPLY_PROCESSING, entry).whenComplete((n, redisError) -> {
          if (redisError != null) {
            metrics.redisError("reply");
            LOG.warn("sent reply {} left in {} (Redis: {})", reply.uid(),
                Keys.REPLY_PROCESSING, redisError.getMessage());
          }
        });
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      if (cause instanceof RelaySendException.Closed || closing.getAsBoolean()) {
        return; // our shutdown: it stays in the processing list and goes out at next start
      }
      String reason = cause instanceof ProtocolException p ? "protocol_" + p.code()
          : cause instanceof RelaySendException ? "relay" : "send_failed";
      deadLetter(entry, reason, "reply " + reply.uid() + " to " + reply.twin()
          + " could not be sent: " + cause.getMessage());
    });
  }

  private void deadLetter(byte[] entry, String reason, String message) {
    LOG.warn("reply moved to {} ({}): {}", Keys.DEAD, reason, message);
    metrics.deadLettered(Keys.REPLY, reason);
    ops.finishAndPush(Keys.REPLY_PROCESSING, entry, Keys.DEAD, RedisJson.deadLetter(Keys.REPLY,
            reason + ": " + message, entry, clock.instant().getEpochSecond()))
        .whenComplete((trimmed, error) -> {
          if (error != null) {
            metrics.redisError("dead_letter");
            LOG.warn("dead reply stays in {} (Redis: {})", Keys.REPLY_PROCESSING,
                error.getMessage());
          } else {
            metrics.trimmed("dead", trimmed);
          }
        });
  }
}
