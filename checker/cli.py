"""The `greencheck` command: a thin click layer over checker.api.

Exit codes: 0 = no rule at or above --fail-on severity failed or stayed unknown; 1 = such a rule did;
2 = the check could not be trusted (bad input, bad ruleset, unwritable report, a model that crashed the checker or
exceeded its limits). 2 wins over 1 over 0. A signal stops the run with 128 + its number (Ctrl-C 130, SIGTERM 143).
Everything printed that came from a model, a ruleset or a path goes through checker.console.printable.
"""

from __future__ import annotations

import logging
import signal
import sys
import traceback
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

import click

from checker import __version__
from checker.api import (
    STDOUT,
    check_file,
    check_file_isolated,
    plan_reports,
    remove_unfinished_writes,
    report_suffixes,
    stdout_reserved_for_report,
    stdout_usage_error,
    write_report_to,
    write_reports,
)
from checker.cli_ids import ids_group
from checker.console import printable
from checker.errors import CheckerError, ModelLoadError, RulesetError
from checker.interrupts import Interrupted, signals_as_exceptions
from checker.isolation import (
    DEFAULT_MAX_MEMORY_GB,
    DEFAULT_TIMEOUT_S,
    IsolatedCheckError,
    Limits,
    WorkerInternalError,
    private_tempdir,
)
from checker.model.ids_run import load_ids
from checker.model.loader import DEFAULT_MAX_MODEL_BYTES
from checker.report import LANGUAGES, REPORTERS, ReportOptions
from checker.report.provenance import override_value
from checker.rules.loader import DEFAULT_RULESET, list_rulesets, load_ruleset
from checker.rules.results import FAIL_ON_SEVERITIES, CheckRun, RulesetRef, exit_status
from checker.rules.schema import Ruleset
from checker.terminal import file_lines, ruleset_lines, shown_names, tally_line

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


def _formats(value: str) -> list[str]:
    formats = [f.strip() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in REPORTERS]
    if unknown or not formats:
        raise InputError(f"unknown report format {', '.join(unknown) or '(none)'}; choose from {', '.join(REPORTERS)}")
    return formats


