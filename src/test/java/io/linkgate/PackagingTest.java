package io.linkgate;

import io.linkgate.config.LinkgateConfig;
import io.linkgate.lifecycle.RunningConfig;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile and the systemd unit, checked as far as this machine can: no docker engine here, so the Dockerfile
 * is parsed (instructions, exec forms, what it copies, the ports and the volume it promises); the unit is read key
 * by key and, where systemd-analyze exists, verified by it.
 */
@Timeout(60)
class PackagingTest {
  static final Set<String> DOCKER_INSTRUCTIONS = Set.of("FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY",
    "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL");

  record Instruction(String keyword, String args) {
  }

  static List<Instruction> dockerfile() throws Exception {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(Path.of("Dockerfile"), StandardCharsets.UTF_8)) {
      String trimmed = line.strip();
      if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      boolean continues = trimmed.endsWith("\\");
      current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
      if (!continues) {
        String text = current.toString().strip();
        int space = text.indexOf(' ');
        out.add(new Instruction(text.substring(0, space), text.substring(space + 1).strip()));
        current.setLength(0);
      }
    }
    assertThat(current.toString()).as("a continuation line at the end").isEmpty();
    return out;
  }

  @Test
  void dockerfileParsesAndRunsTheShadedJarWithItsVolumeAndPorts() throws Exception {
    List<Instruction> steps = dockerfile();
    assertThat(steps).extracting(Instruction::keyword).allSatisfy(k -> assertThat(DOCKER_INSTRUCTIONS).contains(k));
    assertThat(steps.get(0).keyword()).isEqualTo("FROM");
    // exec form (a JSON array): java is PID 1 and gets docker stop's SIGTERM itself
    Instruction entrypoint = last(steps, "ENTRYPOINT");
    assertThat(new JsonArray(entrypoint.args())).containsExactly("java", "-jar", "/opt/linkgate/linkgate.jar");
    // what the build stage copies exists, and the runtime stage takes the JAR Maven builds
    for (Instruction copy : steps.stream().filter(i -> i.keyword().equals("COPY")).toList()) {
      String[] parts = copy.args().split("\\s+");
      if (parts[0].startsWith("--from=")) {
        assertThat(parts[1]).isEqualTo("/src/target/linkgate.jar");
      } else {
        assertThat(Path.of(parts[0])).as(copy.args()).exists();
      }
    }
    // the volume is where a start without -c keeps its running config and state
    String workdir = last(steps, "WORKDIR").args();
    assertThat(new JsonArray(last(steps, "VOLUME").args()))
      .containsExactly(workdir + "/" + RunningConfig.DEFAULT.getParent());
    assertThat(Path.of(workdir + "/" + RunningConfig.REFERENCE)).isEqualTo(Path.of("/opt/linkgate/conf/linkgate.conf"));
    LinkgateConfig defaults = LinkgateConfig.defaults();
    assertThat(last(steps, "EXPOSE").args().split(" ")).containsExactly(
      "" + defaults.listeners().tcp().get("default").bind().port(),
      "" + defaults.listeners().ws().get("default").bind().port(),
      "" + defaults.api().bind().port());
    assertThat(last(steps, "USER").args()).isNotEqualTo("root");
  }

  static Instruction last(List<Instruction> steps, String keyword) {
    return steps.stream().filter(i -> i.keyword().equals(keyword)).reduce((a, b) -> b).orElseThrow(
      () -> new AssertionError("no " + keyword + " in the Dockerfile"));
  }

  static Map<String, List<String>> unitKeys() throws Exception {
    Map<String, List<String>> keys = new LinkedHashMap<>();
    String section = "";
    for (String line : Files.readAllLines(Path.of("packaging/linkgate.service"), StandardCharsets.UTF_8)) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      if (t.startsWith("[")) {
        section = t.substring(1, t.length() - 1);
        continue;
      }
      int eq = t.indexOf('=');
      keys.computeIfAbsent(section + "." + t.substring(0, eq), k -> new ArrayList<>()).add(t.substring(eq + 1));
    }
    return keys;
  }

  @Test
  void systemdUnitTreatsSigtermAsACleanStopAndRunsTheConfigInEtc() throws Exception {
    Map<String, List<String>> unit = unitKeys();
    assertThat(unit.get("Service.SuccessExitStatus")).singleElement().asString().contains("143");
    assertThat(unit.get("Service.KillSignal")).containsExactly("SIGTERM");
    assertThat(unit.get("Service.ExecStart")).singleElement().asString()
      .contains("-jar /opt/linkgate/linkgate.jar -c /etc/linkgate/linkgate.conf");
    assertThat(unit.get("Service.ExecReload")).singleElement().asString().contains("-HUP $MAINPID");
    assertThat(unit.get("Service.RestartPreventExitStatus")).singleElement().asString().contains("64", "78");
    // REST changes rename a new file into the config's directory: it must be writable under ProtectSystem
    assertThat(unit.get("Service.ReadWritePaths")).singleElement().asString().contains("/etc/linkgate");
    assertThat(unit.get("Install.WantedBy")).containsExactly("multi-user.target");
  }

  @Test
  void systemdAnalyzeFindsNothingToSay(@TempDir Path dir) throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
    Path unit = Files.copy(Path.of("packaging/linkgate.service"), dir.resolve("linkgate.service"));
    Process p = new ProcessBuilder(analyze.toString(), "verify", unit.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    // an unknown key is only a warning (exit 0): any line about our unit is a finding
    assertThat(output.lines().filter(l -> l.contains("linkgate.service"))).as(output).isEmpty();
    assertThat(p.exitValue()).as(output).isZero();
  }
}
