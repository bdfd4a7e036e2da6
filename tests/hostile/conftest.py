"""Fixtures of the issue-9 hostile-input tests: the real `greencheck` command in a subprocess (signals, piped
stdout, native crashes need a real process) and a model whose placement is relative to itself."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import ifcopenshell
import pytest

REPO = Path(__file__).resolve().parents[2]
# The CLI of this checkout (not an installed copy), with an optional driver that patches before main() runs.
RUN_CLI = "from checker.cli import main; main()"
# The CLI measuring itself: exit code, seconds and peak RSS written as JSON to argv[1]. The checking machinery the
# command imports lazily (ifcopenshell, numpy, the report templates: ~0.7 s idle, over 1 s on a loaded CI machine) is
# imported before the clock starts, so the seconds are the command's own work: what "refused at once" is about.
MEASURED_CLI = """
import json, resource, sys, time
from checker.cli import main
import checker.api, checker.model.ids_run, checker.report, checker.rules.loader, checker.rules.review, checker.terminal
start = time.perf_counter()
try:
    main(sys.argv[2:], prog_name="greencheck")
except SystemExit as exc:
    code = exc.code
def peak_kib():
    # VmHWM is this program's own peak: ru_maxrss keeps the forking parent's size across exec (a preexec_fn means
    # fork, not vfork), so a test session holding many checked models would be counted here
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open(sys.argv[1], "w") as report:
    json.dump({"code": code, "seconds": time.perf_counter() - start, "max_rss_kib": peak_kib()}, report)
"""
BOUNDED_ADDRESS_SPACE = 1024**3  # the child may not map more than 1 GiB: a reader of /dev/zero dies of MemoryError
MeasuredRun = tuple[dict[str, float], list[str]]


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a subprocess: this checkout first on the path."""
    return {**os.environ, "PYTHONPATH": str(REPO), **extra}


@pytest.fixture
def greencheck() -> Callable[..., subprocess.CompletedProcess[str]]:
    """greencheck("check", a, b, "-o", out) -> the finished process (text stdout / stderr)."""

    def run(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", RUN_CLI, *(str(a) for a in args)]
        return subprocess.run(command, capture_output=True, text=True, env=cli_env(), cwd=REPO, timeout=timeout)

    return run


def _limit_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (BOUNDED_ADDRESS_SPACE, BOUNDED_ADDRESS_SPACE))


@pytest.fixture
def bounded_cli(tmp_path: Path) -> Callable[..., MeasuredRun]:
    """bounded_cli("check", model, ...) runs the CLI in a child limited to 1 GiB of address space -> (its exit code,
    seconds and peak RSS measured inside it, its stderr lines)."""

    def run(*args: str | Path, timeout: float = 60) -> MeasuredRun:
        measured = tmp_path / "measured.json"
        done = subprocess.run(
            [sys.executable, "-c", MEASURED_CLI, str(measured), *map(str, args)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=_limit_address_space,
            check=False,
        )
        assert measured.exists(), done.stderr[-2000:]
        return json.loads(measured.read_text()), done.stderr.splitlines()

    return run


def make_cyclic(source: Path, target: Path, loop_length: int = 1) -> list[int]:
    """Copy `source` with the placement of its first element that has a body made relative to itself
    (loop_length 1) or to a placement that leads back to it; returns the step ids of the loop."""
    model = ifcopenshell.open(str(source))
    products = [p for p in model.by_type("IfcProduct") if p.ObjectPlacement is not None and p.Representation]
    first = products[0].ObjectPlacement
    chain = [first]
    while len(chain) < loop_length:
        chain.append(chain[-1].PlacementRelTo)
    chain[-1].PlacementRelTo = first
    model.write(str(target))
    return [placement.id() for placement in chain]


@pytest.fixture
def cyclic_copy() -> Callable[..., list[int]]:
    return make_cyclic
