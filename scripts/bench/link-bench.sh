#!/usr/bin/env bash
# Cluster-link benchmark: publisher on cluster B -> subscriber on cluster A across the link, two linked Linkgate
# JARs vs two bridged Debian mosquittos, same load generator, same run.
#
#   bash scripts/bench/link-bench.sh [options] [-- extra MqttLoad options]
#
#   --only-mosquitto     benchmark the mosquitto bridge alone (checks the plumbing)
#   --shapes a,b,c       MqttLoad shapes (default: p2p-qos0-max,p2p-qos1-max,p2p-qos0-10k,p2p-qos1-10k)
#   --duration S         measured seconds per shape (default 10)
#   --warmup S           warm-up seconds per shape (default 2)
#   --prewarm S          before the measured shapes, run p2p-qos0-max and p2p-qos1-max for S seconds each on
#                        both pairs, unrecorded (PREWARM lines), so the JVMs' JIT has compiled the link path
#                        (default 15; 0 = measure cold JVMs). This warms the brokers; each measuring MqttLoad
#                        JVM also pre-warms itself (MqttLoad --prewarm, default 9 s; pass e.g. -- --prewarm 15)
#   --payload B          payload bytes (default 64)
#   --mqtt 3.1.1|5       protocol version of the load generator's clients (default 3.1.1)
#   --rebuild            run the Maven build even if target/ looks up to date
#   -h, --help
#
# Environment:
#   LINKGATE_JAVA_OPTS   JVM options of both Linkgate JVMs (default -Xmx512m), e.g. to add a JFR recording
#   LINKGATE_JAR         the JAR to run (default target/linkgate.jar), e.g. to compare an experimental build
#   BENCH_JAVA_OPTS      JVM options of the load generator (default: -Xms256m -Xmx1g)
#   BENCH_EXTRA_CP       extra classpath for the load generator
#   BENCH_KEEP=1         keep the temporary directory (configs, broker logs)
#   LINKGATE_RESOURCE_OPTS  resource_opts of both links (HOCON object, default {}), e.g.
#                        '{ buffer_mode = durable, durable.fsync = always }' to measure the durable buffer
#
# Pairs (all on 127.0.0.1, free ports below the ephemeral range):
#   mosquitto-bridge  mosquitto "B" with a bridge connection to mosquitto "A" (topic bench/# out 1)
#   linkgate-link     Linkgate cluster "bench-a" with a link to "bench-b" receiving bench/#, and "bench-b" with a
#                     link to "bench-a" with topics = [] (so B forwards to A what A subscribed to); LinkTimings and
#                     link options are the JAR's defaults (pool_size 8, max_inflight 32)
# The publisher connects to B, the subscriber to A (MqttLoad --port B --sub-port A, one JVM, one clock). Before each
# shape MqttLoad publishes probe messages until the subscriber got one (route_wait_ms). Shapes run interleaved
# (mosquitto pair, then Linkgate pair, shape by shape) while all four brokers are up. Every broker is killed on exit.
# Results: RESULT lines on stdout, then a ratio table; a copy goes to target/bench-results/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

ONLY_MOSQ=0
SHAPES=p2p-qos0-max,p2p-qos1-max,p2p-qos0-10k,p2p-qos1-10k
DURATION=10
WARMUP=2
PREWARM=15
PAYLOAD=64
MQTT=3.1.1
REBUILD=0
EXTRA=()

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --only-mosquitto) ONLY_MOSQ=1 ;;
    --shapes) SHAPES=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --prewarm) PREWARM=$2; shift ;;
    --payload) PAYLOAD=$2; shift ;;
    --mqtt) MQTT=$2; shift ;;
    --rebuild) REBUILD=1 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

command -v mosquitto >/dev/null || { echo "mosquitto not found: apt-get install -y mosquitto mosquitto-clients" >&2; exit 2; }
command -v mosquitto_sub >/dev/null && command -v mosquitto_pub >/dev/null \
  || { echo "mosquitto_sub/mosquitto_pub not found: apt-get install -y mosquitto-clients" >&2; exit 2; }
command -v java >/dev/null || { echo "java not found" >&2; exit 2; }

