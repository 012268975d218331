"""SMB bench: Samba's smbd vs the tevent4j smb-server (called by bench/smb.sh, see docs/benchmarks.md).

Every server serves the same file, /dev/shm/tevent4j-smb-bench/share/big, as share "share" on a
loopback port and runs in its own process group (a new session). smbd gets a private smb.conf
and private lock/state/cache/pid/private dirs, once plain and once with `vfs objects = io_uring`;
the tevent4j server runs once per mode (threadpool, ring, splice, zc) when this checkout has it.

The clients are `smbclient -c 'get big /dev/null'`, 1 and 4 in parallel. GB/s is smbclient's own
figure: it prints "(N KiloBytes/sec)" with KiloByte = 1024 bytes, timed by smbclient around the
transfer; we report N * 1024 / 10^9 (decimal GB/s, as the other benches), for 4 clients the sum
of the four. Server CPU is utime+stime+cutime+cstime summed over the server's process group,
read from /proc before and after a run, once the run's connection processes (smbd forks one per
client) have been reaped: a reaped child's time has then moved into its parent's cutime/cstime,
so nothing is lost and nothing counted twice. Divided by the GiB sent (clients x file size).

All servers start first and take their figures server after server, run after run (as the
macro and fileserve benches do), so a slow spell on the shared vCPUs hits every server alike.
"""
import argparse, ctypes, json, os, re, select, shutil, signal, socket, statistics, subprocess, sys, time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
state = "/dev/shm/tevent4j-smb-bench"
share = os.path.join(state, "share")
big = os.path.join(share, "big")
groups_file = os.environ.get("TEVENT4J_SMB_GROUPS")
tick = os.sysconf("SC_CLK_TCK")
MODES = ("threadpool", "ring", "splice", "zc")
FIRST_PORT = 44450

ap = argparse.ArgumentParser(prog="bin/tevent4j bench smb",
                             description="smbd (plain and vfs_io_uring) vs tevent4j smb-server, smbclient get of one file")
ap.add_argument("--runs", type=int, default=3, help="runs per row; the table shows the median (default 3)")
ap.add_argument("--size", type=int, default=1024, metavar="MiB", help="file size in MiB (default 1024)")
ap.add_argument("--only", choices=("smbd", "tevent4j"), help="measure only these servers")
ap.add_argument("--check-args", action="store_true", help=argparse.SUPPRESS)  # smb.sh: fail before installing
a = ap.parse_args()
if a.runs < 1 or a.size < 1:
    ap.error("--runs and --size must be at least 1")
if a.check_args:
    sys.exit(0)
command = "bin/tevent4j bench smb" + "".join(" " + x for x in sys.argv[1:])


def on_term(signum, frame):
    print(f"bench smb: signal {signum}: stopping the servers, no table", file=sys.stderr)
    raise SystemExit(128 + signum)  # so the finally below stops the servers


signal.signal(signal.SIGTERM, on_term)
# A child subreaper: what a server leaves behind when it dies (smbd's notifyd and cleanupd)
# is re-parented to this process instead of init, so stop() can reap it.
PR_SET_CHILD_SUBREAPER = 36
ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


# ---- process groups -------------------------------------------------------------------------

