package io.rmb.streams.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.rmb.streams.record.InvalidRecordException;
import io.rmb.streams.record.ValueFormat;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Avro values through Apicurio Registry 2.6 serdes in Confluent-compatible mode: the payload
 * is a magic byte 0, the 4-byte content id of the writer schema, then the Avro binary; no
 * Kafka headers ({@code apicurio.registry.as-confluent=true},
 * {@code apicurio.registry.headers.enabled=false}, {@code apicurio.registry.use-id=contentId}).
 * Written schemas are registered under {@code <topic>-value} (the serdes' topic strategy).
 *
 * <p>A value that is not such a payload, names an id the registry does not know, or holds
 * another record type is an {@link InvalidRecordException}: it goes to the DLQ like a
 * malformed JSON value. One instance per stream thread or producer thread.
 */
public final class AvroValueFormat implements ValueFormat {
  private final AvroKafkaSerializer<GenericRecord> serializer = new AvroKafkaSerializer<>();
  private final AvroKafkaDeserializer<GenericRecord> deserializer =
      new AvroKafkaDeserializer<>();
  private final ObjectMapper mapper = new ObjectMapper();
  private final AvroJson json = new AvroJson(mapper);

  /**
   * A format on the registry at {@code registryUrl} (Apicurio's v2 API, e.g.
   * {@code http://host:8080/apis/registry/v2}).
   *
   * @param serdeConfig further {@code apicurio.registry.*} settings (auth, caching, ...); the
   *     Confluent-compatibility keys above always win
   */
  public AvroValueFormat(String registryUrl, boolean autoRegister,
      Map<String, ?> serdeConfig) {
    Objects.requireNonNull(registryUrl, "registryUrl");
    Map<String, Object> config = new HashMap<>(serdeConfig);
    config.put(SerdeConfig.REGISTRY_URL, registryUrl);
    config.put(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, true);
    config.put(SerdeConfig.ENABLE_HEADERS, false);
    config.put(SerdeConfig.USE_ID, "contentId");
    config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, autoRegister);
    if (!autoRegister) {
      config.putIfAbsent(SerdeConfig.FIND_LATEST_ARTIFACT, true);
    }
    serializer.configure(config, false);
    deserializer.configure(config, false);
  }

  /** The Confluent-compatibility settings this format gives the serdes (for docs and tools). */
  public static Map<String, Object> confluentCompatSettings() {
    return Map.of(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, true,
        SerdeConfig.ENABLE_HEADERS, false, SerdeConfig.USE_ID, "contentId");
  }

  @Override
  public byte[] toJson(String topic, RecordType type, byte[] value, String ref)
      throws InvalidRecordException {
    if (value == null || value.length == 0) {
      throw new InvalidRecordException("empty record value", ref);
    }
    if (value[0] != 0 || value.length < 5) {
      throw new InvalidRecordException("value is not Avro in the Confluent wire format (magic"
          + " byte 0 and a 4-byte schema id)", ref);
    }
    Object decoded;
    try {
      decoded = deserializer.deserialize(topic, value);
    } catch (RuntimeException e) {
      throw new InvalidRecordException("value is not Avro the registry can read: "
          + describe(e), ref);
    }
    Schema expected = RmbAvroSchemas.of(type);
    if (!(decoded instanceof GenericRecord record)
        || !record.getSchema().getFullName().equals(expected.getFullName())) {
      String got = decoded instanceof GenericRecord r ? r.getSchema().getFullName()
          : String.valueOf(decoded);
      throw new InvalidRecordException("value is " + got + ", not " + expected.getFullName(),
          ref);
    }
    try {
      return mapper.writeValueAsBytes(json.toJson(record));
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException("invalid " + type.name().toLowerCase(java.util.Locale.ROOT)
          + ": " + e.getMessage(), ref);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  @Override
  public byte[] fromJson(String topic, RecordType type, byte[] value) {
    JsonNode node;
    try {
      node = mapper.readTree(value);
    } catch (IOException e) {
      throw new IllegalStateException("the codec wrote no JSON", e);
    }
    return serializer.serialize(topic, json.fromJson((ObjectNode) node, RmbAvroSchemas.of(type)));
  }

  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(e.getClass().getSimpleName());
    if (e.getMessage() != null) {
      text.append(": ").append(e.getMessage());
    }
    if (e.getCause() != null && e.getCause() != e) {
      text.append(" (").append(describe(e.getCause())).append(')');
    }
    return text.toString();
  }

  @Override
  public void close() {
    serializer.close();
    deserializer.close();
  }

  @Override
  public String toString() {
    return "avro";
  }
}
