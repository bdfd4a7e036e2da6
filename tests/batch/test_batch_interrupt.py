"""Ctrl-C during a batch: the running children are killed, exit 130, no summary and no half-written file."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from checker.isolation import IsolatedCheckError, Limits, run_isolated

SAMPLE = Path(__file__).resolve().parents[2] / "sample_models" / "pass-public-office.ifc"


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text(encoding="ascii")
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def test_ctrl_c_stops_the_batch_and_leaves_no_summary(tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    for index in range(8):
        shutil.copyfile(SAMPLE, models / f"m{index}.ifc")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "checker", "batch", str(models), "--jobs", "2", "--out", str(out)]
    process = subprocess.Popen(command, cwd=Path(__file__).resolve().parents[2], stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    first = process.stderr.readline()  # one model finished: the others are queued or running
    assert first.startswith("[1/8")
    children = _children(process.pid)
    process.send_signal(signal.SIGINT)
    rest = process.communicate(timeout=60)[1]
    assert process.returncode == 130
    assert "interrupted (SIGINT)" in rest
    names = {path.name for path in out.iterdir()}
    assert not names & {"index.html", "summary.json", "summary.csv"}
    assert not [name for name in names if name.endswith(".tmp")]
    assert len([name for name in names if name.endswith(".json") and name.startswith("m")]) < 8
    time.sleep(0.2)
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]  # killed and reaped, none left behind


def _sleep(seconds: float, on_phase: Callable[[str], None]) -> None:
    on_phase("reading")
    time.sleep(seconds)


def test_stop_event_kills_a_running_child() -> None:
    """What a batch worker thread does on Ctrl-C: the child is killed within a polling interval, not awaited."""
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    with pytest.raises(IsolatedCheckError, match="stopped before the check finished"):
        run_isolated(_sleep, (30.0,), "sleeper", Limits(timeout_s=60), stop)
    assert time.monotonic() - started < 5
