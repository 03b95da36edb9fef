"""Words per second of `kb extract` on Dask against one process and raw spaCy `nlp.pipe`.

Same texts (PolNeAR dev articles and the seed, ../shared/corpus), stored once into a database
file that each side extracts a fresh copy of (so their exports can be compared). Sides:

- raw nlp.pipe: the same spaCy pipeline without kb's components, no storing;
- kb extract, 1 process: `jobs.extract` (NLP, storing, claim threads), as `kb extract`;
- kb extract --workers N: a LocalCluster of N processes of one thread (started and its
  model loaded before the clock starts), reached as `kb extract --workers N` reaches it;
- kb extract --workers 1: the same with one worker: its time over the 1-process time, per
  batch, is the cost of shipping a batch to a worker and its analyses back;
- dask CLI: a `dask scheduler` and two `dask worker` processes (what a cluster runs), started
  by this script from the venv, reached with `--scheduler tcp://...`.

Each side `--repeat` times, interleaved, best time counts. The clusters are started once and
kept for every repeat, so that from the second repeat on their workers are as warm as the
one-process side's process, which has analysed the texts before (a process's first pass over
new texts costs some 7% more CPU: spaCy's vocabulary and kb's caches fill up);
`--fresh-clusters` starts new ones for each repeat instead. Before each timed run the bench
waits (`--quiet`, at most 30 s) for a second of idle CPUs, and shows how much CPU the rest of
the machine used during the run (`others`: on a shared machine, other people's tests). The
cluster's start (processes, model loads) is shown apart; it is paid once per run, not per
article. `--cli` also times the whole `kb extract --workers N` command.

Besides words per second, each side shows what the one process that owns the database spends
per article (`main ms/art`: its CPU milliseconds per article, on Dask the client's share and,
for a local cluster, the scheduler's included; `save ms/art`: wall milliseconds in
`store.save_analysis`), and on Dask how much the workers waited (`workers idle`: from the first
batch's start to the last one's end, the share of that time, times the workers, that no batch
was computing, from Dask's task stream); the notes add the seconds before the first batch
started and after the last one ended (the last saves and the claim threads' update). On 2
cores the workers and the writer compete for the CPU: the CPU-seconds bound printed below the
table does not depend on what else the machine runs.
Prints a table and a final line `BENCH {...}`.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager, nullcontext
from pathlib import Path
from unittest import mock

from bench_nlp import load_texts

BIN = Path(sys.executable).parent
EXPORTS = ("claims", "mentions", "entities", "threads", "relations")
SAVES: list[float] = []      # seconds per article in store.save_analysis, each timed run
QUIET = [30.0]               # seconds to wait at most for a quiet machine before each timed run


def machine_busy() -> float:
    """CPU seconds all of the machine's cores have been busy since boot (/proc/stat; 0 elsewhere)."""
    try:
        v = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return 0.0
    return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / os.sysconf("SC_CLK_TCK")  # user nice system irq softirq steal


def wait_quiet() -> None:
    """Wait, at most QUIET seconds, for a second in which the machine's cores were 90% idle:
    others' tests and benchmarks on a shared machine otherwise decide the wall times."""
    end, cores = time.monotonic() + QUIET[0], os.cpu_count() or 1
    while time.monotonic() < end:
        before = machine_busy()
        time.sleep(1.0)
        if machine_busy() - before < 0.1 * cores:
            return


def stored_db(texts: list[str], folder: Path) -> Path:
    from ingest.article import Article
    from kb import store

    path = folder / "base.db"
    db = store.open_db(path)
    for i, t in enumerate(texts):
        store.store_article(db, Article(source=f"bench-{i}.txt", text=t),
                            store.upsert_source(db, f"bench-{i}.txt", "file"))
    db.close()
    return path


def exports(path: Path) -> dict[str, list[str]]:
    from kb import export, store

    db = store.open_db(path)
    out = {k: [json.dumps(r, sort_keys=True) for r in export.rows(db, k)] for k in EXPORTS}
    db.close()
    return out


def first_difference(got: dict[str, list[str]], reference: dict[str, list[str]]) -> str:
    """Where an export differs from the 1-process one: kind, line, and both lines (cut)."""
    for kind in EXPORTS:
        if got[kind] != reference[kind]:
            for n, (a, b) in enumerate(zip(got[kind] + [""] * 9, reference[kind] + [""] * 9)):
                if a != b:
                    x, y = (json.loads(v) if v else {} for v in (a, b))
                    keys = sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))
                    return (f"{kind} line {n + 1} ({len(got[kind])} vs {len(reference[kind])} lines), "
                            + "; ".join(f"{k}: {json.dumps(x.get(k))[:60]} vs {json.dumps(y.get(k))[:60]}"
                                        for k in keys[:3]))
    return ""


