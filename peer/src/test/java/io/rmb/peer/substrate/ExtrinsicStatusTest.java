package io.rmb.peer.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rmb.peer.substrate.ExtrinsicStatus.Kind;
import org.junit.jupiter.api.Test;

class ExtrinsicStatusTest {
  static JsonNode json(String text) throws Exception {
    return new ObjectMapper().readTree(text);
  }

  @Test
  void parsesStringAndObjectForms() throws Exception {
    assertThat(ExtrinsicStatus.parse(json("\"ready\""))).isEqualTo(
        new ExtrinsicStatus(Kind.READY, ""));
    assertThat(ExtrinsicStatus.parse(json("{\"inBlock\":\"0xab\"}"))).isEqualTo(
        new ExtrinsicStatus(Kind.IN_BLOCK, "0xab"));
    assertThat(ExtrinsicStatus.parse(json("{\"finalized\":\"0xcd\"}")).kind().terminal())
        .isTrue();
    assertThat(ExtrinsicStatus.parse(json("{\"broadcast\":[\"peer\"]}")).detail())
        .isEqualTo("[\"peer\"]");
    assertThat(ExtrinsicStatus.parse(json("\"invalid\"")).kind()).isEqualTo(Kind.INVALID);
    assertThat(ExtrinsicStatus.parse(json("\"dropped\"")).kind().terminal()).isTrue();
    assertThat(ExtrinsicStatus.parse(json("{\"retracted\":\"0x01\"}")).kind().terminal())
        .isFalse();
  }

  @Test
  void unknownStatusesAreRefused() {
    assertThatThrownBy(() -> ExtrinsicStatus.parse(json("\"teleported\"")))
        .isInstanceOf(RpcProtocolException.class)
        .hasMessageContaining("unknown extrinsic status 'teleported'");
    assertThatThrownBy(() -> ExtrinsicStatus.parse(json("{\"a\":1,\"b\":2}")))
        .isInstanceOf(RpcProtocolException.class);
    assertThatThrownBy(() -> ExtrinsicStatus.parse(json("42")))
        .isInstanceOf(RpcProtocolException.class);
  }
}
