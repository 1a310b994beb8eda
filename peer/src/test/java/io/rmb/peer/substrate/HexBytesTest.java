package io.rmb.peer.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HexBytesTest {
  @Test
  void encodesLowercaseWithPrefixAndDecodesEitherCase() {
    assertThat(HexBytes.encode(new byte[] {0x00, (byte) 0xab, 0x7f})).isEqualTo("0x00ab7f");
    assertThat(HexBytes.decode("0x00AB7f", "v")).containsExactly(0x00, 0xab, 0x7f);
    assertThat(HexBytes.decode("0x", "v")).isEmpty();
  }

  @Test
  void garbageIsRefusedWithTheValueNamed() {
    assertThatThrownBy(() -> HexBytes.decode("abcd", "storage value"))
        .isInstanceOf(RpcProtocolException.class)
        .hasMessage("storage value: expected 0x-prefixed hex, got 'abcd'");
    assertThatThrownBy(() -> HexBytes.decode("0xabc", "storage value"))
        .isInstanceOf(RpcProtocolException.class)
        .hasMessage("storage value: hex has an odd number of digits (3)");
    assertThatThrownBy(() -> HexBytes.decode("0xabzz", "storage value"))
        .isInstanceOf(RpcProtocolException.class)
        .hasMessage("storage value: 'z' at index 4 is not a hex digit");
    assertThatThrownBy(() -> HexBytes.decode(null, "block hash"))
        .isInstanceOf(RpcProtocolException.class)
        .hasMessage("block hash: expected 0x-prefixed hex, got null");
  }

  @Test
  void wrongLengthIsRefused() {
    assertThatThrownBy(() -> HexBytes.decode("0x0102", 32, "genesis hash"))
        .isInstanceOf(RpcProtocolException.class)
        .hasMessage("genesis hash: expected 32 bytes, got 2");
  }
}
