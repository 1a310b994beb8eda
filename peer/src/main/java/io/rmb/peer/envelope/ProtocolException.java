package io.rmb.peer.envelope;

import io.rmb.peer.RmbException;

/**
 * An RMB protocol failure that carries its wire error code.
 *
 * <p>Each code has its own subclass so callers can catch precisely; {@link #of(long, String)}
 * maps a received {@code Error} message back to the matching type.
 */
public class ProtocolException extends RmbException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode errorCode;
  private final long code;

  protected ProtocolException(ErrorCode errorCode, String message) {
    this(errorCode, errorCode.code(), message, null);
  }

  protected ProtocolException(ErrorCode errorCode, String message, Throwable cause) {
    this(errorCode, errorCode.code(), message, cause);
  }

  private ProtocolException(ErrorCode errorCode, long code, String message, Throwable cause) {
    super(message, cause);
    this.errorCode = errorCode;
    this.code = code;
  }

  /** The error code constant ({@link ErrorCode#HANDLER_ERROR} for codes RMB does not define). */
  public ErrorCode errorCode() {
    return errorCode;
  }

  /** The numeric code exactly as it was (or will be) carried on the wire. */
  public long code() {
    return code;
  }

  /** The exception type for a code received in an {@code Error} envelope. */
  public static ProtocolException of(long code, String message) {
    ErrorCode errorCode = ErrorCode.of(code);
    switch (errorCode) {
      case NON_BINARY:
        return new NonBinaryMessageException(message);
      case DECODE:
        return new EnvelopeDecodeException(message);
      case EXPIRED:
        return new EnvelopeExpiredException(message);
      case UNKNOWN_TWIN:
        return new UnknownTwinException(message);
      case BAD_SIGNATURE:
        return new BadSignatureException(message);
      case NO_PUBLIC_KEY:
        return new MissingPublicKeyException(message);
      case CRYPTO:
        return new PayloadCryptoException(message);
      case INTERNAL:
        return new InternalProtocolException(message);
      default:
        return new HandlerErrorException(code, message);
    }
  }

  /** Code 0: relay or remote-handler error; keeps any application-defined numeric code. */
  public static final class HandlerErrorException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public HandlerErrorException(String message) {
      super(ErrorCode.HANDLER_ERROR, message);
    }

    public HandlerErrorException(long code, String message) {
      super(ErrorCode.HANDLER_ERROR, code, message, null);
    }
  }

  /** Code 100: a text frame where a binary envelope was expected. */
  public static final class NonBinaryMessageException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public NonBinaryMessageException(String message) {
      super(ErrorCode.NON_BINARY, message);
    }
  }

  /** Code 101: bytes that are not a valid envelope, or an invalid local request. */
  public static final class EnvelopeDecodeException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public EnvelopeDecodeException(String message) {
      super(ErrorCode.DECODE, message);
    }

    public EnvelopeDecodeException(String message, Throwable cause) {
      super(ErrorCode.DECODE, message, cause);
    }
  }

  /** Code 102: the envelope is past its deadline. */
  public static final class EnvelopeExpiredException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public EnvelopeExpiredException(String message) {
      super(ErrorCode.EXPIRED, message);
    }
  }

  /** Code 103: the sender twin is not in the directory. */
  public static final class UnknownTwinException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public UnknownTwinException(String message) {
      super(ErrorCode.UNKNOWN_TWIN, message);
    }
  }

  /** Code 104: missing or invalid envelope signature. */
  public static final class BadSignatureException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public BadSignatureException(String message) {
      super(ErrorCode.BAD_SIGNATURE, message);
    }

    public BadSignatureException(String message, Throwable cause) {
      super(ErrorCode.BAD_SIGNATURE, message, cause);
    }
  }

  /** Code 105: a cipher payload from a twin without an encryption key. */
  public static final class MissingPublicKeyException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public MissingPublicKeyException(String message) {
      super(ErrorCode.NO_PUBLIC_KEY, message);
    }
  }

  /** Code 106: the payload could not be decrypted (or encrypted). */
  public static final class PayloadCryptoException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public PayloadCryptoException(String message) {
      super(ErrorCode.CRYPTO, message);
    }

    public PayloadCryptoException(String message, Throwable cause) {
      super(ErrorCode.CRYPTO, message, cause);
    }
  }

  /** Code 500: any other failure. */
  public static final class InternalProtocolException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public InternalProtocolException(String message) {
      super(ErrorCode.INTERNAL, message);
    }
  }
}
