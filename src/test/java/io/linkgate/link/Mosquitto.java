package io.linkgate.link;

import io.linkgate.testutil.Ports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Debian's mosquitto broker on a free loopback port, for tests that need a plain MQTT peer. */
final class Mosquitto implements AutoCloseable {
  private final Process process;
  private final int port;

  private Mosquitto(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static Mosquitto start() throws Exception {
    Path bin = Path.of("/usr/sbin/mosquitto");
    assertThat(bin).as("mosquitto not found: apt-get install mosquitto").exists();
    int port = Ports.free();
    Path conf = Files.createTempFile("mosquitto", ".conf");
    Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
      + "log_dest stdout\n" + (isRoot() ? "user root\n" : ""));
    Process p = new ProcessBuilder(bin.toString(), "-c", conf.toString()).redirectErrorStream(true)
      .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.currentTimeMillis() + 5000;
    while (!Ports.listening(port)) {
      assertThat(System.currentTimeMillis()).as("mosquitto did not start").isLessThan(deadline);
      Thread.sleep(50);
    }
    return new Mosquitto(p, port);
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  int port() {
    return port;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    process.waitFor(5, TimeUnit.SECONDS);
  }
}
