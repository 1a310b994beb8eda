/**
 * Twins and where to find them: the {@link io.rmb.peer.twin.Twin} value, the asynchronous
 * {@link io.rmb.peer.twin.TwinDirectory} interface, a JSON-file directory and a caching
 * decorator. The tfchain-backed directory is added by a later issue.
 */
package io.rmb.peer.twin;
