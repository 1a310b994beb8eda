package io.rmb.streams.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Record values that are not valid UTF-8 are refused, never read as another field. */
class RecordCodecTest {
  private final RecordCodec codec =
      new RecordCodec(Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC));

  private static byte[] bytes(String... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String part : parts) {
      out.writeBytes(part.getBytes(StandardCharsets.ISO_8859_1)); // one byte per char
    }
    return out.toByteArray();
  }

  @Test
  void aFieldNameWithInvalidUtf8IsRefusedEvenWhenItsBytesMatchAKnownName() throws Exception {
    byte[] good = bytes("{\"ref\":\"r1\",\"cmd\":\"c\",\"dst\":[11],\"dat\":\"aGk=\"}");
    assertThat(codec.parseRequest(good, Optional.empty(), "t-0-1").command()).isEqualTo("c");

    // 0xFF followed by "cmd" is one full quad equal to the padded quad of "cmd" in Jackson's
    // symbol table: without a UTF-8 check it was read as a valid request with cmd "x"
    byte[] bad = bytes("{\"ref\":\"r2\",\"\u00ffcmd\":\"x\",\"dst\":[11],\"dat\":\"aGk=\"}");
    assertThatThrownBy(() -> codec.parseRequest(bad, Optional.empty(), "t-0-2"))
        .isInstanceOf(InvalidRecordException.class).hasMessageContaining("UTF-8");
  }
}
