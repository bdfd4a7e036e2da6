"""Benchmark: bare `ifcopenshell.open` vs the whole `check_file` pipeline on every real corpus file.

    .venv/bin/python benchmarks/bench_corpus.py [CORPUS_DIR] [--repeat N]

Prints a table (median of N runs, default 3) and writes benchmarks/RESULTS_CORPUS.md (benchmarks/bench_speed.py,
which writes RESULTS.md, measures the same in fresh processes, with memory and a split by stage). For the file with
the biggest ratio it also times each registered extractor once, so the table says *why* it is slow, not only that
it is.
The corpus is found like the tests do: GREENCHECK_CORPUS, else ../shared/ifc-corpus beside the checkout.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ifcopenshell

from checker import __version__
from checker.api import check_file
from checker.errors import CheckerError
from checker.model import extract
from checker.model.index import ModelIndex
from checker.model.loader import load_model
from checker.model.scope import BuildingScope
from checker.rules.loader import load_ruleset
from checker.rules.schema import Ruleset

HERE = Path(__file__).resolve().parent


@dataclass
class Row:
    name: str
    size_mb: float
    open_s: float | None
    check_s: float
    outcome: str

    @property
    def ratio(self) -> float | None:
        return self.check_s / self.open_s if self.open_s else None


def default_corpus() -> Path:
    env = os.environ.get("GREENCHECK_CORPUS")
    return Path(env) if env else HERE.parents[1] / "shared" / "ifc-corpus"


def median_time(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_file(path: Path, ruleset: Ruleset, repeat: int) -> Row:
    try:
        open_s: float | None = median_time(lambda: ifcopenshell.open(str(path)), repeat)
    except Exception:  # noqa: BLE001 - e.g. an .ifczip or alias schema ifcopenshell cannot open bare
        open_s = None
    outcome = "checked"
    try:
        check_file(path, ruleset, generated_at="bench")
    except CheckerError as exc:
        outcome = f"refused: {getattr(exc, 'reason', exc)}"
    check_s = median_time(lambda: _check_quietly(path, ruleset), repeat)
    return Row(path.name, path.stat().st_size / 1e6, open_s, check_s, outcome)


def _check_quietly(path: Path, ruleset: Ruleset) -> None:
    try:
        check_file(path, ruleset, generated_at="bench")
    except CheckerError:
        pass


def extractor_breakdown(path: Path, ruleset: Ruleset) -> list[tuple[str, float]]:
    """Seconds per registered extractor for the first building (plus loading and indexing)."""
    start = time.perf_counter()
    loaded = load_model(path)
    parts = [("load_model", time.perf_counter() - start)]
    start = time.perf_counter()
    index = ModelIndex(loaded.file)
    buildings = loaded.file.by_type("IfcBuilding")
    members, unassigned = extract._group_by_building(index, buildings)
    parts.append(("ModelIndex + grouping", time.perf_counter() - start))
    if not buildings:
        return parts
    scope = BuildingScope(
        index,
        buildings[0],
        members[buildings[0].id()] + (unassigned if len(buildings) == 1 else []),
        ruleset.extraction,
    )
    for name, extractor in extract.EXTRACTORS.items():
        start = time.perf_counter()
        extractor(scope)
        parts.append((f"extractor '{name}'", time.perf_counter() - start))
    return parts


def fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def table(rows: list[Row]) -> list[str]:
    lines = ["| file | MB | open s | check s | ratio | outcome |", "|---|---:|---:|---:|---:|---|"]
    for r in rows:
        lines.append(
            f"| {r.name} | {r.size_mb:.2f} | {fmt(r.open_s)} | {fmt(r.check_s)} | {fmt(r.ratio, 1)} | {r.outcome} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=default_corpus())
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS_CORPUS.md")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"bench_corpus: corpus not found at {args.corpus}", file=sys.stderr)
        return 2
    ruleset = load_ruleset()
    files = sorted(p for p in args.corpus.iterdir() if p.is_file() and p.suffix.lower() in (".ifc", ".ifczip"))
    rows = []
    for path in files:
        row = bench_file(path, ruleset, args.repeat)
        rows.append(row)
        print(
            f"{row.name:70s} {row.size_mb:7.2f} MB  open {fmt(row.open_s):>8s}  "
            f"check {fmt(row.check_s):>8s}  x{fmt(row.ratio, 1)}",
            flush=True,
        )
    total_open = sum(r.open_s or 0.0 for r in rows)
    total_check = sum(r.check_s for r in rows)
    ranked = sorted((r for r in rows if r.ratio is not None), key=lambda r: r.ratio or 0.0, reverse=True)
    slowest = max(rows, key=lambda r: r.check_s)
    lines = [
        "# Corpus benchmark: `ifcopenshell.open` vs `check_file`",
        "",
        f"greencheck {__version__}, ifcopenshell {ifcopenshell.version}, Python {platform.python_version()}, "
        f"{platform.machine()} with {os.cpu_count()} CPUs; median of {args.repeat} runs per file; ruleset {ruleset.id} "
        f"({len(ruleset.rules)} rules, extractors: {', '.join(extract.EXTRACTORS)}). "
        "Regenerate with `.venv/bin/python benchmarks/bench_corpus.py`. Timings are wall clock on a shared machine.",
        "",
        (
            f"Total over {len(rows)} files: open {total_open:.2f} s, "
            f"check {total_check:.2f} s (x{total_check / total_open:.1f})."
        ),
        "",
        *table(rows),
        "",
    ]
    for title, row in (("Biggest ratio", ranked[0] if ranked else None), ("Slowest check", slowest)):
        if row is None:
            continue
        lines += [
            f"## {title}: {row.name} (x{fmt(row.ratio, 1)}, {fmt(row.check_s)} s)",
            "",
            "| step | s |",
            "|---|---:|",
        ]
        lines += [
            f"| {step} | {seconds:.3f} |" for step, seconds in extractor_breakdown(args.corpus / row.name, ruleset)
        ]
        lines.append("")
        if row is slowest and ranked and row is ranked[0]:
            break
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"\nopen {total_open:.2f} s, check {total_check:.2f} s; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
