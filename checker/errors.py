"""Errors the library raises; the CLI turns every one of them into one line and exit code 2."""

from __future__ import annotations


class CheckerError(Exception):
    """Base class: the check could not be trusted (bad input, bad ruleset, unwritable report)."""


class ModelLoadError(CheckerError):
    """The IFC file is missing, empty, truncated, not IFC or of an unsupported schema."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[ModelLoadError], tuple[str, str]]:
        """Pickles with both arguments, so an isolated check (checker.isolation) returns it to the parent intact."""
        return (type(self), (self.path, self.reason))


class RulesetError(CheckerError):
    """A ruleset is missing or invalid; the message names the file, the rule id and the field."""


class ReportError(CheckerError):
    """A report could not be rendered or written."""


class ReviewError(CheckerError):
    """A waivers file or a baseline report is missing or invalid; the message names the file and the entry."""
