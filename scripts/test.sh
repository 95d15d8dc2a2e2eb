#!/usr/bin/env bash
# The whole test suite on a fresh Debian/Ubuntu machine with JDK 17 and Maven: installs the test tools, then runs
# every unit and integration test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-deps.sh
mvn -B verify "$@"
