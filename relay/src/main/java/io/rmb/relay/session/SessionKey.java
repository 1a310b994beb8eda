package io.rmb.relay.session;

import io.rmb.proto.Address;
import java.util.Optional;

/**
 * The address of a session: a twin id and an optional session id ({@code sid}).
 *
 * <p>The key of a connection comes from its token ({@code sub}, {@code sid}); the key an
 * envelope names comes from an {@link Address} ({@code twin}, {@code connection}). An empty
 * session id means "none": the Go SDK and rmb-peer omit it, other clients may send {@code ""},
 * and the peer token parser already reads an empty {@code sid} as absent, so both forms must
 * name the same session.
 *
 * @param twin the u32 twin id (0 only for "no address")
 * @param sid the session id, or null for the twin's session-less connection; never empty
 */
public record SessionKey(long twin, String sid) {
  public SessionKey {
    if (twin < 0 || twin > 0xffff_ffffL) {
      throw new IllegalArgumentException("twin id must be a u32, got " + twin);
    }
    if (sid != null && sid.isEmpty()) {
      sid = null;
    }
  }

  /** The key for {@code twin} and {@code sid} (null or empty: no session id). */
  public static SessionKey of(long twin, String sid) {
    return new SessionKey(twin, sid);
  }

  /** The session-less key of {@code twin}. */
  public static SessionKey of(long twin) {
    return new SessionKey(twin, null);
  }

  /** The key an envelope address names; a null address is twin 0 (nobody). */
  public static SessionKey of(Address address) {
    if (address == null) {
      return new SessionKey(0, null);
    }
    return new SessionKey(Integer.toUnsignedLong(address.getTwin()),
        address.hasConnection() ? address.getConnection() : null);
  }

  /** The session id, empty for the session-less connection. */
  public Optional<String> session() {
    return Optional.ofNullable(sid);
  }

  /** True for twin 0, which no session can have: an envelope without a destination. */
  public boolean isEmpty() {
    return twin == 0;
  }

  /** The wire address of this key ({@code connection} omitted when there is no sid). */
  public Address toAddress() {
    Address.Builder address = Address.newBuilder().setTwin((int) twin);
    if (sid != null) {
      address.setConnection(sid);
    }
    return address.build();
  }

  /**
   * The key written as {@link #toString()} writes it ({@code 7} or {@code 7:sid}).
   *
   * @throws IllegalArgumentException when {@code text} is not such a key
   */
  public static SessionKey parse(String text) {
    int colon = text.indexOf(':');
    String twin = colon < 0 ? text : text.substring(0, colon);
    try {
      return new SessionKey(Long.parseLong(twin), colon < 0 ? null : text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a session key (twin[:sid]): '" + text + "'", e);
    }
  }

  /** {@code 7} or {@code 7:sid}, the form rmb-rs uses in logs and stream names. */
  @Override
  public String toString() {
    return sid == null ? Long.toString(twin) : twin + ":" + sid;
  }
}
