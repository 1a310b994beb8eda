/**
 * Jazzer fuzz tests ({@code @FuzzTest}) of the peer's parsers of network bytes: envelopes,
 * relay JWTs and tfchain SCALE values. Each asserts the parser's contract: a value or its
 * documented exception, nothing else. Seeds live under {@code src/test/resources}, next to the
 * class as {@code <Class>Inputs/<method>/}; see docs/fuzzing.md.
 */
package io.rmb.peer.fuzz;
