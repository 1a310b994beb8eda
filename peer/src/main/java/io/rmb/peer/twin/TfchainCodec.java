package io.rmb.peer.twin;

import io.rmb.peer.substrate.HexBytes;
import io.rmb.peer.substrate.ScaleException;
import io.rmb.peer.substrate.ScaleReader;
import io.rmb.peer.substrate.ScaleWriter;
import io.rmb.peer.substrate.StorageKey;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What tfchain's {@code TfgridModule} pallet stores about twins and how to change it (tfchain
 * runtime spec 149): the storage keys of {@code Twins(u32)} and
 * {@code TwinIdByAccountID(AccountId32)}, the SCALE layout of a twin and of a twin id, and the
 * {@code update_twin(relay, pk)} call.
 *
 * <p>Twin value, in order: id u32 LE; account 32 bytes; relay {@code Option<Vec<u8>>} (ASCII
 * host names joined by {@code _}); entities {@code Vec<(u32, Vec<u8>)>}; pk
 * {@code Option<Vec<u8>>}. There is no version field, so trailing bytes are rejected: they
 * mean the runtime changed the layout and the value would be misread.
 */
public final class TfchainCodec {
  /** twox128("TfgridModule"). */
  private static final byte[] PALLET_PREFIX = hex("0x19a2526838feefd7695a3b5715b415b1");
  /** twox128("Twins"). */
  private static final byte[] TWINS_PREFIX = hex("0x311378229266fc86f673a3f4cf398e69");
  /** twox128("TwinIdByAccountID"). */
  private static final byte[] TWIN_ID_BY_ACCOUNT_PREFIX =
      hex("0xaca6514962aa3f0d58aff3524045f9e0");
  /** Index of {@code TfgridModule} in the runtime (spec 149). */
  public static final int PALLET_INDEX = 25;
  /** Index of {@code update_twin} in {@code TfgridModule}'s calls (spec 149). */
  public static final int UPDATE_TWIN_CALL_INDEX = 18;

  private TfchainCodec() {}

  /** Storage key of {@code TfgridModule.Twins(id)}. */
  public static byte[] twinKey(long id) {
    return StorageKey.blake2b128ConcatMap(PALLET_PREFIX, TWINS_PREFIX,
        new ScaleWriter().u32(id).toByteArray());
  }

  /** Storage key of {@code TfgridModule.TwinIdByAccountID(account)}. */
  public static byte[] twinIdByAccountKey(byte[] account) {
    checkAccount(account);
    return StorageKey.blake2b128ConcatMap(PALLET_PREFIX, TWIN_ID_BY_ACCOUNT_PREFIX, account);
  }

  /**
   * Decodes a {@code Twins} value.
   *
   * @throws ScaleException when the bytes are truncated, malformed, have trailing bytes, or
   *     the relay field is not valid UTF-8
   */
  public static Twin decodeTwin(byte[] value) {
    ScaleReader in = new ScaleReader(value, "Twin value");
    long id = in.u32("id");
    byte[] account = in.bytes(32, "account_id");
    Optional<byte[]> relay = in.optionVecU8("relay");
    int entities = in.length("entities");
    for (int i = 0; i < entities; i++) {
      in.u32("entities[" + i + "].entity_id");
      in.vecU8("entities[" + i + "].signature");
    }
    Optional<byte[]> pk = in.optionVecU8("pk");
    in.expectEnd();
    String relayField = relay.isPresent() ? utf8(relay.get()) : null;
    return new Twin(id, account, Twin.parseRelays(relayField), pk.orElse(null));
  }

  /**
   * Encodes a twin as tfchain stores it, with no entities; an empty relay set is stored as
   * None. Used by test doubles of the chain.
   */
  public static byte[] encodeTwin(Twin twin) {
    return new ScaleWriter()
        .u32(twin.id())
        .raw(twin.account())
        .optionVecU8(relayBytes(twin.relays()))
        .compact(0)
        .optionVecU8(twin.publicKey().orElse(null))
        .toByteArray();
  }

  /**
   * Decodes a {@code TwinIdByAccountID} value (a u32).
   *
   * @throws ScaleException when it is not exactly four bytes
   */
  public static long decodeTwinId(byte[] value) {
    ScaleReader in = new ScaleReader(value, "TwinIdByAccountID value");
    long id = in.u32("twin_id");
    in.expectEnd();
    return id;
  }

  /**
   * The call {@code TfgridModule.update_twin(relay, pk)}: {@code 19 12 || Option(relay) ||
   * Option(pk)}. An empty relay set becomes None, as does a null pk.
   */
  public static byte[] updateTwinCall(Set<String> relays, byte[] pk) {
    Objects.requireNonNull(relays, "relays");
    return new ScaleWriter()
        .u8(PALLET_INDEX)
        .u8(UPDATE_TWIN_CALL_INDEX)
        .optionVecU8(relayBytes(relays))
        .optionVecU8(pk == null || pk.length == 0 ? null : pk)
        .toByteArray();
  }

  /** The relay field bytes ({@code host1_host2}), or null for an empty set. */
  static byte[] relayBytes(Set<String> relays) {
    if (relays.isEmpty()) {
      return null;
    }
    for (String relay : relays) {
      if (relay.contains("_")) {
        throw new IllegalArgumentException("relay '" + relay
            + "' contains '_', the separator of the on-chain relay field");
      }
    }
    return String.join("_", List.copyOf(relays)).getBytes(StandardCharsets.UTF_8);
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ScaleException("Twin value: relay is not valid UTF-8 (" + HexBytes.encode(bytes)
          + ")", e);
    }
  }

  private static void checkAccount(byte[] account) {
    Objects.requireNonNull(account, "account");
    if (account.length != 32) {
      throw new IllegalArgumentException("account must be 32 bytes, got " + account.length);
    }
  }

  private static byte[] hex(String text) {
    return HexBytes.decode(text, "constant");
  }
}
