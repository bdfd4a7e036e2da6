"""The one interface every output format implements, so the CLI can treat formats alike.

A reporter is a pure function of a `CheckRun`: it never opens files, never prints and never
imports ifcopenshell (STYLE.md §10), which keeps every format testable from hand-built results.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from checker.defaults import LANGUAGES
from checker.errors import ReportError
from checker.rules.results import CheckRun

# How a report encodes a lone surrogate: Python's stand-in for a byte of the model that decoded as nothing (a raw byte
# inside an enumeration, say). Shown as the visible text \udc9b rather than failing the whole report.
BYTES_THAT_DECODED_AS_NOTHING = "backslashreplace"


def check_language(lang: str) -> None:
    """Every reporter accepts exactly the report languages; anything else is a ReportError, not a KeyError."""
    if lang not in LANGUAGES:
        raise ReportError(f"unsupported report language {lang!r}; use one of {', '.join(LANGUAGES)}")


@contextmanager
def without_gc_pauses() -> Iterator[None]:
    """Rendering allocates a string per cell; with a run of 3,000 buildings in memory each automatic collection scans
    millions of objects (the HTML took 9 s for 3,000 buildings instead of 2). Rendering makes no garbage cycles worth
    collecting, so the collector waits until the report is written."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class ReportOptions:
    """What a CI format needs beyond the `CheckRun`: the exit-code threshold (an unknown at or above it must read as
    "not passed") and the model path as given on the command line (SARIF's artifact URI; the run keeps only its name).
    """

    fail_on: str = "error"
    model_path: str | None = None


@runtime_checkable
class Reporter(Protocol):
    """Turns a finished check into the bytes of one report file."""

    format_id: str  # the name used on the command line, e.g. "html"
    suffix: str  # file name suffix including the dot, e.g. ".html"

    def render(self, run: CheckRun, lang: str) -> bytes:
        """The complete report; `lang` is "en" or "zh" (formats without prose may ignore it)."""
        ...
