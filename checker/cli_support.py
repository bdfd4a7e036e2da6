"""What every greencheck command shares: exit codes, one-line errors (never a traceback without --debug), escaped
output and logging. The commands themselves are in checker.cli, cli_batch and cli_rulesets."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn

import click

from checker.console import printable
from checker.errors import CheckerError, ModelLoadError
from checker.isolation import IsolatedCheckError, WorkerInternalError

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2
EXIT_CODES_HELP = """\b
Exit codes (the highest one wins: 2 over 1 over 0):
  0    no rule at or above --fail-on severity failed or stayed unknown
  1    such a rule failed, or stayed unknown for want of data
  2    a file or the check could not be trusted: bad input or ruleset,
       report not writable, a model that crashed the checker or went past
       --max-memory / --timeout / --max-file-size (the others are checked)
  130  stopped by Ctrl-C (SIGINT), 143 by SIGTERM: no partial report left
"""


def _echo(text: object, err: bool = False) -> None:
    """Print one line with every control character shown visibly (checker.console)."""
    click.echo(printable(text), err=err)


class InputError(click.ClickException):
    """One line on stderr, exit code 2."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        _echo(f"greencheck: error: {self.message}", err=True)


class _EscapingFormatter(logging.Formatter):
    """Log lines carry model text too (names in warnings): escaped like everything else the CLI prints."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def _configure_logging(debug: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_EscapingFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, handlers=[handler], force=True)


def _print_traceback(exc: BaseException) -> None:
    """--debug: the traceback, with code frames as they are and every message line escaped."""
    chunks = exc.traceback_chunks if isinstance(exc, WorkerInternalError) else traceback.format_exception(exc)
    for line in _traceback_lines(chunks):
        click.echo(line, err=True)


def _traceback_lines(chunks: Iterable[str]) -> list[str]:
    """A frame chunk ('  File ..., line N' + code) keeps its line break; a message chunk (model text) becomes one
    escaped line, so even --debug cannot print a forged line."""
    lines: list[str] = []
    for chunk in chunks:
        if chunk.startswith('  File "'):
            lines.extend(printable(line) for line in chunk.rstrip("\n").split("\n"))
        else:
            lines.append(printable(chunk.rstrip("\n")))
    return lines


def _error_line(exc: BaseException, subject: object = None) -> str:
    """One line for any failure: a CheckerError says what is wrong; anything else is an internal error. Only the
    message is cut to its first line: a path or label with a line break in it is kept whole (and escaped later)."""
    prefix = f"{subject}: " if subject is not None else ""
    if isinstance(exc, ModelLoadError):
        return f"{exc.path}: {_first_line(exc.reason)}"
    if isinstance(exc, IsolatedCheckError):
        return f"{exc.label}: {exc.reason}"
    if isinstance(exc, CheckerError):
        return _first_line(str(exc)) or type(exc).__name__
    if isinstance(exc, WorkerInternalError):
        name, message = exc.type_name, exc.message
    else:
        name, message = type(exc).__name__, str(exc)
    return f"{prefix}internal error: {name}: {_first_line(message)} (run with --debug for details)"


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text.strip() else ""


def _fail(exc: BaseException, debug: bool) -> NoReturn:
    if debug:
        _print_traceback(exc)
    raise InputError(_error_line(exc))


def _guarded(debug: bool, action: Callable[[], Any]) -> Any:
    try:
        return action()
    except click.ClickException:
        raise
    except Exception as exc:  # noqa: BLE001 - every failure becomes one line and exit 2
        _fail(exc, debug)


def _formats(values: str | Sequence[str]) -> list[str]:
    """The formats of every -f (comma-separated, or the option repeated), each once, in the order given."""
    from checker.report import REPORTERS  # the reporters' templates load only when a command runs

    given = [values] if isinstance(values, str) else list(values)
    formats = list(dict.fromkeys(f.strip() for value in given for f in value.split(",") if f.strip()))
    unknown = [f for f in formats if f not in REPORTERS]
    if unknown or not formats:
        raise InputError(f"unknown report format {', '.join(unknown) or '(none)'}; choose from {', '.join(REPORTERS)}")
    return formats
