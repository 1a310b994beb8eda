package io.rmb.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor.Type;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins every field of the generated messages to wire.md section 2: name, number, type, label
 * and presence. A renumbered or retyped field would still compile but break the wire.
 */
class WireSchemaTest {

  @ParameterizedTest(name = "{0}.{1}")
  @CsvSource({
      // message, field, number, type, repeated, explicit presence, oneof
      "Envelope, uid, 1, STRING, false, false, ",
      "Envelope, tags, 2, STRING, false, true, ",
      "Envelope, timestamp, 3, UINT64, false, false, ",
      "Envelope, expiration, 4, UINT64, false, false, ",
      "Envelope, source, 5, MESSAGE, false, true, ",
      "Envelope, destination, 6, MESSAGE, false, true, ",
      "Envelope, request, 7, MESSAGE, false, true, message",
      "Envelope, response, 8, MESSAGE, false, true, message",
      "Envelope, signature, 9, BYTES, false, true, ",
      "Envelope, schema, 10, STRING, false, true, ",
      "Envelope, federation, 11, STRING, false, true, ",
      "Envelope, error, 12, MESSAGE, false, true, message",
      "Envelope, plain, 13, BYTES, false, true, payload",
      "Envelope, cipher, 14, BYTES, false, true, payload",
      "Envelope, ping, 15, MESSAGE, false, true, message",
      "Envelope, pong, 16, MESSAGE, false, true, message",
      "Envelope, relays, 17, STRING, true, false, ",
      "Request, command, 1, STRING, false, false, ",
      "Error, code, 1, UINT32, false, false, ",
      "Error, message, 2, STRING, false, false, ",
      "Address, twin, 1, UINT32, false, false, ",
      "Address, connection, 2, STRING, false, true, ",
      "Backlog, uid, 1, STRING, false, false, ",
      "Backlog, reference, 2, STRING, false, true, ",
      "Backlog, reply_to, 3, STRING, false, false, ",
      "Backlog, module, 4, STRING, false, false, ",
      "Backlog, ttl, 5, UINT64, false, false, "})
  void fieldMatchesTheWireSpec(String message, String field, int number, Type type,
      boolean repeated, boolean presence, String oneof) {
    FieldDescriptor descriptor = descriptor(message).findFieldByName(field);

    assertThat(descriptor).as("%s.%s exists", message, field).isNotNull();
    assertThat(descriptor.getNumber()).isEqualTo(number);
    assertThat(descriptor.getType()).isEqualTo(type);
    assertThat(descriptor.isRepeated()).isEqualTo(repeated);
    assertThat(descriptor.hasPresence()).isEqualTo(presence);
    if (oneof == null) {
      assertThat(descriptor.getRealContainingOneof()).isNull();
    } else {
      assertThat(descriptor.getRealContainingOneof().getName()).isEqualTo(oneof);
    }
  }

  @ParameterizedTest(name = "{0} has {1} fields")
  @CsvSource({"Envelope, 17", "Request, 1", "Response, 0", "Error, 2", "Ping, 0", "Pong, 0",
      "Address, 2", "Backlog, 5"})
  void noExtraFields(String message, int count) {
    assertThat(descriptor(message).getFields()).hasSize(count);
  }

  private static Descriptor descriptor(String message) {
    switch (message) {
      case "Envelope": return Envelope.getDescriptor();
      case "Request": return Request.getDescriptor();
      case "Response": return Response.getDescriptor();
      case "Error": return Error.getDescriptor();
      case "Ping": return Ping.getDescriptor();
      case "Pong": return Pong.getDescriptor();
      case "Address": return Address.getDescriptor();
      case "Backlog": return Backlog.getDescriptor();
      default: throw new IllegalArgumentException(message);
    }
  }
}
