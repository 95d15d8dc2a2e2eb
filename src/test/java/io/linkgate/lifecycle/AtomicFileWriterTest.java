package io.linkgate.lifecycle;

import io.linkgate.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFileWriterTest {

  @Test
  void aCrashBetweenWriteAndRenameLeavesThePreviousValidFile() throws Exception {
    Path file = Files.createTempDirectory("atomic").resolve("linkgate.conf");
    String valid = "# comment\ncluster { name = \"before\" }\n";
    Files.writeString(file, valid);
    ConfigFile crashing = new ConfigFile(file, new AtomicFileWriter(temp -> {
      assertThat(Files.readString(temp)).contains("after"); // the new content is on disk, not yet in place
      throw new IOException("simulated crash before rename");
    }));
    String edited = crashing.edit(valid, Map.of("cluster.name", "after"));

    assertThatThrownBy(() -> crashing.write(edited)).hasMessageContaining("simulated crash");
    assertThat(Files.readString(file)).isEqualTo(valid);
    assertThat(ConfigLoader.load(file, Map.of()).cluster().name()).isEqualTo("before");

    // the next write replaces the leftover temporary file and lands
    new ConfigFile(file, new AtomicFileWriter()).write(edited);
    assertThat(ConfigLoader.load(file, Map.of()).cluster().name()).isEqualTo("after");
    assertThat(Files.readString(file)).startsWith("# comment");
  }

  @Test
  void theNewFileKeepsTheOldOnesPermissions() throws Exception {
    Path file = Files.createTempDirectory("atomic").resolve("linkgate.conf");
    Files.writeString(file, "cluster { name = a }\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    new ConfigFile(file, new AtomicFileWriter()).write("cluster { name = b }\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void anEditTouchesOnlyTheKeysItSetsAndKeepsCommentsAndSubstitutions() throws Exception {
    Path file = Files.createTempDirectory("atomic").resolve("linkgate.conf");
    String text = "# top\nnode { name = \"n@h\" } # why\ncluster {\n  # peers\n  name = c\n  links = []\n}\n"
      + "mqtt { max_inflight = ${?INFLIGHT} }\n";
    ConfigFile f = new ConfigFile(file, new AtomicFileWriter());
    String out = f.edit(text, Map.of("cluster.links", new io.vertx.core.json.JsonArray().add(
      new io.vertx.core.json.JsonObject().put("name", "p").put("server", "h:1883"))));
    assertThat(out).contains("# top", "# why", "# peers", "${?INFLIGHT}", "\"server\" : \"h:1883\"");
  }
}
