package io.rmb.connect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Turns whatever the worker's converter made of a record value (a {@link Struct} with a
 * schema, a schemaless {@link Map}, a JSON {@link String} or raw bytes) into the kafka.md JSON
 * that {@link io.rmb.streams.record.RecordCodec} parses, so both gateways validate records
 * with the same code. In Structs, bytes become base64 text and a {@code json} field holding
 * JSON text becomes that JSON value.
 */
final class ConnectValues {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ConnectValues() {}

  /**
   * The value as kafka.md JSON bytes; null stays null (the codec reports an empty value).
   *
   * @throws DataException when the value is of a type no converter produces for these topics
   */
  static byte[] toJson(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return bytes;
    }
    if (value instanceof String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    if (value instanceof Struct || value instanceof Map) {
      JsonNode node = node(value, true);
      try {
        return MAPPER.writeValueAsBytes(node);
      } catch (JsonProcessingException e) {
        throw new DataException("cannot write the record as JSON", e);
      }
    }
    throw new DataException("record value of type " + value.getClass().getName()
        + " is not a Struct, a map, a string or bytes");
  }

  private static JsonNode node(Object value, boolean top) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof Struct struct) {
      ObjectNode object = NODES.objectNode();
      for (Field field : struct.schema().fields()) {
        Object item = struct.get(field);
        if (item != null) {
          object.set(field.name(), top && "json".equals(field.name()) && item instanceof String s
              ? parseJsonField(s) : node(item, false));
        }
      }
      return object;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      map.forEach((k, v) -> object.set(String.valueOf(k), node(v, false)));
      return object;
    }
    if (value instanceof Collection<?> items) {
      ArrayNode array = NODES.arrayNode();
      items.forEach(item -> array.add(node(item, false)));
      return array;
    }
    if (value instanceof byte[] bytes) {
      return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    }
    if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    }
    return MAPPER.valueToTree(value);
  }

  private static JsonNode parseJsonField(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new DataException("field json is not JSON text: " + e.getOriginalMessage());
    }
  }

  /** The {@link RecordSchemas#INCOMING} Struct of the kafka.md JSON {@code incoming}. */
  static Struct incomingStruct(byte[] incomingJson) {
    try {
      JsonNode node = MAPPER.readTree(incomingJson);
      Struct struct = new Struct(RecordSchemas.INCOMING)
          .put("ver", node.get("ver").asInt())
          .put("ref", node.get("ref").asText())
          .put("src", node.get("src").asText())
          .put("cmd", node.get("cmd").asText())
          .put("exp", node.get("exp").asLong())
          .put("dat", Base64.getDecoder().decode(node.get("dat").asText()))
          .put("tag", node.get("tag").asText())
          .put("shm", node.get("shm").asText())
          .put("now", node.get("now").asLong());
      if (node.has("json")) {
        struct.put("json", node.get("json").toString());
      }
      return struct;
    } catch (java.io.IOException e) {
      throw new DataException("cannot read the incoming record", e);
    }
  }

  /** Record key bytes for the outcome: strings as UTF-8, bytes as they are, else JSON. */
  static byte[] keyBytes(Object key) {
    if (key == null) {
      return null;
    }
    if (key instanceof String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    if (key instanceof byte[] || key instanceof ByteBuffer) {
      return toJson(key);
    }
    try {
      return MAPPER.writeValueAsBytes(node(key, false));
    } catch (JsonProcessingException e) {
      throw new DataException("cannot write the record key", e);
    }
  }
}
