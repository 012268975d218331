#!/usr/bin/env bash
# bin/tevent4j bench fileserve [--quick] [--rounds N] [--connections N]
# Every fileserve mode side by side with two plain blocking-Java references (transferTo =
# sendfile, and a 1 MiB read + write loop), serving a 1 GiB file from /dev/shm over loopback to
# fileget; prints GB/s, the ratio to the best reference, and CPU s/GB of both sides.
# See docs/benchmarks.md, section "File serving".
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
JAVA_HOME=$("$top/bin/find-jdk") || exit 1
export JAVA_HOME
"$top/bin/build"
exec python3 "$top/bench/fileserve.py" "$@"
