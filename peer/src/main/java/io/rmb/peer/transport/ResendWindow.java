package io.rmb.peer.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames one WebSocket connection wrote in its last {@link RelayOptions#resendWindow()},
 * kept so they can be offered again if the connection dies: a frame handed to a relay has no
 * delivery receipt (wire.md section 5), so the ones a dying relay had read but not yet
 * delivered, and those still in socket buffers, would otherwise be lost.
 *
 * <p>Bounded by a frame count and a byte total; when either is exceeded the oldest frames are
 * forgotten first and counted. Once {@link #drain drained} (the connection is gone) the window
 * takes nothing more, so a frame is either recorded before the drain (and resent) or refused
 * by the connection (and sent elsewhere). Thread-safe: callers hold the window's monitor
 * around "write to the socket, then record" via {@link #lock()} so the order kept is the
 * order written.
 */
final class ResendWindow {
  /** A frame written at {@code writtenAt}, useful to resend until {@code due} (epoch ms). */
  record Sent(byte[] frame, long due, long writtenAt) {}

  /** What a drain found: frames to offer again in write order, and what was left behind. */
  record Drained(List<Sent> live, int expired, int older) {}

  private final long windowMillis;
  private final int maxFrames;
  private final long maxBytes;
  private final ArrayDeque<Sent> frames = new ArrayDeque<>();
  private long bytes;
  private boolean drained;

  ResendWindow(long windowMillis, int maxFrames, long maxBytes) {
    this.windowMillis = windowMillis;
    this.maxFrames = maxFrames;
    this.maxBytes = maxBytes;
  }

  /** The monitor to hold around a socket write and its {@link #record}. */
  Object lock() {
    return this;
  }

  /** False when the window is zero: nothing is remembered, no lock is needed. */
  boolean enabled() {
    return windowMillis > 0;
  }

  /** False once drained: the connection is gone and must not take the frame. */
  synchronized boolean open() {
    return !drained;
  }

  /**
   * Remembers a frame just written; drops what fell out of the window or its bounds.
   *
   * @return frames forgotten by the count or byte bound while still inside the window
   */
  synchronized int record(byte[] frame, long due, long now) {
    if (drained || windowMillis <= 0) {
      return 0;
    }
    frames.addLast(new Sent(frame, due, now));
    bytes += frame.length;
    // age out from the head first: those are no loss, the window is over for them
    while (!frames.isEmpty() && (frames.peekFirst().writtenAt() < now - windowMillis
        || frames.peekFirst().due() <= now)) {
      bytes -= frames.removeFirst().frame().length;
    }
    int forgotten = 0;
    while (frames.size() > maxFrames || bytes > maxBytes) {
      bytes -= frames.removeFirst().frame().length;
      forgotten++; // still inside the window: a frame we could no longer resend
    }
    return forgotten;
  }

  /**
   * Closes the window and returns the frames written within the window before {@code now}
   * whose deadline is still ahead, oldest first.
   */
  synchronized Drained drain(long now) {
    drained = true;
    List<Sent> live = new ArrayList<>();
    int expired = 0;
    int older = 0;
    for (Sent s : frames) {
      if (s.writtenAt() < now - windowMillis) {
        older++;
      } else if (s.due() <= now) {
        expired++;
      } else {
        live.add(s);
      }
    }
    frames.clear();
    bytes = 0;
    return new Drained(live, expired, older);
  }

  /** Frames remembered right now (tests). */
  synchronized int size() {
    return frames.size();
  }
}
