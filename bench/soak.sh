#!/usr/bin/env bash
# bin/tevent4j bench soak [--seconds N | --quick] [--warmup N] [--backend a,b] [--no-deadlines] [--seed N]
# The mixed soak: pingpong fd events on 16 socketpairs, timers (some cancelled), immediates,
# executor runnables from 2 threads, AsyncIo nops and send/recv (some with deadlines, some
# cancelled), all at once on one loop, in a child JVM (-Xmx64m) per backend (epoll, hybrid,
# uring; an unusable one is skipped with the reason). Fails (exit 1) if any event was lost,
# duplicated or reordered, or fds or threads grew. Default 60 s per backend, --quick 5 s.
# See docs/benchmarks.md, section "Soak".
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
JAVA_HOME=$("$top/bin/find-jdk") || exit 1
export JAVA_HOME
"$top/bin/build"
[ -f "$top/bench/target/classpath.txt" ] || { echo "bench soak: $top/bench/target/classpath.txt is missing; run bin/build" >&2; exit 1; }
cp="$top/bench/target/classes:$(cat "$top/bench/target/classpath.txt")"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    -cp "$cp" dev.tevent4j.bench.soak.Soak "$@"
