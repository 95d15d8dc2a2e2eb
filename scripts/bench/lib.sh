# Shared by the benchmark scripts (sourced, not run): temporary directory and process clean-up, the build and the
# load generator's classpath, free loopback ports, and Debian's mosquitto started with a generated config.
# The caller sets BENCH_NAME and REBUILD before sourcing, and runs from the project root.

TMP=$(mktemp -d "/tmp/$BENCH_NAME.XXXXXX")
PIDS=()
STARTED_PID=
cleanup() {
  local rc=$?
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "# kept $TMP" >&2; else rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------------------------------------ build
CP_FILE=target/bench.cp
needs_build() {
  [ "$REBUILD" = 1 ] && return 0
  [ -f target/linkgate.jar ] && [ -f "$CP_FILE" ] && [ -f target/test-classes/io/linkgate/bench/MqttLoad.class ] || return 0
  [ -n "$(find src pom.xml -newer "$CP_FILE" -type f -print -quit)" ]
}
if needs_build; then
  echo "# building (mvn package, test classes included)" >&2
  mvn -q -B -DskipTests package >&2
  mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
  touch "$CP_FILE"
fi
CP="target/test-classes:target/classes:$(cat "$CP_FILE")${BENCH_EXTRA_CP:+:$BENCH_EXTRA_CP}"
read -r -a JAVA_OPTS <<< "${BENCH_JAVA_OPTS:--Xms256m -Xmx1g}"
# ------------------------------------------------------------------------------------------------ helpers
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

TAKEN=" "
free_port() { # a free port below the ephemeral range, not handed out before in this run
  local lo p
  lo=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % (lo - 20000) ))
    case "$TAKEN" in *" $p "*) continue ;; esac
    if ! port_open "$p" && ! ss -Htln "sport = :$p" 2>/dev/null | grep -q .; then TAKEN="$TAKEN$p "; echo "$p"; return 0; fi
  done
  echo "no free port found" >&2; return 1
}

start_mosquitto() { # name port [bridge-to-port] -> sets STARTED_PID
  local name=$1 port=$2 bridge=${3:-} conf="$TMP/$1.conf"
  cat > "$conf" <<EOF
listener $port 127.0.0.1
allow_anonymous true
set_tcp_nodelay true
persistence false
max_queued_messages 1000000
max_connections -1
log_dest stdout
log_type error
log_type warning
connection_messages false
user root
EOF
  if [ -n "$bridge" ]; then
    cat >> "$conf" <<EOF

connection bench-bridge
address 127.0.0.1:$bridge
topic bench/# out 1
try_private true
cleansession true
bridge_protocol_version mqttv311
EOF
  fi
  mosquitto -c "$conf" > "$TMP/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { echo "mosquitto ($name) exited:" >&2; cat "$TMP/$name.log" >&2; return 1; }
    port_open "$port" && { STARTED_PID=$pid; return 0; }
    sleep 0.1
  done
  echo "mosquitto ($name) not listening on $port after 10 s" >&2; return 1
}
