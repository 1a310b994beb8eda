package io.rmb.peer.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rmb.peer.token.InvalidTokenException;
import io.rmb.peer.token.RelayToken;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A relay's JWT (the query string of an upgrade request, from anyone): {@link RelayToken#parse}
 * gives a token or {@link InvalidTokenException}; {@link RelayToken#verify} returns the token
 * or throws {@link InvalidTokenException} (or its {@code Expired}). A parsed token's twin is a
 * u32 and its text is the input.
 */
class RelayTokenFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void parseAndVerify(byte[] bytes) {
    // the relay sees the raw query string; ISO-8859-1 keeps every byte as one char
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    RelayToken token;
    try {
      token = RelayToken.parse(text);
    } catch (InvalidTokenException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(token.text()).isEqualTo(text);
    assertThat(token.twin()).isBetween(0L, 0xffff_ffffL);
    verifyOrRefuse(token, FuzzKeys.SR25519);
    verifyOrRefuse(token, FuzzKeys.ED25519);
  }

  private static void verifyOrRefuse(RelayToken token, byte[] account) {
    try {
      assertThat(token.verify(account, FuzzKeys.VECTORS_NOW, Duration.ofHours(1)))
          .isSameAs(token);
    } catch (InvalidTokenException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
