/**
 * The Kafka Streams gateway: {@link io.rmb.streams.StreamsGateway} runs the topology of
 * {@link io.rmb.streams.topology} against an {@link io.rmb.peer.runtime.RmbPeer}, configured
 * by {@link io.rmb.streams.GatewayConfig} (a properties file plus environment variables).
 */
package io.rmb.streams;
