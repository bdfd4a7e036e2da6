"""Benchmark: `greencheck batch` over the samples plus the real corpus, --jobs 1 against --jobs 2.

    .venv/bin/python benchmarks/bench_batch.py [CORPUS_DIR] [--jobs 1 2] [--repeat N]
    .venv/bin/python benchmarks/bench_batch.py [CORPUS_DIR] --dask [--repeat N]   # needs greencheck[dask]

Each run is a fresh `python -m checker batch ... --force` into a temporary folder. Measured: wall time, the peak
of the summed resident memory of greencheck and all its children (sampled from /proc every 50 ms) and the largest
single child (getrusage). Writes benchmarks/RESULTS_BATCH.md; with --dask, compares --jobs 2 on local threads with
--jobs 2 --scheduler local (a Dask LocalCluster started by the run, start-up included; runs interleaved) and
replaces only the Dask section of that file. The corpus is found like the tests do:
GREENCHECK_CORPUS, else ../shared/ifc-corpus beside the checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def _tree_rss(root: int) -> int:
    """Summed VmRSS (bytes) of `root` and every descendant, read from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry)] = int(fields.get("PPid", "0").strip() or 0)
        rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total = 0
    for pid in rss:
        walk = pid
        while walk and walk != root:
            walk = parents.get(walk, 0)
        total += rss[pid] if walk == root else 0
    return total


def run_once(paths: list[Path], jobs: int, scheduler: str | None = None) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="greencheck-bench-") as out:
        command = [sys.executable, "-m", "checker", "batch", *map(str, paths), "--jobs", str(jobs), "--out", out]
        command += ["--force", "--quiet", "--lang", "en", *(["--scheduler", scheduler] if scheduler else [])]
        usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        before = usage_before.ru_maxrss
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, text=True)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss(process.pid))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _out, err = process.communicate()
        done.set()
        sampler.join()
        wall = time.perf_counter() - started
        summary = json.loads((Path(out) / "summary.json").read_text(encoding="utf-8"))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_max = usage.ru_maxrss
    cpu = usage.ru_utime + usage.ru_stime - usage_before.ru_utime - usage_before.ru_stime
    totals = summary["totals"]
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "load_1min": os.getloadavg()[0],
        "peak_tree_rss_mb": peak / 1024**2,
        # RUSAGE_CHILDREN is the largest child this process ever waited for: only a child of this batch that beat the
        # earlier ones shows here (the tree samples above are the figure to read)
        "largest_process_rss_mb": child_max / 1024 if child_max > before else None,
        "models": totals["models"],
        "errors": totals["errors"],
        "buildings": totals["buildings"],
        "exit_code": process.returncode,
        "stderr_tail": err.strip().splitlines()[-1] if err.strip() else "",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_corpus = Path(os.environ.get("GREENCHECK_CORPUS", REPO.parent / "shared" / "ifc-corpus"))
    parser.add_argument("corpus", nargs="?", type=Path, default=default_corpus)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS_BATCH.md")
    parser.add_argument("--dask", action="store_true", help="local threads against a Dask LocalCluster, --jobs 2")
    args = parser.parse_args()
    paths = sorted((REPO / "sample_models").glob("*.ifc")) + ([args.corpus] if args.corpus.is_dir() else [])
    if args.dask:
        return compare_dask(paths, args.corpus, args.repeat, args.output)
    rows = []
    for jobs in args.jobs:
        runs = [run_once(paths, jobs) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["wall_s"])
        best["wall_median_s"] = statistics.median(r["wall_s"] for r in runs)
        rows.append((jobs, best))
        print(f"--jobs {jobs}: {best}", flush=True)
    lines = [
        "# `greencheck batch`: --jobs 1 vs --jobs 2",
        "",
        f"Input: {len(paths) - 1} sample models + every model under {args.corpus.name}/ (broken files included); "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, machine shared with other jobs while measured; "
        f"best of {args.repeat}.",
        "",
        "| jobs | models | errors | buildings | wall (s) | median wall (s) | CPU, all processes (s) | "
        "load (1 min) at end | peak RSS, whole tree (MB) | largest process (MB) | exit |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for jobs, r in rows:
        lines.append(
            f"| {jobs} | {r['models']} | {r['errors']} | {r['buildings']} | {r['wall_s']:.1f} | "
            f"{r['wall_median_s']:.1f} | {r['cpu_s']:.1f} | {r['load_1min']:.1f} | {r['peak_tree_rss_mb']:.0f} | "
            f"{r['largest_process_rss_mb'] or 0:.0f} | {r['exit_code']} |"
        )
    if len(rows) >= 2:
        lines += ["", f"Speed-up of --jobs {rows[-1][0]} over --jobs {rows[0][0]}: "
                  f"{rows[0][1]['wall_s'] / rows[-1][1]['wall_s']:.2f}x"]  # fmt: skip
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


DASK_HEADING = "## Dask LocalCluster (--scheduler local) vs local threads, both --jobs 2"


def compare_dask(paths: list[Path], corpus: Path, repeat: int, output: Path) -> int:
    """Interleaved runs (threads, cluster, threads, ...) so a change of load hits both alike."""
    runs: dict[str, list[dict[str, float]]] = {"threads": [], "dask local": []}
    for _ in range(repeat):
        for name, scheduler in (("threads", None), ("dask local", "local")):
            runs[name].append(run_once(paths, 2, scheduler))
            print(f"{name}: {runs[name][-1]}", flush=True)
    lines = [
        DASK_HEADING,
        "",
        f"Input: {len(paths) - 1} sample models + every model under {corpus.name}/; {os.cpu_count()} CPUs, machine "
        f"shared with other sessions while measured; {repeat} interleaved runs each, best and median wall.",
        "",
        "| runner | models | errors | wall best (s) | wall median (s) | CPU, all processes (s) | load (1 min) | "
        "peak RSS, whole tree (MB) | exit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, results in runs.items():
        best = min(results, key=lambda r: r["wall_s"])
        median = statistics.median(r["wall_s"] for r in results)
        lines.append(
            f"| {name} | {best['models']} | {best['errors']} | {best['wall_s']:.1f} | {median:.1f} | "
            f"{best['cpu_s']:.1f} | {best['load_1min']:.1f} | {best['peak_tree_rss_mb']:.0f} | {best['exit_code']} |"
        )
    text = output.read_text(encoding="utf-8") if output.exists() else ""
    kept = text.split(DASK_HEADING)[0].rstrip("\n")
    output.write_text(f"{kept}\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
