"""Benchmark: start-up of the command line, against a bare `import ifcopenshell` (issue 13, item 4: ≤ 0.25 s).

    .venv/bin/python benchmarks/bench_startup.py [--repeat N]

Each command is a fresh process of this interpreter (`python -m checker ...`), timed wall clock; the runs of the
commands are interleaved so a busy machine slows them alike. Writes benchmarks/RESULTS_STARTUP.md with the medians.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
COMMANDS = {
    "python (nothing imported)": ["-c", "pass"],
    "import ifcopenshell": ["-c", "import ifcopenshell"],
    "greencheck --help": ["-m", "checker", "--help"],
    "greencheck check --help": ["-m", "checker", "check", "--help"],
    "greencheck rulesets list": ["-m", "checker", "rulesets", "list"],
}


def _once(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(repeat):
        for name, args in COMMANDS.items():
            times[name].append(_once(args))
    reference = statistics.median(times["import ifcopenshell"])
    rows = [
        f"| {name} | {statistics.median(runs):.3f} | {statistics.median(runs) / reference:.2f} |"
        for name, runs in times.items()
    ]
    text = "\n".join(
        [
            "# Start-up benchmark: the command line against a bare `import ifcopenshell`",
            "",
            f"Python {platform.python_version()}, {platform.machine()} with {_cpus()} CPUs; median of {repeat} fresh "
            "processes per command, interleaved. Regenerate with `.venv/bin/python benchmarks/bench_startup.py`.",
            "",
            "| command | median s | × import ifcopenshell |",
            "|---|---:|---:|",
            *rows,
            "",
        ]
    )
    (HERE / "RESULTS_STARTUP.md").write_text(text, encoding="utf-8")
    print(text)


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    main()
