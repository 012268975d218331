#!/usr/bin/env python3
"""Macro benchmark: every echo server side by side, driven by one C load client.

Run through `bin/tevent4j bench [--quick]` (or bench/bench.sh), which builds the Java servers
and the C programs first. Servers: every tevent4j backend in EventLoop.backends(), Netty 4.2
epoll, Netty 4.2 io_uring, a plain JDK NIO Selector loop, a plain C epoll server (the
reference every figure is divided by) and a plain C io_uring server (c-uring, the practical
limit of the ring path: bench/native/uring_echo_server.c). Each server is its own process on an ephemeral port;
all are started first and stay up, then every figure is taken server after server, round after
round (the CPUs are shared with other work: interleaving spreads a slow spell over everyone):

  warm-up   echo, 64 connections x 64 B (lets the JIT compile the server's hot path)
  ping-pong 1 connection, 64 B, client AND server pinned to CPU 0 (see PIN_WHY)
  echo      64 connections, 64 B then 4 KiB messages, one in flight per connection, unpinned
  syscalls  `strace -c -f` attached to the server over exactly N ping-pong round trips

A full run takes the median of 3 rounds per figure; --quick takes one round.
Writes bench/results/macro-<time>.json and a chart next to it (matplotlib).
"""
import argparse
import atexit
import datetime
import json
import os
import platform
import re
import select
import signal
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NATIVE = os.path.join(TOP, "bench", "target", "native")
RESULTS = os.path.join(TOP, "bench", "results")

PIN_WHY = ("ping-pong pins client and server to CPU 0: on these VMs waking an idle vCPU costs "
           "~45 us, which would swamp the servers' own cost per round trip (~3-6 us); on one CPU "
           "each side runs exactly when the other blocks, so the figure is the loops' own cost.")

# Live child processes: each is its own process group, killed at exit whatever happens.
_children = []


def _kill_all():
    for p in _children:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
    _children.clear()


def _on_signal(signum, _frame):
    _kill_all()
    sys.exit(128 + signum)


atexit.register(_kill_all)
signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGINT, _on_signal)
signal.signal(signal.SIGHUP, _on_signal)


def spawn(cmd, **kw):
    p = subprocess.Popen(cmd, start_new_session=True, **kw)
    _children.append(p)
    return p


def java_cmd():
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
    with open(os.path.join(TOP, "bench", "target", "classpath.txt")) as f:
        cp = os.path.join(TOP, "bench", "target", "classes") + ":" + f.read().strip()
    # The same JVM flags for every Java server: the defaults, plus permission for native access
    # (FFM for tevent4j, JNI for Netty) and for Netty's use of sun.misc.Unsafe (JDK 24+ warns).
    return [java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
            "-Xms256m", "-Xmx256m", "-cp", cp, "dev.tevent4j.bench.server.ServerMain"]


def servers():
    java = java_cmd()
    out = subprocess.run(java + ["--backends"], check=True, capture_output=True, text=True).stdout
    backends = [b for b in out.split() if b]
    s = [("tevent4j-" + b, java + ["tevent4j:" + b]) for b in backends]
    # The same server doing its I/O through loop.io(): only where that is io_uring (not epoll's pool).
    s += [("tevent4j-" + b + "-ring", java + ["tevent4j-ring:" + b]) for b in backends if b != "epoll"]
    # The same on IoHandles, each send quiet and linked to the next recv (one completion per round trip).
    s += [("tevent4j-" + b + "-linked", java + ["tevent4j-linked:" + b]) for b in backends if b != "epoll"]
    s += [("netty-epoll", java + ["netty-epoll"]), ("netty-io_uring", java + ["netty-io_uring"]),
          ("jdk-nio", java + ["nio"]), ("c-epoll", [os.path.join(NATIVE, "echo_server")]),
          ("c-uring", [os.path.join(NATIVE, "uring_echo_server")])]
    # The user-facing sample, `bin/tevent4j echo-server`, one loop thread, same JVM flags.
    # NMT (summary) lets the idle-connections figure read the server's native memory.
    sample = java[:java.index("-cp")] + ["-XX:NativeMemoryTracking=summary", "-cp", samples_classpath(),
                                         "dev.tevent4j.samples.Main", "echo-server", "--port", "0", "--threads", "1"]
    s += [("sample-echo-server-" + b, sample + ["--backend", b]) for b in backends]
    return s


