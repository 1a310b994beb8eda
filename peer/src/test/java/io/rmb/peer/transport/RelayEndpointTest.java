package io.rmb.peer.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RelayEndpointTest {
  @Test
  void acceptsWsAndWssWithOptionalPortAndPath() {
    RelayEndpoint plain = RelayEndpoint.parse("ws://127.0.0.1:8080");
    assertThat(plain.port()).isEqualTo(8080);
    assertThat(plain.secure()).isFalse();
    assertThat(plain.connectUri("a.b.c").toString()).isEqualTo("ws://127.0.0.1:8080/?a.b.c");

    RelayEndpoint tls = RelayEndpoint.parse("WSS://relay.grid.tf/rmb");
    assertThat(tls.port()).isEqualTo(443);
    assertThat(tls.secure()).isTrue();
    assertThat(tls.toString()).isEqualTo("wss://relay.grid.tf/rmb");
    assertThat(tls.connectUri("h.c.s").getRawQuery()).isEqualTo("h.c.s");
    assertThat(RelayEndpoint.parse("ws://[::1]:9/").host()).isEqualTo("[::1]");
  }

  @Test
  void equalityIgnoresHostCaseAndAnEmptyPath() {
    assertThat(RelayEndpoint.parse("ws://Relay.Example")).isEqualTo(
        RelayEndpoint.parse("ws://relay.example/"));
    assertThat(RelayEndpoint.parse("wss://relay.example"))
        .isEqualTo(RelayEndpoint.parse("wss://relay.example:443"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://relay.example| must start with ws:// or wss://, not https://",
      "relay.example| must start with ws:// or wss:// (no scheme)",
      "ws:///path| has no host",
      "ws://host:abc| has no host",
      "ws://user@relay.example| must not contain user info",
      "ws://relay.example?token| must not have a query string",
      "ws://relay.example/#x| must not have a fragment",
      "ws://relay.example:99999| has an invalid port 99999",
      "ws://exa mple| is not a valid URI",
  })
  void rejectsAddressesThatCannotCarryTheTokenNamingTheProblem(String url, String problem) {
    assertThatThrownBy(() -> RelayEndpoint.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void rejectsEmptyInputAndBadTokens() {
    assertThatThrownBy(() -> RelayEndpoint.parse(" ")).hasMessage("relay URL is empty");
    assertThatThrownBy(() -> RelayEndpoint.parse("ws://r").connectUri("a b"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
