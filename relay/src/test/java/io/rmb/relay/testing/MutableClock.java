package io.rmb.relay.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock tests move by hand: either frozen at an instant ({@link #at(Instant)}) or running with
 * the system clock plus an offset ({@link #system()}). Thread-safe.
 */
public final class MutableClock extends Clock {
  private final Clock base;
  private final AtomicLong offsetMillis = new AtomicLong();

  private MutableClock(Clock base) {
    this.base = base;
  }

  /** Frozen at {@code instant} until advanced. */
  public static MutableClock at(Instant instant) {
    return new MutableClock(Clock.fixed(instant, ZoneOffset.UTC));
  }

  /** Frozen at 2024-01-01T00:00:00Z until advanced. */
  public static MutableClock fixed() {
    return at(Instant.parse("2024-01-01T00:00:00Z"));
  }

  /** The system clock, plus whatever it is advanced by. */
  public static MutableClock system() {
    return new MutableClock(Clock.systemUTC());
  }

  public MutableClock advance(Duration by) {
    offsetMillis.addAndGet(by.toMillis());
    return this;
  }

  /** Unix seconds now. */
  public long seconds() {
    return Math.floorDiv(millis(), 1000L);
  }

  @Override
  public long millis() {
    return base.millis() + offsetMillis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("MutableClock is always UTC");
  }
}
