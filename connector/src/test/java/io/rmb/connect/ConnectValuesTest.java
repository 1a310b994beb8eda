package io.rmb.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.streams.record.InvalidRecordException;
import io.rmb.streams.record.RecordCodec;
import io.rmb.streams.record.Reply;
import io.rmb.streams.record.Request;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class ConnectValuesTest {
  private final RecordCodec codec = new RecordCodec(
      Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC));

  private Request request(Object value) throws InvalidRecordException {
    return codec.parseRequest(ConnectValues.toJson(value), Optional.empty(), "fallback");
  }

  @Test
  void aRequestStructBecomesTheSameRequestAsItsJson() throws Exception {
    Struct struct = new Struct(RecordSchemas.REQUEST).put("ref", "order-42")
        .put("cmd", "test.echo").put("dst", List.of(11L, 12L))
        .put("dat", "hi".getBytes(StandardCharsets.UTF_8)).put("exp", 60L).put("tag", "t");
    Request request = request(struct);
    assertThat(request.ref()).isEqualTo("order-42");
    assertThat(request.destinations()).containsExactly(11L, 12L);
    assertThat(new String(request.payload(), StandardCharsets.UTF_8)).isEqualTo("hi");
    assertThat(request.ttlSeconds()).isEqualTo(60);
    assertThat(request.tags()).isEqualTo("t");
  }

  @Test
  void theJsonFieldOfAStructIsJsonText() throws Exception {
    Struct struct = new Struct(RecordSchemas.REQUEST).put("cmd", "c").put("dst", List.of(7L))
        .put("json", "{\"a\": [1, 2]}");
    Request request = request(struct);
    assertThat(new String(request.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":[1,2]}");
    assertThat(request.schema()).isEqualTo("application/json");
    Struct broken = new Struct(RecordSchemas.REQUEST).put("cmd", "c").put("dst", List.of(7L))
        .put("json", "{not json");
    assertThatThrownBy(() -> ConnectValues.toJson(broken)).isInstanceOf(DataException.class)
        .hasMessageStartingWith("field json is not JSON text");
  }

  @Test
  void aSchemalessMapAndAJsonStringAreAccepted() throws Exception {
    Request fromMap = request(Map.of("cmd", "c", "dst", List.of(9L), "json", Map.of("k", 1)));
    assertThat(fromMap.destinations()).containsExactly(9L);
    assertThat(new String(fromMap.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"k\":1}");
    Request fromText = request("{\"cmd\":\"c\",\"dst\":[3],\"dat\":\"aGk=\"}");
    assertThat(new String(fromText.payload(), StandardCharsets.UTF_8)).isEqualTo("hi");
  }

  @Test
  void invalidValuesAreReportedWithTheirRef() {
    assertThatThrownBy(() -> request(Map.of("ref", "r1", "cmd", "c", "dst", List.of())))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("invalid request: dst must be a non-empty list of twin ids")
        .satisfies(e -> assertThat(((InvalidRecordException) e).ref()).contains("r1"));
    assertThatThrownBy(() -> request(null)).isInstanceOf(InvalidRecordException.class)
        .hasMessage("empty record value");
    assertThatThrownBy(() -> ConnectValues.toJson(42)).isInstanceOf(DataException.class);
  }

  @Test
  void aReplyStructWithAnErrorBecomesAnErrorReply() throws Exception {
    Struct err = new Struct(RecordSchemas.ERROR).put("code", 7L).put("message", "nope");
    Struct struct = new Struct(RecordSchemas.REPLY).put("ref", "uid-1").put("dst", "41:s1")
        .put("err", err);
    Reply reply = codec.parseReply(ConnectValues.toJson(struct));
    assertThat(reply.ref()).isEqualTo("uid-1");
    assertThat(reply.twin()).isEqualTo(41);
    assertThat(reply.connection()).contains("s1");
    assertThat(reply.errorCode()).isEqualTo(7);
    assertThat(reply.errorMessage()).isEqualTo("nope");
  }

  @Test
  void anIncomingRequestBecomesAStructOfItsSchema() {
    byte[] json = ("{\"ver\":1,\"ref\":\"u1\",\"src\":\"41\",\"cmd\":\"c\",\"exp\":30,"
        + "\"dat\":\"e30=\",\"json\":{},\"tag\":\"\",\"shm\":\"application/json\","
        + "\"now\":1700000000}").getBytes(StandardCharsets.UTF_8);
    Struct struct = ConnectValues.incomingStruct(json);
    struct.validate();
    assertThat(struct.getString("src")).isEqualTo("41");
    assertThat(struct.getBytes("dat")).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
    assertThat(struct.getString("json")).isEqualTo("{}");
    assertThat(struct.getInt64("exp")).isEqualTo(30L);
  }

  @Test
  void keysKeepTheirBytes() {
    assertThat(ConnectValues.keyBytes("k1")).isEqualTo("k1".getBytes(StandardCharsets.UTF_8));
    assertThat(ConnectValues.keyBytes(new byte[] {1, 2})).containsExactly(1, 2);
    assertThat(ConnectValues.keyBytes(5L)).isEqualTo("5".getBytes(StandardCharsets.UTF_8));
    assertThat(ConnectValues.keyBytes(null)).isNull();
  }
}
