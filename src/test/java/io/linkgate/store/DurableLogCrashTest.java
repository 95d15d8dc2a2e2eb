package io.linkgate.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.linkgate.store.LogTestSupport.await;
import static io.linkgate.store.LogTestSupport.open;
import static io.linkgate.store.LogTestSupport.payload;
import static io.linkgate.store.LogTestSupport.replayAll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a writer process mid-stream: every record whose append completed (and that it did not acknowledge) is
 * there after reopening, in order, with its payload; the log takes appends again.
 */
@Timeout(180)
class DurableLogCrashTest {

  @TempDir
  Path tmp;

  @Test
  void intervalPolicyLosesNoCompletedAppend() throws Exception {
    crashAndCheck("interval", 1);
    crashAndCheck("interval", 2);
  }

  @Test
  void alwaysPolicyLosesNoCompletedAppend() throws Exception {
    crashAndCheck("always", 3);
    crashAndCheck("always", 4);
  }

  private void crashAndCheck(String policy, long seed) throws Exception {
    Path dir = tmp.resolve(policy + seed);
    int killAfter = 2_000 + new Random(seed).nextInt(6_000);
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), dir.toString(), policy)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Map<Long, Long> durable = new LinkedHashMap<>(); // seq -> record number
    try {
      readUntilKilled(p, killAfter, durable);
    } finally {
      p.toHandle().destroyForcibly(); // never leave the writer running if the test fails early
    }
    assertThat(durable).hasSizeGreaterThanOrEqualTo(killAfter);
    checkReopened(dir, durable, policy);
  }

  private static void readUntilKilled(Process p, int killAfter, Map<Long, Long> durable) throws Exception {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
      String line;
      while (durable.size() < killAfter && (line = in.readLine()) != null) {
        parse(line, durable);
      }
      // SIGKILL: no shutdown hook, no close, writes in flight are cut (Process.destroy* would close our pipe)
      assertThat(new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor()).isZero();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      while ((line = in.readLine()) != null) { // lines the child printed before it died
        parse(line, durable);
      }
    }
  }

  private static void checkReopened(Path dir, Map<Long, Long> durable, String policy) throws Exception {
    DurableLog log = open(dir, LogOptions.defaults());
    List<LogRecord> replay = replayAll(log);
    Map<Long, LogRecord> bySeq = new LinkedHashMap<>();
    long previous = 0;
    for (LogRecord r : replay) {
      assertThat(r.seq()).isGreaterThan(previous);
      previous = r.seq();
      bySeq.put(r.seq(), r);
    }
    List<Long> missing = new ArrayList<>();
    for (Map.Entry<Long, Long> e : durable.entrySet()) {
      long number = e.getValue();
      if (number % 3 == 0) {
        continue; // acknowledged by the child: may or may not be replayed
      }
      LogRecord r = bySeq.get(e.getKey());
      if (r == null) {
        missing.add(e.getKey());
      } else {
        assertThat(r.payload()).isEqualTo(payload(number, 200));
      }
    }
    assertThat(missing).as("completed appends missing after kill -9 (%s)", policy).isEmpty();
    LogStats stats = await(log.stats());
    assertThat(stats.addsUp()).isTrue();
    long next = await(log.append(payload(0, 10)));
    assertThat(next).isGreaterThan(previous);
    await(log.close());
  }

  /** "D seq number" lines of the child (its log lines go to the same stdout). */
  private static void parse(String line, Map<Long, Long> durable) {
    if (line.startsWith("D ")) {
      String[] f = line.split(" ");
      if (f.length == 3) {
        durable.put(Long.parseLong(f[1]), Long.parseLong(f[2]));
      }
    }
  }
}