BENCH_NAME=link-bench
# shellcheck source=lib.sh
source "$ROOT/scripts/bench/lib.sh"
read -r -a LG_OPTS <<< "${LINKGATE_JAVA_OPTS:--Xmx512m}"
LG_JAR=${LINKGATE_JAR:-$ROOT/target/linkgate.jar}

# ------------------------------------------------------------------------------------------------ helpers
linkgate_conf() { # cluster port peer peer-port topics
  cat <<EOF
node { name = "$1@127.0.0.1", data_dir = "$TMP/data-$1" }
cluster {
  name = "$1"
  links = [ { name = "$3", server = "127.0.0.1:$4", clientid = "clink-$1", topics = $5,
              resource_opts = ${LINKGATE_RESOURCE_OPTS:-{\}} } ]
}
listeners.tcp.default.bind = "127.0.0.1:$2"
listeners.ws.default.enable = false
api.enable = false
EOF
}

start_linkgate() { # name conf-file -> sets STARTED_PID (the JVM's pid); does not wait
  local name=$1 conf=$2
  mkdir -p "$TMP/data-$name"
  java "${LG_OPTS[@]}" -jar "$LG_JAR" -c "$conf" > "$TMP/$name.log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
}

wait_ready() { # name pid
  local name=$1 pid=$2
  for _ in $(seq 1 300); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "Linkgate $name exited before it was ready. Last log lines:" >&2
      tail -n 20 "$TMP/$name.log" >&2
      return 1
    fi
    grep -q 'Linkgate ready' "$TMP/$name.log" && return 0
    sleep 0.1
  done
  echo "Linkgate $name: no 'Linkgate ready' line after 30 s" >&2
  tail -n 20 "$TMP/$name.log" >&2
  return 1
}

wait_path() { # label pub-port sub-port: publish on B until a subscriber on A gets it (bridge/link route is up)
  local label=$1 pub=$2 sub=$3 out="$TMP/probe-$1.txt" t0 spid
  t0=$(date +%s%N)
  mosquitto_sub -h 127.0.0.1 -p "$sub" -t 'bench/ready/#' -C 1 -W 60 > "$out" 2>&1 &
  spid=$!
  PIDS+=("$spid")
  for _ in $(seq 1 120); do
    kill -0 "$spid" 2>/dev/null || break
    mosquitto_pub -h 127.0.0.1 -p "$pub" -t "bench/ready/$label" -m ready -q 1 >/dev/null 2>&1 || true
    sleep 0.25
  done
  if kill -0 "$spid" 2>/dev/null || ! grep -q ready "$out"; then
    echo "$label: nothing published on port $pub reached a subscriber on port $sub within 30 s" >&2
    return 1
  fi
  wait "$spid" 2>/dev/null || true
  echo "# $label: path B -> A up ($(( ($(date +%s%N) - t0) / 1000000 )) ms after the subscriber started)" >&2
}

prewarm() { # label pub-port sub-port
  local label=$1 pub=$2 sub=$3
  echo "# --- pre-warm of $label: p2p-qos0-max,p2p-qos1-max, ${PREWARM}s each (not recorded)" >&2
  java "${JAVA_OPTS[@]}" -cp "$CP" io.linkgate.bench.MqttLoad --host 127.0.0.1 --port "$pub" --sub-port "$sub" \
    --label "$label" --shapes p2p-qos0-max,p2p-qos1-max --duration "$PREWARM" --warmup 1 --payload "$PAYLOAD" \
    --mqtt "$MQTT" --prewarm 0 2>/dev/null | sed 's/^RESULT /PREWARM /' >&2 || echo "# pre-warm of $label failed" >&2
}

RESULTS="$TMP/results.txt"
: > "$RESULTS"
FAILED=0
run_tool() { # label pub-port sub-port pidB pidA shape
  local label=$1 pub=$2 sub=$3 pidb=$4 pida=$5 shape=$6
  echo "# --- $shape on $label (publisher -> B:$pub, subscriber -> A:$sub)" >&2
  if ! java "${JAVA_OPTS[@]}" -cp "$CP" io.linkgate.bench.MqttLoad --host 127.0.0.1 --port "$pub" --sub-port "$sub" \
      --label "$label" --shapes "$shape" --duration "$DURATION" --warmup "$WARMUP" --payload "$PAYLOAD" \
      --mqtt "$MQTT" --cpu-pids "B=$pidb,A=$pida" "${EXTRA[@]}" | tee -a "$RESULTS"; then
    FAILED=1
  fi
  for p in "$pidb" "$pida"; do
    if ! kill -0 "$p" 2>/dev/null; then
      echo "# $label (pid $p) died during $shape" >&2
      echo "RESULT target=$label shape=$shape status=fail error=broker_died" | tee -a "$RESULTS"
      return 1
    fi
  done
}

