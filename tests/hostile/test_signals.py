"""Issue 9 item 3 (signals): Ctrl-C exits 130 and SIGTERM 143, never 1 ("a rule failed"); neither leaves a `*.tmp`
report in the output folder, an unpacked model in the temp folder, or a running child check.

Each test runs the real command in a subprocess through a driver that makes one step block (the report's fsync, or
ifcopenshell.open after the .ifczip was unpacked) and writes a marker, so the signal lands exactly there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from checker.cli import main

REPO = Path(__file__).resolve().parents[2]
Sample = Callable[[str], Path]

# Blocks the first report write between creating its temp file and renaming it.
BLOCK_IN_WRITE = """
import os, sys, time
from pathlib import Path
import checker.api
def fsync(fd):
    Path(os.environ["MARKER"]).write_text(str(os.getpid()))
    time.sleep(60)
checker.api.os.fsync = fsync
from checker.cli import main
main()
"""
# Blocks the check in ifcopenshell.open, after the loader unpacked the .ifczip into a temp file.
BLOCK_IN_OPEN = """
import os, sys, time
from pathlib import Path
import ifcopenshell
def blocked_open(path, *args, **kwargs):
    Path(os.environ["MARKER"]).write_text(f"{os.getpid()} {path}")
    time.sleep(60)
ifcopenshell.open = blocked_open
from checker.cli import main
main()
"""


def _run_until_marker(driver: str, args: list[str | Path], marker: Path, temp: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "MARKER": str(marker), "TMPDIR": str(temp)}
    process = subprocess.Popen(
        [sys.executable, "-c", driver, *(str(a) for a in args)],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not (marker.exists() and marker.read_text()):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run never reached the blocking step"
        time.sleep(0.05)
    return process


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize(("signum", "code", "name"), [(signal.SIGINT, 130, "SIGINT"), (signal.SIGTERM, 143, "SIGTERM")])
def test_signal_during_report_write(tmp_path: Path, sample: Sample, signum: int, code: int, name: str) -> None:
    out, temp = tmp_path / "out", tmp_path / "temp"
    temp.mkdir()
    process = _run_until_marker(
        BLOCK_IN_WRITE, ["check", sample("pass-public-office"), "-o", out], tmp_path / "marker", temp
    )
    assert [p.suffix for p in out.iterdir()] == [".tmp"]  # the report being written
    process.send_signal(signum)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert stderr.splitlines() == [f"greencheck: interrupted ({name}): stopped, no partial report left"]
    assert list(out.iterdir()) == []
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize("isolation", [[], ["--no-isolation"]])
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_while_checking_an_ifczip(
    tmp_path: Path, sample: Sample, signum: int, code: int, isolation: list[str]
) -> None:
    """The unpacked model and the child's scratch folder are removed, and the child check does not outlive us."""
    zipped = tmp_path / "model.ifczip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(sample("pass-public-office"), "model.ifc")
    out, temp, marker = tmp_path / "out", tmp_path / "temp", tmp_path / "marker"
    temp.mkdir()
    process = _run_until_marker(BLOCK_IN_OPEN, ["check", zipped, "-o", out, *isolation], marker, temp)
    pid_text, unpacked = marker.read_text().split(" ", 1)
    assert Path(unpacked).is_file() and Path(unpacked).is_relative_to(temp)
    process.send_signal(signum)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert len(stderr.splitlines()) == 1 and stderr.startswith("greencheck: interrupted (")
    assert list(temp.iterdir()) == []
    assert not out.exists() or list(out.iterdir()) == []
    checker_pid = int(pid_text)
    checked_in_child = not isolation
    assert (checker_pid != process.pid) == checked_in_child
    deadline = time.monotonic() + 10
    while _alive(checker_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(checker_pid)


def test_keyboard_interrupt_in_process_exits_130(
    tmp_path: Path, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C as Python raises it (KeyboardInterrupt) ends with 130 too, not click's 'Aborted!' and exit 1."""
    from click.testing import CliRunner

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("checker.api.check_file", interrupted)  # the command imports it when run
    result = CliRunner().invoke(
        main, ["check", str(sample("pass-public-office")), "-o", str(tmp_path), "--no-isolation"]
    )
    assert result.exit_code == 130
    assert result.stderr.splitlines() == ["greencheck: interrupted (SIGINT): stopped, no partial report left"]
