package io.rmb.streams.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Translates between the gateway's Avro records and their JSON form (kafka.md): {@code bytes}
 * fields are base64 text in JSON ({@code dat}), the {@code json} field is JSON text in Avro
 * and a JSON value in JSON; every other field keeps its name and value. Null fields are left
 * out of the JSON form, as the JSON format leaves them out. Thread-safe.
 */
final class AvroJson {
  /** The field holding the payload as JSON (a JSON value in JSON, its text in Avro). */
  private static final String JSON_FIELD = "json";

  private final ObjectMapper mapper;

  AvroJson(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * The JSON form of {@code record}.
   *
   * @throws IllegalArgumentException when its {@code json} field is not JSON text
   */
  ObjectNode toJson(GenericRecord record) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    for (Schema.Field field : record.getSchema().getFields()) {
      Object value = record.get(field.pos());
      if (value == null) {
        continue;
      }
      if (field.name().equals(JSON_FIELD) && value instanceof CharSequence text) {
        try {
          node.set(JSON_FIELD, mapper.readTree(text.toString()));
        } catch (IOException e) {
          throw new IllegalArgumentException("json is not JSON text: " + e.getMessage());
        }
      } else {
        node.set(field.name(), value(value));
      }
    }
    return node;
  }

  private JsonNode value(Object value) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (value instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return nodes.textNode(Base64.getEncoder().encodeToString(bytes));
    } else if (value instanceof GenericRecord nested) {
      return toJson(nested);
    } else if (value instanceof Collection<?> items) {
      ArrayNode array = nodes.arrayNode();
      items.forEach(item -> array.add(value(item)));
      return array;
    } else if (value instanceof Map<?, ?> map) {
      ObjectNode object = nodes.objectNode();
      map.forEach((k, v) -> object.set(k.toString(), v == null ? nodes.nullNode() : value(v)));
      return object;
    } else if (value instanceof Integer i) {
      return nodes.numberNode(i);
    } else if (value instanceof Long l) {
      return nodes.numberNode(l);
    } else if (value instanceof Boolean b) {
      return nodes.booleanNode(b);
    } else if (value instanceof Double d) {
      return nodes.numberNode(d);
    } else if (value instanceof Float f) {
      return nodes.numberNode(f);
    }
    return nodes.textNode(value.toString()); // strings (Utf8), enum symbols
  }

  /**
   * The record of {@code schema} for the JSON form {@code node} the codec wrote; fields it
   * leaves out take their schema default.
   *
   * @throws IllegalArgumentException when a field without default is missing
   */
  GenericRecord fromJson(ObjectNode node, Schema schema) {
    GenericData.Record record = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      JsonNode value = node.get(field.name());
      if (value == null || value.isNull()) {
        if (!field.hasDefaultValue()) {
          if (!nullable(field.schema())) {
            throw new IllegalArgumentException(schema.getName() + "." + field.name()
                + " is required");
          }
          continue;
        }
        record.put(field.pos(), GenericData.get().deepCopy(field.schema(),
            GenericData.get().getDefaultValue(field)));
      } else if (field.name().equals(JSON_FIELD)) {
        record.put(field.pos(), value.toString());
      } else {
        record.put(field.pos(), avro(value, field.schema(), field.name()));
      }
    }
    return record;
  }

  private Object avro(JsonNode value, Schema schema, String name) {
    switch (schema.getType()) {
      case UNION:
        for (Schema branch : schema.getTypes()) {
          if (branch.getType() != Schema.Type.NULL) {
            return avro(value, branch, name);
          }
        }
        return null;
      case STRING:
        return value.asText();
      case BYTES:
        return ByteBuffer.wrap(Base64.getDecoder().decode(value.asText()));
      case INT:
        return value.asInt();
      case LONG:
        return value.asLong();
      case BOOLEAN:
        return value.asBoolean();
      case DOUBLE:
        return value.asDouble();
      case RECORD:
        if (!value.isObject()) {
          throw new IllegalArgumentException(name + " must be an object");
        }
        return fromJson((ObjectNode) value, schema);
      case ARRAY:
        List<Object> items = new ArrayList<>();
        value.forEach(item -> items.add(avro(item, schema.getElementType(), name)));
        return items;
      default:
        throw new IllegalArgumentException("no JSON mapping for " + name + " of Avro type "
            + schema.getType());
    }
  }

  private static boolean nullable(Schema schema) {
    return schema.getType() == Schema.Type.NULL || schema.getType() == Schema.Type.UNION
        && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
  }
}
