#!/usr/bin/env bash
# Broker benchmark: Linkgate vs Debian's mosquitto on this host, same load generator, same run.
#
#   bash scripts/bench/broker-bench.sh [options] [-- extra MqttLoad options]
#
#   --only-mosquitto     benchmark mosquitto alone (Linkgate not needed)
#   --vs-mosquitto       put a second mosquitto instance in Linkgate's slot (checks the comparison plumbing)
#   --shapes a,b,c       MqttLoad shapes (default: all = p2p-qos0-max,p2p-qos1-max,p2p-qos0-10k,
#                        p2p-qos1-10k,fanout-100,pubs-1000,idle-10k)
#   --duration S         measured seconds per shape (default 10); idle-10k idles that long too
#   --warmup S           warm-up seconds per shape (default 2)
#                        (each MqttLoad JVM first pre-warms its own hot path for 9 s, uncounted: MqttLoad --prewarm,
#                        changed with -- --prewarm S)
#   --payload B          payload bytes (default 64)
#   --mqtt 3.1.1|5       protocol version (default 3.1.1)
#   --rebuild            run the Maven build even if target/ looks up to date
#   -h, --help
#
# Environment:
#   LINKGATE_CMD         command that starts Linkgate in the foreground (run with bash -c "exec $LINKGATE_CMD");
#                        it can use $LINKGATE_CONF, $LINKGATE_PORT, $LINKGATE_DATA. Default:
#                        java -Xmx512m -jar target/linkgate.jar -c "$LINKGATE_CONF"
#   BENCH_JAVA_OPTS      JVM options of the load generator (default: -Xms256m -Xmx1g)
#   BENCH_EXTRA_CP       extra classpath for the load generator
#   BENCH_KEEP=1         keep the temporary directory (configs, broker logs)
#
# Shapes run interleaved (mosquitto, then the other broker, shape by shape) while both brokers are up, so a
# noisy neighbour affects both sides alike. Both brokers listen on 127.0.0.1 only and are killed on exit.
# Results: RESULT lines on stdout, then a ratio table; a copy goes to target/bench-results/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

ONLY_MOSQ=0
VS_MOSQ=0
SHAPES=all
DURATION=10
WARMUP=2
PAYLOAD=64
MQTT=3.1.1
REBUILD=0
EXTRA=()

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --only-mosquitto) ONLY_MOSQ=1 ;;
    --vs-mosquitto) VS_MOSQ=1 ;;
    --shapes) SHAPES=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --payload) PAYLOAD=$2; shift ;;
    --mqtt) MQTT=$2; shift ;;
    --rebuild) REBUILD=1 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$SHAPES" = all ]; then
  SHAPES=p2p-qos0-max,p2p-qos1-max,p2p-qos0-10k,p2p-qos1-10k,fanout-100,pubs-1000,idle-10k
fi

command -v mosquitto >/dev/null || { echo "mosquitto not found: apt-get install -y mosquitto mosquitto-clients" >&2; exit 2; }
command -v java >/dev/null || { echo "java not found" >&2; exit 2; }

# idle-10k needs ~10k descriptors in each process
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

BENCH_NAME=broker-bench
# shellcheck source=lib.sh
source "$ROOT/scripts/bench/lib.sh"

# ------------------------------------------------------------------------------------------------ helpers
start_linkgate() { # port -> sets STARTED_PID
  local port=$1
  export LINKGATE_PORT=$port LINKGATE_DATA="$TMP/data" LINKGATE_CONF="$TMP/linkgate.conf"
  mkdir -p "$LINKGATE_DATA"
  cat > "$LINKGATE_CONF" <<EOF
node { name = "bench@127.0.0.1", data_dir = "$LINKGATE_DATA" }
cluster { name = "bench", links = [] }
listeners.tcp.default.bind = "127.0.0.1:$port"
listeners.ws.default.enable = false
api.enable = false
EOF
  local cmd=${LINKGATE_CMD:-java -Xmx512m -jar "$ROOT/target/linkgate.jar" -c "\$LINKGATE_CONF"}
  bash -c "exec $cmd" > "$TMP/linkgate.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 300); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "Linkgate exited before it was ready (cmd: $cmd). Last log lines:" >&2
      tail -n 20 "$TMP/linkgate.log" >&2
      echo "(until the broker is merged, use --only-mosquitto or --vs-mosquitto)" >&2
      return 1
    fi
    if grep -q 'Linkgate ready' "$TMP/linkgate.log" || port_open "$port"; then STARTED_PID=$pid; return 0; fi
    sleep 0.1
  done
  echo "Linkgate not ready after 30 s (no 'Linkgate ready' line, port $port closed)" >&2
  tail -n 20 "$TMP/linkgate.log" >&2
  return 1
}

