"""CheckRun → report bytes. The registry is explicit so the CLI's format choice is exactly this dict."""

from __future__ import annotations

from collections.abc import Callable

from checker.defaults import LANGUAGES
from checker.errors import ReportError
from checker.report.base import Reporter, ReportOptions
from checker.report.bcf import Bcf2Reporter, BcfReporter
from checker.report.html import HtmlReporter
from checker.report.ids import IdsReporter
from checker.report.json import JsonReporter
from checker.report.junit import JunitReporter
from checker.report.sarif import SarifReporter
from checker.rules.results import CheckRun

REPORTERS: dict[str, type[Reporter]] = {
    "json": JsonReporter,
    "html": HtmlReporter,
    "ids": IdsReporter,
    "junit": JunitReporter,
    "sarif": SarifReporter,
    "bcf": BcfReporter,
    "bcf2": Bcf2Reporter,
}
# The formats a CI system reads as pass/fail: they take ReportOptions (--fail-on, the model path as given).
# BCF takes them too: an unknown at or above --fail-on raises a "data to add" request.
CI_FORMATS: dict[str, Callable[[ReportOptions | None], Reporter]] = {
    "junit": JunitReporter,
    "sarif": SarifReporter,
    "bcf": BcfReporter,
    "bcf2": Bcf2Reporter,
}

__all__ = ["CI_FORMATS", "LANGUAGES", "REPORTERS", "ReportOptions", "Reporter", "make_reporter", "render"]


def make_reporter(fmt: str, options: ReportOptions | None = None) -> Reporter:
    """The reporter of format `fmt`; an unknown format is a ReportError, not a KeyError."""
    if fmt in CI_FORMATS:
        return CI_FORMATS[fmt](options)
    try:
        reporter_class = REPORTERS[fmt]
    except KeyError:
        raise ReportError(f"unknown report format {fmt!r}; use one of {', '.join(REPORTERS)}") from None
    return reporter_class()


def render(run: CheckRun, fmt: str, lang: str = "en", options: ReportOptions | None = None) -> bytes:
    """The report in format `fmt` (one of REPORTERS), texts in `lang`."""
    return make_reporter(fmt, options).render(run, lang)
