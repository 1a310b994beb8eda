package io.rmb.connect;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Connect schemas of the four record types of kafka.md. Field names are those of the JSON form;
 * the payload {@code dat} is bytes (a converter such as JSON writes it as base64, Avro as
 * bytes) and {@code json} is the payload as JSON text.
 */
public final class RecordSchemas {
  /** {@code err} of a reply or an outcome. */
  public static final Schema ERROR = SchemaBuilder.struct().name("io.rmb.Error").optional()
      .field("code", Schema.INT64_SCHEMA)
      .field("message", Schema.OPTIONAL_STRING_SCHEMA)
      .build();

  /** A request on {@code rmb.requests}. */
  public static final Schema REQUEST = SchemaBuilder.struct().name("io.rmb.Request").version(1)
      .field("ver", Schema.OPTIONAL_INT32_SCHEMA)
      .field("ref", Schema.OPTIONAL_STRING_SCHEMA)
      .field("cmd", Schema.STRING_SCHEMA)
      .field("dst", SchemaBuilder.array(Schema.INT64_SCHEMA).build())
      .field("dat", Schema.OPTIONAL_BYTES_SCHEMA)
      .field("json", Schema.OPTIONAL_STRING_SCHEMA)
      .field("exp", Schema.OPTIONAL_INT64_SCHEMA)
      .field("tag", Schema.OPTIONAL_STRING_SCHEMA)
      .field("shm", Schema.OPTIONAL_STRING_SCHEMA)
      .field("now", Schema.OPTIONAL_INT64_SCHEMA)
      .build();

  /** A reply on {@code rmb.replies}. */
  public static final Schema REPLY = SchemaBuilder.struct().name("io.rmb.Reply").version(1)
      .field("ver", Schema.OPTIONAL_INT32_SCHEMA)
      .field("ref", Schema.STRING_SCHEMA)
      .field("dst", Schema.STRING_SCHEMA)
      .field("dat", Schema.OPTIONAL_BYTES_SCHEMA)
      .field("json", Schema.OPTIONAL_STRING_SCHEMA)
      .field("shm", Schema.OPTIONAL_STRING_SCHEMA)
      .field("now", Schema.OPTIONAL_INT64_SCHEMA)
      .field("err", ERROR)
      .build();

  /** An incoming request on {@code rmb.incoming}. */
  public static final Schema INCOMING = SchemaBuilder.struct().name("io.rmb.Incoming")
      .version(1)
      .field("ver", Schema.INT32_SCHEMA)
      .field("ref", Schema.STRING_SCHEMA)
      .field("src", Schema.STRING_SCHEMA)
      .field("cmd", Schema.STRING_SCHEMA)
      .field("exp", Schema.INT64_SCHEMA)
      .field("dat", Schema.BYTES_SCHEMA)
      .field("json", Schema.OPTIONAL_STRING_SCHEMA)
      .field("tag", Schema.OPTIONAL_STRING_SCHEMA)
      .field("shm", Schema.OPTIONAL_STRING_SCHEMA)
      .field("now", Schema.INT64_SCHEMA)
      .build();

  /**
   * An outcome on {@code rmb.responses}. The sink writes outcomes as kafka.md JSON with its
   * own producer; this schema documents that record for schema-aware consumers.
   */
  public static final Schema OUTCOME = SchemaBuilder.struct().name("io.rmb.Outcome").version(1)
      .field("ver", Schema.INT32_SCHEMA)
      .field("ref", Schema.STRING_SCHEMA)
      .field("uid", Schema.STRING_SCHEMA)
      .field("src", Schema.STRING_SCHEMA)
      .field("status", Schema.STRING_SCHEMA)
      .field("dat", Schema.BYTES_SCHEMA)
      .field("json", Schema.OPTIONAL_STRING_SCHEMA)
      .field("shm", Schema.OPTIONAL_STRING_SCHEMA)
      .field("now", Schema.INT64_SCHEMA)
      .field("err", ERROR)
      .build();

  private RecordSchemas() {}
}
