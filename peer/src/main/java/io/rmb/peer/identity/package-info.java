/**
 * Twin identities: secrets to keys, signing, signature verification and SS58 addresses,
 * byte-compatible with rmb-peer ({@code -m SECRET}), sp-core and polkadot.js.
 *
 * <p>Entry points: {@link io.rmb.peer.identity.Identity#fromSecret(String,
 * io.rmb.peer.identity.KeyType)} (account key, signer, optional secp256k1 e2e key), {@link
 * io.rmb.peer.identity.SignatureVerifier} (65-byte prefixed signatures, strict dispatch on the
 * prefix) and {@link io.rmb.peer.identity.Ss58} (prefix 42 addresses). Failures raise {@link
 * io.rmb.peer.identity.InvalidSecretException}, {@link
 * io.rmb.peer.identity.InvalidSignatureException} or {@link
 * io.rmb.peer.identity.InvalidAddressException}, all {@link io.rmb.peer.RmbException}s.
 *
 * <p>Package-private building blocks, one concept each: {@code Mnemonic} (BIP39 English and the
 * substrate-bip39 mini secret), {@code SecretUri} and {@code Junction} (sp-core secret URI
 * grammar and chain codes), {@code Ed25519Keys} (ed25519 hard derivation), {@code Base58},
 * {@code Scale}, {@code Hashes}. sr25519 itself lives in {@code io.rmb.peer.sr25519}, the
 * secp256k1 e2e key in {@code io.rmb.peer.crypto}.
 *
 * <p>Provenance of {@code bip39-english.txt} (resource in this package): the English list of
 * the npm package {@code bip39@3.1.0} ({@code src/wordlists/english.json}, tarball sha256
 * 97fcdfe80b8c689a24ebbdc5928936f0b212deb79ee62f94c7e7e77cf4ba46d5), written one word per line
 * with a final newline. Its SHA-256,
 * 2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda, equals that of
 * {@code bip-0039/english.txt} in github.com/bitcoin/bips; a test checks it.
 */
package io.rmb.peer.identity;
