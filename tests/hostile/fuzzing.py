"""The fuzz harness: a client for forkserver.py, the contract every `greencheck` run must keep, and the budget.

Contract (issue 9): the exit code is 0, 1 or 2 (never a signal, never a hang past the timeout); no "Traceback" on
stdout or stderr; on exit 2 stderr is exactly one line, "greencheck: error: ..."; every report is complete (the
JSON parses and validates against docs/report.schema.json and the pydantic CheckRun, the HTML ends with </html>) or
absent, with no temp file left behind. Loaded by test_fuzz.py under the name `greencheck_fuzzing`.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, settings
from hypothesis.control import currently_in_test_context
from jsonschema import Draft202012Validator

from checker.rules.results import CheckRun

REPO = Path(__file__).resolve().parents[2]
SERVER = Path(__file__).with_name("forkserver.py")
TIMEOUT_S = float(os.environ.get("GREENCHECK_FUZZ_TIMEOUT", "30"))  # a sample model checks in well under 1 s
MEMORY_BYTES = 6 * 1024**3  # address space per run; more is a runaway allocation
LAST_INTERNAL_ERROR: list[str] = []  # runs that kept the contract with an "internal error" line (kept when collecting)


def fuzz_settings(ci_examples: int) -> settings:
    """Deterministic, database-free settings with a fixed CI budget; GREENCHECK_FUZZ_EXAMPLES=N runs N new random
    examples instead (a local search for crashers)."""
    wanted = os.environ.get("GREENCHECK_FUZZ_EXAMPLES")
    return settings(
        max_examples=int(wanted) if wanted else ci_examples,
        deadline=None,
        derandomize=not wanted,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


@dataclass(frozen=True)
class Outcome:
    """One CLI run: exit code (None when killed by a signal), signal, timeout, captured output, wall time."""

    argv: tuple[str, ...]
    rc: int | None
    signal: int | None
    timed_out: bool
    stdout: str
    stderr: str
    seconds: float
    temp_leftovers: tuple[str, ...] = ()

    def describe(self) -> str:
        return (
            f"greencheck {' '.join(self.argv)}\n rc={self.rc} signal={self.signal} timed_out={self.timed_out} "
            f"({self.seconds} s)\n--- stdout\n{self.stdout[-3000:]}\n--- stderr\n{self.stderr[-3000:]}"
        )


class ForkServer:
    """One long-lived forkserver.py process (checker imported once); each run is a forked child."""

    def __init__(self) -> None:
        self._scratch = Path(tempfile.mkdtemp(prefix="greencheck-fuzz-io-"))
        self._proc: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        self._scratch.mkdir(exist_ok=True)
        env = dict(os.environ, PYTHONPATH=str(REPO), TMPDIR=str(self._scratch), PYTHONHASHSEED="0")
        proc = subprocess.Popen(
            [sys.executable, str(SERVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=REPO, env=env, text=True
        )
        assert proc.stdout is not None
        assert json.loads(proc.stdout.readline()) == {"ready": True}, "the fork server did not start"
        return proc

    def run(self, argv: list[str], cwd: Path, timeout: float = TIMEOUT_S) -> Outcome:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._start()
        assert self._proc.stdin is not None and self._proc.stdout is not None
        out, err = self._scratch / "stdout", self._scratch / "stderr"
        request = {"argv": argv, "cwd": str(cwd), "stdout": str(out), "stderr": str(err)}
        request |= {"timeout": timeout, "memory": MEMORY_BYTES}
        self._proc.stdin.write(json.dumps(request) + "\n")
        self._proc.stdin.flush()
        ready, _, _ = select.select([self._proc.stdout], [], [], timeout + 30)
        line = self._proc.stdout.readline() if ready else ""
        if not line:
            self.close()
            raise AssertionError(f"the fork server itself died or hung running greencheck {' '.join(argv)}")
        reply = json.loads(line)
        # the run's TMPDIR is the scratch folder: anything left there but the captured output was not cleaned up
        leftovers = sorted(p.name for p in self._scratch.iterdir() if p.name not in ("stdout", "stderr"))
        for name in leftovers:
            shutil.rmtree(self._scratch / name, ignore_errors=True)
            (self._scratch / name).unlink(missing_ok=True)
        return Outcome(
            tuple(argv),
            reply["rc"],
            reply["signal"],
            reply["timed_out"],
            out.read_bytes().decode("utf-8", "replace"),
            err.read_bytes().decode("utf-8", "replace"),
            reply["seconds"],
            tuple(leftovers),
        )

    def close(self) -> None:
        if self._proc is not None:
            if self._proc.stdin is not None:
                self._proc.stdin.close()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None
        shutil.rmtree(self._scratch, ignore_errors=True)


def run_real_process(argv: list[str], cwd: Path, timeout: float = TIMEOUT_S) -> Outcome:
    """The same run as a fresh interpreter (what the console script does), to check the fork server's fidelity."""
    code = "import sys; from checker.cli import main; main(prog_name='greencheck')"
    proc = subprocess.run(
        [sys.executable, "-c", code, *argv],
        cwd=cwd,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    rc = proc.returncode if proc.returncode >= 0 else None
    signal = -proc.returncode if proc.returncode < 0 else None
    return Outcome(tuple(argv), rc, signal, False, proc.stdout.decode(), proc.stderr.decode(), 0.0)


@cache
def _schema_validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads((REPO / "docs" / "report.schema.json").read_text(encoding="utf-8")))


