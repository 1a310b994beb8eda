package io.rmb.peer.substrate;

/**
 * The parts of {@code state_getRuntimeVersion} a client needs before signing.
 *
 * @param specName the runtime's name, e.g. {@code substrate-threefold}
 * @param specVersion the runtime spec version (u32)
 * @param transactionVersion the transaction format version (u32)
 */
public record RuntimeVersion(String specName, long specVersion, long transactionVersion) {}
