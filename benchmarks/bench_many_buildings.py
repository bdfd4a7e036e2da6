"""Time and peak memory of checking one file with many empty IfcBuildings (issue 9: 3,000 took 1:44 and 2.7 GB).

Each size runs `check_file` (load + facts + rules, no reports: their size is the HTML/JSON renderers' business) in a
fresh subprocess, smallest first, and prints a Markdown table row per size; work should grow linearly.
Run: .venv/bin/python benchmarks/bench_many_buildings.py [COUNT ...]   (default 750 1500 3000)
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUILD = """
import sys
sys.path.insert(0, sys.argv[3])
import ifcopenshell.guid, _ifcbuild as ib
m = ib.new_model("IFC4", "campus.ifc", "campus", millimetres=True)
site = ib.add_spatial(m, "IfcSite", "Site", m.project)
owner = (m.file.by_type("IfcOwnerHistory") or [None])[0]
buildings = [m.file.createIfcBuilding(ifcopenshell.guid.new(), owner, f"B{i}") for i in range(int(sys.argv[1]))]
m.file.createIfcRelAggregates(ifcopenshell.guid.new(), owner, None, None, site, buildings)
m.file.write(sys.argv[2])
"""
CHECK = """
import sys
from checker.api import check_file
from checker.rules.loader import load_ruleset
run = check_file(sys.argv[1], load_ruleset())
assert len(run.buildings) == int(sys.argv[2])
"""


def measure(count: int, folder: Path) -> str:
    path = folder / f"campus-{count}.ifc"
    subprocess.run([sys.executable, "-c", BUILD, str(count), str(path), str(REPO / "sample_models")], check=True)
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", CHECK, str(path), str(count)], check=True, cwd=REPO)
    seconds = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far: sizes grow
    return f"| {count} | {path.stat().st_size / 1024:.0f} | {seconds:.1f} | {peak_mb:.0f} |"


def main() -> None:
    counts = [int(arg) for arg in sys.argv[1:]] or [750, 1500, 3000]
    print("| buildings | file KB | check s | peak RSS MB |\n|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for count in sorted(counts):
            print(measure(count, Path(folder)), flush=True)


if __name__ == "__main__":
    main()
