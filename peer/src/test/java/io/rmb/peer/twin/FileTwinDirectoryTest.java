package io.rmb.peer.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileTwinDirectoryTest {
  // //Alice sr25519 and the mnemonic #1 e2e key from the shared vectors
  private static final String ALICE_SS58 = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
  private static final String ALICE_HEX =
      "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
  private static final String PK =
      "037135b487c4b55db4813e940c8c426f123184581029bd3ee0eca5e00602e3e292";

  @TempDir
  Path dir;

  private Path write(String json) throws IOException {
    Path file = dir.resolve("twins.json");
    Files.writeString(file, json);
    return file;
  }

  @Test
  void readsSs58AndHexAccountsRelaysAndKeys() throws Exception {
    Path file = write("[{\"id\":7,\"account\":\"" + ALICE_SS58 + "\",\"relay\":\"r1.example_r2.example\","
        + "\"pk\":\"0x" + PK + "\"},"
        + "{\"id\":11,\"account\":\"0x" + ALICE_HEX + "\",\"relay\":null,\"pk\":null}]");
    FileTwinDirectory directory = new FileTwinDirectory(file);

    Twin seven = directory.get(7).get().orElseThrow();
    Twin eleven = directory.get(11).get().orElseThrow();

    assertThat(seven.account()).isEqualTo(Hex.decode(ALICE_HEX));
    assertThat(seven.relays()).containsExactly("r1.example", "r2.example");
    assertThat(seven.relayField()).isEqualTo("r1.example_r2.example");
    assertThat(seven.publicKey()).hasValueSatisfying(pk -> assertThat(pk).isEqualTo(Hex.decode(PK)));
    assertThat(eleven.account()).isEqualTo(seven.account());
    assertThat(eleven.relays()).isEmpty();
    assertThat(eleven.publicKey()).isEmpty();
    assertThat(directory.get(8).get()).isEqualTo(Optional.empty());
    assertThat(directory.size()).isEqualTo(2);
    assertThat(directory.twinIdOf(Hex.decode(ALICE_HEX)).get()).as("lowest id wins")
        .hasValue(7);
    assertThat(directory.twinIdOf(new byte[32]).get()).isEmpty();
    assertThat(new CachingTwinDirectory(directory).twinIdOf(Hex.decode(ALICE_HEX)).get())
        .hasValue(7);
  }

  @Test
  void directoriesWithoutAnAccountIndexSaySo() {
    TwinDirectory byIdOnly = id -> java.util.concurrent.CompletableFuture.completedFuture(
        Optional.empty());

    assertThatThrownBy(() -> byIdOnly.twinIdOf(new byte[32]).get())
        .hasCauseInstanceOf(TwinDirectoryException.class)
        .hasMessageContaining("cannot look twins up by account");
  }

  @Test
  void reloadsWhenTheFileChangesAndKeepsOldTwinsWhenTheNewFileIsBroken() throws Exception {
    Path file = write("[{\"id\":7,\"account\":\"" + ALICE_SS58 + "\"}]");
    ManualClock clock = new ManualClock(0);
    FileTwinDirectory directory = new FileTwinDirectory(file, clock, Duration.ofSeconds(1));

    Files.writeString(file, "[{\"id\":7,\"account\":\"" + ALICE_SS58 + "\",\"relay\":\"r.example\"},"
        + "{\"id\":8,\"account\":\"" + ALICE_SS58 + "\"}]");
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    assertThat(directory.get(8).get()).as("not re-checked within the interval").isEmpty();

    clock.advance(1_000);
    assertThat(directory.get(8).get()).isPresent();
    assertThat(directory.get(7).get().orElseThrow().relays()).containsExactly("r.example");

    Files.writeString(file, "[{\"id\":9,");
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
    clock.advance(1_000);
    assertThat(directory.reloadIfChanged()).isFalse();
    assertThat(directory.size()).isEqualTo(2);

    Files.delete(file);
    clock.advance(1_000);
    assertThat(directory.get(7).get()).as("a vanished file keeps the last twins").isPresent();
  }

  @Test
  void missingFileFailsFast() {
    assertThatThrownBy(() -> new FileTwinDirectory(dir.resolve("nope.json")))
        .isInstanceOf(TwinDirectoryException.class).hasMessageContaining("does not exist");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "not json | [{ | not valid JSON",
      "not an array | {} | must hold a JSON array",
      "entry not object | [1] | entry 0 is not an object",
      "id missing | [{\"account\":\"0x00\"}] | id must be an integer",
      "id zero | [{\"id\":0}] | id must be an integer",
      "id too big | [{\"id\":4294967296}] | id must be an integer",
      "account missing | [{\"id\":1}] | twin 1: account (SS58 or 0x hex) is missing",
      "account short hex | [{\"id\":1,\"account\":\"0x0102\"}] | account must be 32 bytes, got 2",
      "account bad hex | [{\"id\":1,\"account\":\"0xzz\"}] | account is not hex",
      "account bad ss58 | [{\"id\":1,\"account\":\"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ\"}] | twin 1: account",
      "relay not string | [{\"id\":1,\"account\":\"0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d\",\"relay\":5}] | relay must be a string",
      "pk wrong size | [{\"id\":1,\"account\":\"0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d\",\"pk\":\"0x0102\"}] | pk must be 33 bytes",
      "duplicate id | [{\"id\":1,\"account\":\"0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d\"},{\"id\":1,\"account\":\"0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d\"}] | repeats twin id 1"})
  void malformedFilesAreRejectedNamingTheEntry(String name, String json, String reason)
      throws Exception {
    Path file = write(json);

    assertThatThrownBy(() -> new FileTwinDirectory(file))
        .isInstanceOf(TwinDirectoryException.class).hasMessageContaining(reason);
  }

  @Test
  void twinValidatesAndNormalisesItsFields() {
    assertThat(Twin.parseRelays("a_b__c_")).containsExactly("a", "b", "c");
    assertThat(Twin.parseRelays(" ")).isEmpty();
    assertThat(new Twin(1, new byte[32], Set.of("x"), new byte[0]).publicKey()).isEmpty();
    assertThatThrownBy(() -> new Twin(1, new byte[31], Set.of(), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes, got 31");
    assertThatThrownBy(() -> new Twin(1L << 32, new byte[32], Set.of(), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("u32");
    assertThat(new Twin(1, new byte[32], Set.of("B", "a"), null))
        .as("relay sets compare exactly and case-sensitively")
        .isNotEqualTo(new Twin(1, new byte[32], Set.of("b", "a"), null));
  }
}
