package io.rmb.peer.transport;

import io.rmb.peer.RmbException;

/**
 * A frame could not be handed to any relay. The subclasses say why, so callers can tell a
 * deadline that passed while every relay was down from a transport that was shut down.
 */
public class RelaySendException extends RmbException {
  private static final long serialVersionUID = 1L;

  public RelaySendException(String message) {
    super(message);
  }

  /** The frame's deadline passed before any relay connection took it. */
  public static final class Expired extends RelaySendException {
    private static final long serialVersionUID = 1L;

    public Expired(String message) {
      super(message);
    }
  }

  /** The transport was closed before (or while) the frame was waiting. */
  public static final class Closed extends RelaySendException {
    private static final long serialVersionUID = 1L;

    public Closed(String message) {
      super(message);
    }
  }

  /** Too many frames are already waiting for a relay connection. */
  public static final class QueueFull extends RelaySendException {
    private static final long serialVersionUID = 1L;

    public QueueFull(String message) {
      super(message);
    }
  }
}
