package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IdentityCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Rmb.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void printsAliceSr25519WithoutE2eKey() throws Exception {
    assertThat(run("identity", "//Alice")).isZero();

    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("key_type").asText()).isEqualTo("sr25519");
    // known anchor from wire.md
    assertThat(json.get("public_key").asText())
        .isEqualTo("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
    assertThat(json.get("ss58").asText())
        .isEqualTo("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
    assertThat(json.get("e2e_public_key").isNull()).isTrue();
  }

  @Test
  void printsEd25519KeysAndTheE2eKeyOfASeed() throws Exception {
    assertThat(run("identity", "-k", "ed25519",
        "0x340f7341b312bcc61aeea7a76d759d809b8601cbc6d22cb2817278e346137a5d")).isZero();

    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("key_type").asText()).isEqualTo("ed25519");
    assertThat(json.get("public_key").asText())
        .isEqualTo("922b07df6a39450574ce91295b17e1be17a5c67c1975226d137647bcf8cf8045");
    assertThat(json.get("e2e_public_key").asText())
        .isEqualTo("032965609be627c7656bdce629af8537513238041aafd8a6dac524d6e5206747f0");
  }

  @Test
  void badSecretsAndKeyTypesFailWithOneClearLine() {
    assertThat(run("identity", "0xzz")).isEqualTo(2);
    assertThat(err.toString()).startsWith("rmb: ").doesNotContain("Exception");

    StringWriter fresh = new StringWriter();
    CommandLine cli = Rmb.commandLine();
    cli.setErr(new PrintWriter(fresh));
    assertThat(cli.execute("identity", "-k", "rsa", "//Alice")).isEqualTo(2);
    assertThat(fresh.toString()).contains("unknown key type 'rsa'");
  }

  @Test
  void missingSecretIsAUsageError() {
    assertThat(run("identity")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter");
  }
}
