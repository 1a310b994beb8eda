package io.rmb.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class InFlightSerdeTest {
  private static final String TOPIC = "rmb-inflight-changelog";
  private final InFlightSerde serde = new InFlightSerde();

  private static InFlight full() {
    return new InFlight("uid-1", "ref \u00e9\u4e2d", "key".getBytes(StandardCharsets.UTF_8),
        new byte[] {1, 2, 3}, new byte[] {(byte) 0xff, 0}, "rmb.responses", 7, "rmb.requests",
        2, 1_234_567_890_123L, "test.echo", "{\"hello\":1}".getBytes(StandardCharsets.UTF_8),
        "application/json", "t1,t2", 1_700_000_000_000L, 1_700_000_060_000L,
        1_700_000_000_005L, List.of(7L, 8L, Long.MAX_VALUE));
  }

  private static InFlight sparse() {
    return new InFlight("uid-2", "ref", null, null, null, "rmb.responses", null,
        "rmb.requests", 0, 0, "", null, null, null, 1, 2, 3, List.of());
  }

  private InFlight roundTrip(InFlight value) {
    return serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, value));
  }

  @Test
  void everyComponentSurvivesARoundTrip() {
    assertThat(roundTrip(full())).usingRecursiveComparison().isEqualTo(full());
  }

  @Test
  void nullsEmptiesAndNoDestinationsSurviveARoundTrip() {
    InFlight back = roundTrip(sparse());
    assertThat(back).usingRecursiveComparison().isEqualTo(sparse());
    assertThat(back.key()).isNull();
    assertThat(back.outputPartition()).isNull();
    assertThat(back.payload()).isEmpty();
    assertThat(back.remaining()).isEmpty();
  }

  @Test
  void aDoneMarkerSurvivesARoundTrip() {
    InFlight marker = full().done();
    assertThat(roundTrip(marker)).usingRecursiveComparison().isEqualTo(marker);
  }

  @Test
  void nullIsATombstoneBothWays() {
    assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
    assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
  }

  @Test
  void aJsonValueWrittenBeforeTheBinaryFormatIsStillRead() {
    // the layout of changelogs written by earlier versions: a store restored after an upgrade
    byte[] json = new JsonSerde<>(InFlight.class).serializer().serialize(TOPIC, full());
    assertThat(json[0]).isEqualTo((byte) '{');
    assertThat(serde.deserializer().deserialize(TOPIC, json))
        .usingRecursiveComparison().isEqualTo(full());
  }

  @Test
  void binaryValuesStartWithTheirFormatByteAndAreSmallerThanJson() {
    byte[] binary = serde.serializer().serialize(TOPIC, full());
    byte[] json = new JsonSerde<>(InFlight.class).serializer().serialize(TOPIC, full());
    assertThat(binary[0]).isEqualTo(InFlightSerde.FORMAT);
    assertThat(binary.length).isLessThan(json.length);
  }

  @Test
  void anUnknownFormatByteIsAClearError() {
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {9, 0, 0}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown format byte 9");
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[0]))
        .isInstanceOf(SerializationException.class).hasMessageContaining("empty value");
  }

  @Test
  void everyTruncationIsAClearErrorNeverAWrongValue() {
    byte[] binary = serde.serializer().serialize(TOPIC, full());
    for (int length = 1; length < binary.length; length++) {
      byte[] cut = Arrays.copyOf(binary, length);
      assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, cut))
          .as("cut to %d of %d bytes", cut.length, binary.length)
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("truncated or corrupt");
    }
  }

  @Test
  void trailingBytesAreAnError() {
    byte[] binary = serde.serializer().serialize(TOPIC, sparse());
    byte[] longer = Arrays.copyOf(binary, binary.length + 1);
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, longer))
        .isInstanceOf(SerializationException.class).hasMessageContaining("after the value");
  }

  @Test
  void aCorruptLengthIsAClearError() {
    byte[] binary = serde.serializer().serialize(TOPIC, sparse());
    binary[1] = (byte) 0xff; // the uid's length becomes -1
    binary[2] = (byte) 0xff;
    binary[3] = (byte) 0xff;
    binary[4] = (byte) 0xff;
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, binary))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("truncated or corrupt");
  }
}