def samples_classpath():
    with open(os.path.join(TOP, "samples", "target", "classpath.txt")) as f:
        return os.path.join(TOP, "samples", "target", "classes") + ":" + f.read().strip()


def start_server(name, cmd):
    # stderr to a file, not a pipe nobody drains: a chatty server must never block on it.
    log = os.path.join(RESULTS, f"server-{name}.log")
    with open(log, "w") as err:
        p = spawn(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True)
    deadline = time.time() + 20
    while time.time() < deadline:
        r, _, _ = select.select([p.stdout], [], [], 0.5)
        if r:
            line = p.stdout.readline()
            # The bench servers print "LISTENING port", the sample "... listening on host:port".
            m = re.match(r"LISTENING (\d+)", line) or re.search(r"listening on [^:\s]+:(\d+)", line)
            if m:
                return p, int(m.group(1))
        if p.poll() is not None:
            break
    with open(log) as f:
        raise RuntimeError(f"{name} did not start ({'exited' if p.poll() is not None else 'timeout'}): {f.read()[-2000:]}")


def stop_server(p):
    try:
        p.stdin.close()  # the servers exit on end of file
        p.wait(timeout=5)
    except (subprocess.TimeoutExpired, BrokenPipeError):
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
    if p in _children:
        _children.remove(p)


def client(args, pin=None):
    cmd = ([("taskset"), "-c", pin] if pin is not None else []) + [os.path.join(NATIVE, "loadclient")] + [str(a) for a in args]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"loadclient {' '.join(map(str, args))} failed: {r.stderr.strip()}")
    return json.loads(r.stdout)


def set_affinity(pid, cpus):
    # -a: every thread of the server (the JVM's GC and JIT threads too), so nothing of it runs
    # on the other CPU while pinned.
    subprocess.run(["taskset", "-a", "-p", "-c", cpus, str(pid)], check=True, capture_output=True)


def count_syscalls(pid, port, n):
    """strace -c -f attached to every thread of the server, over exactly n round trips."""
    out = os.path.join(RESULTS, f".strace-{pid}.txt")
    st = spawn(["strace", "-c", "-f", "-o", out, "-p", str(pid)], stderr=subprocess.PIPE, text=True)
    # strace reports each attached thread on stderr; wait for the first, then let it settle.
    deadline = time.time() + 10
    while time.time() < deadline:
        r, _, _ = select.select([st.stderr], [], [], 0.5)
        if r and "attached" in st.stderr.readline():
            break
    time.sleep(0.5)
    client(["count", port, 64, n])
    st.send_signal(signal.SIGINT)
    st.wait(timeout=20)
    _children.remove(st)
    calls, detail = 0, {}
    with open(out) as f:
        for line in f:
            parts = line.split()
            # "% time seconds usecs/call calls [errors] syscall"; the total line ends in "total".
            if len(parts) >= 5 and re.match(r"^[\d.]+$", parts[0]) and parts[3].isdigit():
                if parts[-1] == "total":
                    calls = int(parts[3])
                else:
                    detail[parts[-1]] = int(parts[3])
    os.remove(out)
    return calls / n, {k: round(v / n, 3) for k, v in sorted(detail.items(), key=lambda kv: -kv[1])}


