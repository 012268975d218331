#!/usr/bin/env bash
# Runs the JMH micro-benchmarks with -prof gc (bytes/op), once per backend in
# EventLoop.backends(). Extra arguments go to JMH:
#   bench/jmh.sh                          every benchmark, default settings (~10 min per backend)
#   bench/jmh.sh --quick                  1 fork, 3x1 s warmup, 3x1 s measurement (~4 min per backend)
#   bench/jmh.sh Timer -p liveTimers=1000 a subset (JMH regex), a parameter pinned
#   bench/jmh.sh -p backend=epoll         one backend only
# Results also go to bench/results/jmh-<time>.json.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
JAVA_HOME=$("$top/bin/find-jdk") || exit 1
export JAVA_HOME
"$top/bin/build"
args=()
quick=()
for a in "$@"; do
  if [ "$a" = --quick ]; then quick=(-f 1 -wi 3 -w 1s -i 3 -r 1s); else args+=("$a"); fi
done
mkdir -p "$top/bench/results"
out="$top/bench/results/jmh-$(date +%Y%m%d-%H%M%S).json"
cp="$top/bench/target/classes:$(cat "$top/bench/target/classpath.txt")"
# The forked JVMs inherit -jvmArgsAppend: FFM downcalls are restricted methods.
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.tevent4j.bench.micro.JmhMain \
  -prof gc -rf json -rff "$out" -jvmArgsAppend "--enable-native-access=ALL-UNNAMED" \
  "${quick[@]}" "${args[@]}"
