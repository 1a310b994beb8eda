/**
 * The Kafka records of the gateway (kafka.md): parsing and validating requests on
 * {@code rmb.requests} and replies on {@code rmb.replies}, and writing outcomes, incoming
 * requests and the gateway's internal answer records, all as JSON with the field names of the
 * rmb-peer Redis API.
 */
package io.rmb.streams.record;
