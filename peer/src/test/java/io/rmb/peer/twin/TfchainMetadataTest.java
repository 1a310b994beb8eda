package io.rmb.peer.twin;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.peer.substrate.ScaleReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks the constants this client hard-codes against tfchain's own runtime metadata
 * (spec 149, V14): pallet and call index of {@code update_twin}, the storage hashers and value
 * layouts, and the signed extensions that shape the extrinsic's extra and signed payload.
 *
 * <p>The file comes from the {@code rmb.tfchain.metadata} system property or is found by
 * walking up from the working directory to {@code shared/data/}; without it the test fails.
 */
class TfchainMetadataTest {
  static final String FILE = "shared/data/tfchain-metadata-spec149.scale";
  /** scale-info's TypeDefPrimitive::U32. */
  static final int U32 = 5;

  static Metadata metadata;

  @BeforeAll
  static void load() throws IOException {
    metadata = Metadata.decode(Files.readAllBytes(locate()));
  }

  static Path locate() {
    String property = System.getProperty("rmb.tfchain.metadata");
    if (property != null && !property.isBlank()) {
      return Paths.get(property);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(FILE))) {
        return dir.resolve(FILE);
      }
    }
    throw new AssertionError(FILE + " not found above the working directory;"
        + " set -Drmb.tfchain.metadata=PATH");
  }

  @Test
  void updateTwinIsPallet25Call18WithRelayAndPk() {
    Pallet pallet = metadata.pallets.get("TfgridModule");
    assertThat(pallet.index).isEqualTo(TfchainCodec.PALLET_INDEX).isEqualTo(25);
    Type calls = metadata.types.get(pallet.callsType);
    Variant update = calls.variants.stream().filter(v -> v.name.equals("update_twin"))
        .findFirst().orElseThrow();
    assertThat(update.index).isEqualTo(TfchainCodec.UPDATE_TWIN_CALL_INDEX).isEqualTo(18);
    assertThat(update.fields).extracting(f -> f.name).containsExactly("relay", "pk");
    // both are Option<BoundedVec<u8>>: an Option variant type, as our encoder writes
    for (Field field : update.fields) {
      assertThat(metadata.types.get(field.type).path).containsExactly("Option");
    }
  }

  @Test
  void twinStorageIsBlake2Concat128MapsWithTheExpectedValues() {
    Pallet pallet = metadata.pallets.get("TfgridModule");
    assertThat(pallet.storagePrefix).isEqualTo("TfgridModule");
    Storage twins = pallet.storage.get("Twins");
    assertThat(twins.hashers).containsExactly(2); // Blake2_128Concat
    assertThat(metadata.types.get(twins.keyType).primitive).isEqualTo(U32);
    Type twin = metadata.types.get(twins.valueType);
    assertThat(twin.fields).extracting(f -> f.name)
        .containsExactly("id", "account_id", "relay", "entities", "pk");

    Storage byAccount = pallet.storage.get("TwinIdByAccountID");
    assertThat(byAccount.hashers).containsExactly(2);
    assertThat(metadata.types.get(byAccount.valueType).primitive).isEqualTo(U32);
    assertThat(metadata.types.get(byAccount.keyType).path).containsExactly("sp_core", "crypto",
        "AccountId32");
  }

  @Test
  void signedExtensionsAreTheOnesOurPayloadEncodes() {
    assertThat(metadata.extrinsicVersion).isEqualTo(4);
    assertThat(metadata.extensions).extracting(e -> e.name).containsExactly(
        "CheckNonZeroSender", "CheckSpecVersion", "CheckTxVersion", "CheckGenesis",
        "CheckMortality", "CheckNonce", "CheckWeight", "ChargeTransactionPayment");
    Map<String, String> extra = new HashMap<>();
    Map<String, String> additional = new HashMap<>();
    for (Extension e : metadata.extensions) {
      extra.put(e.name, unwrapExtension(e.type));
      additional.put(e.name, describe(e.additionalSigned));
    }
    // extra = era || compact(nonce) || compact(tip)
    assertThat(extra).containsEntry("CheckMortality", "Era").containsEntry("CheckNonce",
        "Compact").containsEntry("ChargeTransactionPayment", "Compact")
        .containsEntry("CheckNonZeroSender", "()").containsEntry("CheckSpecVersion", "()")
        .containsEntry("CheckTxVersion", "()").containsEntry("CheckGenesis", "()")
        .containsEntry("CheckWeight", "()");
    // payload tail = spec u32 || tx u32 || genesis || era block hash
    assertThat(additional).containsEntry("CheckSpecVersion", "u32")
        .containsEntry("CheckTxVersion", "u32").containsEntry("CheckGenesis", "H256")
        .containsEntry("CheckMortality", "H256").containsEntry("CheckNonce", "()")
        .containsEntry("ChargeTransactionPayment", "()").containsEntry("CheckWeight", "()")
        .containsEntry("CheckNonZeroSender", "()");
  }

  @Test
  void addressAndSignatureVariantsMatchTheExtrinsicLayout() {
    Type extrinsic = metadata.types.get(metadata.extrinsicType);
    Map<String, Integer> params = new HashMap<>();
    extrinsic.params.forEach((name, type) -> params.put(name, type));
    Type address = metadata.types.get(params.get("Address"));
    assertThat(address.path).endsWith("MultiAddress");
    assertThat(variantIndex(address, "Id")).isZero();
    Type signature = metadata.types.get(params.get("Signature"));
    assertThat(signature.path).endsWith("MultiSignature");
    assertThat(variantIndex(signature, "Ed25519")).isZero();
    assertThat(variantIndex(signature, "Sr25519")).isEqualTo(1);
  }

  static int variantIndex(Type type, String name) {
    return type.variants.stream().filter(v -> v.name.equals(name)).findFirst().orElseThrow()
        .index;
  }

  /** An extension type is a struct around its extra data (none, or one field). */
  static String unwrapExtension(int typeId) {
    Type type = metadata.types.get(typeId);
    assertThat(type.kind).isZero();
    assertThat(type.fields.size()).isLessThanOrEqualTo(1);
    return type.fields.isEmpty() ? "()" : describe(type.fields.get(0).type);
  }

  static String describe(int typeId) {
    Type type = metadata.types.get(typeId);
    if (type.kind == 4 && type.tupleSize == 0) {
      return "()";
    }
    if (type.kind == 5) {
      return type.primitive == U32 ? "u32" : "primitive " + type.primitive;
    }
    if (type.kind == 6) {
      return "Compact";
    }
    return type.path.isEmpty() ? "kind " + type.kind : type.path.get(type.path.size() - 1);
  }

  // --- a minimal frame-metadata V14 decoder, just enough for the checks above ---

  record Field(String name, int type) {}

  record Variant(String name, List<Field> fields, int index) {}

  record Storage(List<Integer> hashers, int keyType, int valueType) {}

  record Extension(String name, int type, int additionalSigned) {}

  static final class Type {
    List<String> path = new ArrayList<>();
    Map<String, Integer> params = new HashMap<>();
    int kind;
    List<Field> fields = new ArrayList<>();
    List<Variant> variants = new ArrayList<>();
    int primitive = -1;
    int tupleSize = -1;
  }

  static final class Pallet {
    String storagePrefix;
    Map<String, Storage> storage = new HashMap<>();
    int callsType = -1;
    int index;
  }

  static final class Metadata {
    Map<Integer, Type> types = new HashMap<>();
    Map<String, Pallet> pallets = new HashMap<>();
    int extrinsicType;
    int extrinsicVersion;
    List<Extension> extensions = new ArrayList<>();

    static Metadata decode(byte[] bytes) {
      ScaleReader in = new ScaleReader(bytes, "metadata");
      assertThat(new String(in.bytes(4, "magic"), StandardCharsets.US_ASCII)).isEqualTo("meta");
      assertThat(in.u8("version")).isEqualTo(14);
      Metadata m = new Metadata();
      int count = in.length("types");
      for (int i = 0; i < count; i++) {
        int id = in.length("type id");
        m.types.put(id, type(in));
      }
      int pallets = in.length("pallets");
      for (int i = 0; i < pallets; i++) {
        String name = string(in);
        m.pallets.put(name, pallet(in));
      }
      m.extrinsicType = in.length("extrinsic type");
      m.extrinsicVersion = in.u8("extrinsic version");
      int extensions = in.length("signed extensions");
      for (int i = 0; i < extensions; i++) {
        m.extensions.add(new Extension(string(in), in.length("ty"), in.length("additional")));
      }
      in.length("runtime type");
      in.expectEnd();
      return m;
    }

    private static Type type(ScaleReader in) {
      Type t = new Type();
      t.path = strings(in);
      int params = in.length("type params");
      for (int i = 0; i < params; i++) {
        String name = string(in);
        t.params.put(name, in.option("param type", r -> r.length("param type")).orElse(-1));
      }
      t.kind = in.u8("type def");
      switch (t.kind) {
        case 0 -> t.fields = fields(in);
        case 1 -> {
          int variants = in.length("variants");
          for (int i = 0; i < variants; i++) {
            String name = string(in);
            List<Field> fields = fields(in);
            int index = in.u8("variant index");
            strings(in); // docs
            t.variants.add(new Variant(name, fields, index));
          }
        }
        case 2, 6 -> in.length("element type");
        case 3 -> {
          in.u32("array length");
          in.length("element type");
        }
        case 4 -> {
          t.tupleSize = in.length("tuple");
          for (int i = 0; i < t.tupleSize; i++) {
            in.length("tuple element");
          }
        }
        case 5 -> t.primitive = in.u8("primitive");
        case 7 -> {
          in.length("bit store");
          in.length("bit order");
        }
        default -> throw new AssertionError("unknown type def " + t.kind);
      }
      strings(in); // docs
      return t;
    }

    private static Pallet pallet(ScaleReader in) {
      Pallet p = new Pallet();
      in.option("storage", r -> {
        p.storagePrefix = string(r);
        int entries = r.length("entries");
        for (int i = 0; i < entries; i++) {
          String name = string(r);
          r.u8("modifier");
          Storage storage;
          if (r.u8("entry type") == 0) {
            int value = r.length("plain");
            storage = new Storage(List.of(), -1, value);
          } else {
            List<Integer> hashers = new ArrayList<>();
            int n = r.length("hashers");
            for (int j = 0; j < n; j++) {
              hashers.add(r.u8("hasher"));
            }
            storage = new Storage(hashers, r.length("key"), r.length("value"));
          }
          r.vecU8("default");
          strings(r);
          p.storage.put(name, storage);
        }
        return p;
      });
      p.callsType = in.option("calls", r -> r.length("calls")).orElse(-1);
      in.option("event", r -> r.length("event"));
      int constants = in.length("constants");
      for (int i = 0; i < constants; i++) {
        string(in);
        in.length("constant type");
        in.vecU8("constant value");
        strings(in);
      }
      in.option("error", r -> r.length("error"));
      p.index = in.u8("pallet index");
      return p;
    }

    private static List<Field> fields(ScaleReader in) {
      List<Field> out = new ArrayList<>();
      int n = in.length("fields");
      for (int i = 0; i < n; i++) {
        String name = in.option("field name", Metadata::string).orElse(null);
        int type = in.length("field type");
        in.option("field type name", Metadata::string);
        strings(in);
        out.add(new Field(name, type));
      }
      return out;
    }

    private static List<String> strings(ScaleReader in) {
      List<String> out = new ArrayList<>();
      int n = in.length("strings");
      for (int i = 0; i < n; i++) {
        out.add(string(in));
      }
      return out;
    }

    private static String string(ScaleReader in) {
      return new String(in.vecU8("string"), StandardCharsets.UTF_8);
    }
  }
}
