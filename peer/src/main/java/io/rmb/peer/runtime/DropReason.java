package io.rmb.peer.runtime;

/** Why the peer dropped an incoming frame or an answer; counted in {@link PeerStats}. */
public enum DropReason {
  /** Not a protobuf envelope (logged, never answered: there is no uid to answer). */
  UNDECODABLE,
  /** A peer envelope without a source twin (only relay errors may lack one). */
  NO_SOURCE,
  /** Ping, pong or no message at all: nothing a peer acts on. */
  UNSUPPORTED_MESSAGE,
  /** Addressed to another twin: the relay should never deliver it here. */
  WRONG_DESTINATION,
  /** Past its deadline (a request is answered with error 102). */
  EXPIRED,
  /** The sender twin is not in the directory (a request is answered with 103). */
  UNKNOWN_TWIN,
  /** The twin directory failed (a request is answered with 500). */
  DIRECTORY_FAILURE,
  /** The signature does not verify, even after refetching the sender (104). */
  BAD_SIGNATURE,
  /** A cipher payload from a twin without an encryption key (105). */
  NO_PUBLIC_KEY,
  /** The cipher payload could not be decrypted (106). */
  DECRYPT_FAILED,
  /** The same (sender, uid) was already accepted within its TTL: a replay. */
  DUPLICATE,
  /** An answer for a uid with nothing waiting: unknown, timed out or already answered. */
  UNKNOWN_REQUEST,
  /** An answer from a twin that the request did not go to. */
  UNEXPECTED_SOURCE,
  /** A second answer for a destination that already has its outcome. */
  ALREADY_ANSWERED,
  /** A relay error for a uid with nothing waiting. */
  UNMATCHED_RELAY_ERROR,
  /**
   * A relay frame above {@code RelayOptions.maxFrameSize}: not read; that relay connection is
   * closed with 1009 and re-established.
   */
  OVERSIZE,
  /** Arrived after {@code close()} started, or the executor refused it. */
  REJECTED
}
