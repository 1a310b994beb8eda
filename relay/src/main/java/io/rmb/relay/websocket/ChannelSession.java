package io.rmb.relay.websocket;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.rmb.peer.envelope.Expiry;
import io.rmb.relay.queue.OfflineQueue;
import io.rmb.relay.queue.QueuedEnvelope;
import io.rmb.relay.routing.Switchboard;
import io.rmb.relay.session.Session;
import io.rmb.relay.session.SessionKey;
import io.rmb.relay.stats.DropReason;
import io.rmb.relay.stats.RelayCounters;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Session} that writes binary WebSocket frames to a Netty channel.
 *
 * <p>Ordering. Until a drain has emptied the offline queue the session is not <em>live</em>:
 * live envelopes handed to it wait in a buffer and are written after the queued ones, so live
 * traffic never overtakes what was queued before. A session starts not live (the switchboard
 * drains it on registration) and goes back to not live whenever asked to {@link #drain()} again.
 * A drain peeks a batch, writes it, acknowledges it once the last write succeeded, and repeats
 * until the queue has nothing left.
 *
 * <p>Nothing handed over is lost to a closing connection: a closed session gives live and
 * buffered envelopes back to the queue (where the next connection finds them), and queued
 * envelopes are acknowledged only after they were written.
 *
 * <p>Thread-safe: every method hops to the channel's event loop, which owns all state.
 */
public final class ChannelSession implements Session {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelSession.class);

  /** Envelopes read from the queue per round trip while draining. */
  static final int DRAIN_BATCH = 64;

  private final SessionKey key;
  private final Channel channel;
  private final EventLoop loop;
  private final OfflineQueue queue;
  private final Switchboard switchboard;
  private final RelayCounters counters;
  private final Clock clock;
  private final int bufferLimit;

  // owned by the event loop
  private final ArrayDeque<Buffered> buffered = new ArrayDeque<>();
  private boolean live;
  private boolean draining;
  private boolean drainAgain;
  private volatile boolean open = true;

  /**
   * @param bufferLimit live envelopes kept while draining; beyond it the oldest is dropped
   *     (counted as {@link DropReason#QUEUE_FULL}), like the queue's own bound
   */
  public ChannelSession(SessionKey key, Channel channel, Switchboard switchboard,
      RelayCounters counters, Clock clock, int bufferLimit) {
    this.key = Objects.requireNonNull(key, "key");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.loop = channel.eventLoop();
    this.switchboard = Objects.requireNonNull(switchboard, "switchboard");
    this.queue = switchboard.queue();
    this.counters = Objects.requireNonNull(counters, "counters");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (bufferLimit < 1) {
      throw new IllegalArgumentException("bufferLimit must be positive, got " + bufferLimit);
    }
    this.bufferLimit = bufferLimit;
  }

  @Override
  public SessionKey key() {
    return key;
  }

  /** The channel this session writes to. */
  public Channel channel() {
    return channel;
  }

  @Override
  public boolean isOpen() {
    return open && channel.isActive();
  }

  @Override
  public void deliver(byte[] envelope, long deadline) {
    Objects.requireNonNull(envelope, "envelope");
    onLoop(() -> {
      if (!isOpen()) {
        giveBack(envelope, deadline);
      } else if (!live) {
        if (buffered.size() >= bufferLimit) {
          buffered.removeFirst();
          counters.dropped(DropReason.QUEUE_FULL);
        }
        buffered.addLast(new Buffered(envelope, deadline));
      } else {
        writeLive(envelope, deadline);
        channel.flush();
      }
    });
  }

  @Override
  public void drain() {
    onLoop(() -> {
      if (!isOpen()) {
        return;
      }
      if (draining) {
        // the batch in flight may have been read before the new envelope was queued
        drainAgain = true;
        return;
      }
      live = false;
      draining = true;
      peekNext();
    });
  }

  @Override
  public void close(CloseCause cause) {
    WebSocketCloseStatus status = cause == CloseCause.SHUTDOWN
        ? WebSocketCloseStatus.ENDPOINT_UNAVAILABLE
        : WebSocketCloseStatus.NORMAL_CLOSURE;
    onLoop(() -> {
      if (!open) {
        return;
      }
      open = false;
      giveBackBuffered();
      if (channel.isActive()) {
        channel.writeAndFlush(new CloseWebSocketFrame(status.code(), cause.reason()))
            .addListener(ChannelFutureListener.CLOSE);
      }
    });
  }

  /**
   * The channel is gone: stop taking live traffic, give buffered envelopes back to the queue
   * and unregister (only if still registered: a replacement stays).
   */
  void closed() {
    onLoop(() -> {
      open = false;
      giveBackBuffered();
      switchboard.unregister(this);
    });
  }

  private void peekNext() {
    CompletionStage<List<QueuedEnvelope>> batch;
    try {
      batch = queue.peek(key, DRAIN_BATCH);
    } catch (RuntimeException e) {
      batch = CompletableFuture.failedFuture(e);
    }
    batch.whenComplete((entries, error) -> onLoop(() -> onBatch(entries, error)));
  }

  private void onBatch(List<QueuedEnvelope> entries, Throwable error) {
    if (!isOpen()) {
      // what was not acknowledged stays queued for the next connection
      draining = false;
      return;
    }
    if (error != null) {
      LOG.warn("session {}: cannot read the offline queue, going live without it", key, error);
      goLive();
      return;
    }
    if (entries.isEmpty()) {
      if (drainAgain) {
        drainAgain = false;
        peekNext();
      } else {
        goLive();
      }
      return;
    }
    long now = Expiry.now(clock);
    ChannelFuture last = null;
    for (QueuedEnvelope entry : entries) {
      if (entry.expiredAt(now)) {
        counters.dropped(DropReason.EXPIRED);
      } else {
        last = write(entry.envelope());
      }
    }
    channel.flush();
    if (last == null) {
      acknowledge(entries);
    } else {
      last.addListener(written -> {
        if (written.isSuccess()) {
          acknowledge(entries);
        } else {
          // the channel is failing; the entries stay queued
          draining = false;
        }
      });
    }
  }

  private void acknowledge(List<QueuedEnvelope> entries) {
    CompletionStage<Void> acked;
    try {
      acked = queue.acknowledge(key, entries);
    } catch (RuntimeException e) {
      acked = CompletableFuture.failedFuture(e);
    }
    // always continue with a fresh task: a long queue must not become a deep call stack
    acked.whenComplete((ignored, error) -> loop.execute(() -> {
      if (error != null) {
        LOG.warn("session {}: cannot acknowledge {} queued envelopes, going live", key,
            entries.size(), error);
        goLive();
      } else if (isOpen()) {
        peekNext();
      } else {
        draining = false;
      }
    }));
  }

  private void goLive() {
    draining = false;
    drainAgain = false;
    live = true;
    if (buffered.isEmpty()) {
      return;
    }
    long now = Expiry.now(clock);
    for (Buffered next; (next = buffered.pollFirst()) != null; ) {
      if (next.deadline <= now) {
        counters.dropped(DropReason.EXPIRED);
      } else {
        writeLive(next.envelope, next.deadline);
      }
    }
    channel.flush();
  }

  private ChannelFuture write(byte[] envelope) {
    ChannelFuture written =
        channel.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(envelope)));
    written.addListener(done -> {
      if (done.isSuccess()) {
        counters.frameOut(envelope.length);
      }
    });
    return written;
  }

  private void writeLive(byte[] envelope, long deadline) {
    write(envelope).addListener(done -> {
      if (!done.isSuccess()) {
        // a failed write put nothing usable on the wire: keep the envelope for a reconnect
        giveBack(envelope, deadline);
      }
    });
  }

  private void giveBackBuffered() {
    if (buffered.isEmpty()) {
      return;
    }
    List<Buffered> left = new ArrayList<>(buffered);
    buffered.clear();
    // one after the other, so they are queued in the order they were handed over
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (Buffered next : left) {
      chain = chain.thenCompose(ignored -> giveBack(next.envelope, next.deadline));
    }
  }

  private CompletionStage<Void> giveBack(byte[] envelope, long deadline) {
    return switchboard.enqueue(key, envelope, deadline).exceptionally(error -> {
      LOG.warn("session {}: envelope lost, the offline queue cannot take it back", key, error);
      counters.dropped(DropReason.QUEUE_ERROR);
      return null;
    });
  }

  private void onLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  @Override
  public String toString() {
    return "ChannelSession{" + key + ", " + channel + (open ? "" : ", closed") + "}";
  }

  private record Buffered(byte[] envelope, long deadline) {}
}
