package io.linkgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LoadOptionsTest {

  @Test
  void subscribersUsePublishersBrokerByDefault() {
    LoadOptions o = LoadOptions.parse(new String[] {"--port", "1884"});
    assertThat(o.subHost()).isEqualTo("127.0.0.1");
    assertThat(o.subPort()).isEqualTo(1884);
    assertThat(o.splitBrokers()).isFalse();
    assertThat(o.probing()).isFalse();
  }

  @Test
  void subPortSplitsBrokersAndImpliesProbing() {
    LoadOptions o = LoadOptions.parse(new String[] {"--port", "1884", "--sub-port=1883", "--probe-timeout", "3"});
    assertThat(o.port).isEqualTo(1884);
    assertThat(o.subPort()).isEqualTo(1883);
    assertThat(o.splitBrokers()).isTrue();
    assertThat(o.probing()).isTrue();
    assertThat(o.probeTimeoutS).isEqualTo(3);
  }

  @Test
  void probeCanBeForcedOnOneBroker() {
    assertThat(LoadOptions.parse(new String[] {"--probe"}).probing()).isTrue();
  }

  @Test
  void subHostMustBeLoopbackUnlessAllowed() {
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--sub-host", "10.1.2.3"}))
        .hasMessageContaining("non-loopback");
    assertThat(LoadOptions.parse(new String[] {"--sub-host", "10.1.2.3", "--allow-remote"}).subHost())
        .isEqualTo("10.1.2.3");
  }

  @Test
  void cpuPidsAreNamed() {
    LoadOptions o = LoadOptions.parse(new String[] {"--cpu-pids", "B=12,A=34"});
    assertThat(o.cpuPids).containsEntry("B", 12L).containsEntry("A", 34L);
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--cpu-pids", "12"}))
        .hasMessageContaining("NAME=PID");
  }

  @Test
  void procStatTicksSkipTheCommandName() {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
    String stat = "4242 (C2 Compiler) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 31 0 0 20 0 30 0";
    assertThat(ProcCpu.ticks(stat)).isEqualTo(281);
  }

  @Test
  void generatorPrewarmsAndUsesOneLoopByDefault() {
    LoadOptions d = LoadOptions.parse(new String[0]);
    assertThat(d.prewarmS).isEqualTo(9);
    assertThat(d.threads).isEqualTo(1);
    assertThat(d.epoll).isTrue();
    LoadOptions o = LoadOptions.parse(new String[] {"--prewarm", "0", "--threads=2", "--no-epoll"});
    assertThat(o.prewarmS).isZero();
    assertThat(o.threads).isEqualTo(2);
    assertThat(o.epoll).isFalse();
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--prewarm", "-1"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--prewarm");
  }
}
