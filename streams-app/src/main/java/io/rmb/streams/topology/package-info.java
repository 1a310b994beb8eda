/**
 * The Kafka Streams topology of the gateway (see {@link io.rmb.streams.topology.GatewayTopology}):
 * requests are validated and recorded in a changelogged in-flight store, handed to the network
 * through {@link io.rmb.streams.topology.RmbNetwork} without blocking, and turned into exactly
 * one outcome per destination when answers come back on the internal answers topic or a
 * wall-clock punctuator reaches their deadline. Replies of service mode are checked against an
 * index of incoming requests and handed to the network.
 */
package io.rmb.streams.topology;
