"""What a batch prints on stderr: a line per finished model (one rewritten \\r line on a terminal), then a tally."""

from __future__ import annotations

import sys
from pathlib import Path

from checker.batch.summary import BatchSummary, ModelEntry
from checker.console import printable

_CLEAR_LINE = "\r\x1b[2K"


class BatchProgress:
    """Progress of the models being checked; an error row is always shown on a line of its own."""

    def __init__(self, quiet: bool, tty: bool) -> None:
        self.quiet, self.tty = quiet, tty
        self.line_open = False

    def done(self, finished: int, total: int, entry: ModelEntry, elapsed: float) -> None:
        verdict = f"error: {entry.error}" if entry.error else entry.verdict
        line = printable(f"[{finished}/{total} {elapsed:.1f} s] {entry.file}: {verdict}")
        if self.quiet and entry.state != "error":
            return
        if self.tty:
            end = "\n" if entry.state == "error" else ""
            sys.stderr.write(f"{_CLEAR_LINE}{line}{end}")
            self.line_open = not end
        else:
            sys.stderr.write(f"{line}\n")
        sys.stderr.flush()

    def close(self) -> None:
        if self.line_open:
            sys.stderr.write("\n")
            self.line_open = False


def batch_tally(summary: BatchSummary, out: Path) -> str:
    """'25 models (22 checked, 3 unchanged): 5 compliant, 2 error; dashboard in reports/index.html'."""
    totals = summary.totals
    parts = [f"{n} {verdict.replace('_', '-')}" for verdict, n in sorted(totals.verdicts.items())]
    return printable(
        f"{totals.models} models ({totals.checked} checked, {totals.skipped} unchanged and skipped): "
        f"{', '.join(parts)}; dashboard in {out / 'index.html'}"
    )
