package io.linkgate;

import io.linkgate.testutil.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The shaded JAR as an operator runs it: separate process, real config file, Debian's mosquitto clients. */
class JarLaunchIT {
  Process linkgate;

  @AfterEach
  void kill() throws Exception {
    if (linkgate != null) {
      linkgate.destroy();
      if (!linkgate.waitFor(10, TimeUnit.SECONDS)) {
        linkgate.destroyForcibly();
      }
    }
  }

  static String jar() {
    String jar = System.getProperty("linkgate.jar", "target/linkgate.jar");
    assertThat(Path.of(jar)).as("the shaded jar (mvn package)").exists();
    return jar;
  }

  @Test
  void startsOnAConfigFileAndServesMosquittoClients(@TempDir Path dir) throws Exception {
    int mqtt = Ports.free();
    int ws = Ports.free();
    Path conf = dir.resolve("linkgate.conf");
    Files.writeString(conf, """
      node { name = "it@127.0.0.1", data_dir = "%s" }
      cluster { name = "it", links = [] }
      listeners.tcp.default.bind = "127.0.0.1:%d"
      listeners.ws.default.bind = "127.0.0.1:%d"
      api.enable = false
      """.formatted(dir.resolve("data"), mqtt, ws));
    linkgate = new ProcessBuilder("java", "-Xmx256m", "-jar", jar(), "-c", conf.toString())
      .redirectErrorStream(true).start();
    CompletableFuture<String> ready = new CompletableFuture<>();
    List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(linkgate.getInputStream(),
        StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.add(line);
          if (line.contains("Linkgate ready")) {
            ready.complete(line);
          }
        }
      } catch (Exception ignored) {
        // process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    assertThat(ready.get(30, TimeUnit.SECONDS)).contains("tcp:default=" + mqtt, "ws:default=" + ws);

    Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", "" + mqtt, "-t", "tour/#", "-C", "1",
      "-v", "-W", "10").redirectErrorStream(true).start();
    // the subscriber's SUBSCRIBE is not visible from here: publish until it has its one message (-C 1), bounded
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    do {
      Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", "" + mqtt, "-t", "tour/hello", "-m",
        "world", "-q", "1").redirectErrorStream(true).start();
      assertThat(pub.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(pub.exitValue()).isZero();
    } while (!sub.waitFor(200, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline);
    assertThat(sub.isAlive()).as("mosquitto_sub got its message").isFalse();
    assertThat(new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim())
      .isEqualTo("tour/hello world");

    // SIGHUP re-reads the file even when it looks unchanged
    Process hup = new ProcessBuilder("kill", "-HUP", "" + linkgate.pid()).start();
    assertThat(hup.waitFor(5, TimeUnit.SECONDS)).isTrue();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> output.stream()
      .anyMatch(l -> l.contains("config reloaded [trigger: sighup, result: unchanged")));
    assertThat(linkgate.isAlive()).isTrue();
  }

  @Test
  void invalidConfigExitsNonZeroWithEveryError(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, "cluster { name = \"a b\" }\nlisteners.tcp.default.bind = \"nowhere:x\"\n");
    Process p = new ProcessBuilder(List.of("java", "-jar", jar(), "-c", conf.toString()))
      .redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).isEqualTo(78);
    assertThat(output).contains("cluster.name:", "listeners.tcp.default.bind:");
  }
}