class ContractError(AssertionError):
    """A broken contract, with the run that broke it (test_fuzz.py matches it against the known, pending fixes)."""

    def __init__(self, what: str, outcome: Outcome) -> None:
        super().__init__(f"{what}\n{outcome.describe()}")
        self.what = what
        self.outcome = outcome


def _require(condition: bool, what: str, outcome: Outcome) -> None:
    if not condition:
        raise ContractError(what, outcome)


def note_outcome(outcome: Outcome) -> None:
    """Count exit codes (and the kind of exit-2 message) in hypothesis' statistics (--hypothesis-show-statistics),
    to see how deep the mutants get: refused at parsing, refused later, or checked."""
    if not currently_in_test_context():
        return
    kind = ""
    if outcome.rc == 2:  # why, in short: "cannot be parsed as IFC", "internal error: RecursionError"
        found = re.search(r"\.(?:ifc|toml): (.*)", outcome.stderr)
        reason = re.sub(r"#?\d+|'.*?'|\(.*", "N", found[1] if found else outcome.stderr)
        kind = f": {reason[:48]}"
    event(f"{outcome.argv[0]} {outcome.argv[1] if outcome.argv[0] == 'rulesets' else ''} exit {outcome.rc}{kind}")


def assert_console_contract(outcome: Outcome) -> None:
    """Exit 0/1/2 within the timeout, no traceback; on exit 2 exactly one error line on stderr, on exit 0/1 nothing
    on stderr but greencheck's own lines (a stray Python or numpy warning is internals leaking)."""
    _require(not outcome.timed_out, f"hang: killed after {TIMEOUT_S} s", outcome)
    _require(outcome.signal is None, f"killed by signal {outcome.signal} (native crash)", outcome)
    _require(outcome.rc in (0, 1, 2), f"exit code {outcome.rc}", outcome)
    _require("Traceback" not in outcome.stdout + outcome.stderr, "traceback printed", outcome)
    _require(not outcome.temp_leftovers, f"left in the temp folder: {outcome.temp_leftovers}", outcome)
    lines = outcome.stderr.splitlines()
    if outcome.rc == 2:
        one = len(lines) == 1 and lines[0].startswith("greencheck: error: ")
        _require(one, "exit 2 without exactly one error line on stderr", outcome)
        if "internal error:" in outcome.stderr:
            LAST_INTERNAL_ERROR[:] = [f"internal error (contract kept)\n{outcome.describe()}"]
    else:
        _require(all(line.startswith("greencheck: ") for line in lines), "stray output on stderr", outcome)


def assert_reports_complete_or_absent(outcome: Outcome, out_dir: Path, stem: str) -> None:
    """Each report is whole or missing: exit 0/1 wrote both, exit 2 (one model) wrote none; no temp file left."""
    found = sorted(p.name for p in out_dir.iterdir()) if out_dir.exists() else []
    _require(not [n for n in found if n.endswith(".tmp")], f"temp files left: {found}", outcome)
    json_path, html_path = out_dir / f"{stem}.json", out_dir / f"{stem}.html"
    if outcome.rc == 2:
        _require(not json_path.exists() and not html_path.exists(), f"exit 2 but reports written: {found}", outcome)
        return
    _require(json_path.exists() and html_path.exists(), f"exit {outcome.rc} without both reports: {found}", outcome)
    try:
        data: Any = json.loads(json_path.read_bytes().decode("utf-8"))
    except ValueError as exc:
        raise ContractError(f"JSON report does not parse: {exc}", outcome) from None
    errors = sorted(_schema_validator().iter_errors(data), key=str)
    _require(not errors, f"JSON report fails docs/report.schema.json: {errors[0].message if errors else ''}", outcome)
    try:
        CheckRun.model_validate(data)
    except ValueError as exc:
        raise ContractError(f"JSON report fails the CheckRun model: {str(exc)[:500]}", outcome) from None
    html = html_path.read_bytes().decode("utf-8", "replace")
    _require(html.rstrip().endswith("</html>"), "HTML report truncated", outcome)
