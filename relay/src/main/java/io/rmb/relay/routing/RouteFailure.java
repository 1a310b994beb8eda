package io.rmb.relay.routing;

/**
 * Why the relay refused an envelope. Each value carries the error message rmb-rs puts in the
 * relay error envelope, so peers that match on the text keep working.
 */
public enum RouteFailure {
  /** The envelope's source is not the (twin, sid) of the connection that sent it. */
  WRONG_SOURCE("message wrong source"),
  /** Destination twin 0 (or no destination). */
  MISSING_DESTINATION("message with missing destination"),
  /** The destination twin is not in the directory. */
  UNKNOWN_TWIN("unknown twin destination"),
  /** The destination twin has no relay domains. */
  RELAY_NOT_SET("relay info is not set for this twin"),
  /** The envelope is tagged {@code fail-fast} and its destination is not connected. */
  DESTINATION_OFFLINE("destination offline"),
  /** The destination twin lives on other relays and this relay cannot federate yet. */
  FEDERATION_UNSUPPORTED("federation is not supported by this relay yet"),
  /** The twin directory could not be read; the message adds the cause. */
  TWIN_LOOKUP_FAILED("failed to get twin"),
  /** The offline queue (or another part of the relay) failed; the message adds the cause. */
  INTERNAL("failed to route message to peer");

  private final String message;

  RouteFailure(String message) {
    this.message = message;
  }

  /** The text of the relay error envelope (without any cause detail). */
  public String message() {
    return message;
  }
}
