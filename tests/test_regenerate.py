"""The samples are reproducible: regenerating them gives byte-identical files and the same check results.

The documented contract is a fresh interpreter (`python sample_models/generate.py OUT`), so byte identity is tested
in a subprocess; generate.py is also imported by path (in sys.modules before exec, as its docstring asks) to
list its samples and to show the in-process determinism problem below.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from checker.api import check_file
from checker.rules.results import CheckRun
from checker.rules.schema import Ruleset

GENERATOR = Path(__file__).resolve().parents[1] / "sample_models" / "generate.py"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("regenerated")
    done = subprocess.run(
        [sys.executable, str(GENERATOR), str(out)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return [Path(line) for line in done.stdout.splitlines() if line.strip()]


def test_generator_writes_its_eight_samples(regenerated: list[Path], generator: ModuleType) -> None:
    names = sorted(p.name for p in regenerated)
    assert names == sorted(generator.SAMPLES) and len(names) == 8  # family generators write the others
    assert all((GENERATOR.parent / name).is_file() for name in names)


def test_regenerated_files_are_byte_identical(regenerated: list[Path]) -> None:
    for path in regenerated:
        committed = GENERATOR.parent / path.name
        assert path.read_bytes() == committed.read_bytes(), f"{path.name} differs from the committed sample"


def test_regenerated_files_give_the_same_results(
    regenerated: list[Path], ruleset: Ruleset, checked: Callable[[str], CheckRun]
) -> None:
    for path in regenerated:
        fresh = check_file(path, ruleset, generated_at="2024-01-01T00:00:00Z")
        committed = checked(path.stem)
        assert fresh.model.sha256 == committed.model.sha256
        assert [b.facts for b in fresh.buildings] == [b.facts for b in committed.buildings]
        assert fresh == committed


def test_generator_is_deterministic_within_one_process(tmp_path: Path, generator: ModuleType) -> None:
    first = generator.main(tmp_path / "first")
    second = generator.main(tmp_path / "second")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
