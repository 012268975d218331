#!/usr/bin/env bash
# Runs the JMH micro-benchmarks with -prof gc (bytes/op), once per backend in
# EventLoop.backends(). Extra arguments go to JMH:
#   bench/jmh.sh                          every benchmark, 1 fork, 3x1 s warmup, 5x1 s measurement (~5 min per backend)
#   bench/jmh.sh --quick                  1 fork, 2x1 s warmup, 3x1 s measurement (~3 min per backend)
#   bench/jmh.sh Timer -p liveTimers=1000 a subset (JMH regex), a parameter pinned
#   bench/jmh.sh -p backend=epoll         one backend only
#   bench/jmh.sh -f 5 -i 10 -r 10s        your own run lengths (then no default is added)
# Results also go to bench/results/jmh-<time>.json.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
JAVA_HOME=$("$top/bin/find-jdk") || exit 1
export JAVA_HOME
"$top/bin/build"
args=()
lengths=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
for a in "$@"; do
  case "$a" in
    --quick) lengths=(-f 1 -wi 2 -w 1s -i 3 -r 1s) ;;
    -f|-wi|-w|-i|-r|-bm) lengths=(); args+=("$a") ;;
    *) args+=("$a") ;;
  esac
done
mkdir -p "$top/bench/results"
out="$top/bench/results/jmh-$(date +%Y%m%d-%H%M%S).json"
cp="$top/bench/target/classes:$(cat "$top/bench/target/classpath.txt")"
# The forked JVMs inherit -jvmArgsAppend: FFM downcalls are restricted methods.
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.tevent4j.bench.micro.JmhMain \
  -prof gc -rf json -rff "$out" -jvmArgsAppend "--enable-native-access=ALL-UNNAMED" \
  ${lengths[@]+"${lengths[@]}"} ${args[@]+"${args[@]}"}