@contextmanager
def local_cluster(n: int):
    """The cluster `kb extract --workers N` starts (kb.dask_extract.local_cluster)."""
    from kb.dask_extract import local_cluster as start

    with start(n) as cluster:
        yield cluster.scheduler_address


@contextmanager
def cli_cluster(folder: Path):
    """`dask scheduler` and two `dask worker` processes of one thread, as on real machines."""
    sched_file = folder / "scheduler.json"
    quiet: dict = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    from kb.dask_extract import cluster_environ

    quiet["env"] = {**os.environ, **cluster_environ()}     # configured as kb's own (CLUSTER_CONFIG)
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(sched_file)], **quiet)]
    try:
        for _ in range(600):
            if sched_file.exists() and sched_file.stat().st_size:
                break
            time.sleep(0.1)
        for i in range(2):
            procs.append(subprocess.Popen([str(BIN / "dask"), "worker", "--scheduler-file", str(sched_file),
                                           "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
                                           "--name", f"bench-{i}"], **quiet))
        yield json.loads(sched_file.read_text())["address"]
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()


def warm(address: str, workers: int) -> float:
    """Wait for the workers, load the model on each; then the round trip of an empty task (ms)."""
    from distributed import Client

    from kb.dask_extract import ModelPlugin

    with Client(address, set_as_default=False) as client:
        client.wait_for_workers(workers, timeout=300)
        client.register_plugin(ModelPlugin())
        client.submit(len, "x", pure=False).result()
        t0 = time.perf_counter()
        for i in range(100):
            client.submit(len, "x" * i, pure=False).result()
        return (time.perf_counter() - t0) * 10    # ms per task: 100 tasks


def timed_extract(base: Path, folder: Path, name: str, address: str | None = None) -> dict:
    """`jobs.extract` on a fresh copy of the stored database: wall seconds, CPU seconds (this
    process and, on Dask, every worker), this process's CPU seconds, seconds saving, on Dask the
    workers' idle share (Dask's task stream); and the CPU seconds the rest of the machine spent
    meanwhile (other people's work on a shared machine: the run was disturbed)."""
    from kb import jobs, store

    path = folder / f"{name}.db"
    shutil.copy(base, path)
    db = store.open_db(path)
    client = stream = None
    if address:
        from distributed import Client, get_task_stream

        client = Client(address, set_as_default=False)
        workers0 = client.run(time.process_time)
        stream = get_task_stream(client=client)
    real_save, saving = store.save_analysis, [0.0]

    def timed_save(*a, **kw):     # the single writer's share: one article's part of a batch's transaction
        t = time.perf_counter()
        try:
            return real_save(*a, **kw)
        finally:
            saving[0] += time.perf_counter() - t

    wait_quiet()
    busy0 = machine_busy()
    with stream or nullcontext():
        cpu0, t0, wall0 = time.process_time(), time.perf_counter(), time.time()
        with mock.patch.object(store, "save_analysis", timed_save):
            report = jobs.extract(db, scheduler=address)
        elapsed, main_cpu = time.perf_counter() - t0, time.process_time() - cpu0
    out = {"seconds": elapsed, "cpu": main_cpu, "main_cpu": main_cpu, "articles": report.extracted,
           "save": saving[0], "path": path}
    SAVES.append(saving[0] / max(1, report.extracted))
    if client is not None:
        workers1 = client.run(time.process_time)
        out["cpu"] += sum(workers1[w] - workers0.get(w, 0.0) for w in workers1)
        spans = [(s["start"], s["stop"]) for t in stream.data for s in t["startstops"]
                 if s["action"] == "compute" and "analyze_batch" in str(t["key"])]
        first, last = min(a for a, _ in spans), max(b for _, b in spans)
        out["idle"] = 1 - sum(b - a for a, b in spans) / ((last - first) * len(workers1))
        out["before"], out["after"] = first - wall0, wall0 + elapsed - last
        client.close()
    out["others"] = max(0.0, machine_busy() - busy0 - out["cpu"])
    db.close()
    if report.failed:
        raise SystemExit(f"{name}: {report.messages[:3]}")
    return out


