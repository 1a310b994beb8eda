package io.rmb.peer.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.peer.RmbException;
import io.rmb.peer.envelope.ProtocolException.BadSignatureException;
import io.rmb.peer.envelope.ProtocolException.EnvelopeDecodeException;
import io.rmb.peer.envelope.ProtocolException.EnvelopeExpiredException;
import io.rmb.peer.envelope.ProtocolException.HandlerErrorException;
import io.rmb.peer.envelope.ProtocolException.InternalProtocolException;
import io.rmb.peer.envelope.ProtocolException.MissingPublicKeyException;
import io.rmb.peer.envelope.ProtocolException.NonBinaryMessageException;
import io.rmb.peer.envelope.ProtocolException.PayloadCryptoException;
import io.rmb.peer.envelope.ProtocolException.UnknownTwinException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProtocolExceptionTest {

  @ParameterizedTest(name = "code {0}")
  @CsvSource({"0, HANDLER_ERROR", "100, NON_BINARY", "101, DECODE", "102, EXPIRED",
      "103, UNKNOWN_TWIN", "104, BAD_SIGNATURE", "105, NO_PUBLIC_KEY", "106, CRYPTO",
      "500, INTERNAL", "404, HANDLER_ERROR", "4294967295, HANDLER_ERROR"})
  void mapsWireCodesToTypedExceptions(long code, ErrorCode expected) {
    ProtocolException e = ProtocolException.of(code, "boom");

    assertThat(e).isInstanceOf(RmbException.class).hasMessage("boom");
    assertThat(e.errorCode()).isEqualTo(expected);
    assertThat(e.code()).as("application codes are kept as received").isEqualTo(code);
    Class<?> type = switch (expected) {
      case HANDLER_ERROR -> HandlerErrorException.class;
      case NON_BINARY -> NonBinaryMessageException.class;
      case DECODE -> EnvelopeDecodeException.class;
      case EXPIRED -> EnvelopeExpiredException.class;
      case UNKNOWN_TWIN -> UnknownTwinException.class;
      case BAD_SIGNATURE -> BadSignatureException.class;
      case NO_PUBLIC_KEY -> MissingPublicKeyException.class;
      case CRYPTO -> PayloadCryptoException.class;
      case INTERNAL -> InternalProtocolException.class;
    };
    assertThat(e).isExactlyInstanceOf(type);
  }
}