def proc_stats():
    """(pid, pgrp, utime+stime+cutime+cstime ticks, zombie) of every process, zombies included."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
        except OSError:
            continue  # gone meanwhile
        rest = s[s.rindex(")") + 2:].split()  # rest[0] is field 3 (state): field n is rest[n - 3]
        out.append((int(d), int(rest[2]), sum(int(x) for x in rest[11:15]), rest[0] == "Z"))
    return out


def group(pg):
    """pids of the group and its CPU ticks so far (live members plus what they have reaped)."""
    members = [(pid, t) for pid, g, t, _ in proc_stats() if g == pg]
    return {pid for pid, _ in members}, sum(t for _, t in members)


def alive(pg):
    """pids of the group that still run; its zombies, orphans re-parented to us, are reaped
    (by pid: a wait for any child could take the exit status of a running smbclient)."""
    running = set()
    for pid, g, _, zombie in proc_stats():
        if g != pg:
            continue
        if not zombie:
            running.add(pid)
            continue
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass  # not ours: its parent reaps it
    return running


def record_groups(live):
    if groups_file:
        with open(groups_file, "w") as f:
            f.write("".join(f"{g}\n" for g in live))


class Server:
    def __init__(self, name, config, argv, port, log, ready):
        self.name, self.config, self.argv, self.port, self.log = name, config, argv, port, log
        self.ready = ready  # "accept": poll the port; "listening": wait for the line on stdout
        self.proc = None

    @property
    def label(self):
        return f"{self.name} {self.config}"

    def start(self, live):
        logf = open(self.log, "w")
        # smbd logs to its log file; the tevent4j server says "listening on PORT" on stdout
        out = subprocess.PIPE if self.ready == "listening" else logf
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=out, stderr=logf,
                                     text=True, start_new_session=True)
        logf.close()
        live.append(self.proc.pid)
        record_groups(live)
        if self.ready == "listening":
            self._await_listening(30)
        else:
            self._await_accept(30)

    def _await_listening(self, timeout):
        # os.read, not readline: a buffered reader could swallow the line select() saw
        fd = self.proc.stdout.fileno()
        end = time.monotonic() + timeout
        seen = ""
        while time.monotonic() < end:
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                chunk = os.read(fd, 4096)
                if not chunk:
                    break
                seen += chunk.decode(errors="replace")
                m = re.search(r"listening on (?:[0-9.:\[\]a-f]*:)?(\d+)\r?\n", seen)  # whole line: digits may come in two reads
                if m:
                    self.port = int(m.group(1))
                    # keep draining stdout so a chatty server never blocks on a full pipe
                    subprocess.Popen(["cat"], stdin=fd, stdout=subprocess.DEVNULL)
                    return
            elif self.proc.poll() is not None:
                break
        raise RuntimeError(f"did not print 'listening on PORT' ({seen.strip()!r}); {self.why()}")

    def _await_accept(self, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"exited with {self.proc.returncode}; {self.why()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"port {self.port} did not accept in {timeout} s; {self.why()}")

    def why(self):
        try:
            with open(self.log) as f:
                tail = [l.strip() for l in f.read().splitlines() if l.strip()][-3:]
        except OSError:
            tail = []
        return "log " + self.log + (": " + " | ".join(tail) if tail else "")

    def stop(self, live):
        if self.proc is None:
            return
        pg = self.proc.pid
        for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            try:
                os.killpg(pg, sig)
            except ProcessLookupError:
                pass
            end = time.monotonic() + wait
            while time.monotonic() < end and (self.proc.poll() is None or alive(pg)):
                time.sleep(0.05)
            if self.proc.poll() is not None and not alive(pg):
                break
        if not alive(pg):
            live.remove(pg)
            record_groups(live)
        else:
            print(f"bench smb: process group {pg} of {self.label} survived SIGKILL", file=sys.stderr)


def free_port(start):
    for port in range(start, start + 1000):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise SystemExit(f"bench smb: no free port in {start}..{start + 999}")


# ---- the servers ----------------------------------------------------------------------------

def smbd_server(config, vfs, port):
    """smbd with a private smb.conf and private state, guest-only read-only share on 127.0.0.1."""
    home = os.path.join(state, "smbd-" + config)
    shutil.rmtree(home, ignore_errors=True)  # tdbs of an earlier run (perhaps another version)
    dirs = {k: os.path.join(home, k) for k in ("lock", "state", "cache", "pid", "private", "ncalrpc")}
    for d in dirs.values():
        os.makedirs(d)
    conf = os.path.join(home, "smb.conf")
    vfs_line = f"  vfs objects = {vfs}\n" if vfs else ""
    with open(conf, "w") as f:
        f.write(f"""[global]
  server role = standalone server
  smb ports = {port}
  interfaces = lo
  bind interfaces only = yes
  disable netbios = yes
  server min protocol = SMB2_02
  map to guest = Bad User
  passdb backend = tdbsam:{dirs['private']}/passdb.tdb
  lock directory = {dirs['lock']}
  state directory = {dirs['state']}
  cache directory = {dirs['cache']}
  pid directory = {dirs['pid']}
  private dir = {dirs['private']}
  ncalrpc dir = {dirs['ncalrpc']}
  log file = {home}/log.smbd
  log level = 1
  disable spoolss = yes
  load printers = no
  printing = bsd
  printcap name = /dev/null