def source_stamp() -> dict[str, float]:
    """Modification times of kb's and ingest's sources: workers started later load the files
    as they are then, so a tree edited during the run gives exports that differ for that."""
    root = Path(__file__).resolve().parents[1]
    return {str(p): p.stat().st_mtime for d in ("kb", "ingest") for p in (root / d).rglob("*.py")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=85, help="texts (the seed and PolNeAR dev: 85 in all)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=2, help="interleaved runs of each side; the best counts")
    ap.add_argument("--no-dask-cli", action="store_true", help="skip the dask scheduler / dask worker side")
    ap.add_argument("--cli", action="store_true", help="also time whole `kb extract` commands (cluster start included)")
    ap.add_argument("--fresh-clusters", action="store_true",
                    help="start the clusters anew for each repeat (their workers' first texts then run cold)")
    ap.add_argument("--quiet", type=float, default=QUIET[0],
                    help="seconds to wait at most, before each timed run, for a second of idle CPUs (0: none)")
    args = ap.parse_args()
    QUIET[0] = args.quiet
    os.environ.setdefault("KB_NOW", "2026-12-01")
    texts = load_texts(args.limit)
    if not texts:
        raise SystemExit("no texts found under ../shared/corpus")
    words = sum(len(re.findall(r"\w+", t)) for t in texts)

    from kb import nlp
    from kb.dask_extract import batches
    from kb.nlp.model import load_model

    n_batches = len(list(batches(((i, t) for i, t in enumerate(texts)), 16)))
    raw = load_model(components=False)
    list(raw.pipe(texts[:1]))
    nlp.analyze(texts[0])
    best: dict[str, float] = {}
    cpu: dict[str, float] = {}
    runs: dict[str, dict] = {}
    extra: dict[str, str] = {}
    paths: dict[str, Path] = {}

    def keep(name: str, seconds: float, cpu_seconds: float | None = None, run: dict | None = None) -> None:
        if seconds < best.get(name, float("inf")):
            best[name] = seconds
            if cpu_seconds is not None:
                cpu[name] = cpu_seconds
            if run is not None:
                runs[name] = run

    def extracted(name: str, run: dict) -> None:
        paths[name] = run["path"]
        keep(name, run["seconds"], run["cpu"], run)

    stamp = source_stamp()
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        folder = Path(tmp)
        base = stored_db(texts, folder)
        kept = ExitStack()                 # clusters started once, for every repeat
        started: dict[str, str] = {}

        def cluster(name: str, start, workers: int, stack: ExitStack) -> str:
            """The address of the side's cluster, started (and timed) on first use."""
            if name not in started:
                t0 = time.perf_counter()
                started[name] = stack.enter_context(start())
                trip = warm(started[name], workers)
                extra[name] = f"start {time.perf_counter() - t0:.1f} s, empty task {trip:.1f} ms"
            return started[name]

        for _ in range(max(1, args.repeat)):
            fresh = ExitStack()            # with --fresh-clusters: new ones for each repeat
            if args.fresh_clusters:
                started.clear()
            stack = fresh if args.fresh_clusters else kept
            wait_quiet()
            busy0, cpu0, t0 = machine_busy(), time.process_time(), time.perf_counter()
            list(raw.pipe(texts, batch_size=16))
            cpu_s = time.process_time() - cpu0
            keep("raw nlp.pipe (1 process)", time.perf_counter() - t0, cpu_s,
                 {"others": max(0.0, machine_busy() - busy0 - cpu_s)})
            extracted("kb extract, 1 process", timed_extract(base, folder, "one"))
            for n in sorted({args.workers, 1}, reverse=True):
                name = f"kb extract --workers {n}"
                address = cluster(name, lambda: local_cluster(n), n, stack)
                extracted(name, timed_extract(base, folder, f"w{n}", address))
            if not args.no_dask_cli:
                name = "dask scheduler + 2 dask worker"
                address = cluster(name, lambda: cli_cluster(folder), 2, stack)
                extracted(name, timed_extract(base, folder, "cli", address))
            fresh.close()
        kept.close()
        if args.cli:
            for i, (name, opts) in enumerate((("CLI kb extract (whole command)", []),
                                              (f"CLI kb extract --workers {args.workers} (whole command)",
                                               ["--workers", str(args.workers)]))):
                paths[name] = path = folder / f"cmd{i}.db"
                shutil.copy(base, path)
                t0 = time.perf_counter()
                subprocess.run([str(BIN / "kb"), "extract", "--db", str(path), *opts], check=True,
                               stdout=subprocess.DEVNULL)
                best[name] = time.perf_counter() - t0
        reference = exports(paths["kb extract, 1 process"])
        same = {name: exports(p) == reference for name, p in paths.items()}
        diffs = {name: first_difference(exports(p), reference) for name, p in paths.items() if not same[name]}

    one = best["kb extract, 1 process"]

    def tail(run: dict | None) -> str:
        return f"; before {run['before']:.2f} s, after {run['after']:.2f} s" if run and "before" in run else ""

    print(f"texts {len(texts)}, words {words}, batches {n_batches} (16 texts or 30,000 characters each), "
          f"best of {args.repeat}")
    print(f"{'side':42} {'seconds':>8} {'words/s':>9} {'x 1 proc':>8} {'x raw':>6} {'CPU s':>6} "
          f"{'main ms/art':>11} {'save ms/art':>11} {'workers idle':>12} {'others':>6}  exports  notes")
    for name, seconds in best.items():
        ident = "" if name not in same else ("same" if same[name] else "DIFFER")
        cpu_s = f"{cpu[name]:6.1f}" if name in cpu else " " * 6
        run = runs.get(name)
        per = run and "articles" in run
        main_ms = f"{run['main_cpu'] * 1000 / max(1, run['articles']):11.1f}" if per else " " * 11
        save_ms = f"{run['save'] * 1000 / max(1, run['articles']):11.1f}" if per else " " * 11
        idle = f"{run['idle'] * 100:11.1f}%" if run and "idle" in run else " " * 12
        others = f"{run['others']:6.1f}" if run else " " * 6
        print(f"{name:42} {seconds:8.2f} {words / seconds:9.0f} {one / seconds:8.2f} "
              f"{best['raw nlp.pipe (1 process)'] / seconds:6.2f} {cpu_s} {main_ms} {save_ms} {idle} {others}  "
              f"{ident:7}  {extra.get(name, '')}{tail(run)}")
    print("CPU s: CPU seconds of the run, this process and every Dask worker together; on an idle machine "
          "with C cores\n  the wall time of a Dask side tends to its CPU seconds / C. main ms/art: this "
          "process's CPU per article\n  (on Dask: saving, claim threads, Dask's client and, for a local "
          "cluster, its scheduler); save ms/art: wall time\n  in store.save_analysis per article; workers "
          "idle: from the first batch's start to the last one's end,\n  the share of that time (times the "
          "workers) no batch was computing; before/after: seconds of the run before the\n  first batch "
          "started and after the last one ended; others: CPU seconds the rest of the machine spent\n  during "
          "the run (other people's work on a shared machine: above a second or so, that wall time is theirs "
          "too).")
    for name, p in paths.items():
        if not same[name]:
            print(f"{name}: exports differ from 1 process at {diffs[name]}")
    cores = os.cpu_count() or 1
    busy = {f"kb extract --workers {args.workers}": args.workers + 1, "dask scheduler + 2 dask worker": 3}
    bound = {name: cpu["kb extract, 1 process"] / (cpu[name] / min(cores, n))   # workers and the writer
             for name, n in busy.items() if name in cpu}
    for name, x in bound.items():
        print(f"{name}: at most {x:.2f}x one process on an idle machine of {cores} cores "
              f"(its CPU seconds spread over the cores, against the 1-process CPU seconds)")
    save = min(SAVES)
    print(f"single writer: store.save_analysis {save * 1000:.1f} ms per article (best run) on this database "
          f"(the ceiling of one SQLite file: {1 / save:.0f} articles/s, {86400 / save / 1e6:.1f} M a day)")
    if source_stamp() != stamp:
        print("warning: kb's or ingest's source files changed during the run: processes started later "
              "ran other code, so their exports may differ for that (re-run on a tree nobody edits)")
    print("BENCH " + json.dumps({
        "words": words, "repeat": args.repeat,
        "workers_speedup": round(one / best[f"kb extract --workers {args.workers}"], 3),
        "dask_cli_speedup": round(one / best["dask scheduler + 2 dask worker"], 3) if not args.no_dask_cli else None,
        "extract_ratio": round(best["raw nlp.pipe (1 process)"] / one, 3),
        "save_ms_per_article": round(save * 1000, 2),
        "main_cpu_ms_per_article": {name: round(r["main_cpu"] * 1000 / max(1, r["articles"]), 2)
                                    for name, r in runs.items() if "articles" in r},
        "workers_idle": {name: round(r["idle"], 3) for name, r in runs.items() if "idle" in r},
        "others_cpu": {name: round(r["others"], 1) for name, r in runs.items()},
        "workers_cpu_bound": round(bound.get(f"kb extract --workers {args.workers}", 0), 3),
        "exports_identical": all(same.values())}))


if __name__ == "__main__":
    main()
