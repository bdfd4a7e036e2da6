"""Issue 9 item 1: a file that crashes ifcopenshell, runs away with memory or hangs fails alone, in one line.

The cyclic-placement file is built here and first shown to segfault ifcopenshell's geometry iterator in a
subprocess (exit -11, nothing on stderr), which is what `greencheck check cyclic.ifc good1.ifc good2.ifc` did before.
"""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import checker.model.extract
from checker.api import check_file, check_file_isolated
from checker.cli import main
from checker.errors import CheckerError, ModelLoadError
from checker.isolation import IsolatedCheckError, Limits, WorkerInternalError, run_isolated
from checker.model.loader import load_model
from checker.model.placements import find_placement_cycle
from checker.rules.schema import Ruleset

Sample = Callable[[str], Path]
GENERATED_AT = "2024-01-01T00:00:00Z"
GB = 1024**3
ITERATE_GEOMETRY = """
import sys, ifcopenshell, ifcopenshell.geom
iterator = ifcopenshell.geom.iterator(ifcopenshell.geom.settings(), ifcopenshell.open(sys.argv[1]), 1)
if iterator.initialize():
    while iterator.next():
        pass
print("done")
"""


@pytest.fixture
def batch(tmp_path: Path, sample: Sample, cyclic_copy: Callable[..., list[int]]) -> tuple[Path, Path, Path, int]:
    """cyclic.ifc, good1.ifc, good2.ifc (copies of pass-public-office) and the step id of the looping placement."""
    good = sample("pass-public-office")
    (tmp_path / "good1.ifc").write_bytes(good.read_bytes())
    (tmp_path / "good2.ifc").write_bytes(good.read_bytes())
    loop = cyclic_copy(good, tmp_path / "cyclic.ifc")
    return tmp_path / "cyclic.ifc", tmp_path / "good1.ifc", tmp_path / "good2.ifc", loop[0]


