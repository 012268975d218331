"""Side-by-side fileserve benchmark (called by bench/fileserve.sh, see docs/benchmarks.md).

The references: two blocking-Java servers ("ref ...", FileServeRef) and the C server
bench/native/fileserve_ref.c ("c copy", "c sendfile", "c splice").

Starts every server first (each its own JVM on an ephemeral loopback port), then takes the
figures server after server, round after round, and reports the median per server: a slow
spell on these shared 2-vCPU VMs then hits everyone alike (the macro bench does the same).
"""
import argparse, json, os, re, statistics, subprocess, sys, time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
cp = os.path.join(top, "samples/target/classes") + ":" + open(os.path.join(top, "samples/target/classpath.txt")).read().strip()
base = [java, "--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx256m", "-cp", cp, "dev.tevent4j.samples.Main"]

ap = argparse.ArgumentParser()
ap.add_argument("--quick", action="store_true", help="1 round, 1 fetch per figure")
ap.add_argument("--rounds", type=int, default=3)
ap.add_argument("--connections", type=int, default=1)
ap.add_argument("--size-mib", type=int, default=1024)
a = ap.parse_args()
rounds = 1 if a.quick else a.rounds
repeat = 1 if a.quick else 3

root = "/dev/shm/tevent4j-fileserve"
os.makedirs(root, exist_ok=True)
path = os.path.join(root, "file.bin")
if not os.path.exists(path) or os.path.getsize(path) != a.size_mib << 20:
    print(f"bench fileserve: writing {a.size_mib} MiB of random data to {path}", file=sys.stderr)
    subprocess.run(["dd", "if=/dev/urandom", f"of={path}", "bs=1M", f"count={a.size_mib}", "status=none"], check=True)

backends = subprocess.run(base + ["backends"], capture_output=True, text=True).stdout
usable = [l.split()[0] for l in backends.splitlines() if " usable" in l]
ring = next((b for b in ("hybrid", "uring") if b in usable), None)
default = usable[0] if usable else "epoll"

servers = []  # (name, argv)
for mode in ("threadpool", "uring", "splice", "zc"):
    be = ring if mode == "uring" else default
    if be is None:
        print(f"bench fileserve: skipping mode {mode}: no io_uring backend here", file=sys.stderr)
        continue
    servers.append((f"fileserve {mode} ({be})", base + ["fileserve", "--root", root, "--port", "0", "--threads", "1",
                                                       "--backend", be, "--mode", mode]))
servers.append(("ref transferTo (sendfile)", base + ["fileserve-ref", "--root", root, "--port", "0", "--mode", "transferTo"]))
servers.append(("ref read+write 1 MiB", base + ["fileserve-ref", "--root", root, "--port", "0", "--mode", "copy"]))
cref = os.path.join(top, "bench/target/native/fileserve_ref")  # built by bench/fileserve.sh
for mode in ("copy", "sendfile", "splice"):
    servers.append((f"c {mode}", [cref, "--root", root, "--port", "0", "--mode", mode]))

procs = {}
try:
    for name, argv in servers:
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = p.stdout.readline()
        m = re.search(r"listening on [0-9.]+:(\d+)", line)
        if not m:
            raise SystemExit(f"{name} did not start: {line!r}")
        procs[name] = (p, int(m.group(1)))
    results = {name: [] for name, _ in servers}
    for name, (p, port) in procs.items():  # warm-up: JIT, page cache, socket buffers
        subprocess.run(base + ["fileget", "--port", str(port), "--path", "file.bin"], capture_output=True, check=True)
    for r in range(rounds):
        for name, (p, port) in procs.items():
            out = subprocess.run(base + ["fileget", "--port", str(port), "--path", "file.bin", "-c", str(a.connections),
                                         "--repeat", str(repeat)], capture_output=True, text=True, check=True).stdout
            m = re.search(r"= ([0-9.]+) GB/s .*client ([0-9.]+), server ([0-9.]+)", out)
            results[name].append(tuple(float(x) for x in m.groups()))
            print(f"  round {r + 1} {name}: {m.group(1)} GB/s", file=sys.stderr)
finally:
    for p, _ in procs.values():
        p.terminate()
        p.wait()

med = {n: tuple(statistics.median(x[i] for x in v) for i in range(3)) for n, v in results.items()}
best_ref = max(v[0] for n, v in med.items() if n.startswith("ref"))
best_c = max(v[0] for n, v in med.items() if n.startswith("c "))
print(f"\n1 GiB file in /dev/shm, loopback, {a.connections} connection(s), fileget --repeat {repeat}, median of {rounds}\n")
print("| server | GB/s | / best reference | / best C | client CPU s/GB | server CPU s/GB |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for n, (gbs, ccpu, scpu) in med.items():
    print(f"| {n} | {gbs:.2f} | {gbs / best_ref:.2f} | {gbs / best_c:.2f} | {ccpu:.3f} | {scpu:.3f} |")
os.makedirs(os.path.join(top, "bench/results"), exist_ok=True)
out = os.path.join(top, "bench/results", time.strftime("fileserve-%Y%m%d-%H%M%S.json"))
json.dump({"connections": a.connections, "rounds": rounds, "runs": results, "median": med}, open(out, "w"), indent=1)
print(f"\n{out}")