class _Group(click.Group):
    """Ctrl-C and SIGTERM end any command with 128 + the signal number after the cleanup ran, never click's
    "Aborted!" with exit 1 (the code for "a rule failed")."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with signals_as_exceptions():
                return super().invoke(ctx)
        except (Interrupted, KeyboardInterrupt) as exc:
            stopped = exc if isinstance(exc, Interrupted) else Interrupted(signal.SIGINT)
            remove_unfinished_writes()
            _echo(f"greencheck: interrupted ({stopped}): stopped, no partial report left", err=True)
            raise click.exceptions.Exit(stopped.exit_code) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="greencheck")
def main() -> None:
    """Check IFC building models against Chinese green-building rulesets."""


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("models", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-r", "--ruleset", default=DEFAULT_RULESET, show_default=True, help="Bundled ruleset id or path to a .toml file."
)
@click.option(
    "-f", "--format", "formats", default="html,json", show_default=True, help="Comma-separated report formats."
)
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("reports"),
    show_default=True,
    help="Folder for the reports; '-' writes the one report (one model, one format) to stdout, all else to stderr.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="zh",
    show_default=True,
    help="Report language (both texts exist for every rule).",
)
@click.option(
    "--fail-on",
    type=click.Choice(list(FAIL_ON_SEVERITIES)),
    default="error",
    show_default=True,
    help="Lowest severity whose fail or unknown makes the exit code 1.",
)
@click.option(
    "--geometry-limit",
    type=click.IntRange(min=-1),
    default=None,
    help=(
        "Elements per building whose missing quantities may be derived from geometry "
        "(-1 no limit, 0 never; default from the ruleset, 400)."
    ),
)
@click.option(
    "--max-memory",
    type=click.FloatRange(min=0.1),
    default=DEFAULT_MAX_MEMORY_GB,
    show_default=True,
    help="Address space per model's check, in GB; a model that needs more fails alone.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    help="Wall-clock seconds per model's check; a model that takes longer fails alone.",
)
@click.option(
    "--max-file-size",
    type=click.FloatRange(min=0.000001),
    default=DEFAULT_MAX_MODEL_BYTES / 1024**3,
    show_default=True,
    help="Largest model file read, in GB (an .ifczip's unpacked model too); a bigger one is refused unread.",
)
@click.option(
    "--no-isolation",
    is_flag=True,
    help="Check in this process (for debugging and profiling): no memory or time limit, and a crash stops the batch.",
)
@click.option(
    "--ids",
    "ids_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="An IDS 1.0 file to run on each model with ifctester (repeatable); its specifications join the reports.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Print every model warning in full (by default: a count and the first)."
)
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
def check(
    models: tuple[Path, ...],
    ruleset: str,
    formats: str,
    out: Path,
    lang: str,
    fail_on: str,
    geometry_limit: int | None,
    max_memory: float,
    timeout: float,
    max_file_size: float,
    no_isolation: bool,
    ids_files: tuple[Path, ...],
    quiet: bool,
    verbose: bool,
    debug: bool,
) -> None:
    """Check MODELS (.ifc / .ifczip) and write reports. A bad file is reported and skipped; the others are checked.

    Each model is checked in a child process with its own memory and time limits, so a file that crashes the
    geometry engine, or runs away, fails alone with one error line.
    """
    _configure_logging(debug)
    chosen = _formats(formats)
    to_stdout = out == STDOUT
    if to_stdout and (usage := stdout_usage_error(models, chosen)):
        raise InputError(usage)
    loaded = _guarded(debug, lambda: load_ruleset(ruleset))
    _guarded(debug, lambda: [load_ids(path) for path in ids_files])  # a bad IDS file: one line, exit 2, no model read
    plan = _guarded(debug, lambda: plan_reports(list(models), out, report_suffixes(chosen)))
    limits = Limits(max_memory_gb=max_memory, timeout_s=timeout)
    max_file_bytes = int(max_file_size * 1024**3)

    def run_check(model: Path) -> CheckRun:
        if no_isolation:
            return check_file(
                model, loaded, geometry_limit=geometry_limit, max_file_bytes=max_file_bytes, ids_files=ids_files
            )
        return check_file_isolated(
            model,
            loaded,
            geometry_limit=geometry_limit,
            limits=limits,
            max_file_bytes=max_file_bytes,
            ids_files=ids_files,
        )

    say = _Printer(quiet, err=to_stdout)
    say.lines(ruleset_lines(RulesetRef.of(loaded), lang))
    names = shown_names([model for model, _stem in plan])
    worst, verdicts, errors = EXIT_OK, [], 0
    reserved: AbstractContextManager[BinaryIO | None] = nullcontext(None)
    if to_stdout:
        reserved = stdout_reserved_for_report(sys.stdout.buffer)
    with private_tempdir(), reserved as report_stream:
        for (model, stem), shown in zip(plan, names, strict=True):
            try:
                run = run_check(model)
                options = ReportOptions(fail_on=fail_on, model_path=str(model))
                written = [] if report_stream is not None else write_reports(run, chosen, out, stem, lang, options)
                if report_stream is not None:  # --out -
                    write_report_to(report_stream, run, chosen[0], lang, options)
            except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
                if debug:
                    _print_traceback(exc)
                _echo(f"greencheck: error: {_error_line(exc, model)}", err=True)
                worst, errors = EXIT_ERROR, errors + 1
                continue
            # in a batch the tally names the folder: a report is named only when its name is not the model's
            named = written if len(plan) == 1 or stem != Path(model.name).stem else []
            say.lines(file_lines(run, shown, named, lang, verbose))
            verdicts.append(run.summary.verdict)
            worst = max(worst, exit_status(run, fail_on))
    if len(plan) > 1:
        say.lines([tally_line(verdicts, errors, out, lang)])
    sys.exit(worst)


class _Printer:
    """stdout lines (stderr ones when stdout carries the report), or nothing with --quiet."""

    def __init__(self, quiet: bool, err: bool = False) -> None:
        self.quiet = quiet
        self.err = err

    def lines(self, lines: Iterable[str]) -> None:
        for line in lines:
            if not self.quiet:
                _echo(line, err=self.err)


@main.group()
def rulesets() -> None:
    """List, show and validate rulesets."""


@rulesets.command("list")
@click.option("--debug", is_flag=True)
def rulesets_list(debug: bool) -> None:
    """The bundled rulesets."""
    for ruleset in _guarded(debug, list_rulesets):
        fields = (ruleset.id, ruleset.version, f"{len(ruleset.rules)} rules", ruleset.title.en)
        click.echo("\t".join(printable(field) for field in fields))  # tab-separated: each field escaped


@rulesets.command("show")
@click.argument("ruleset")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.option("--debug", is_flag=True)
def rulesets_show(ruleset: str, lang: str, debug: bool) -> None:
    """Every rule of RULESET (id or path) with its threshold and citation."""
    loaded = _guarded(debug, lambda: load_ruleset(ruleset))
    chain = f" (extends {' -> '.join(loaded.extends_chain)})" if loaded.extends_chain else ""
    _echo(f"{loaded.id} {loaded.version}{chain}: {loaded.title.get(lang)}")
    _print_provenance(loaded)
    for rule in loaded.rules:
        cite = rule.citation
        confidence = f", {cite.confidence} confidence" if cite.confidence else ""
        _echo(f"  {rule.id} [{rule.family.value}, {rule.severity.value}] {rule.title.get(lang)}")
        _echo(
            f"      {rule.metric} {rule.require.op} {rule.require.value:g} {rule.require.unit}; "
            f"{cite.document} {cite.clause} ({cite.status.value}{confidence})"
        )
        if rule.added_by:
            _echo(f"      added by {rule.added_by}")
        for override in rule.overrides:
            via = f" through {override.via}" if override.via else ""
            old, new = (override_value(value, override.unit, lang) for value in (override.old, override.new))
            _echo(f"      overridden {override.field}: {old} -> {new} by {override.by}{via}")


def _print_provenance(ruleset: Ruleset) -> None:
    """The files (with SHA-256) that made the ruleset and the parent rules it disabled."""
    _echo(f"  sha256 {ruleset.sha256} ({'bundled' if ruleset.bundled else 'local, not bundled'})")
    for file in ruleset.files:
        _echo(f"  file {file.path} [{file.ruleset_id}, {file.role}] sha256 {file.sha256}")
    for disabled in ruleset.disabled_rules:
        _echo(f"  disabled by {disabled.by}: {disabled.rule_id}")
    for override in ruleset.extraction_overrides:
        old, new = (override_value(value, None, "en") for value in (override.old, override.new))
        _echo(f"  overridden {override.field}: {old} -> {new} by {override.by}")


@rulesets.command("validate")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--debug", is_flag=True)
def rulesets_validate(path: Path, debug: bool) -> None:
    """Validate a ruleset file; exit 2 with the file, rule id and field of each problem."""
    if not path.exists():
        raise InputError(f"{path}: ruleset file not found")
    try:
        loaded = load_ruleset(path)
    except RulesetError as exc:
        _fail(exc, debug)
    _echo(f"{path}: valid ({loaded.id} {loaded.version}, {len(loaded.rules)} rules)")
    _print_provenance(loaded)


main.add_command(ids_group)

if __name__ == "__main__":  # python -m checker.cli, as the greencheck command
    main()
