"""The `greencheck` command: a thin click layer over checker.api.

Exit codes: 0 = no rule at or above --fail-on severity failed or stayed unknown; 1 = such a rule did;
2 = the check could not be trusted (bad input, bad ruleset, unwritable report, a model that crashed the checker or
exceeded its limits). 2 wins over 1 over 0. A signal stops the run with 128 + its number (Ctrl-C 130, SIGTERM 143).
Everything printed that came from a model, a ruleset or a path goes through checker.console.printable.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import click

from checker import __version__
from checker.cli_batch import batch
from checker.cli_ids import ids_group
from checker.cli_options import fail_on_option, lang_option, limit_options, ruleset_option
from checker.cli_rulesets import rulesets
from checker.cli_serve import serve, users
from checker.cli_support import (  # noqa: F401 - _error_line is part of the tested surface
    EXIT_CODES_HELP,
    EXIT_ERROR,
    EXIT_OK,
    InputError,
    _configure_logging,
    _echo,
    _error_line,
    _formats,
    _guarded,
    _print_traceback,
)
from checker.defaults import STDOUT
from checker.interrupts import Interrupted, signals_as_exceptions

if TYPE_CHECKING:
    from checker.rules.results import CheckRun

# The checking machinery (ifcopenshell, pydantic models, report templates) is imported inside the commands that use
# it: `greencheck --help` and `rulesets list` stay fast (issue 13, item 4).


class _Group(click.Group):
    """Ctrl-C and SIGTERM end any command with 128 + the signal number after the cleanup ran, never click's
    "Aborted!" with exit 1 (the code for "a rule failed")."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with signals_as_exceptions():
                return super().invoke(ctx)
        except (Interrupted, KeyboardInterrupt) as exc:
            from checker.api import remove_unfinished_writes

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
@ruleset_option
@click.option(
    "-f",
    "--format",
    "formats",
    default=["html,json"],
    multiple=True,
    show_default=True,
    help="Report formats, comma-separated or repeated (-f html -f json).",
)
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("reports"),
    show_default=True,
    help="Folder for the reports; '-' writes the one report (one model, one format) to stdout, all else to stderr.",
)
@lang_option
@fail_on_option
@click.option(
    "--soft-fail", is_flag=True, help="Exit 0 even when rules fail or stay unknown (2 still means untrusted)."
)
@click.option(
    "--waivers",
    type=click.Path(path_type=Path, dir_okay=False),
    help="TOML file of accepted findings (rule, building, elements, reason, approver, expires): shown, not counted.",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="An earlier JSON report of the project: fails and unknowns already there, no worse, do not count.",
)
@limit_options
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
    formats: tuple[str, ...],
    out: Path,
    lang: str,
    fail_on: str,
    soft_fail: bool,
    waivers: Path | None,
    baseline: Path | None,
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
    from checker.api import (
        check_file,
        check_file_isolated,
        plan_reports,
        report_suffixes,
        stdout_reserved_for_report,
        stdout_usage_error,
        write_report_to,
        write_reports,
    )
    from checker.isolation import Limits, private_tempdir
    from checker.model.ids_run import load_ids
    from checker.report import ReportOptions
    from checker.rules.loader import load_ruleset
    from checker.rules.results import RulesetRef, exit_status
    from checker.rules.review import apply_review, load_review
    from checker.terminal import file_lines, ruleset_lines, shown_names, tally_line

    _configure_logging(debug)
    chosen = _formats(formats)
    to_stdout = out == STDOUT
    if to_stdout and (usage := stdout_usage_error(models, chosen)):
        raise InputError(usage)
    loaded = _guarded(debug, lambda: load_ruleset(ruleset))
    review = _guarded(debug, lambda: load_review(waivers, baseline))
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
                run = apply_review(run_check(model), review)
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
            worst = max(worst, EXIT_OK if soft_fail else exit_status(run, fail_on))
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


main.add_command(batch)
main.add_command(rulesets)
main.add_command(ids_group)
main.add_command(serve)
main.add_command(users)

if __name__ == "__main__":  # python -m checker.cli, as the greencheck command
    main()
