package io.rmb.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand, for code that takes an injected {@link Clock}. */
public final class ManualClock extends Clock {
  private volatile long millis;

  /** Starts at the current time. */
  public ManualClock() {
    this(System.currentTimeMillis());
  }

  public ManualClock(long millis) {
    this.millis = millis;
  }

  public ManualClock(Instant start) {
    this(start.toEpochMilli());
  }

  public void set(long millis) {
    this.millis = millis;
  }

  public void advance(long deltaMillis) {
    this.millis += deltaMillis;
  }

  public void advance(Duration delta) {
    advance(delta.toMillis());
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
