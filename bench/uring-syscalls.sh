#!/usr/bin/env bash
# Counts syscalls per ping-pong round trip with strace -c -f, for the uring backend (and, for
# comparison, hybrid and epoll): proves the uring backend makes exactly one io_uring_enter per
# loop iteration in steady state (a round trip is two iterations: one per direction).
#   bench/uring-syscalls.sh [rounds]        (default 20000)
# Needs strace (apt-get install -y strace). Builds with bin/build (no mvn install).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-20000}
command -v strace >/dev/null 2>&1 || { echo "strace missing: apt-get install -y strace" >&2; exit 1; }
JAVA_HOME=$("$top/bin/find-jdk") || exit 1
"$top/bin/build"
m="$top/backend-uring/target"
cp="$m/classes:$m/test-classes:$(cat "$top/samples/target/classpath.txt")"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-11s %8s %10s %16s %14s %8s %10s %12s %14s\n' backend rounds iterations io_uring_enter/rt epoll_wait/rt poll/rt read/rt write/rt enters_total
# uring-trust: -Dtevent4j.uring.validate=false (no poll(2) re-check of wake-time masks)
for run in uring uring-trust hybrid epoll; do
  backend=${run%-trust}
  opt=-Dtevent4j.uring.validate=true
  [ "$run" = uring-trust ] && opt=-Dtevent4j.uring.validate=false
  line=$(strace -f -c -o "$out/$run.txt" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "$opt" -cp "$cp" \
      dev.tevent4j.uring.PingPong "$backend" "$rounds" 2>/dev/null) || { echo "$backend: run failed" >&2; continue; }
  iters=$(sed -n 's/.*iterations=\([0-9]*\).*/\1/p' <<<"$line")
  calls() { awk -v s="$1" '$NF==s {print $4}' "$out/$run.txt" | head -1; }
  per() { local c; c=$(calls "$1"); awk -v c="${c:-0}" -v r="$rounds" 'BEGIN {printf "%.3f", c / r}'; }
  printf '%-11s %8s %10s %16s %14s %8s %10s %12s %14s\n' "$run" "$rounds" "$iters" "$(per io_uring_enter)" "$(per epoll_wait)" "$(per poll)" "$(per read)" "$(per write)" "$(calls io_uring_enter)"
done
echo "(whole-process counts under strace -c -f, JVM start-up included, divided by rounds; a round trip is 2 loop iterations)"
echo
echo "without strace, ${TIMED_ROUNDS:=200000} rounds:"
for run in uring uring-trust hybrid epoll; do
  opt=-Dtevent4j.uring.validate=true
  [ "$run" = uring-trust ] && opt=-Dtevent4j.uring.validate=false
  echo -n "$run: "
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "$opt" -cp "$cp" dev.tevent4j.uring.PingPong "${run%-trust}" "$TIMED_ROUNDS" 2>/dev/null || true
done
