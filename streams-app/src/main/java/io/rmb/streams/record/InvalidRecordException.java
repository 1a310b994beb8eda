package io.rmb.streams.record;

import java.util.Optional;

/**
 * A record that cannot be understood (a poison record): it goes to the dead-letter topic with
 * {@link #getMessage()} as the reason and, when it names a ref, an error outcome is written
 * for that ref too.
 */
public final class InvalidRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String ref;

  public InvalidRecordException(String reason, String ref) {
    super(reason);
    this.ref = ref;
  }

  /** The ref (or correlation id) the record named, if one could be read. */
  public Optional<String> ref() {
    return Optional.ofNullable(ref);
  }
}