def run_all(todo, cfg, ncpu, results):
    """Every server is started first and stays up; then each figure is taken server after server,
    round after round, so a slow spell of the shared CPUs hits every server alike instead of
    whichever happened to run then. A figure is the median of its rounds."""
    live = {}
    for name, cmd in todo:
        try:
            live[name] = start_server(name, cmd)
        except Exception as e:
            results[name] = {"error": str(e)}
            print(f"  {name}: FAILED to start: {e}")
    try:
        for name, (p, port) in list(live.items()):
            results[name] = {}
            guarded(live, results, name, lambda: client(["echo", port, 64, 0, cfg.warmup, 64]))  # JIT, pools
        figures = [
            ("pingpong", True, lambda port: ["pingpong", port, 64, cfg.warm, cfg.secs]),
            ("echo64", False, lambda port: ["echo", port, 64, cfg.warm, cfg.secs, 64]),
            ("echo4k", False, lambda port: ["echo", port, 4096, cfg.warm, cfg.secs, 64]),
        ]
        for key, pinned, args in figures:
            for _ in range(cfg.rounds):
                for name, (p, port) in list(live.items()):
                    def one():
                        if pinned:
                            set_affinity(p.pid, "0")
                            try:
                                return client(args(port), pin="0")["rate"]
                            finally:
                                set_affinity(p.pid, f"0-{ncpu - 1}")
                        return client(args(port))["rate"]
                    rate = guarded(live, results, name, one)
                    if rate is not None:
                        results[name].setdefault(key + "_samples", []).append(rate)
            for name in live:
                rates = sorted(results[name].get(key + "_samples", []))
                if rates:
                    results[name][key] = rates[len(rates) // 2]
            print(f"  {key:<9}" + "  ".join(f"{n} {results[n].get(key, 0):,.0f}" for n in live))
        for name, (p, port) in list(live.items()):
            r = guarded(live, results, name, lambda: count_syscalls(p.pid, port, cfg.strace_n))
            if r is not None:
                results[name]["syscalls_per_rt"], results[name]["syscalls_detail"] = r
        print("  syscalls " + "  ".join(f"{n} {results[n].get('syscalls_per_rt', 0):.2f}" for n in live))
        for name, (p, port) in list(live.items()):
            if not idle_server(name):
                continue
            r = guarded(live, results, name, lambda: idle_figures(p, port, cfg))
            if r is not None:
                results[name]["idle_bytes_per_conn"], results[name]["echo64_idle10k"] = r
                e64 = results[name].get("echo64")
                print(f"  idle10k  {name}: {r[0]:.0f} B native per idle connection, echo64 with "
                      f"{IDLE_CONNS} idle {r[1]:,.0f}/s" + (f" ({r[1] / e64:.2f}x without)" if e64 else ""))
    finally:
        for p, _ in live.values():
            stop_server(p)


IDLE_CONNS = 10000


def idle_server(name):
    """The servers measured with idle connections: the sample (buffer ring on hybrid/uring) and the C references."""
    return name.startswith("sample-echo-server-") or name in ("c-epoll", "c-uring")


def native_kib(p):
    """Native memory the server holds: NMT's "Other" (FFM and Unsafe allocations) for a JVM, else its RSS."""
    if p.args[0].endswith("java"):
        jcmd = os.path.join(os.environ["JAVA_HOME"], "bin", "jcmd")
        out = subprocess.run([jcmd, str(p.pid), "VM.native_memory", "summary"], capture_output=True, text=True,
                             timeout=30).stdout
        m = re.search(r"-\s+Other \(reserved=\d+KB, committed=(\d+)KB\)", out)
        if not m:
            raise RuntimeError("no NMT 'Other' line in jcmd's output: " + out[-300:])
        return int(m.group(1))
    with open(f"/proc/{p.pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1))


def idle_figures(p, port, cfg):
    """Native memory per idle connection (IDLE_CONNS held open), then the 64-connection echo with them open."""
    before = native_kib(p)
    h = spawn([os.path.join(NATIVE, "loadclient"), "hold", str(port), str(IDLE_CONNS), "3"],
              stdout=subprocess.PIPE, text=True)
    try:
        r, _, _ = select.select([h.stdout], [], [], 60)
        if not r or '"hold"' not in h.stdout.readline():
            raise RuntimeError("loadclient hold did not open its connections")
        time.sleep(1.0)  # the server accepts the last ones
        after = native_kib(p)
    finally:
        h.wait(timeout=30)
        _children.remove(h)
    time.sleep(0.5)
    rate = client(["echo", port, 64, cfg.warm, cfg.secs, 64, IDLE_CONNS])["rate"]
    return (after - before) * 1024 / IDLE_CONNS, rate


def guarded(live, results, name, fn):
    """Runs one measurement; a server that fails is reported, stopped and left out from then on."""
    try:
        return fn()
    except Exception as e:  # one broken server must not hide the others' figures
        results[name]["error"] = str(e)
        print(f"  {name}: FAILED: {e}")
        stop_server(live.pop(name)[0])
        return None


def machine():
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    java = subprocess.run([os.path.join(os.environ["JAVA_HOME"], "bin", "java"), "-version"],
                          capture_output=True, text=True).stderr.splitlines()
    return {"nproc": os.cpu_count(), "kernel": platform.release(), "cpu": model,
            "java": java[0] if java else "", "gcc": subprocess.run(["gcc", "-dumpfullversion"],
                                                                     capture_output=True, text=True).stdout.strip()}


COLS = [("pingpong", "ping-pong rt/s"), ("echo64", "echo 64x64B rt/s"), ("echo4k", "echo 64x4KiB rt/s"),
        ("syscalls_per_rt", "syscalls/rt")]


def table(results, ref="c-epoll"):
    base = results.get(ref, {})
    if "error" in base:
        base = {}
    head = f"{'server':<18}" + "".join(f"{title:>20}{'/C':>7}" for _, title in COLS)
    lines = [head, "-" * len(head)]
    for name, r in results.items():
        row = f"{name:<18}"
        for key, _ in COLS:
            v = r.get(key)
            if v is None or "error" in r:
                row += f"{'failed':>20}{'':>7}"
                continue
            fmt = f"{v:>20.2f}" if key == "syscalls_per_rt" else f"{v:>20,.0f}"
            ratio = f"{v / base[key]:>7.2f}" if base.get(key) else f"{'':>7}"
            row += fmt + ratio
        lines.append(row)
    return "\n".join(lines)


def chart(results, path, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    names = [n for n in results if all(k in results[n] for k, _ in COLS)]
    fig, axes = plt.subplots(1, 4, figsize=(18, 5))
    for ax, (key, label) in zip(axes, COLS):
        vals = [results[n][key] for n in names]
        colors = ["tab:blue" if n.startswith("tevent4j") else "tab:gray" if n.startswith("c-") else "tab:orange"
                  for n in names]
        bars = ax.bar(range(len(names)), vals, color=colors)
        ax.set_xticks(range(len(names)), names, rotation=35, ha="right", fontsize=8)
        ax.set_title(label + (" (lower is better)" if key == "syscalls_per_rt" else ""), fontsize=10)
        ax.bar_label(bars, labels=[f"{v:.2f}" if key == "syscalls_per_rt" else f"{v / 1000:.0f}k" for v in vals],
                     fontsize=7)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    ap = argparse.ArgumentParser(description="tevent4j macro benchmark: echo servers side by side")
    ap.add_argument("--quick", action="store_true", help="short run (under a minute)")
    ap.add_argument("--only", help="comma-separated server names to run (default: all)")
    a = ap.parse_args()
    cfg = argparse.Namespace(warmup=0.8, warm=0.2, secs=0.7, rounds=1, strace_n=3000) if a.quick else \
        argparse.Namespace(warmup=3.0, warm=0.3, secs=1.5, rounds=3, strace_n=20000)
    ncpu = os.cpu_count()
    os.makedirs(RESULTS, exist_ok=True)
    info = machine()
    print(f"machine: {info['nproc']} CPUs, {info['cpu']}, kernel {info['kernel']}, {info['java']}")
    print(PIN_WHY)
    print(f"echo: 64 connections, one message in flight each, client and server unpinned; "
          f"each figure the median of {cfg.rounds} x {cfg.secs:g} s runs (each after {cfg.warm:g} s warm-up); "
          f"syscalls over {cfg.strace_n} round trips")
    results = {}
    todo = servers()
    if a.only:
        keep = a.only.split(",")
        todo = [s for s in todo if s[0] in keep]
    t0 = time.time()
    run_all(todo, cfg, ncpu, results)
    print()
    print(table(results))
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    doc = {"when": stamp, "quick": a.quick, "machine": info, "pinning": PIN_WHY,
           "config": vars(cfg), "reference": "c-epoll", "seconds": round(time.time() - t0, 1),
           "results": results}
    jpath = os.path.join(RESULTS, f"macro-{stamp}.json")
    with open(jpath, "w") as f:
        json.dump(doc, f, indent=2)
    print(f"\nJSON:  {jpath}")
    try:
        png = os.path.join(RESULTS, f"macro-{stamp}.png")
        chart(results, png, f"tevent4j macro bench {stamp} - {info['nproc']} x {info['cpu']}, kernel {info['kernel']}"
                            + (" (quick)" if a.quick else ""))
        print(f"chart: {png}")
    except ImportError:
        print("chart: skipped, matplotlib is missing (apt-get install python3-matplotlib)")
    print(f"total {time.time() - t0:.0f} s")
    return 1 if any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
