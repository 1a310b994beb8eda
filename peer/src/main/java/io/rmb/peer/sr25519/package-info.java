/**
 * sr25519: schnorrkel Schnorr signatures over ristretto255, wire-compatible with substrate's
 * {@code sp_core::sr25519} (schnorrkel 0.11) as used by the Rust RMB peer (rmb-rs).
 *
 * <p>The only public type is {@link io.rmb.peer.sr25519.Sr25519KeyPair}: mini-secret expansion
 * (Ed25519 mode), the 64-byte {@code to_ed25519_bytes} secret layout, substrate hard and
 * schnorrkel soft derivation, and signing/verification under the {@code "substrate"} signing
 * context with the schnorrkel marker bit required.
 *
 * <p>Everything below it is package-private and written for this package alone:
 * <ul>
 *   <li>{@code Keccak} - the Keccak-f[1600] permutation;
 *   <li>{@code Strobe128} - the STROBE-128 subset Merlin uses (meta-AD, AD, PRF, KEY);
 *   <li>{@code MerlinTranscript} - Merlin transcripts and the transcript-bound witness RNG;
 *   <li>{@code Field25519}, {@code Edwards25519}, {@code Ristretto255} - field helpers, the
 *       Edwards group law and ristretto255 encoding with constant-time fixed-base and
 *       variable-time double-base scalar multiplication, on BouncyCastle's
 *       {@code X25519Field} (curve25519-elisabeth supplies the scalar arithmetic).
 * </ul>
 */
package io.rmb.peer.sr25519;
