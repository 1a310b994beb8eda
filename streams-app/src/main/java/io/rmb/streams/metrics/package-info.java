/** Micrometer meters of the gateway: requests, outcomes, latency, in-flight, drops. */
package io.rmb.streams.metrics;
