/**
 * Kafka Connect plugin of the RMB gateway: {@link io.rmb.connect.RmbSinkConnector} sends
 * requests and replies from Kafka over RMB and writes outcomes back to Kafka;
 * {@link io.rmb.connect.RmbSourceConnector} publishes requests remote twins send us. Records
 * follow kafka.md, parsed and written by the Streams gateway's {@code io.rmb.streams.record}.
 */
package io.rmb.connect;
