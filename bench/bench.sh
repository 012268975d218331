#!/usr/bin/env bash
# The macro benchmark (bin/tevent4j bench): every tevent4j backend, Netty 4.2 epoll and
# io_uring, a JDK NIO loop and two C servers (epoll, io_uring), side by side, driven by one C load client.
#   bench/bench.sh            full run (under 5 minutes on 2 CPUs)
#   bench/bench.sh --quick    short run (under a minute)
#   bench/bench.sh --only c-epoll,tevent4j-epoll
#   bench/bench.sh --only c-epoll,c-uring --quick    the two C references alone
# Needs gcc, strace, taskset and python3 with matplotlib; installs the missing ones with apt-get.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
JAVA_HOME=$("$top/bin/find-jdk") || exit 1
export JAVA_HOME

missing=()
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v strace >/dev/null 2>&1 || missing+=(strace)
command -v taskset >/dev/null 2>&1 || missing+=(util-linux)
# Debian's python3 carries Debian's matplotlib; a python3 earlier on PATH (pyenv) may not.
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3 || true)
if [ -z "$py" ] || ! "$py" -c 'import matplotlib' 2>/dev/null; then missing+=(python3-matplotlib); py=/usr/bin/python3; fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench: installing ${missing[*]} (apt-get)" >&2
  sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

"$top/bin/build"
native="$top/bench/target/native"
mkdir -p "$native"
for prog in echo_server uring_echo_server loadclient fd_pingpong; do
  src="$top/bench/native/$prog.c"
  if [ ! -x "$native/$prog" ] || [ "$src" -nt "$native/$prog" ]; then
    gcc -O2 -Wall -Werror -o "$native/$prog" "$src"
  fi
done
exec "$py" "$top/bench/macro.py" "$@"
