"""Memory across a 50-model `greencheck batch` (issue 13: "RSS flat across a 50-file batch"), for bench_speed.py.

Ten models, five copies each (copied to a temporary folder: the batch checks a resolved file once), checked with
--jobs 1 so the children follow one another. A sampler thread reads /proc every 20 ms: the batch process's VmRSS, and
for every process descended from it (the per-model children of checker.isolation, forked from the batch process, so
a parent that grows makes every later child bigger too) its VmHWM, the kernel's own peak-RSS mark, as last seen.
The runner starts models largest first and equal sizes by name, so the five copies of a model run one after the
other: the first and the fifth copy of each model are compared, and the first ten children with the last ten.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
COPIES = 5
FLAT_MB = 20.0  # growth allowed before "flat" is no longer said: a few MB of allocator noise per process


def _status(pid: int) -> dict[str, str]:
    try:
        text = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return {}
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


def _kb(status: dict[str, str], key: str) -> float:
    return int(status.get(key, "0 kB").split()[0]) / 1024


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text(encoding="ascii", errors="replace")
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found = []
    for pid in parents:
        walk = parents.get(pid, 0)
        while walk and walk != root:
            walk = parents.get(walk, 0)
        if walk == root:
            found.append(pid)
    return found


@dataclass
class Sampler:
    """Samples the batch process and its descendants until `done` is set."""

    root: int
    parent_rss: list[tuple[float, float]] = field(default_factory=list)  # (seconds, MB)
    children: dict[int, dict[str, float]] = field(default_factory=dict)  # pid -> first seen, peak MB
    done: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        start = time.perf_counter()
        own_cmdline = Path(f"/proc/{self.root}/cmdline").read_bytes()
        while not self.done.is_set():
            now = time.perf_counter() - start
            rss = _kb(_status(self.root), "VmRSS")
            if rss:
                self.parent_rss.append((now, rss))
            for pid in _descendants(self.root):
                try:  # a forked child shares the batch's command line; helpers (resource tracker) do not
                    if Path(f"/proc/{pid}/cmdline").read_bytes() != own_cmdline:
                        continue
                except OSError:
                    continue
                peak = _kb(_status(pid), "VmHWM")
                seen = self.children.setdefault(pid, {"first_seen_s": now, "peak_mb": 0.0})
                seen["peak_mb"] = max(seen["peak_mb"], peak)
            time.sleep(0.02)


def pick_models(candidates: list[Path], count: int = 10) -> list[Path]:
    """`count` models spread over the sizes of those between 0.3 and 5 MB (each takes long enough to be sampled)."""
    fitting = sorted((p for p in candidates if 0.3e6 <= p.stat().st_size <= 5e6), key=lambda p: p.stat().st_size)
    if len(fitting) <= count:
        return fitting
    return [fitting[round(i * (len(fitting) - 1) / (count - 1))] for i in range(count)]


def batch_memory(models: list[Path]) -> dict[str, Any]:
    """Run the 50-model batch and return the parent's and the children's memory over time."""
    with tempfile.TemporaryDirectory(prefix="greencheck-batch50-") as tmp:
        inputs, out = Path(tmp) / "models", Path(tmp) / "reports"
        inputs.mkdir()
        for copy in range(COPIES):
            for model in models:
                shutil.copyfile(model, inputs / f"{copy}-{model.name}")
        command = [sys.executable, "-m", "checker", "batch", str(inputs), "--jobs", "1", "--out", str(out)]
        started = time.perf_counter()
        process = subprocess.Popen(
            [*command, "--force", "--quiet", "--lang", "en"], cwd=REPO, stderr=subprocess.DEVNULL
        )
        sampler = Sampler(process.pid)
        thread = threading.Thread(target=sampler.run, daemon=True)
        thread.start()
        process.wait()
        sampler.done.set()
        thread.join()
        wall = time.perf_counter() - started
    return summarise(sampler, models, wall, process.returncode)


def summarise(sampler: Sampler, models: list[Path], wall: float, exit_code: int) -> dict[str, Any]:
    children = [c["peak_mb"] for _, c in sorted(sampler.children.items(), key=lambda kv: kv[1]["first_seen_s"])]
    first_child = min((c["first_seen_s"] for c in sampler.children.values()), default=0.0)
    parent = [mb for t, mb in sampler.parent_rss if t >= first_child] or [0.0]
    result: dict[str, Any] = {
        "models": len(models) * COPIES,
        "children_seen": len(children),
        "wall_s": wall,
        "exit_code": exit_code,
        "parent_start_mb": parent[0],
        "parent_end_mb": parent[-1],
        "parent_peak_mb": max(parent),
        "first10_median_mb": statistics.median(children[:10]) if children else None,
        "last10_median_mb": statistics.median(children[-10:]) if children else None,
        "first10_max_mb": max(children[:10], default=None),
        "last10_max_mb": max(children[-10:], default=None),
    }
    if len(children) == len(models) * COPIES:  # every child seen: the k-th is the k-th model in the runner's order
        order = sorted(models, key=lambda m: -m.stat().st_size)
        drift = {m.name: children[i * COPIES + COPIES - 1] - children[i * COPIES] for i, m in enumerate(order)}
        result["per_model_drift_mb"] = drift
        result["max_drift_mb"] = max(drift.values())
    growth = result["parent_end_mb"] - result["parent_start_mb"]
    drift = result.get("max_drift_mb")
    result["flat"] = False if growth > FLAT_MB else None if drift is None else drift <= FLAT_MB
    return result
