package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CommandDocsTest {
  private static final Path DOC = Path.of("../docs/configuration.md");

  @Test
  void theCommittedReferenceMatchesTheCommands() throws Exception {
    if (Boolean.getBoolean("rmb.docs.write")) {
      CommandDocs.main(new String[] {DOC.toString()});
    }
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .as("docs/configuration.md is stale: regenerate it with"
            + " mvn -pl cli test -Dtest=CommandDocsTest -Drmb.docs.write=true")
        .isEqualTo(CommandDocs.markdown());
  }

  @Test
  void theReferenceHasEveryCommandWithItsFlagsAndExamples() {
    String doc = CommandDocs.markdown();
    for (String command : new String[] {"identity", "relay", "call", "serve-echo", "peer",
        "streams", "dev", "send"}) {
      assertThat(doc).contains("## `rmb " + command + "`");
    }
    assertThat(doc).contains("--admin=HOST:PORT").contains("--bootstrap-servers")
        .contains("Examples:").contains("Exit codes:").doesNotContain("## `rmb help`");
  }

  @Test
  void everyCommandHasAnExampleFooter() {
    Rmb.commandLine().getSubcommands().forEach((name, command) -> {
      if (!name.equals("help")) {
        assertThat(String.join("\n", command.getCommandSpec().usageMessage().footer()))
            .as("footer of rmb %s", name).contains("rmb " + name);
      }
    });
  }

  @Test
  void versionNamesTheBuild() {
    var out = new java.io.StringWriter();
    var cli = Rmb.commandLine();
    cli.setOut(new java.io.PrintWriter(out));
    assertThat(cli.execute("--version")).isZero();
    assertThat(out.toString()).startsWith("rmb ");
  }
}
