#!/usr/bin/env bash
# Builds Linkgate and starts it. Without arguments it runs on data/linkgate.conf, which the first start copies from
# the shipped reference conf/linkgate.conf (never written by Linkgate). Arguments go to Linkgate:
# scripts/run.sh -c conf/examples/two-clusters-a.conf   (a file given with -c is the one REST changes are written to)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package
exec java ${JAVA_OPTS:-} -jar target/linkgate.jar "$@"
