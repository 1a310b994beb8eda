package io.rmb.relay.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.rmb.relay.stats.RelayCounters;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeepAliveHandlerTest {
  private static final KeepAlive KEEP_ALIVE =
      new KeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(10));
  private final RelayCounters counters = new RelayCounters();
  private final EmbeddedChannel channel =
      new EmbeddedChannel(new KeepAliveHandler(KEEP_ALIVE, counters));

  private void advance(long seconds) {
    channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
  }

  @Test
  void pingsAfterTheIntervalAndClosesWith1001WithoutAnAnswer() {
    advance(29);
    assertThat((Object) channel.readOutbound()).isNull();
    advance(1);
    PingWebSocketFrame ping = channel.readOutbound();
    assertThat(ping).isNotNull();
    ping.release();

    advance(10);
    CloseWebSocketFrame close = channel.readOutbound();
    assertThat(close.statusCode()).isEqualTo(1001);
    assertThat(close.reasonText()).isEqualTo("ping timeout");
    close.release();
    assertThat(channel.isActive()).isFalse();
    assertThat(counters.pingTimeouts()).isEqualTo(1);
  }

  @Test
  void aPongKeepsTheClient() {
    advance(30);
    ((PingWebSocketFrame) channel.readOutbound()).release();
    advance(5);
    channel.writeInbound(new PongWebSocketFrame());
    ((PongWebSocketFrame) channel.readInbound()).release();
    advance(10);
    assertThat(channel.isActive()).isTrue();
    assertThat((Object) channel.readOutbound()).as("no close, next ping not due").isNull();
    advance(25); // 30 s after the pong
    ((PingWebSocketFrame) channel.readOutbound()).release();
    assertThat(counters.pingTimeouts()).isZero();
  }

  @Test
  void anyFrameCountsAsLifeAndDelaysThePing() {
    advance(20);
    channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1})));
    ((BinaryWebSocketFrame) channel.readInbound()).release();
    advance(20);
    assertThat((Object) channel.readOutbound()).isNull();
    advance(10);
    ((PingWebSocketFrame) channel.readOutbound()).release();
  }

  @Test
  void rejectsNonPositiveDurations() {
    assertThatThrownBy(() -> new KeepAlive(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pingInterval");
    assertThatThrownBy(() -> new KeepAlive(Duration.ofSeconds(1), Duration.ofNanos(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pongTimeout");
  }
}
