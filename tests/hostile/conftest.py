"""Fixtures of the issue-9 hostile-input tests: the real `greencheck` command in a subprocess (signals, piped
stdout, native crashes need a real process) and a model whose placement is relative to itself."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import ifcopenshell
import pytest

REPO = Path(__file__).resolve().parents[2]
# The CLI of this checkout (not an installed copy), with an optional driver that patches before main() runs.
RUN_CLI = "from checker.cli import main; main()"


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
