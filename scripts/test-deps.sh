#!/usr/bin/env bash
# Installs what the test suite talks to: Debian's MQTT clients and broker, Erlang (reference codec for $LINK
# payloads), Chromium (the dashboard's browser test), MQTT.js and playwright-core. Skips what is already there, so
# repeated runs are fast.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

need=()
command -v mosquitto_pub >/dev/null 2>&1 || need+=(mosquitto-clients)
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
command -v erl >/dev/null 2>&1 || need+=(erlang-nox)
command -v node >/dev/null 2>&1 || need+=(nodejs npm)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ -f src/test/js/package-lock.json ]; then
  npm ci --prefix src/test/js --no-audit --no-fund --loglevel=error >/dev/null
fi
