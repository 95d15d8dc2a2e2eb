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
import io.linkgate.store.ClosedLoopBench;
import org.apache.activemq.artemis.core.io.nio.NIOSequentialFileFactory;
import org.apache.activemq.artemis.core.journal.IOCompletion;
import org.apache.activemq.artemis.core.journal.impl.JournalImpl;
import org.apache.activemq.artemis.core.journal.impl.dataformat.ByteArrayEncoding;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;

/** The load of io.linkgate.store.LogBench (ClosedLoopBench), on Artemis' journal (NIO, buffered, TimedBuffer). */
public class ArtemisJournalBench {
  public static void main(String[] args) throws Exception {
    ClosedLoopBench.Args a = ClosedLoopBench.Args.parse(args, "artemis-journal-");
    boolean interval = a.policy().equals("interval");
    // interval: the TimedBuffer timeout is the group-commit window; always: Artemis' NIO default (1/300 s)
    int timeoutNanos = interval ? (int) (a.intervalMs() * 1_000_000) : 3_333_333;
    NIOSequentialFileFactory files = new NIOSequentialFileFactory(a.dir().toFile(), true, 490 * 1024, timeoutNanos,
        1, false);
    JournalImpl journal = new JournalImpl(64 << 20, 2, 10, 10, 30, files, "bench", "jrn", 1);
    journal.start();
    journal.loadInternalOnly();
    AtomicLong ids = new AtomicLong();
    ClosedLoopBench.Result result = ClosedLoopBench.run(a, (payload, durable, failed) -> {
      long recordId = ids.incrementAndGet();
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
          durable.run();
        }

        @Override
        public void onError(int code, String message) {
          failed.run();
        }
      });
    }, () -> { });
    System.out.printf("engine=artemis-journal-2.44.0 %s %s appends=%d%n", a.settings(a.policy(), interval
        ? a.intervalMs() : 3), result.figures(), result.appends());
    journal.stop();
    try (var walk = Files.walk(a.dir())) {
      walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
    System.exit(0);
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
    java -Xmx1g ${JAVA_OPTS:-} -cp "target/test-classes:$(cat "$AB/cp.txt")" "$AB/ArtemisJournalBench.java" "$policy" "$SECONDS_RUN" \
      "$WINDOW" "$SIZE" "$DIR" 2>&1 | grep '^engine='
  fi
done
