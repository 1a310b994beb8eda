package io.rmb.streams.avro;

import io.rmb.streams.record.ValueFormat.RecordType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * The Avro schemas of the four record types, read from the {@code rmb-schemas} jar
 * ({@code schemas/src/main/avro/*.avsc}, under {@code io/rmb/avro/}).
 */
public final class RmbAvroSchemas {
  private static final Map<RecordType, Schema> SCHEMAS = load();

  private RmbAvroSchemas() {}

  /** The schema of {@code type}. */
  public static Schema of(RecordType type) {
    return SCHEMAS.get(type);
  }

  private static Map<RecordType, Schema> load() {
    Map<RecordType, Schema> schemas = new EnumMap<>(RecordType.class);
    for (RecordType type : RecordType.values()) {
      String resource = "/io/rmb/avro/" + type.name().toLowerCase(java.util.Locale.ROOT)
          + ".avsc";
      try (InputStream in = RmbAvroSchemas.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(resource + " is missing: rmb-schemas not on the"
              + " class path");
        }
        // a parser per file: outcome.avsc and reply.avsc both define io.rmb.avro.Error
        schemas.put(type, new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + resource, e);
      }
    }
    return schemas;
  }
}
