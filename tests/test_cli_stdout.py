"""Issue 11 item 4 (`--out -`): with one model and one format the report is all that reaches stdout, so
`greencheck check m.ifc -f sarif --out - > m.sarif` works in CI; terminal lines, warnings and logs go to stderr and
the exit codes are those of a run writing files. Anything else with `--out -` is a one-line usage error (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from checker.cli import main

REPO = Path(__file__).resolve().parents[1]
# The CLI of this checkout, with the check made noisy on file descriptor 1 (as a C++ library or a child process
# would be) both in Python and below it: none of it may land in the report.
NOISY_CLI = """
import os, checker.api as api
checked = api.check_file
def noisy(*args, **kwargs):
    os.write(1, b"NOISE FROM FD 1\\n")
    print("NOISE FROM PRINT", flush=True)
    return checked(*args, **kwargs)
api.check_file = noisy
from checker.cli import main
main()
"""
Sample = Callable[[str], Path]


def _cli(tmp_path: Path, *args: str | Path) -> Result:
    """CliRunner keeps stdout and stderr apart (click >= 8.2); run inside tmp_path so a stray reports/ shows."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert list(cwd.iterdir()) == []  # no reports/ folder, no file named "-"
    return result


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit"])
def test_one_report_on_stdout(tmp_path: Path, sample: Sample, fmt: str) -> None:
    result = _cli(tmp_path, "check", sample("prefab-fail-government"), "-f", fmt, "--out", "-", "--no-isolation")
    assert result.exit_code == 1  # 8 fails (6 + the GB 55015 solar rule + BJ-BIM-001), as when writing files
    if fmt == "junit":
        suites = etree.fromstring(result.stdout_bytes).findall("testsuite")
        # + BJ-ES-GAS-HEAT unknown (no heating shown, none declared), BJ-BIM-001 (info fail), BJ-STAR-030 unknown
        assert [suite.get("failures") for suite in suites] == ["0", "24"]
    else:
        report = json.loads(result.stdout_bytes)
        fails = (
            report["summary"]["counts"]["fail"] if fmt == "json" else report["runs"][0]["properties"]["counts"]["fail"]
        )
        assert fails == 8
    assert "prefab-fail-government.ifc" in result.stderr  # the terminal lines moved to stderr
    assert "District Service Hall" in result.stderr


def test_passing_model_exits_zero(tmp_path: Path, sample: Sample) -> None:
    model = sample("pass-public-office-millimetres")  # no fail of any severity (pass-public-office has a warning)
    result = _cli(tmp_path, "check", model, "-f", "sarif", "--out", "-", "-q", "--no-isolation")
    assert result.exit_code == 0
    assert json.loads(result.stdout_bytes)["runs"][0]["results"] == []
    assert result.stderr == ""


USAGE = "greencheck: error: --out - writes one report to stdout: "


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        (["-f", "json,sarif"], USAGE + "choose exactly one format (-f), not json,sarif"),
        (["-f", "json", "MORE"], USAGE + "give exactly one model, not 2"),
    ],
)
def test_usage_errors(tmp_path: Path, sample: Sample, extra: list[str], line: str) -> None:
    args = [sample("pass-public-office"), *(sample("mixed-two-buildings") if a == "MORE" else a for a in extra)]
    result = _cli(tmp_path, "check", *args, "--out", "-")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [line]


def test_unreadable_model_leaves_stdout_empty(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ifc"
    bad.write_text("not an ifc")
    result = _cli(tmp_path, "check", bad, "-f", "json", "--out", "-")
    assert result.exit_code == 2
    assert result.stdout_bytes == b""
    assert result.stderr.startswith("greencheck: error: ") and "bad.ifc" in result.stderr


def test_real_process_stdout_carries_only_the_report(tmp_path: Path, sample: Sample) -> None:
    """Through real file descriptors and the isolated child process: noise on fd 1 goes to stderr."""
    model = sample("prefab-fail-government")
    command = [sys.executable, "-c", NOISY_CLI, "check", str(model), "-f", "sarif", "--out", "-", "--lang", "en"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(command, capture_output=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 1, done.stderr
    log = json.loads(done.stdout)
    assert log["runs"][0]["artifacts"][0]["location"]["uri"] == model.as_uri()  # absolute as given
    # 23 + the GB 55015 solar fail and 4 envelope unknowns + the gas-heating and heat-pump unknowns + BJ-BIM-001
    assert len(log["runs"][0]["results"]) == 34  # + BJ-GM-008, BJ-GM-009, BJ-STAR-030 unknowns
    assert b"NOISE FROM FD 1" in done.stderr and b"NOISE FROM PRINT" in done.stderr
    assert b"prefab-fail-government.ifc: NON-COMPLIANT" in done.stderr  # the terminal lines, on stderr
    assert list(tmp_path.iterdir()) == []  # no reports/ folder, no file named "-"