# ------------------------------------------------------------------------------------------------ run
M_LABEL=mosquitto-bridge
MA_PORT=$(free_port); MB_PORT=$(free_port)
start_mosquitto mosquitto-a "$MA_PORT"; MA_PID=$STARTED_PID
start_mosquitto mosquitto-b "$MB_PORT" "$MA_PORT"; MB_PID=$STARTED_PID
L_LABEL=""
if [ "$ONLY_MOSQ" = 0 ]; then
  L_LABEL=linkgate-link
  LA_PORT=$(free_port); LB_PORT=$(free_port)
  linkgate_conf bench-a "$LA_PORT" bench-b "$LB_PORT" '["bench/#"]' > "$TMP/bench-a.conf"
  linkgate_conf bench-b "$LB_PORT" bench-a "$LA_PORT" '[]' > "$TMP/bench-b.conf"
  start_linkgate bench-a "$TMP/bench-a.conf"; LA_PID=$STARTED_PID
  start_linkgate bench-b "$TMP/bench-b.conf"; LB_PID=$STARTED_PID
  wait_ready bench-a "$LA_PID"
  wait_ready bench-b "$LB_PID"
fi
wait_path "$M_LABEL" "$MB_PORT" "$MA_PORT"
[ -n "$L_LABEL" ] && wait_path "$L_LABEL" "$LB_PORT" "$LA_PORT"

{
  echo "# date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  dirty=""; [ -n "$(git status --porcelain -- src pom.xml scripts 2>/dev/null)" ] && dirty=" + uncommitted changes"
  echo "# git:       $(git rev-parse --short HEAD 2>/dev/null || echo '?') ($(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo '?'))$dirty"
  echo "# host:      nproc=$(nproc), cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), mem=$(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "# load avg:  $(cut -d' ' -f1-3 /proc/loadavg) (at start)"
  echo "# java:      $(java -version 2>&1 | head -1)"
  echo "# mosquitto: $(mosquitto -h 2>/dev/null | head -1)"
  echo "# pairs:     $M_LABEL B=$MB_PORT(pid $MB_PID) -> A=$MA_PORT(pid $MA_PID)${L_LABEL:+; $L_LABEL B=$LB_PORT(pid $LB_PID) -> A=$LA_PORT(pid $LA_PID), ${LG_OPTS[*]}, $LG_JAR}"
  echo "# shapes:    $SHAPES; duration=${DURATION}s warmup=${WARMUP}s prewarm=${PREWARM}s payload=${PAYLOAD}B mqtt=$MQTT ${EXTRA[*]:-}"
} | tee "$TMP/header.txt"

if [ "$PREWARM" -gt 0 ]; then
  prewarm "$M_LABEL" "$MB_PORT" "$MA_PORT"
  [ -n "$L_LABEL" ] && prewarm "$L_LABEL" "$LB_PORT" "$LA_PORT"
  echo "# load avg:  $(cut -d' ' -f1-3 /proc/loadavg) (after the pre-warm)" | tee -a "$TMP/header.txt"
fi

# log lines before the measured shapes (start-up warnings, e.g. a peer not listening yet, are not shown below)
declare -A LOG_MARK=()
if [ -n "$L_LABEL" ]; then
  for n in bench-a bench-b; do LOG_MARK[$n]=$(wc -l < "$TMP/$n.log"); done
fi

IFS=',' read -r -a SHAPE_LIST <<< "$SHAPES"
for shape in "${SHAPE_LIST[@]}"; do
  run_tool "$M_LABEL" "$MB_PORT" "$MA_PORT" "$MB_PID" "$MA_PID" "$shape" || exit 1
  if [ -n "$L_LABEL" ]; then
    run_tool "$L_LABEL" "$LB_PORT" "$LA_PORT" "$LB_PID" "$LA_PID" "$shape" || exit 1
  fi
