/**
 * The RMB peer (wire.md sections 2-5): {@link io.rmb.peer.runtime.RmbPeer} sends requests to
 * other twins and serves commands, on top of the relay connections of
 * {@code io.rmb.peer.transport}.
 *
 * <p>Outgoing: one uid per request shared by all destinations, envelopes stamped, encrypted
 * when the destination twin has an encryption key, signed last. Incoming: parse, TTL, sender
 * lookup, signature (refetching the sender once), decryption, replay suppression; failed
 * requests are answered with signed error envelopes, failed responses never. Every request
 * destination ends with exactly one {@link io.rmb.peer.runtime.Outcome}.
 */
package io.rmb.peer.runtime;
