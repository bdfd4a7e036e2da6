"""The batch on a Dask cluster: the same rows, summaries and report bytes as a local run, crashes contained.

A LocalCluster of two single-threaded worker processes stands in for a real cluster: the tasks cross a process
boundary and a TCP connection exactly as they would between machines (the models' folder is shared, as it must be).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.batch.cluster import DASK_MISSING, ClusterError, connect
from checker.batch.engine import BatchOptions, batch_formats, run_batch
from checker.batch.summary import BatchSummary
from checker.rules.results import CheckRun
from checker.rules.schema import Ruleset
from tests.batch.conftest import ERRORS, ROWS, error_line, fill

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_models" / "pass-public-office.ifc"


def _options(out: Path, **chosen: object) -> BatchOptions:
    settings: dict[str, object] = {"formats": batch_formats(["html"]), "lang": "en", "jobs": 2, **chosen}
    return BatchOptions(out=out, **settings)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    distributed = pytest.importorskip("distributed", reason="dask is not installed: pip install -e '.[test]'")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
    ) as local:
        yield local


@pytest.fixture(scope="module")
def both_runs(
    cluster: object, ruleset: Ruleset, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, BatchSummary, Path, BatchSummary]:
    """The same folder through local threads (--jobs 2) and through the cluster."""
    base = tmp_path_factory.mktemp("dask")
    folder = fill(base / "models")
    local = run_batch([folder], ruleset, _options(base / "local"), error_line)
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    remote = run_batch([folder], ruleset, _options(base / "dask", scheduler=address), error_line)
    return base / "local", local, base / "dask", remote


def _normalised(out: Path, name: str) -> bytes:
    """The file's bytes with its run time(s) blanked: each model's generated_at is when its check started."""
    data = (out / name).read_bytes()
    stamps = {CheckRun.model_validate_json((out / json).read_bytes()).generated_at for json in _json_reports(out)}
    stamps.add(BatchSummary.model_validate_json((out / "summary.json").read_bytes()).generated_at)
    for stamp in stamps:
        data = data.replace(stamp.encode(), b"<generated_at>")
    return data


def _json_reports(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob("*.json") if p.name != "summary.json" and not p.name.startswith("."))


def test_rows_and_files_identical_to_a_local_run(both_runs: tuple[Path, BatchSummary, Path, BatchSummary]) -> None:
    local_out, local, dask_out, remote = both_runs
    assert [m.file for m in remote.models] == sorted([*ROWS, *ERRORS])
    assert [m.model_dump() for m in remote.models] == [m.model_dump() for m in local.models]
    assert {m.file: m.verdict for m in remote.models} == {
        "fail-residential-one-star.ifc": "non_compliant",
        "pass-public-office.ifc": "compliant",
        "sub/unknown-missing-data.ifc": "incomplete",
        "sub/broken.ifc": "error",
        "sub/cyclic.ifc": "error",
    }
    for file, reason in ERRORS.items():
        error = next(m.error for m in remote.models if m.file == file) or ""
        assert reason in error and str(local_out.parent) not in error  # the worker's absolute path is not shown
    assert remote.exit_code == local.exit_code == 2
    names = sorted(p.name for p in local_out.iterdir())
    assert names == sorted(p.name for p in dask_out.iterdir())
    assert len(_json_reports(dask_out)) == 3
    assert (dask_out / "summary.csv").read_bytes() == (local_out / "summary.csv").read_bytes()
    for name in names:
        assert _normalised(dask_out, name) == _normalised(local_out, name), name


def test_workers_survive_and_unchanged_models_are_skipped(
    cluster: object, both_runs: tuple[Path, BatchSummary, Path, BatchSummary], ruleset: Ruleset
) -> None:
    _local_out, _local, dask_out, _remote = both_runs
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    workers = sorted(cluster.scheduler_info["workers"])  # type: ignore[attr-defined]
    again = run_batch([dask_out.parent / "models"], ruleset, _options(dask_out, scheduler=address), error_line)
    assert {m.file: m.state for m in again.models} == {
        **{file: "skipped" for file in ROWS},
        **{file: "error" for file in ERRORS},  # errors are checked again: the workers still run them
    }
    assert sorted(cluster.scheduler_info["workers"]) == workers  # type: ignore[attr-defined]  # none restarted


def test_unreachable_scheduler_is_one_line_and_exit_2(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="dask is not installed: pip install -e '.[test]'")
    started = time.monotonic()
    command = [sys.executable, "-m", "checker", "batch", str(SAMPLE), "-o", str(tmp_path / "out")]
    done = subprocess.run(
        [*command, "--scheduler", "tcp://127.0.0.1:1"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert time.monotonic() - started < 15
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "greencheck: error: cannot reach the Dask scheduler at tcp://127.0.0.1:1: "
        "Timed out trying to connect to tcp://127.0.0.1:1 after 10 s"
    ]
    assert not (tmp_path / "out").exists()


def test_scheduler_local_starts_a_cluster(ruleset: Ruleset, tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="dask is not installed: pip install -e '.[test]'")
    summary = run_batch([SAMPLE], ruleset, _options(tmp_path, scheduler="local", jobs=1), error_line)
    rows = [(m.file, m.state, m.verdict) for m in summary.models]
    assert rows == [("pass-public-office.ifc", "checked", "compliant")]
    assert (tmp_path / "pass-public-office.html").is_file()


def test_without_dask_the_scheduler_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(ClusterError, match=r"^--scheduler needs Dask: install greencheck\[dask\]") as caught:
        with connect("tcp://127.0.0.1:8786", 2):
            pass
    assert str(caught.value) == DASK_MISSING
