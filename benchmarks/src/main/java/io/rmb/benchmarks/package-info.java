/** JMH benchmarks for the peer stack; results and the command are in docs/benchmarks.md. */
package io.rmb.benchmarks;