RESULTS="$TMP/results.txt"
: > "$RESULTS"
FAILED=0
run_tool() { # label port pid shape
  local label=$1 port=$2 pid=$3 shape=$4
  echo "# --- $shape on $label (port $port)" >&2
  if ! java "${JAVA_OPTS[@]}" -cp "$CP" io.linkgate.bench.MqttLoad --host 127.0.0.1 --port "$port" \
      --label "$label" --shapes "$shape" --duration "$DURATION" --warmup "$WARMUP" --payload "$PAYLOAD" \
      --mqtt "$MQTT" --broker-pid "$pid" --cpu-pids "$label=$pid" "${EXTRA[@]}" | tee -a "$RESULTS"; then
    FAILED=1
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "# $label (pid $pid) died during $shape" >&2
    echo "RESULT target=$label shape=$shape status=fail error=broker_died" | tee -a "$RESULTS"
    return 1
  fi
}

# ------------------------------------------------------------------------------------------------ run
A_LABEL=mosquitto
A_PORT=$(free_port)
start_mosquitto mosquitto "$A_PORT"
A_PID=$STARTED_PID
B_LABEL=""
if [ "$ONLY_MOSQ" = 0 ]; then
  B_PORT=$(free_port)
  while [ "$B_PORT" = "$A_PORT" ]; do B_PORT=$(free_port); done
  if [ "$VS_MOSQ" = 1 ]; then
    B_LABEL=mosquitto2
    start_mosquitto mosquitto2 "$B_PORT"
    B_PID=$STARTED_PID
  else
    B_LABEL=linkgate
    start_linkgate "$B_PORT"
    B_PID=$STARTED_PID
  fi
fi

{
  echo "# date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  dirty=""; [ -n "$(git status --porcelain -- src pom.xml scripts 2>/dev/null)" ] && dirty=" + uncommitted changes"
  echo "# git:       $(git rev-parse --short HEAD 2>/dev/null || echo '?') ($(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo '?'))$dirty"
  echo "# host:      nproc=$(nproc), cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), mem=$(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "# load avg:  $(cut -d' ' -f1-3 /proc/loadavg) (at start)"
  echo "# java:      $(java -version 2>&1 | head -1)"
  echo "# mosquitto: $(mosquitto -h 2>/dev/null | head -1)"
  echo "# brokers:   $A_LABEL pid=$A_PID port=$A_PORT${B_LABEL:+; $B_LABEL pid=$B_PID port=$B_PORT}"
  echo "# shapes:    $SHAPES; duration=${DURATION}s warmup=${WARMUP}s payload=${PAYLOAD}B mqtt=$MQTT ${EXTRA[*]:-}"
} | tee "$TMP/header.txt"

IFS=',' read -r -a SHAPE_LIST <<< "$SHAPES"
for shape in "${SHAPE_LIST[@]}"; do
  run_tool "$A_LABEL" "$A_PORT" "$A_PID" "$shape" || exit 1
  if [ -n "$B_LABEL" ]; then
    run_tool "$B_LABEL" "$B_PORT" "$B_PID" "$shape" || exit 1
  fi
done

# ------------------------------------------------------------------------------------------------ summary
echo
echo "# load avg:  $(cut -d' ' -f1-3 /proc/loadavg) (at end)"
echo "== RESULT lines"
grep '^RESULT ' "$RESULTS" || true
if [ -n "$B_LABEL" ]; then
  echo
  echo "== $B_LABEL / $A_LABEL"
  awk -v A="$A_LABEL" -v B="$B_LABEL" '
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
      w = length(A) > length(B) ? length(A) : length(B); w += 7
      printf "%-14s %*s %*s %6s %*s %*s %6s\n", "shape", w, A " msg/s", w, B " msg/s", "ratio", w, A " p99", w, B " p99", "ratio"
      for (i = 1; i <= n; i++) {
        s = order[i]
        if (s == "idle-10k") continue
        am = val[A, s, "msgs_per_s"]; bm = val[B, s, "msgs_per_s"]
        ap = val[A, s, "p99_us"]; bp = val[B, s, "p99_us"]
        printf "%-14s %*s %*s %6s %*s %*s %6s\n", s, w, num(am), w, num(bm), ratio(bm, am), w, num(ap) " us", w, num(bp) " us", ratio(bp, ap)
      }
      for (i = 1; i <= n; i++) {
        s = order[i]
        if (s != "idle-10k") continue
        printf "%-14s connected %s vs %s, connect_ms %s vs %s (ratio %s), RSS/client %s vs %s B, heap/client %s B\n", s,
          num(val[A, s, "connected"]), num(val[B, s, "connected"]),
          num(val[A, s, "connect_ms"]), num(val[B, s, "connect_ms"]), ratio(val[B, s, "connect_ms"], val[A, s, "connect_ms"]),
          num(val[A, s, "rss_per_client_b"]), num(val[B, s, "rss_per_client_b"]), num(val[B, s, "heap_per_client_b"])
      }
      print "(msg/s: deliveries per second, higher is better; p99: end-to-end latency, lower is better)"
    }' "$RESULTS"
fi
if grep -q '^RESULT .*status=fail' "$RESULTS"; then FAILED=1; fi

mkdir -p target/bench-results
OUT="target/bench-results/broker-bench-$(date -u +%Y%m%dT%H%M%SZ).txt"
cat "$TMP/header.txt" "$RESULTS" > "$OUT"
echo "# saved $OUT"
exit "$FAILED"