[share]
  path = {share}
  guest ok = yes
  guest only = yes
  read only = yes
{vfs_line}""")
    # --no-process-group: the new session we start it in is already its own group (and a
    # session leader may not setpgid).
    argv = [smbd, "--foreground", "--no-process-group", "-l", home, "-s", conf]  # -l: log here before the conf is read
    return Server("smbd", config, argv, port, os.path.join(home, "smbd.out"), "accept")


def tevent4j_available(base):
    """True when this checkout has the smb-server command (its own help, not the top-level one)."""
    p = subprocess.run(base + ["smb-server", "--help"], capture_output=True, text=True)
    # An unknown subcommand followed by --help prints the top-level usage and exits 0.
    return p.returncode == 0 and re.search(r"Usage: tevent4j smb-server", p.stdout) is not None


def smbclient_argv(port):
    return [smbclient, "//127.0.0.1/share", "-p", str(port), "-N", "-m", "SMB3",
            "--option=client min protocol=SMB2_02", "-c", "get big /dev/null"]


GET = re.compile(r"of size (\d+) as /dev/null \(([0-9.]+) KiloBytes/sec\)")


def measure(server, clients, size):
    """One run: `clients` gets in parallel. Returns (GB/s sum of smbclient figures, GB/s wall, CPU s/GiB)."""
    pg = server.proc.pid
    before, t0 = group(pg)
    start = time.monotonic()
    procs = [subprocess.Popen(smbclient_argv(server.port), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) for _ in range(clients)]
    outs = [p.communicate()[0] for p in procs]
    wall = time.monotonic() - start
    kibs = []
    for p, out in zip(procs, outs):
        m = GET.search(out)
        if p.returncode != 0 or not m or int(m.group(1)) != size:
            raise RuntimeError(f"smbclient against {server.label} failed (exit {p.returncode}): {out.strip()!r}")
        kibs.append(float(m.group(2)))
    # Wait for the connection processes of this run to be reaped: their time is then in the
    # parent's cutime/cstime.
    end = time.monotonic() + 10
    while time.monotonic() < end:
        now, _ = group(pg)
        if not (now - before):
            break
        time.sleep(0.02)
    else:
        print(f"bench smb: {server.label}: processes {sorted(now - before)} still there after 10 s; counted as they are",
              file=sys.stderr)
    if server.proc.poll() is not None:
        raise RuntimeError(f"{server.label} exited during the run; {server.why()}")
    _, t1 = group(pg)
    gbs = sum(kibs) * 1024 / 1e9
    return gbs, clients * size / wall / 1e9, (t1 - t0) / tick / (clients * size / 2**30)


# ---- main -----------------------------------------------------------------------------------

smbd = shutil.which("smbd") or "/usr/sbin/smbd"
smbclient = shutil.which("smbclient") or "/usr/bin/smbclient"
size = a.size << 20
os.makedirs(share, exist_ok=True)
os.chmod(state, 0o755)
os.chmod(share, 0o755)  # smbd serves it as the guest user (nobody)
if not os.path.exists(big) or os.path.getsize(big) != size:
    print(f"bench smb: writing {a.size} MiB of random data to {big}", file=sys.stderr)
    subprocess.run(["dd", "if=/dev/urandom", f"of={big}", "bs=1M", f"count={a.size}", "status=none"], check=True)
os.chmod(big, 0o644)

skipped = []  # (what, why)
servers = []
port = FIRST_PORT
if a.only in (None, "smbd"):
    port = free_port(port)
    servers.append(smbd_server("default", None, port))
    modules = subprocess.run([smbd, "-b"], capture_output=True, text=True).stdout
    m = re.search(r"MODULESDIR: (\S+)", modules)
    vfs_so = os.path.join(m.group(1) if m else "/usr/lib/x86_64-linux-gnu/samba", "vfs", "io_uring.so")
    if os.path.exists(vfs_so):
        port = free_port(port + 1)
        servers.append(smbd_server("vfs_io_uring", "io_uring", port))
    else:
        skipped.append(("smbd vfs_io_uring", f"{vfs_so} not found (Debian package samba-vfs-modules)"))
if a.only in (None, "tevent4j"):
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
    cp = os.path.join(top, "samples/target/classes") + ":" + open(os.path.join(top, "samples/target/classpath.txt")).read().strip()
    base = [java, "--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx256m", "-cp", cp, "dev.tevent4j.samples.Main"]
    if tevent4j_available(base):
        for mode in MODES:
            port = free_port(port + 1)
            home = os.path.join(state, "tevent4j-" + mode)
            os.makedirs(home, exist_ok=True)
            servers.append(Server("tevent4j smb-server", mode, base + ["smb-server", "--root", share, "--share", "share",
                                                                       "--port", str(port), "--mode", mode],
                                  port, os.path.join(home, "stderr.log"), "listening"))
    else:
        print("tevent4j smb-server not built on this checkout: rows skipped", file=sys.stderr)
        skipped.append(("tevent4j smb-server", "not built on this checkout: rows skipped"))

version = subprocess.run([smbd, "-V"], capture_output=True, text=True).stdout.strip()
print(f"bench smb: {version}, kernel {os.uname().release}, {a.size} MiB file, {a.runs} run(s)", file=sys.stderr)
live = []
results = {}
try:
    running = []
    for s in servers:
        try:
            s.start(live)
            measure(s, 1, size)  # warm-up: smbd's tdbs and caches, the JVM's JIT
            measure(s, 4, size)
            running.append(s)
            print(f"  {s.label}: port {s.port}, process group {s.proc.pid}", file=sys.stderr)
        except RuntimeError as e:
            skipped.append((s.label, str(e)))
            print(f"bench smb: skipping {s.label}: {e}", file=sys.stderr)
            s.stop(live)
    for r in range(a.runs):
        for clients in (1, 4):
            for s in running:
                gbs, wall, cpu = measure(s, clients, size)
                results.setdefault((s.name, s.config, clients), []).append((gbs, wall, cpu))
                print(f"  run {r + 1} {s.label}, {clients} client(s): {gbs:.2f} GB/s (wall clock {wall:.2f} GB/s), "
                      f"{cpu:.3f} CPU s/GiB", file=sys.stderr)
finally:
    for s in reversed(servers):
        s.stop(live)

gib = f"{a.size / 1024:g} GiB" if a.size % 1024 == 0 else f"{a.size} MiB"
print(f"\n{gib} file in /dev/shm, loopback, `smbclient -m SMB3 -c 'get big /dev/null'`, median of {a.runs}; {version}")
print("GB/s: smbclient's KiloBytes/sec x 1024 / 10^9 (4 clients: the sum of the four); "
      "CPU: the server's process group, s per GiB sent\n")
print("| server | mode/config | clients | GB/s | CPU s/GiB |")
print("| --- | --- | ---: | ---: | ---: |")
med = {}
for clients in (1, 4):
    for (name, config, c), v in results.items():
        if c != clients:
            continue
        med[f"{name} {config} {c}"] = m = tuple(statistics.median(x[i] for x in v) for i in range(3))
        print(f"| {name} | {config} | {c} | {m[0]:.2f} | {m[2]:.2f} |")
for what, why in skipped:
    print(f"\nskipped {what}: {why}")
print(f"\ncommand: {command}")
os.makedirs(os.path.join(top, "bench/results"), exist_ok=True)
out = os.path.join(top, "bench/results", time.strftime("smb-%Y%m%d-%H%M%S.json"))
json.dump({"command": command, "version": version, "size_mib": a.size, "runs": a.runs,
           "results": {f"{n} {c} {k}": v for (n, c, k), v in results.items()},
           "median (GB/s, wall GB/s, CPU s/GiB)": med, "skipped": skipped}, open(out, "w"), indent=1)
print(out)
