package io.rmb.relay.websocket;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.envelope.Expiry;
import io.rmb.peer.envelope.ProtocolException.EnvelopeDecodeException;
import io.rmb.proto.Envelope;
import io.rmb.relay.limit.FixedWindowRateLimiter;
import io.rmb.relay.routing.RelayErrors;
import io.rmb.relay.routing.RouteException;
import io.rmb.relay.routing.RouteOutcome;
import io.rmb.relay.routing.Router;
import io.rmb.relay.routing.Switchboard;
import io.rmb.relay.stats.DropReason;
import io.rmb.relay.stats.RelayCounters;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frame rules of one WebSocket session (wire.md section 6).
 *
 * <ul>
 *   <li>Binary frame: decode the envelope (undecodable: close the connection with 1007), route
 *       it; a refused request gets a relay error envelope back, anything else refused is only
 *       counted.
 *   <li>Text frame: close the connection with 1003 (rmb-rs disconnects; wire code 100).
 *   <li>Ping: pong. Close: echo and close. Frames of a session that was replaced are ignored.
 * </ul>
 *
 * <p>Frames of one connection are routed one at a time, in order, as rmb-rs does: while a route
 * waits for a twin lookup or the queue, later frames wait in a small inbox and the connection
 * stops reading. That keeps one sender's envelopes in order even when the first one must be
 * looked up and the second could go straight to a live session.
 */
public final class WebSocketSessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketSessionHandler.class);
  /** The relay error for an envelope over the rate limit (rmb-rs's text). */
  public static final String RATE_LIMITED = "exceeded rate limits, dropping message";

  private final ChannelSession session;
  private final Router router;
  private final Switchboard switchboard;
  private final RelayCounters counters;
  private final Clock clock;
  private final FixedWindowRateLimiter limiter;

  // owned by the event loop
  private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
  private boolean routing;
  private boolean closing;

  public WebSocketSessionHandler(ChannelSession session, Router router, Switchboard switchboard,
      RelayCounters counters, Clock clock) {
    this(session, router, switchboard, counters, clock, null);
  }

  /**
   * @param limiter the rate limiter, or null for none: an envelope over the limit is not
   *     routed; a request gets the relay error {@value #RATE_LIMITED}, the connection stays
   */
  public WebSocketSessionHandler(ChannelSession session, Router router, Switchboard switchboard,
      RelayCounters counters, Clock clock, FixedWindowRateLimiter limiter) {
    this.limiter = limiter;
    this.session = Objects.requireNonNull(session, "session");
    this.router = Objects.requireNonNull(router, "router");
    this.switchboard = Objects.requireNonNull(switchboard, "switchboard");
    this.counters = Objects.requireNonNull(counters, "counters");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The session this handler serves. */
  public ChannelSession session() {
    return session;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof BinaryWebSocketFrame) {
      byte[] bytes = ByteBufUtil.getBytes(frame.content());
      counters.frameIn(bytes.length);
      if (closing || !session.isOpen()) {
        // replaced or closing: like rmb-rs, the old connection is no longer read
        return;
      }
      if (limiter != null && !limiter.tryAcquire(session.key().twin(), bytes.length)) {
        counters.rateLimited();
        refuseOverLimit(bytes);
        return;
      }
      inbox.addLast(bytes);
      processInbox(ctx);
    } else if (frame instanceof TextWebSocketFrame) {
      protocolClose(ctx, WebSocketCloseStatus.INVALID_MESSAGE_TYPE,
          "text frames are not supported, send binary envelopes");
    } else if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof CloseWebSocketFrame) {
      closing = true;
      ctx.writeAndFlush(frame.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
    }
    // pong frames (and continuations, which the aggregator in front of us merges) need nothing
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closing = true;
    inbox.clear();
    session.closed();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // oversized or corrupt frames: Netty's decoder has already sent the close frame
    LOG.debug("session {}: closing after {}", session.key(), cause.toString());
    closing = true;
    ctx.close();
  }

  private void processInbox(ChannelHandlerContext ctx) {
    while (!routing && !closing) {
      byte[] bytes = inbox.pollFirst();
      if (bytes == null) {
        return;
      }
      Envelope envelope;
      try {
        envelope = Envelopes.decode(bytes);
      } catch (EnvelopeDecodeException e) {
        LOG.debug("session {}: undecodable frame, closing: {}", session.key(), e.getMessage());
        protocolClose(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "cannot decode envelope");
        return;
      }
      CompletableFuture<RouteOutcome> routed =
          router.route(session.key(), envelope, bytes, ctx.executor()).toCompletableFuture();
      if (routed.isDone()) {
        finish(envelope, routed);
        continue;
      }
      routing = true;
      ctx.channel().config().setAutoRead(false);
      routed.whenComplete((outcome, error) -> ctx.executor().execute(() -> {
        routing = false;
        finish(envelope, routed);
        if (!closing) {
          ctx.channel().config().setAutoRead(true);
          processInbox(ctx);
        }
      }));
    }
  }

  private void refuseOverLimit(byte[] bytes) {
    Envelope envelope;
    try {
      envelope = Envelopes.decode(bytes);
    } catch (EnvelopeDecodeException e) {
      counters.dropped(DropReason.UNANSWERED);
      return;
    }
    if (!RelayErrors.answers(envelope)) {
      counters.dropped(DropReason.UNANSWERED);
      return;
    }
    answer(envelope, RATE_LIMITED);
  }

  private void finish(Envelope envelope, CompletableFuture<RouteOutcome> routed) {
    if (!routed.isCompletedExceptionally()) {
      counters.routed(routed.join());
      return;
    }
    RouteException refused = RouteException.of(routed.handle((outcome, error) -> error).join());
    counters.refused(refused.failure());
    LOG.debug("session {}: envelope {} refused: {}", session.key(), envelope.getUid(),
        refused.getMessage());
    if (!RelayErrors.answers(envelope)) {
      counters.dropped(DropReason.UNANSWERED);
      return;
    }
    answer(envelope, refused.getMessage());
  }

  private void answer(Envelope envelope, String message) {
    // to the sending session (also when the claimed source is wrong: that is who must hear)
    Envelope answer = RelayErrors.errorFor(envelope, message, session.key(), clock);
    counters.errorSent();
    switchboard.send(session.key(), answer.toByteArray(),
            Expiry.deadline(answer.getTimestamp(), answer.getExpiration()))
        .exceptionally(failure -> {
          LOG.warn("session {}: relay error for {} lost", session.key(), envelope.getUid(),
              failure);
          counters.dropped(DropReason.QUEUE_ERROR);
          return null;
        });
  }

  private void protocolClose(ChannelHandlerContext ctx, WebSocketCloseStatus status,
      String reason) {
    if (closing) {
      return;
    }
    closing = true;
    inbox.clear();
    counters.protocolClose();
    ctx.writeAndFlush(new CloseWebSocketFrame(status.code(), reason))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
