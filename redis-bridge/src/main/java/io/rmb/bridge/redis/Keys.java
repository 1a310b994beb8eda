package io.rmb.bridge.redis;

/** The Redis key names of rmb-peer's API (redis-api.md) and the bridge's own lists. */
public final class Keys {
  /** Outgoing requests: clients push, the bridge pops. */
  public static final String LOCAL = "msgbus.system.local";
  /** Outgoing responses: services push, the bridge pops. */
  public static final String REPLY = "msgbus.system.reply";
  /** Requests taken from {@link #LOCAL} and not yet finished; recovered at start. */
  public static final String LOCAL_PROCESSING = "msgbus.system.local.processing";
  /** Responses taken from {@link #REPLY} and not yet handed to a relay; recovered at start. */
  public static final String REPLY_PROCESSING = "msgbus.system.reply.processing";
  /** Messages the bridge could not use and could not answer (no usable {@code ret}). */
  public static final String DEAD = "msgbus.system.dead";
  /** Prefix of incoming request queues: {@code msgbus.<cmd>}. */
  public static final String COMMAND_PREFIX = "msgbus.";
  /** Prefix of the tracking keys rmb-peer writes: {@code msgbus.backlog.<uid>}. */
  public static final String BACKLOG_PREFIX = "msgbus.backlog.";
  /**
   * Prefix of the sets of destinations already answered on {@code ret} for one uid, so an
   * answer is pushed once even when a request is resent after a crash.
   */
  public static final String ANSWERED_PREFIX = "msgbus.bridge.answered.";

  private Keys() {}

  /** The queue a service pops for {@code command}. */
  public static String command(String command) {
    return COMMAND_PREFIX + command;
  }

  public static String backlog(String uid) {
    return BACKLOG_PREFIX + uid;
  }

  static String answered(String uid) {
    return ANSWERED_PREFIX + uid;
  }
}
