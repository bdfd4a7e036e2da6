"""Benchmark: a file of N empty IfcBuildings (issue 9: 3,000 of them wrote 620 MB of reports).

    .venv/bin/python benchmarks/bench_buildings.py [--buildings 3000] [--write]

Builds the file with ifcopenshell (one project, one site, N buildings with one storey each and nothing in them),
checks it once, then times each report format and prints its size. --write appends the table to
benchmarks/RESULTS_BUILDINGS.md. The check itself is timed too, but making it fast is the batch side's work; this
benchmark is about the reports staying small and linear.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.root
import ifcopenshell.api.unit

from checker import __version__
from checker.api import check_file
from checker.report import render
from checker.rules.loader import load_ruleset

HERE = Path(__file__).resolve().parent


def many_buildings(path: Path, count: int, storeys: bool = False) -> Path:
    """An IFC4 file with `count` empty buildings under one site (with `storeys`, one empty storey in each)."""
    ifc = ifcopenshell.file(schema="IFC4")
    project = ifcopenshell.api.root.create_entity(ifc, ifc_class="IfcProject", name="P")
    ifcopenshell.api.unit.assign_unit(ifc)
    site = ifcopenshell.api.root.create_entity(ifc, ifc_class="IfcSite", name="Site")
    ifcopenshell.api.aggregate.assign_object(ifc, products=[site], relating_object=project)
    buildings = [ifcopenshell.api.root.create_entity(ifc, ifc_class="IfcBuilding", name=f"B{i}") for i in range(count)]
    ifcopenshell.api.aggregate.assign_object(ifc, products=buildings, relating_object=site)
    for building in buildings if storeys else []:
        storey = ifcopenshell.api.root.create_entity(ifc, ifc_class="IfcBuildingStorey", name="L1")
        ifcopenshell.api.aggregate.assign_object(ifc, products=[storey], relating_object=building)
    ifc.write(str(path))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=3000)
    parser.add_argument("--storeys", action="store_true", help="give each building one empty storey")
    parser.add_argument("--write", action="store_true", help="append the result to benchmarks/RESULTS_BUILDINGS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = many_buildings(Path(tmp) / f"buildings-{args.buildings}.ifc", args.buildings, args.storeys)
        size_kb = path.stat().st_size / 1024
        start = time.perf_counter()
        run = check_file(path, load_ruleset(), generated_at="2024-01-01T00:00:00Z")
        check_s = time.perf_counter() - start
    rows = []
    for fmt in ("json", "html"):
        start = time.perf_counter()
        data = render(run, fmt, "zh")
        rows.append((fmt, len(data) / 1e6, time.perf_counter() - start))
    lines = [
        f"greencheck {__version__}, ifcopenshell {ifcopenshell.version}, Python {platform.python_version()}: "
        f"{args.buildings} empty IfcBuildings{' with one storey each' if args.storeys else ''} "
        f"({size_kb:,.0f} KB IFC), "
        f"check {check_s:.1f} s",
        "",
        "| format | MB | render s |",
        "|---|---:|---:|",
        *(f"| {fmt} | {mb:.2f} | {seconds:.2f} |" for fmt, mb, seconds in rows),
    ]
    print("\n".join(lines))
    if args.write:
        with (HERE / "RESULTS_BUILDINGS.md").open("a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
