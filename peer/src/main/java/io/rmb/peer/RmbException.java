package io.rmb.peer;

/**
 * Root of every exception the RMB peer stack throws on purpose.
 *
 * <p>Unchecked, like Lettuce's {@code RedisException}: callers that can act on a failure catch
 * the precise subclass (for example an invalid secret or a protocol error carrying an RMB error
 * code); everyone else lets it propagate. Messages always name the problem, never just echo input.
 */
public class RmbException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RmbException(String message) {
    super(message);
  }

  public RmbException(String message, Throwable cause) {
    super(message, cause);
  }
}
