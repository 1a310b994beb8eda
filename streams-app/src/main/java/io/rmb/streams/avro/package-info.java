/**
 * Avro values for the gateway's user-facing topics ({@code rmb.value.format=avro}): the
 * schemas of {@code schemas/src/main/avro/} as {@link org.apache.avro.generic.GenericRecord}s,
 * translated to and from the JSON form the record codec validates, serialized by Apicurio
 * Registry 2.6 serdes in Confluent-compatible mode (magic byte + 4-byte content id, no
 * headers).
 */
package io.rmb.streams.avro;
