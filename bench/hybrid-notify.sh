#!/usr/bin/env bash
# Syscalls per AsyncIo round trip on the hybrid backend, for each completion notification mode
# (-Dtevent4j.hybrid.notify=eventfd | ringfd): strace -c -f attached to every thread of a JVM
# that runs N round trips of one kind (after 2N of warm-up), for each kind and mode. Prints a
# table (syscalls per op, by name) and the wall-clock ns/op of the same traced run (slowed by
# strace: the JMH figures of HybridNotifyBench are the timing to trust).
#   bench/hybrid-notify.sh            N = 20000
#   bench/hybrid-notify.sh 5000       another N
# Raw strace outputs go to bench/results/hybrid-notify-<time>/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
JAVA_HOME=$("$top/bin/find-jdk") || exit 1
export JAVA_HOME
command -v strace >/dev/null 2>&1 || { echo "needs strace (apt-get install strace)" >&2; exit 1; }
"$top/bin/build"
n=${1:-20000}
cp="$top/bench/target/classes:$(cat "$top/bench/target/classpath.txt")"
out="$top/bench/results/hybrid-notify-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

# One traced run: prints "op mode total/op ns/op (untraced-by-wallclock) breakdown".
run() {
  local op=$1 mode=$2 f="$out/$1-$2.txt" pid line st ns
  coproc J { exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xms64m -Xmx64m \
      -Dtevent4j.hybrid.notify="$mode" -cp "$cp" dev.tevent4j.bench.tools.HybridNotifyCount "$op" "$n" 2>"$f.err"; }
  read -r line <&"${J[0]}"; pid=${line#ready }
  strace -c -f -o "$f" -p "$pid" 2>"$f.log" &
  st=$!
  # Wait until strace attached (it says so on stderr), then let it settle.
  for _ in $(seq 50); do grep -q attached "$f.log" 2>/dev/null && break; sleep 0.1; done
  sleep 0.5
  echo go >&"${J[1]}"
  read -r line <&"${J[0]}"; ns=${line#done }
  kill -INT "$st"; wait "$st" || true
  echo bye >&"${J[1]}"
  wait "$J_PID" 2>/dev/null || true
  local ops=$n; [ "$op" = nopBatch64 ] && ops=$(( n / 64 * 64 ))
  awk -v op="$op" -v mode="$mode" -v n="$ops" -v ns="$ns" '
    $1 ~ /^[0-9.]+$/ && NF >= 5 { name = $NF; calls = ($4 ~ /^[0-9]+$/) ? $4 : 0
      if (name != "total" && calls > 0) { total += calls; per[name] = calls } }
    END { s = ""; for (k in per) if (per[k] / n >= 0.01) s = s sprintf("%s %.2f, ", k, per[k] / n)
      printf "| %s | %s | %.2f | %s | %s |\n", op, mode, total / n, ns, substr(s, 1, length(s) - 2) }' "$f"
}

echo "N = $n round trips per run (nopBatch64: $n NOPs in batches of 64); strace -c -f on every thread"
echo
echo "| op | notify | syscalls/op | ns/op under strace | by name (>= 0.01/op) |"
echo "| --- | --- | ---: | ---: | --- |"
for op in nop read4k pipeRead nopBatch64; do
  for mode in eventfd ringfd; do
    run "$op" "$mode"
  done
done
echo
echo "raw: $out"
