#!/usr/bin/env bash
# bin/tevent4j bench fileserve [--quick] [--rounds N] [--connections N]
# Every fileserve mode side by side with two plain blocking-Java references (transferTo =
# sendfile, and a 1 MiB read + write loop), serving a 1 GiB file from /dev/shm over loopback to
# fileget, and the C reference bench/native/fileserve_ref.c (pread+write 1 MiB, sendfile,
# splice); prints GB/s, the ratios to the best Java reference and to the best C path, and CPU
# s/GB of both sides.
# See docs/benchmarks.md, section "File serving".
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
JAVA_HOME=$("$top/bin/find-jdk") || exit 1
export JAVA_HOME
"$top/bin/build"
command -v gcc >/dev/null 2>&1 || { echo "bench fileserve: needs gcc (apt-get install gcc libc6-dev)" >&2; exit 1; }
native="$top/bench/target/native"
mkdir -p "$native"
if [ ! -x "$native/fileserve_ref" ] || [ "$top/bench/native/fileserve_ref.c" -nt "$native/fileserve_ref" ]; then
  gcc -O2 -Wall -Werror -pthread -o "$native/fileserve_ref" "$top/bench/native/fileserve_ref.c"
fi
exec python3 "$top/bench/fileserve.py" "$@"
