/**
 * End-to-end payload encryption (wire.md section 4): secp256k1 keys
 * ({@link io.rmb.peer.crypto.E2eKeyPair}), shared key = sha256 of the ECDH x-coordinate, and
 * AES-256-GCM with a 12-byte nonce prefix ({@link io.rmb.peer.crypto.E2eCipher}).
 */
package io.rmb.peer.crypto;
