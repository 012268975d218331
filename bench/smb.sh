#!/usr/bin/env bash
# bin/tevent4j bench smb [--runs N] [--size MiB] [--only smbd|tevent4j]
# Samba's own smbd (plain, then with `vfs objects = io_uring`) and the tevent4j smb-server in
# each of its modes, serving the same file from /dev/shm on loopback to `smbclient -c 'get big
# /dev/null'` from 1 client and from 4 in parallel; prints GB/s as smbclient reports it and the
# server's CPU seconds per GiB, median of the runs. See docs/benchmarks.md, "SMB: tevent4j vs smbd".
# Installs samba, samba-vfs-modules and smbclient from Debian when missing (root only; otherwise
# it prints the command and exits 2). Every server runs in its own process group, killed on exit.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
JAVA_HOME=$("$top/bin/find-jdk") || exit 1
export JAVA_HOME

# Options first: a typo should not cost an apt-get install and a build.
python3 "$top/bench/smb.py" --check-args "$@"
for arg in "$@"; do
  case "$arg" in -h|--help) exit 0 ;; esac
done

need=()
command -v smbd >/dev/null 2>&1 || [ -x /usr/sbin/smbd ] || need+=(samba samba-vfs-modules)
command -v smbclient >/dev/null 2>&1 || need+=(smbclient)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "bench smb: needs ${need[*]}; run as root:" >&2
    echo "  apt-get update -qq && apt-get install -y -qq samba samba-vfs-modules smbclient" >&2
    exit 2
  fi
  # On a machine that runs systemd the package starts the distribution's own smbd on port 445;
  # this bench neither uses nor stops it (its smbd has a private smb.conf on another port).
  echo "bench smb: installing samba samba-vfs-modules smbclient (apt-get)" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq samba samba-vfs-modules smbclient >/dev/null
fi
PATH="$PATH:/usr/sbin"

"$top/bin/build"

# The runner records the process group of every server it starts in this file and removes a
# group once it has seen it gone; whatever is left when we exit (the runner killed, a crash)
# is killed here, so no daemon outlives the bench.
state=/dev/shm/tevent4j-smb-bench
mkdir -p "$state"
groups="$state/groups.$$"
: > "$groups"
cleanup() {
  if [ -s "$groups" ]; then
    while read -r pg; do
      [ -n "$pg" ] && kill -KILL -- "-$pg" 2>/dev/null || true
    done < "$groups"
  fi
  rm -f "$groups"
}
trap cleanup EXIT
# The runner runs in the background so a signal to this script reaches it at once (bash would
# otherwise hold the trap until the runner ends); it stops its servers and exits.
TEVENT4J_SMB_GROUPS="$groups" python3 "$top/bench/smb.py" "$@" &
runner=$!
trap 'kill -TERM "$runner" 2>/dev/null || true' INT TERM
while :; do
  wait "$runner" && rc=0 || rc=$?
  kill -0 "$runner" 2>/dev/null || break   # wait returned for a signal: the runner is still stopping
done
exit $rc
