package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rmb call} against a real relay and an echo twin (the serve-echo handler). */
class CallCommandIT {

  @TempDir static Path dir;
  private static EchoNet net;

  @BeforeAll
  static void start() throws Exception {
    net = new EchoNet(dir);
  }

  @AfterAll
  static void stop() {
    net.close();
  }

  @Test
  void printsOneOutcomePerDestinationAndFindsOurTwinByAccount() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("call", "-m", "//Alice", "--relay", net.relayUrl(), "--twins",
        net.twins.toString(), "--dst", "8", "--dst", "99", "--cmd", "test.echo", "--data",
        "{\"hello\":1}", "--timeout", "10");

    List<String> lines = out.toString().lines().toList();
    assertThat(lines).as("stderr: %s", err).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode answered = json.readTree(lines.get(0));
    JsonNode unknown = json.readTree(lines.get(1));
    assertThat(answered.get("twin").asLong()).isEqualTo(8);
    assertThat(answered.get("status").asText()).isEqualTo("response");
    assertThat(answered.get("data").asText()).isEqualTo("{\"hello\":1}");
    assertThat(unknown.get("status").asText()).isEqualTo("error");
    assertThat(unknown.get("code").asLong()).isEqualTo(103);
    assertThat(code).as("not every destination answered").isEqualTo(1);
  }

  @Test
  void anAccountWithoutATwinIsAClearError() {
    StringWriter err = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("call", "-m", "//Charlie", "--relay", net.relayUrl(), "--twins",
        net.twins.toString(), "--dst", "8", "--cmd", "x");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("has no twin in").contains("--twin ID");
  }

  @Test
  void moreThanFourRelaysIsRefused() {
    StringWriter err = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("call", "-m", "//Alice", "--twin", "7", "--twins",
        net.twins.toString(), "--relay", "ws://a", "--relay", "ws://b", "--relay", "ws://c",
        "--relay", "ws://d", "--relay", "ws://e", "--dst", "8", "--cmd", "x");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("4");
  }
}
