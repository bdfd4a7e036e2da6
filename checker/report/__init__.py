"""CheckRun → report bytes. The registry is explicit so the CLI's format choice is exactly this dict."""

from __future__ import annotations

from checker.errors import ReportError
from checker.report.base import LANGUAGES, Reporter
from checker.report.html import HtmlReporter
from checker.report.ids import IdsReporter
from checker.report.json import JsonReporter
from checker.rules.results import CheckRun

REPORTERS: dict[str, type[Reporter]] = {"json": JsonReporter, "html": HtmlReporter, "ids": IdsReporter}

__all__ = ["LANGUAGES", "REPORTERS", "Reporter", "render"]


def render(run: CheckRun, fmt: str, lang: str = "en") -> bytes:
    """The report in format `fmt` ("json", "html" or "ids"); an unknown format is a ReportError, not a KeyError."""
    try:
        reporter_class = REPORTERS[fmt]
    except KeyError:
        raise ReportError(f"unknown report format {fmt!r}; use one of {', '.join(REPORTERS)}") from None
    return reporter_class().render(run, lang)
