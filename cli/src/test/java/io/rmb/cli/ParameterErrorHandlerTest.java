package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ParameterErrorHandlerTest {
  private static final String SECRET = "scheme spot photo card baby mountain device kick cradle"
      + " pact join borrow";

  private static String errorsOf(String... args) {
    StringWriter err = new StringWriter();
    var cli = Rmb.commandLine();
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute(args)).isEqualTo(2);
    return err.toString();
  }

  @Test
  void theSecretOptionsValueIsHiddenInAnyMessage() {
    String message = "Invalid value '" + SECRET + "' and again " + SECRET;

    assertThat(Rmb.ParameterErrorHandler.hideSecrets(message,
        new String[] {"call", "--mnemonic", SECRET}))
        .isEqualTo("Invalid value '[hidden]' and again [hidden]");
    assertThat(Rmb.ParameterErrorHandler.hideSecrets(message,
        new String[] {"call", "--seed=" + SECRET})).doesNotContain("mountain");
    assertThat(Rmb.ParameterErrorHandler.hideSecrets("plain", new String[] {"-m"}))
        .isEqualTo("plain");
  }

  @Test
  void unmatchedValuesAreCountedAndMistypedFlagsNamed() {
    String err = errorsOf("call", "-m", "scheme", "spot", "photo", "--relay", "ws://h",
        "--dst", "1", "--cmd", "x", "--dtz", "2");

    assertThat(err).contains("--dtz").contains("3 unexpected value(s), not shown")
        .doesNotContain("spot").doesNotContain("photo").contains("Try 'rmb call --help'");
  }

  @Test
  void otherParseErrorsAreStillExplained() {
    assertThat(errorsOf("call", "-m", SECRET, "--relay", "ws://h", "--cmd", "x"))
        .contains("Missing required option").contains("--dst").doesNotContain("mountain");
  }
}
