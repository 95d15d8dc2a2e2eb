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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two Linkgate clusters as two `java -jar` processes, linked as the README shows, used with mosquitto clients. */
class TwoClusterJarIT {
  final List<Process> processes = new ArrayList<>();

  @AfterEach
  void kill() throws Exception {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  Process start(Path conf, StringBuilder log) throws Exception {
    Process p = new ProcessBuilder("java", "-Xmx256m", "-jar", JarLaunchIT.jar(), "-c", conf.toString())
      .redirectErrorStream(true).start();
    processes.add(p);
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (log) {
            log.append(line).append('\n');
          }
          if (line.contains("Linkgate ready")) {
            ready.complete(null);
          }
        }
      } catch (Exception ignored) {
        // process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    ready.get(30, TimeUnit.SECONDS);
    return p;
  }

  static String config(String name, int port, String peer, int peerPort, String topics, Path dir) {
    return """
      node { name = "%s@127.0.0.1", data_dir = "%s" }
      cluster {
        name = "%s"
        links = [ { name = "%s", server = "127.0.0.1:%d", clientid = "clink-%s", topics = %s } ]
      }
      listeners.tcp.default.bind = "127.0.0.1:%d"
      listeners.ws.default.enable = false
      api.enable = false
      """.formatted(name, dir.resolve("data-" + name), name, peer, peerPort, name, topics, port);
  }

  @Test
  void messagesCrossBetweenTwoProcesses(@TempDir Path dir) throws Exception {
    int east = Ports.free();
    int west = Ports.free();
    Path eastConf = dir.resolve("east.conf");
    Path westConf = dir.resolve("west.conf");
    Files.writeString(eastConf, config("us-east", east, "eu-west", west, "[\"global/#\"]", dir));
    Files.writeString(westConf, config("eu-west", west, "us-east", east, "[]", dir));
    StringBuilder eastLog = new StringBuilder();
    start(eastConf, eastLog);
    start(westConf, new StringBuilder());

    Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", "" + east, "-t", "global/#", "-C", "1",
      "-v", "-W", "30").redirectErrorStream(true).start();
    processes.add(sub);
    // the route reaches eu-west asynchronously: publish until the subscriber on us-east has the message
    long deadline = System.currentTimeMillis() + 30_000;
    while (sub.isAlive() && System.currentTimeMillis() < deadline) {
      Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", "" + west, "-t", "global/news", "-m",
        "hello from eu-west", "-q", "1").redirectErrorStream(true).start();
      pub.waitFor(10, TimeUnit.SECONDS);
      sub.waitFor(500, TimeUnit.MILLISECONDS);
    }
    assertThat(sub.isAlive()).as("subscriber got nothing; us-east log:\n" + eastLog).isFalse();
    assertThat(new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim())
      .isEqualTo("global/news hello from eu-west");
  }
}
