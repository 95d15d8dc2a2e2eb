#!/usr/bin/env bash
# Installs what the test suite talks to: Debian's MQTT clients and broker, Erlang (reference codec for $LINK
# payloads), Chromium (the dashboard's browser test), MQTT.js and playwright-core. Skips what is already there, so
# repeated runs are fast.
#
# The tests need only the mosquitto binary (they start their own brokers on free ports). Debian's package would
# also start and enable mosquitto.service on 1883, where it would then collide with Linkgate's default listener:
# while installing, a policy-rc.d refuses every service start, and on a systemd host the unit is disabled and
# stopped afterwards. A mosquitto that was installed before is not ours and is left alone.
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

POLICY=/usr/sbin/policy-rc.d
our_policy=""
remove_policy() {
  if [ -n "$our_policy" ]; then $SUDO rm -f "$POLICY"; our_policy=""; fi
}
trap remove_policy EXIT

if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  if [ ! -e "$POLICY" ]; then
    # exit 101 = "action forbidden by policy": invoke-rc.d and deb-systemd-invoke start nothing
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod 755 "$POLICY"
    our_policy=yes
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  remove_policy
  if [[ " ${need[*]} " == *" mosquitto "* ]] && [ -d /run/systemd/system ]; then
    # enabled by the package even though its start was refused: it would come up at the next boot
    $SUDO systemctl disable --now mosquitto.service >/dev/null 2>&1 || true
  fi
fi

if [ -f src/test/js/package-lock.json ]; then
  npm ci --prefix src/test/js --no-audit --no-fund --loglevel=error >/dev/null
fi
