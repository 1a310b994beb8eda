package io.rmb.relay.testing;

import io.rmb.relay.session.Session;
import io.rmb.relay.session.SessionKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link Session} that records what it is asked to do. */
public final class RecordingSession implements Session {
  private final SessionKey key;
  private volatile boolean open = true;
  private final List<byte[]> delivered = new CopyOnWriteArrayList<>();
  private final AtomicInteger drains = new AtomicInteger();
  private volatile CloseCause closedFor;

  public RecordingSession(SessionKey key) {
    this.key = key;
  }

  @Override
  public SessionKey key() {
    return key;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void deliver(byte[] envelope, long deadline) {
    delivered.add(envelope);
  }

  @Override
  public void drain() {
    drains.incrementAndGet();
  }

  @Override
  public void close(CloseCause cause) {
    open = false;
    closedFor = cause;
  }

  public List<byte[]> delivered() {
    return delivered;
  }

  public int drains() {
    return drains.get();
  }

  public CloseCause closedFor() {
    return closedFor;
  }

  @Override
  public String toString() {
    return "RecordingSession{" + key + "}";
  }
}
