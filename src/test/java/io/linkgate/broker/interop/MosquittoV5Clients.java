package io.linkgate.broker.interop;

import io.linkgate.broker.Broker;
import io.linkgate.broker.BrokerFixture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Debian's mosquitto_sub / mosquitto_pub speaking MQTT 5 to one broker port, for the MQTT 5 behaviour tests. Every
 * process it starts is killed by {@link #close()}.
 */
final class MosquittoV5Clients implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(15);
  private static final String INSTALL = "apt-get install mosquitto-clients";

  private final int port;
  private final String sub = ExternalProcess.require("mosquitto_sub", INSTALL);
  private final String pub = ExternalProcess.require("mosquitto_pub", INSTALL);
  private final List<ExternalProcess> processes = new ArrayList<>();

  MosquittoV5Clients(int port) {
    this.port = port;
  }

  private List<String> command(String tool, String... args) {
    List<String> cmd = new ArrayList<>(List.of(tool, "-h", "127.0.0.1", "-p", String.valueOf(port), "-V", "mqttv5"));
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  /** A mosquitto_sub that runs until it exits by itself (-C) or the test ends. */
  ExternalProcess sub(String... args) throws Exception {
    ExternalProcess p = ExternalProcess.start(command(sub, args));
    processes.add(p);
    return p;
  }

  /** Runs mosquitto_pub to its end (after the broker's acknowledgement for QoS > 0) and checks it succeeded. */
  void pub(String... args) throws Exception {
    ExternalProcess p = ExternalProcess.start(command(pub, args));
    processes.add(p);
    assertThat(p.awaitExit(WAIT)).as("mosquitto_pub exit code%s", p.diagnostics()).isZero();
  }

  /** mosquitto_pub -l: one message per line, in order, over a single connection; returns after it exited. */
  void pubLines(List<String> lines, String... args) throws Exception {
    List<String> cmd = command(pub, args);
    cmd.add("-l");
    ExternalProcess p = ExternalProcess.start(cmd);
    processes.add(p);
    p.stdin(String.join("\n", lines) + "\n");
    assertThat(p.awaitExit(WAIT)).as("mosquitto_pub exit code%s", p.diagnostics()).isZero();
  }

  /** A mosquitto_pub that stays connected (-l reads messages from stdin) until the test kills it. */
  ExternalProcess pubStaying(String... args) throws Exception {
    List<String> cmd = command(pub, args);
    cmd.add("-l");
    ExternalProcess p = ExternalProcess.start(cmd);
    processes.add(p);
    return p;
  }

  /** Polls a broker-side value (read on the broker thread) until it is {@code expected}, within {@link #WAIT}. */
  static void awaitBroker(BrokerFixture broker, String what, Function<Broker, Integer> read, int expected)
    throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    int value;
    while ((value = broker.onBroker(read)) != expected) {
      if (System.nanoTime() > deadline) {
        fail("broker %s is %d, expected %d", what, value, expected);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    processes.forEach(ExternalProcess::close);
  }
}
