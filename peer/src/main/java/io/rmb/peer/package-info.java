/**
 * The RMB peer stack: protocol primitives shared by every front door (relay, Redis bridge,
 * Kafka Streams gateway, Kafka Connect connectors).
 *
 * <p>One package per protocol concept: {@code identity} (secrets, keys, signers, SS58),
 * {@code sr25519} (schnorrkel over Ristretto255 with Merlin/STROBE transcripts),
 * {@code envelope} (the signed protobuf envelope and RMB error codes), {@code crypto}
 * (secp256k1 ECDH + AES-GCM end-to-end encryption), {@code token} (relay JWT) and
 * {@code twin} (twin directory).
 */
package io.rmb.peer;
