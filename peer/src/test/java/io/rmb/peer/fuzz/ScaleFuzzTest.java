package io.rmb.peer.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rmb.peer.substrate.ScaleException;
import io.rmb.peer.twin.TfchainCodec;
import io.rmb.peer.twin.Twin;

/**
 * SCALE values from a tfchain node (storage of {@code TfgridModule.Twins} and
 * {@code TwinIdByAccountID}): {@link TfchainCodec#decodeTwin} and
 * {@link TfchainCodec#decodeTwinId} give a value or {@link ScaleException}. A decoded twin
 * re-encodes to bytes that decode to the same twin (entities aside, which the codec drops).
 */
class ScaleFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void decodeTwinValues(byte[] bytes) {
    try {
      Twin twin = TfchainCodec.decodeTwin(bytes);
      assertThat(twin.account()).hasSize(32);
      assertThat(twin.id()).isBetween(0L, 0xffff_ffffL);
      Twin again = TfchainCodec.decodeTwin(TfchainCodec.encodeTwin(twin));
      assertThat(again.id()).isEqualTo(twin.id());
      assertThat(again.account()).isEqualTo(twin.account());
      assertThat(again.relays()).isEqualTo(twin.relays());
      assertThat(again.publicKey().orElse(null)).isEqualTo(twin.publicKey().orElse(null));
    } catch (ScaleException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      long id = TfchainCodec.decodeTwinId(bytes);
      assertThat(bytes).hasSize(4);
      assertThat(id).isBetween(0L, 0xffff_ffffL);
    } catch (ScaleException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