def test_self_placement_segfaults_the_geometry_iterator(batch: tuple[Path, Path, Path, int]) -> None:
    """The premise: ifcopenshell itself dies of SIGSEGV on this file, with nothing on stderr to explain it."""
    done = subprocess.run([sys.executable, "-c", ITERATE_GEOMETRY, str(batch[0])], capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGSEGV
    assert done.stdout == b""


def test_cyclic_batch_reports_every_good_file_and_exits_2(
    batch: tuple[Path, Path, Path, int], tmp_path: Path, greencheck: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    cyclic, good1, good2, step = batch
    out = tmp_path / "out"
    done = greencheck("check", cyclic, good1, good2, "-o", out)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"greencheck: error: {cyclic}: IfcLocalPlacement #{step} is placed relative to itself (cyclic placement): "
        "geometry cannot be computed"
    ]
    assert sorted(p.name for p in out.iterdir()) == ["good1.html", "good1.json", "good2.html", "good2.json"]
    # the verdict line is in the language of --lang, zh by default (issue 10 item 6)
    assert "good1.ifc：符合 — " in done.stdout and "good2.ifc：符合 — " in done.stdout


def test_undetected_crash_costs_only_its_model(
    batch: tuple[Path, Path, Path, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the placement check the geometry engine really segfaults: in the child, so the batch goes on."""
    monkeypatch.setattr(checker.model.extract, "refuse_cyclic_placements", lambda model, shown: None)
    cyclic, good1, _good2, _step = batch
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["check", str(cyclic), str(good1), "-o", str(out), "-q"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"greencheck: error: {cyclic}: geometry engine crashed on this file (SIGSEGV)"
    ]
    assert sorted(p.name for p in out.iterdir()) == ["good1.html", "good1.json"]


def test_two_placement_loop_is_named(tmp_path: Path, sample: Sample, cyclic_copy: Callable[..., list[int]]) -> None:
    loop = cyclic_copy(sample("pass-public-office"), tmp_path / "loop.ifc", loop_length=2)
    model = load_model(tmp_path / "loop.ifc").file
    found = find_placement_cycle(model)
    assert found is not None and sorted(found) == sorted(loop)
    with pytest.raises(ModelLoadError) as caught:
        checker.model.extract.refuse_cyclic_placements(model, "loop.ifc")
    assert caught.value.reason == (
        f"IfcLocalPlacement #{found[0]} is placed relative to itself through #{found[1]} (cyclic placement): "
        "geometry cannot be computed"
    )


def test_no_cycle_in_the_samples(sample: Sample) -> None:
    assert find_placement_cycle(load_model(sample("mixed-two-buildings")).file) is None


def test_isolated_run_equals_in_process_run(sample: Sample, ruleset: Ruleset) -> None:
    path = sample("fail-public-office-low-pv")
    isolated = check_file_isolated(path, ruleset, generated_at=GENERATED_AT)
    assert isolated == check_file(path, ruleset, generated_at=GENERATED_AT)
    assert isolated.summary.verdict == "non_compliant"


def _segfault(on_phase: Callable[[str], None]) -> None:
    on_phase("extracting")
    os.kill(os.getpid(), signal.SIGSEGV)


def _abort(on_phase: Callable[[str], None]) -> None:
    on_phase("reading")
    os.abort()


def _allocate(on_phase: Callable[[str], None]) -> bytes:
    return bytes(4 * GB)  # 4 GB more than the parent against a limit 1 GB above it


def _limit_above_parent() -> float:
    """The forked child starts with the parent's address space (pytest with ifcopenshell): limit 1 GB above it."""
    status = Path("/proc/self/status").read_text()
    peak = next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmPeak:"))
    return float(math.ceil(peak / GB) + 1)


def _hang(on_phase: Callable[[str], None]) -> None:
    time.sleep(60)


def _bad_file(on_phase: Callable[[str], None]) -> None:
    raise ModelLoadError("m.ifc", "not an IFC-SPF file")


def _bug(on_phase: Callable[[str], None]) -> None:
    raise KeyError("a bug")


@pytest.mark.parametrize(
    ("task", "message"),
    [
        (_segfault, "m.ifc: geometry engine crashed on this file (SIGSEGV)"),
        (_abort, "m.ifc: the IFC parser crashed on this file (SIGABRT)"),
        (_allocate, "m.ifc: exceeded the memory limit of {limit:g} GB"),
        (_hang, "m.ifc: exceeded the time limit of 1 s"),
    ],
)
def test_child_failures_become_one_line(task: Callable[..., object], message: str) -> None:
    limit = _limit_above_parent()
    started = time.monotonic()
    with pytest.raises(IsolatedCheckError) as caught:
        run_isolated(task, (), "m.ifc", Limits(max_memory_gb=limit, timeout_s=1))
    assert str(caught.value) == message.format(limit=limit)
    assert time.monotonic() - started < 30


def test_child_errors_cross_back() -> None:
    with pytest.raises(ModelLoadError) as bad:
        run_isolated(_bad_file, (), "m.ifc", Limits())
    assert (bad.value.path, bad.value.reason) == ("m.ifc", "not an IFC-SPF file")
    with pytest.raises(WorkerInternalError) as bug:
        run_isolated(_bug, (), "m.ifc", Limits())
    assert (bug.value.type_name, bug.value.message) == ("KeyError", "'a bug'")
    assert not isinstance(bug.value, CheckerError)


def test_limits_reach_the_cli(tmp_path: Path, sample: Sample, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Limits] = []

    def record(task: object, args: object, label: str, limits: Limits) -> object:
        seen.append(limits)
        raise IsolatedCheckError(label, f"exceeded the time limit of {limits.timeout_s:g} s")

    monkeypatch.setattr("checker.api.run_isolated", record)
    model = sample("pass-public-office")
    result = CliRunner().invoke(main, ["check", str(model), "-o", str(tmp_path), "--max-memory", "3", "--timeout", "7"])
    assert seen == [Limits(max_memory_gb=3, timeout_s=7)]
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"greencheck: error: {model}: exceeded the time limit of 7 s"]
    in_process = CliRunner().invoke(main, ["check", str(model), "-o", str(tmp_path), "--no-isolation", "-q"])
    assert in_process.exit_code == 0 and len(seen) == 1
