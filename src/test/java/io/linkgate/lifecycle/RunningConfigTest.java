package io.linkgate.lifecycle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A node started without -c runs on a copy of the shipped reference, made once; the reference is never written. */
@Timeout(10)
class RunningConfigTest {

  @Test
  void theFirstStartCopiesTheReferenceOwnerOnly(@TempDir Path dir) throws IOException {
    Path reference = Files.writeString(dir.resolve("reference.conf"), "# reference\n");
    Path copy = dir.resolve("data/linkgate.conf");
    assertThat(RunningConfig.ensure(reference, copy)).isEqualTo(copy);
    assertThat(Files.readString(copy)).isEqualTo("# reference\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rw-------");
    try (var left = Files.list(copy.getParent())) {
      assertThat(left).containsExactly(copy); // no temporary file left behind
    }
  }

  @Test
  void anExistingCopyIsTheOperatorsAndStaysAsItIs(@TempDir Path dir) throws IOException {
    Path reference = Files.writeString(dir.resolve("reference.conf"), "# reference\n");
    Path copy = Files.writeString(dir.resolve("linkgate.conf"), "cluster.name = edited\n");
    RunningConfig.ensure(reference, copy);
    assertThat(Files.readString(copy)).isEqualTo("cluster.name = edited\n");
    assertThat(Files.readString(reference)).isEqualTo("# reference\n");
  }

  @Test
  void withoutAReferenceTheErrorSaysWhatToDo(@TempDir Path dir) {
    assertThatThrownBy(() -> RunningConfig.ensure(dir.resolve("conf/linkgate.conf"), dir.resolve("data/l.conf")))
      .isInstanceOf(IOException.class).hasMessageContaining("give -c FILE");
  }

  @Test
  void theDefaultsAreTheShippedReferenceAndACopyUnderData() {
    assertThat(RunningConfig.REFERENCE).isEqualTo(Path.of("conf/linkgate.conf"));
    assertThat(RunningConfig.DEFAULT).isEqualTo(Path.of("data/linkgate.conf"));
    assertThat(Path.of(".gitignore")).content().contains("data/");
  }
}
