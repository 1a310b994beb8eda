package io.rmb.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorsTest {

  @Test
  void aMissingVectorFileFailsInsteadOfSkipping(@TempDir Path dir) throws Exception {
    Path nested = Files.createDirectories(dir.resolve("a/b"));

    assertThatThrownBy(() -> Vectors.locate(dir.resolve("nope.json").toString(), nested))
        .isInstanceOf(AssertionError.class).hasMessageContaining("not found");
    if (!Files.exists(dir.getRoot().resolve("shared/vectors/rmb-vectors.json"))) {
      assertThatThrownBy(() -> Vectors.locate(null, nested))
          .isInstanceOf(AssertionError.class).hasMessageContaining("not found above");
    }
  }

  @Test
  void theBuildPointsAtTheSharedVectors() {
    assertThat(Vectors.locate()).exists();
    assertThat(Vectors.root().fieldNames()).toIterable()
        .contains("keys", "signatures", "e2e", "envelopes", "jwt");
  }
}
