package io.rmb.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {
  private static final Path DOC = Path.of("../docs/connect-config.md");

  @Test
  void theCommittedReferenceMatchesTheConfigDefs() throws Exception {
    if (Boolean.getBoolean("rmb.docs.write")) {
      ConfigDocs.main(new String[] {DOC.toString()});
    }
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .as("docs/connect-config.md is stale: regenerate it with"
            + " mvn -pl connector test -Dtest=ConfigDocsTest -Drmb.docs.write=true")
        .isEqualTo(ConfigDocs.markdown());
  }

  @Test
  void theReferenceNamesEverySettingWithItsDefault() {
    String doc = ConfigDocs.markdown();
    assertThat(doc).contains("| `rmb.mnemonic` | password | (required) |")
        .contains("| `rmb.responses.topic` | string | `rmb.responses` |")
        .contains("| `rmb.incoming.topic` | string | `rmb.incoming` |")
        .contains("### Outcome reporter");
  }
}
