#!/usr/bin/env bash
# Cluster-link scale benchmark in one JVM (LinkedClusters, LinkTimings.DEFAULT): fan-out 1 -> 1,000 across the
# link (one copy per message), zero-cross for unsubscribed topics, 100k routes convergence, and convergence after
# A restarts. Prints RESULT lines (stdout); the JVM's log goes to target/bench-results/link-scale-*.log.
#
#   bash scripts/bench/link-scale-bench.sh [LinkScaleBench options]     (--help for them)
#
# Extra JVM flags via JAVA_OPTS (default heap -Xmx2g).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B -Dstyle.color=never -DskipTests test-compile
mvn -q -B -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
mkdir -p target/bench-results
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOG="target/bench-results/link-scale-$STAMP.log"
OUT="target/bench-results/link-scale-$STAMP.txt"
{
  echo "# date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  dirty=""; [ -n "$(git status --porcelain -- src pom.xml scripts 2>/dev/null)" ] && dirty=" + uncommitted changes"
  echo "# git:       $(git rev-parse --short HEAD 2>/dev/null || echo '?') ($(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo '?'))$dirty"
  echo "# host:      nproc=$(nproc), cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  echo "# java:      $(java -version 2>&1 | head -1)"
  echo "# load avg:  $(cut -d' ' -f1-3 /proc/loadavg) (at start)"
  echo "# args:      ${*:-(defaults)}"
} | tee "$OUT"
# stdout (RESULT lines and the nodes' log) goes to $LOG, RESULT lines also to the terminal and $OUT;
# stderr ('# ' progress lines) to the terminal and $LOG. The JVM is bounded by timeout and killed with this script.
set +e
# shellcheck disable=SC2086
timeout -k 10 600 java -Xmx2g ${JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.cp)" \
  io.linkgate.bench.LinkScaleBench "$@" 2> >(tee -a "$LOG" >&2) | tee -a "$LOG" | grep --line-buffered '^RESULT ' | tee -a "$OUT"
rc=${PIPESTATUS[0]}
set -e
echo "# load avg:  $(cut -d' ' -f1-3 /proc/loadavg) (at end)" | tee -a "$OUT"
echo "# saved $OUT (log: $LOG)"
exit "$rc"
