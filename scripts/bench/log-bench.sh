#!/usr/bin/env bash
# Durable link buffer benchmark: io.linkgate.store.DurableLog and, in the same run, Apache Artemis' journal
# (org.apache.activemq:artemis-journal, resolved into the local Maven repository for the bench only: it is not a
# dependency of Linkgate). Same load for both: one producer keeps WINDOW appends of SIZE bytes in flight and
# acknowledges (deletes) each record once durable; prints appends/s and p50/p99/max append-to-durable latency.
# Usage: scripts/bench/log-bench.sh [seconds] [window] [size] [dir]     defaults: 10 10000 200 target/log-bench
#   policies: always, interval (100 ms); ARTEMIS=0 skips the Artemis runs. Extra JVM flags via JAVA_OPTS.
# Figures on a shared machine are indicative only.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_RUN=${1:-10}
WINDOW=${2:-10000}
SIZE=${3:-200}
DIR=${4:-target/log-bench}
ARTEMIS_VERSION=${ARTEMIS_VERSION:-2.44.0}
mkdir -p "$DIR"
mvn -q -B -DskipTests test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench.cp
CP="target/classes:target/test-classes:$(cat target/bench.cp)"

if [ "${ARTEMIS:-1}" = 1 ]; then
  AB=target/artemis-bench
  mkdir -p "$AB"
  cat > "$AB/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>bench</groupId><artifactId>artemis-bench</artifactId><version>1</version>
<dependencies><dependency><groupId>org.apache.activemq</groupId><artifactId>artemis-journal</artifactId>
<version>${ARTEMIS_VERSION}</version></dependency></dependencies></project>
POM
  (cd "$AB" && mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
      -Dmdep.outputFile=cp.txt)
  cat > "$AB/ArtemisJournalBench.java" <<'JAVA'
import org.apache.activemq.artemis.core.io.nio.NIOSequentialFileFactory;
import org.apache.activemq.artemis.core.journal.IOCompletion;
import org.apache.activemq.artemis.core.journal.impl.JournalImpl;
import org.apache.activemq.artemis.core.journal.impl.dataformat.ByteArrayEncoding;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/** Same load as io.linkgate.store.LogBench, on Artemis' journal (NIO, buffered, TimedBuffer group commit). */
public class ArtemisJournalBench {
  public static void main(String[] args) throws Exception {
    String policy = args[0];
    int seconds = Integer.parseInt(args[1]);
    int window = Integer.parseInt(args[2]);
    int size = Integer.parseInt(args[3]);
    Path dir = Files.createTempDirectory(Path.of(args[4]), "artemis-journal-");
    long intervalMs = args.length > 5 ? Long.parseLong(args[5]) : 100;
    // interval: the TimedBuffer timeout is the group-commit window; always: Artemis' NIO default (1/300 s)
    int timeoutNanos = policy.equals("interval") ? (int) (intervalMs * 1_000_000) : 3_333_333;
    NIOSequentialFileFactory files = new NIOSequentialFileFactory(dir.toFile(), true, 490 * 1024, timeoutNanos, 1,
        false);
    JournalImpl journal = new JournalImpl(64 << 20, 2, 10, 10, 30, files, "bench", "jrn", 1);
    journal.start();
    journal.loadInternalOnly();
    byte[] payload = new byte[size];
    Semaphore inFlight = new Semaphore(window);
    long[] latencies = new long[1 << 24];
    AtomicInteger recorded = new AtomicInteger();
    long warmupEnd = System.nanoTime() + 2_000_000_000L;
    long end = warmupEnd + seconds * 1_000_000_000L;
    long measuredStart = 0;
    boolean measuring = false;
    long id = 0;
    while (System.nanoTime() < end) {
      if (!measuring && System.nanoTime() >= warmupEnd) {
        inFlight.acquire(window);
        inFlight.release(window);
        measuring = true;
        measuredStart = System.nanoTime();
        recorded.set(0);
      }
      inFlight.acquire();
      long t0 = System.nanoTime();
      boolean measured = measuring;
      long recordId = ++id;
      journal.appendAddRecord(recordId, (byte) 1, new ByteArrayEncoding(payload), true, new IOCompletion() {
        @Override
        public void storeLineUp() {
        }

        @Override
        public void done() {
          try {
            journal.appendDeleteRecord(recordId, false);
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
          if (measured) {
            int i = recorded.getAndIncrement();
            if (i < latencies.length) {
              latencies[i] = System.nanoTime() - t0;
            }
          }
          inFlight.release();
        }

        @Override
        public void onError(int code, String message) {
          inFlight.release();
        }
      });
    }
    inFlight.acquire(window);
    double elapsed = (System.nanoTime() - measuredStart) / 1e9;
    int n = Math.min(recorded.get(), latencies.length);
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    System.out.printf("engine=artemis-journal-2.44.0 policy=%s interval_ms=%d size=%d window=%d appends_per_s=%.0f "
            + "p50_ms=%.2f p99_ms=%.2f max_ms=%.2f appends=%d%n", policy, policy.equals("interval") ? intervalMs : 3,
        size, window, n / elapsed, pct(sorted, 0.50), pct(sorted, 0.99), pct(sorted, 1.0), n);
    journal.stop();
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
    System.exit(0);
  }

  static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }
}
JAVA
fi

for policy in interval always; do
  # shellcheck disable=SC2086
  java -Xmx1g ${JAVA_OPTS:-} -cp "$CP" io.linkgate.store.LogBench "$policy" "$SECONDS_RUN" "$WINDOW" "$SIZE" "$DIR" \
    2>&1 | grep '^engine='
  if [ "${ARTEMIS:-1}" = 1 ]; then
    # shellcheck disable=SC2086
    java -Xmx1g ${JAVA_OPTS:-} -cp "$(cat "$AB/cp.txt")" "$AB/ArtemisJournalBench.java" "$policy" "$SECONDS_RUN" \
      "$WINDOW" "$SIZE" "$DIR" 2>&1 | grep '^engine='
  fi
done
