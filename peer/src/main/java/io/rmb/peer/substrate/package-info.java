/**
 * A small Substrate client, no Substrate library needed: asynchronous JSON-RPC over WebSocket
 * or HTTP with several node URLs ({@link io.rmb.peer.substrate.SubstrateClient}), typed calls
 * ({@link io.rmb.peer.substrate.ChainApi}), the SCALE codec
 * ({@link io.rmb.peer.substrate.ScaleReader}, {@link io.rmb.peer.substrate.ScaleWriter}),
 * storage keys ({@link io.rmb.peer.substrate.StorageKey}) and signed extrinsics v4
 * ({@link io.rmb.peer.substrate.SignedExtrinsic}).
 *
 * <p>Generic on purpose: what tfchain stores and which call updates a twin live in
 * {@code io.rmb.peer.twin}. Every failure is a {@link io.rmb.peer.substrate.SubstrateException}.
 */
package io.rmb.peer.substrate;
