"""Speed benchmarks of issue 13 in one run: open vs check by stage, IfcTester, start-up, batch; writes RESULTS.md.

    .venv/bin/python benchmarks/bench_speed.py [--quick] [--only synthetic|corpus|ifctester|batch] [--repeat N]

- synthetic: models of 10 / 40 / 160 MB from benchmarks/synthetic.py (generated in a temporary folder) and every
  real file at the top level of the corpus (GREENCHECK_CORPUS, else ../shared/ifc-corpus): per file a bare
  `ifcopenshell.open` and a full check (check_file + JSON + HTML render, as `greencheck check FILE -f html -f json`
  does through the library), each in a fresh process (benchmarks/speed_child.py) with its peak RSS, median of N
  (--repeat, default 3; --repeat-large, default 1, for models of 100 MB and more), the check split by stage.
  The synthetic models are checked with every geometry measure derived (--geometry-limit 10^9; half their elements
  have no base quantities), the 40 MB one also with the ruleset's default limit; corpus files as the CLI does.
- ifctester: IfcTester on the 40 MB synthetic model with a 5-specification IDS of what greencheck reads.
- startup: `greencheck --help` (benchmarks/bench_startup.py's timing).
- batch: `greencheck batch --jobs 1` vs `--jobs 2` over the samples and the corpus (benchmarks/bench_batch.py), and
  memory across a 50-model batch (benchmarks/speed_batch.py).
--quick skips the 160 MB model and the batch part. Each part's figures are kept in results_speed.json (with the
commit, date and load average it was measured at), so --only redoes one part and RESULTS.md shows them all.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bench_batch
import bench_startup
import speed_batch
import speed_report

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
STORE = HERE / "results_speed.json"
ALL_GEOMETRY = 10**9
PARTS = ("synthetic", "corpus", "ifctester", "startup", "batch")
IDS_SPECS = [  # (name, entity, applicability property or None, requirements: (pset, property, IFC data type))
    ("Walls say whether they are external", "IFCWALL", None, [("Pset_WallCommon", "IsExternal", "IFCBOOLEAN")]),
    (
        "External walls have a U-value",
        "IFCWALL",
        ("Pset_WallCommon", "IsExternal", "TRUE"),
        [("Pset_WallCommon", "ThermalTransmittance", "IFCTHERMALTRANSMITTANCEMEASURE")],
    ),
    (
        "Windows: external, U-value",
        "IFCWINDOW",
        None,
        [
            ("Pset_WindowCommon", "IsExternal", "IFCBOOLEAN"),
            ("Pset_WindowCommon", "ThermalTransmittance", "IFCTHERMALTRANSMITTANCEMEASURE"),
        ],
    ),
    ("Spaces have a net floor area", "IFCSPACE", None, [("Qto_SpaceBaseQuantities", "NetFloorArea", "IFCAREAMEASURE")]),
    (
        "The building declares its green-building data",
        "IFCBUILDING",
        None,
        [
            ("CN_GreenBuilding", p, t)
            for p, t in (
                ("UseCategory", "IFCLABEL"),
                ("ConstructionType", "IFCLABEL"),
                ("GovernmentInvested", "IFCBOOLEAN"),
                ("TargetStarLevel", "IFCINTEGER"),
            )
        ],
    ),
]


def machine() -> dict[str, Any]:
    import ifcopenshell
    import ifctester

    code = ("--", "checker", "rulesets")  # what is measured: the last commit that changed it, not this script's
    dirty = bool(_git("status", "--porcelain", *code))
    return {
        "commit": _git("log", "-1", "--format=%h", *code) + (" + uncommitted changes" if dirty else ""),
        "subject": _git("log", "-1", "--format=%s", *code),
        "head": _git("rev-parse", "--short", "HEAD"),
        "date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
        "python": platform.python_version(),
        "ifcopenshell": ifcopenshell.version,
        "ifctester": getattr(ifctester, "__version__", "?"),
        "cpus": os.cpu_count(),
        "load_start": [round(x, 2) for x in os.getloadavg()],
    }


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def run_child(kind: str, model: Path, *extra: str) -> dict[str, Any]:
    """benchmarks/speed_child.py in a fresh process; its figures (peak RSS included) plus its wall time. A child that
    fails has only getrusage's ru_maxrss, which starts at this process's peak: an upper bound."""
    with tempfile.TemporaryDirectory(prefix="greencheck-speed-") as tmp:
        result, errors = Path(tmp) / "result.json", Path(tmp) / "stderr.txt"
        command = [sys.executable, str(HERE / "speed_child.py"), kind, str(model), str(result), *extra]
        started = time.perf_counter()
        with errors.open("wb") as err:
            process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=err)
            _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        figures: dict[str, Any] = {"wall_s": time.perf_counter() - started, "rss_mb": usage.ru_maxrss / 1024}
        if process.returncode == 0:
            figures.update(json.loads(result.read_text(encoding="utf-8")))  # its own VmHWM replaces ru_maxrss
        else:
            lines = errors.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            figures["error"] = (lines[-1] if lines else f"exit {process.returncode}")[:160]
    return figures


def median_run(runs: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """The run whose `key` is the median (its stage split adds up); RSS is the median over the runs."""
    ok = [r for r in runs if key in r] or runs
    chosen = dict(sorted(ok, key=lambda r: r.get(key, 0.0))[len(ok) // 2])
    chosen["rss_mb"] = statistics.median(r["rss_mb"] for r in runs)
    chosen["runs"] = [round(r.get(key, float("nan")), 3) for r in runs]
    return chosen


def generate(mb: float, path: Path) -> dict[str, int]:
    """benchmarks/synthetic.py in its own process: this one stays small, so its children start small (run_child)."""
    command = [sys.executable, str(HERE / "synthetic.py"), "--mb", str(mb), "-o", str(path), "--json"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    counts: dict[str, int] = json.loads(done.stdout)
    return counts


def bench_file(model: Path, repeat: int, geometry_limit: int | None, label: str | None = None) -> dict[str, Any]:
    """Open and check `model` `repeat` times each, interleaved so load changes hit both alike."""
    limit = [] if geometry_limit is None else ["--geometry-limit", str(geometry_limit)]
    opens, checks = [], []
    for _ in range(repeat):
        opens.append(run_child("open", model))
        checks.append(run_child("check", model, *limit))
    row = {"file": label or model.name, "mb": model.stat().st_size / 1e6, "geometry_limit": geometry_limit}
    row["open"], row["check"] = median_run(opens, "open_s"), median_run(checks, "total_s")
    print(
        f"  {row['file']:60s} {row['mb']:7.2f} MB  open {row['open'].get('open_s', float('nan')):7.3f} s  "
        f"check {row['check'].get('total_s', float('nan')):8.3f} s  load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    return row


def part_synthetic(args: argparse.Namespace) -> dict[str, Any]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="greencheck-synthetic-") as tmp:
        for mb in [m for m in args.synthetic_mb if not (args.quick and m >= 100)]:
            path = Path(tmp) / f"synthetic-{mb:g}mb.ifc"
            started = time.perf_counter()
            counts = generate(mb, path)
            generated = time.perf_counter() - started
            repeat = args.repeat_large if mb >= 100 else args.repeat
            row = bench_file(path, repeat, ALL_GEOMETRY, f"synthetic {mb:g} MB")
            row.update(elements=counts["elements"], openings=counts["IFCOPENINGELEMENT"], generate_s=generated)
            rows.append(row)
            if mb == args.ifctester_mb:
                rows.append(bench_file(path, repeat, None, f"synthetic {mb:g} MB, default geometry limit"))
            path.unlink()
    return {"rows": rows}


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.is_file() and p.suffix.lower() in (".ifc", ".ifczip"))


def part_corpus(args: argparse.Namespace) -> dict[str, Any]:
    return {"corpus": str(args.corpus), "rows": [bench_file(p, args.repeat, None) for p in corpus_files(args.corpus)]}


def write_ids(path: Path) -> None:
    from ifctester import ids

    document = ids.Ids(title="greencheck's data needs, as IfcTester checks them (benchmarks/bench_speed.py)")
    for name, entity, applies, requirements in IDS_SPECS:
        spec = ids.Specification(name=name, ifcVersion=["IFC4"])
        spec.applicability.append(ids.Entity(name=entity))
        if applies:
            spec.applicability.append(ids.Property(propertySet=applies[0], baseName=applies[1], value=applies[2]))
        for pset, prop, data_type in requirements:
            spec.requirements.append(ids.Property(propertySet=pset, baseName=prop, dataType=data_type))
        document.specifications.append(spec)
    document.to_xml(str(path))


def part_ifctester(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="greencheck-ifctester-") as tmp:
        model, ids_path = Path(tmp) / f"synthetic-{args.ifctester_mb:g}mb.ifc", Path(tmp) / "greencheck.ids"
        generate(args.ifctester_mb, model)
        write_ids(ids_path)
        runs = []
        for _ in range(args.repeat):
            runs.append(run_child("ifctester", model, "--ids", str(ids_path)))
            print(f"  ifctester {runs[-1].get('total_s', float('nan')):.2f} s, {runs[-1]['rss_mb']:.0f} MB", flush=True)
        return {"mb": args.ifctester_mb, "specifications": len(IDS_SPECS), "run": median_run(runs, "total_s")}


def part_startup(args: argparse.Namespace) -> dict[str, Any]:
    times: dict[str, list[float]] = {"import ifcopenshell": [], "greencheck --help": []}
    for _ in range(7):
        for name in times:
            times[name].append(bench_startup._once(bench_startup.COMMANDS[name]))
    return {name: statistics.median(runs) for name, runs in times.items()}


def part_batch(args: argparse.Namespace) -> dict[str, Any]:
    samples = sorted((REPO / "sample_models").glob("*.ifc"))
    jobs = {str(n): bench_batch.run_once([*samples, args.corpus], n) for n in (1, 2)}
    for n, figures in jobs.items():
        print(f"  batch --jobs {n}: {figures['wall_s']:.1f} s, {figures['models']} models", flush=True)
    models = speed_batch.pick_models([*samples, *corpus_files(args.corpus)])
    memory = speed_batch.batch_memory(models)
    print(f"  50-model batch: parent {memory['parent_start_mb']:.0f} -> {memory['parent_end_mb']:.0f} MB", flush=True)
    return {"jobs": jobs, "memory": memory, "memory_models": [m.name for m in models]}


RUNNERS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "synthetic": part_synthetic,
    "corpus": part_corpus,
    "ifctester": part_ifctester,
    "startup": part_startup,
    "batch": part_batch,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_corpus = Path(os.environ.get("GREENCHECK_CORPUS", REPO.parent / "shared" / "ifc-corpus"))
    parser.add_argument("--corpus", type=Path, default=default_corpus)
    parser.add_argument("--quick", action="store_true", help="skip the 160 MB model and the batch part")
    parser.add_argument("--only", choices=PARTS, action="append", help="run only this part (repeatable)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per file (median)")
    parser.add_argument("--repeat-large", type=int, default=1, help="runs per model of 100 MB or more")
    parser.add_argument("--synthetic-mb", type=float, nargs="+", default=[10.0, 40.0, 160.0])
    parser.add_argument("--ifctester-mb", type=float, default=40.0)
    args = parser.parse_args()
    parts = [p for p in (args.only or PARTS) if not (args.quick and p == "batch" and not args.only)]
    store = json.loads(STORE.read_text(encoding="utf-8")) if STORE.exists() else {}
    for part in parts:
        print(f"{part} (load {os.getloadavg()[0]:.1f})", flush=True)
        meta = machine()
        figures = RUNNERS[part](args)
        meta["load_end"] = [round(x, 2) for x in os.getloadavg()]
        meta["quick"] = args.quick
        store[part] = {"meta": meta, **figures}
        STORE.write_text(json.dumps(store, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (HERE / "RESULTS.md").write_text(speed_report.render(store), encoding="utf-8")
    print(f"wrote {HERE / 'RESULTS.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
