#!/usr/bin/env bash
# bin/tevent4j bench httpd [--quick] [--backend NAME]
# tevent4j httpd vs nginx serving the same directory on loopback, measured with wrk
# (64 connections, keep-alive, 2 wrk threads); both servers get 2 workers (the VM has 2 vCPUs).
# Installs wrk and nginx from Debian when missing (apt-get). Results: docs/benchmarks.md
# "httpd vs nginx".
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
JAVA_HOME=$("$top/bin/find-jdk") || exit 1
export JAVA_HOME
dur=10s; backend=""; rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) dur=3s; rounds=1 ;;
    --backend) backend="--backend $2"; shift ;;
    *) echo "usage: bin/tevent4j bench httpd [--quick] [--backend NAME]" >&2; exit 2 ;;
  esac
  shift
done
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  echo "bench httpd: installing wrk and nginx (apt-get)" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk nginx-light >/dev/null 2>&1 \
    || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk nginx >/dev/null
fi
"$top/bin/build"

www=/dev/shm/tevent4j-httpd
mkdir -p "$www"
head -c 1024 /dev/urandom | base64 -w 100 | head -c 1024 > "$www/1k.txt"
[ -f "$www/64k.bin" ] || head -c 65536 /dev/urandom > "$www/64k.bin"
[ -f "$www/1m.bin" ] || head -c 1048576 /dev/urandom > "$www/1m.bin"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
tmp=$(mktemp -d)
nport=$(free_port)
cat > "$tmp/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { text/plain txt; application/octet-stream bin; }
  server { listen 127.0.0.1:$nport reuseport; root $www; }
}
CONF
nginx -c "$tmp/nginx.conf" -p "$tmp" & npid=$!
cp="$top/samples/target/classes:$(cat "$top/samples/target/classpath.txt")"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xms256m -Xmx256m -cp "$cp" dev.tevent4j.samples.Main \
  httpd --root "$www" --port 0 --threads 2 $backend > "$tmp/httpd.out" 2>/dev/null & hpid=$!
cleanup() { kill $npid $hpid 2>/dev/null || true; wait $npid $hpid 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
for i in $(seq 100); do hport=$(grep -o 'listening on [0-9.]*:[0-9]*' "$tmp/httpd.out" | cut -d: -f2 || true); [ -n "$hport" ] && break; sleep 0.1; done
[ -n "$hport" ] || { echo "httpd did not start" >&2; exit 1; }
echo "bench httpd: $(head -1 "$tmp/httpd.out"); nginx $(nginx -v 2>&1 | cut -d/ -f2) on port $nport" >&2
# Warm-up: the JIT compiles the hot path; nginx warms its caches.
wrk -t2 -c64 -d3s "http://127.0.0.1:$hport/64k.bin" >/dev/null
wrk -t2 -c64 -d1s "http://127.0.0.1:$nport/64k.bin" >/dev/null

declare -A res
for r in $(seq $rounds); do
  for f in 1k.txt 64k.bin 1m.bin; do
    for s in httpd nginx; do
      port=$hport; [ $s = nginx ] && port=$nport
      out=$(wrk -t2 -c64 -d$dur "http://127.0.0.1:$port/$f")
      rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
      tr=$(echo "$out" | awk '/Transfer\/sec/ {print $2}')
      lat=$(echo "$out" | awk '/Latency/ {print $2}')
      err=$(echo "$out" | grep -E 'Non-2xx|Socket errors' | tr '\n' ' ' || true)
      echo "  round $r $s $f: $rps req/s, $tr/s, latency avg $lat $err" >&2
      res[$s,$f]="${res[$s,$f]:-} $rps"
    done
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo
echo "wrk -t2 -c64 -d$dur, median of $rounds; requests/s (ratio httpd/nginx)"
echo
echo "| file | tevent4j httpd | nginx | httpd / nginx |"
echo "| --- | ---: | ---: | ---: |"
for f in 1k.txt 64k.bin 1m.bin; do
  h=$(echo "${res[httpd,$f]}" | median); n=$(echo "${res[nginx,$f]}" | median)
  printf '| %s | %.0f | %.0f | %.2f |\n' "$f" "$h" "$n" "$(echo "$h / $n" | bc -l)"
done
