#!/usr/bin/env bash
# TopicTrie benchmark: 1M subscriptions, bytes per subscription and single-thread match rate.
# Usage: scripts/bench/trie-bench.sh [subscriptions] [measureSeconds]   (extra JVM flags via JAVA_OPTS)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B -DskipTests test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench.cp
# shellcheck disable=SC2086
exec java -Xmx2g ${JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.cp)" \
  io.linkgate.bench.TrieBench "$@"