done

# ------------------------------------------------------------------------------------------------ summary
echo
echo "# load avg:  $(cut -d' ' -f1-3 /proc/loadavg) (at end)"
echo "== RESULT lines"
grep '^RESULT ' "$RESULTS" || true
if [ -n "$L_LABEL" ]; then
  echo
  echo "== $L_LABEL / $M_LABEL (targets: throughput ratio >= 1.0; Linkgate p99 <= 2000 us in the *-10k shapes)"
  awk -v A="$M_LABEL" -v B="$L_LABEL" '
    /^RESULT / {
      delete kv
      for (i = 2; i <= NF; i++) { split($i, p, "="); kv[p[1]] = substr($i, length(p[1]) + 2) }
      t = kv["target"]; s = kv["shape"]
      if (!(s in seen)) { seen[s] = 1; order[++n] = s }
      for (k in kv) val[t, s, k] = kv[k]
    }
    function num(x) { return (x == "" ? "-" : x) }
    function ratio(b, a) { return (a + 0 > 0 && b != "") ? sprintf("%.2f", b / a) : "-" }
    END {
      printf "%-13s %10s %10s %6s %9s %9s %9s %9s %6s  %s\n", "shape", "mosq msg/s", "lg msg/s", "ratio",
        "mosq p50", "lg p50", "mosq p99", "lg p99", "lost", "targets"
      for (i = 1; i <= n; i++) {
        s = order[i]
        am = val[A, s, "msgs_per_s"]; bm = val[B, s, "msgs_per_s"]
        r = ratio(bm, am)
        verdict = (r == "-") ? "?" : (r + 0 >= 1.0 ? "ratio met" : "ratio MISSED")
        if (s ~ /-10k$/) {
          bp = val[B, s, "p99_us"]
          verdict = verdict ", " (bp == "" ? "p99 ?" : (bp + 0 <= 2000 ? "p99 met" : "p99 MISSED"))
        }
        printf "%-13s %10s %10s %6s %7s us %6s us %6s us %6s us %6s  %s\n", s, num(am), num(bm), r,
          num(val[A, s, "p50_us"]), num(val[B, s, "p50_us"]), num(val[A, s, "p99_us"]), num(val[B, s, "p99_us"]),
          num(val[A, s, "lost"]) "/" num(val[B, s, "lost"]), verdict
      }
      print "(msg/s: deliveries per second on A; p50/p99: end-to-end latency B -> A; lost: mosquitto/Linkgate)"
      print ""
      print "== broker CPU per message during the measured window, us (JIT compiler threads part in brackets)"
      printf "%-13s %14s %14s %20s %20s\n", "shape", "mosq B", "mosq A", "lg B", "lg A"
      for (i = 1; i <= n; i++) {
        s = order[i]
        printf "%-13s %14s %14s %20s %20s\n", s, num(val[A, s, "cpu_us_per_msg_B"]), num(val[A, s, "cpu_us_per_msg_A"]),
          num(val[B, s, "cpu_us_per_msg_B"]) " (" num(val[B, s, "jit_us_per_msg_B"]) ")",
          num(val[B, s, "cpu_us_per_msg_A"]) " (" num(val[B, s, "jit_us_per_msg_A"]) ")"
      }
      print "(process user+system CPU from /proc over the measured window / messages published in it)"
    }' "$RESULTS"
  echo
  echo "== Linkgate warnings during the measured shapes (first 10 per side)"
  for n in bench-a bench-b; do
    tail -n +"$(( ${LOG_MARK[$n]} + 1 ))" "$TMP/$n.log" | grep -E ' (WARN|ERROR) ' | head -n 10 | sed "s/^/$n: /" || true
  done
fi
if grep -q '^RESULT .*status=fail' "$RESULTS"; then FAILED=1; fi

mkdir -p target/bench-results
OUT="target/bench-results/link-bench-$(date -u +%Y%m%dT%H%M%SZ).txt"
cat "$TMP/header.txt" "$RESULTS" > "$OUT"
echo "# saved $OUT"
exit "$FAILED"
