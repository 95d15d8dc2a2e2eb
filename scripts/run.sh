#!/usr/bin/env bash
# Builds Linkgate and starts it on the default config (conf/linkgate.conf), or on the config given as $1.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package
exec java ${JAVA_OPTS:-} -jar target/linkgate.jar -c "${1:-conf/linkgate.conf}"
