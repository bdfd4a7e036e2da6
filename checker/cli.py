"""The `greencheck` command: a thin click layer over checker.api.

Exit codes: 0 = no rule at or above --fail-on severity failed or stayed unknown; 1 = such a rule did;
2 = the check could not be trusted (bad input, bad ruleset, unwritable report). 2 wins over 1 over 0.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from checker import __version__
from checker.api import check_file, write_reports
from checker.errors import CheckerError, RulesetError
from checker.report import LANGUAGES, REPORTERS
from checker.report.provenance import override_value
from checker.rules.loader import DEFAULT_RULESET, list_rulesets, load_ruleset
from checker.rules.results import FAIL_ON_SEVERITIES, CheckRun, exit_status
from checker.rules.schema import Ruleset

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


class InputError(click.ClickException):
    """One line on stderr, exit code 2."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        click.echo(f"greencheck: error: {self.message}", err=True)


def _fail(exc: BaseException, debug: bool) -> NoReturn:
    if debug:
        traceback.print_exception(exc)
    message = (
        str(exc)
        if isinstance(exc, CheckerError)
        else f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)"
    )
    raise InputError(message.splitlines()[0] if message else type(exc).__name__)


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="greencheck")
def main() -> None:
    """Check IFC building models against Chinese green-building rulesets."""


@main.command()
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
    help="Folder for the reports.",
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
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
def check(
    models: tuple[Path, ...],
    ruleset: str,
    formats: str,
    out: Path,
    lang: str,
    fail_on: str,
    geometry_limit: int | None,
    quiet: bool,
    debug: bool,
) -> None:
    """Check MODELS (.ifc / .ifczip) and write reports. A bad file is reported and skipped; the others are checked."""
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    chosen = _formats(formats)
    loaded = _guarded(debug, lambda: load_ruleset(ruleset))
    worst = EXIT_OK
    stems: set[str] = set()
    for model in models:
        try:
            run = check_file(model, loaded, geometry_limit=geometry_limit)
            stem = _unique_stem(model, stems, run)
            written = write_reports(run, chosen, out, stem, lang)
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
            if debug:
                traceback.print_exception(exc)
            shown = (
                str(exc)
                if isinstance(exc, CheckerError)
                else f"{model}: internal error: {type(exc).__name__}: {exc} (run with --debug)"
            )
            click.echo(f"greencheck: error: {shown.splitlines()[0]}", err=True)
            worst = EXIT_ERROR
            continue
        if not quiet:
            _print_summary(run, written)
        worst = max(worst, exit_status(run, fail_on))
    sys.exit(worst)


def _unique_stem(model: Path, used: set[str], run: CheckRun) -> str:
    stem = model.name.rsplit(".", 1)[0]
    if stem in used:
        stem = f"{stem}-{run.model.sha256[:8]}"
    used.add(stem)
    return stem


def _print_summary(run: CheckRun, written: list[Path]) -> None:
    counts = ", ".join(f"{n} {status}" for status, n in run.summary.counts.items() if n)
    click.echo(f"{run.model.file}: {run.summary.verdict.upper()} ({counts})")
    for warning in run.model.warnings:
        click.echo(f"  warning: {warning}")
    if not run.ruleset.bundled:
        click.echo(
            f"  warning: checked against the local ruleset '{run.ruleset.id}' ({run.ruleset.path}, "
            f"sha256 {run.ruleset.sha256}), not a bundled one"
        )
    basis = run.summary.unconfirmed_basis
    if basis.unconfirmed:
        click.echo(
            f"  note: {basis.unconfirmed} of {basis.decisive} decisive results rest on recalled or partly confirmed "
            f"figures (error severity: {basis.unconfirmed_errors} of {basis.decisive_errors}); verify before approval"
        )
    for building in run.buildings:
        failing = [r.rule_id for r in building.results if r.status.value in ("fail", "error")]
        unknown = [r.rule_id for r in building.results if r.status.value == "unknown"]
        line = (
            f"  {building.name or building.global_id}: fail {', '.join(failing) or '-'}; "
            f"unknown {', '.join(unknown) or '-'}"
        )
        click.echo(line)
    for path in written:
        click.echo(f"  report: {path}")


@main.group()
def rulesets() -> None:
    """List, show and validate rulesets."""


@rulesets.command("list")
@click.option("--debug", is_flag=True)
def rulesets_list(debug: bool) -> None:
    """The bundled rulesets."""
    for ruleset in _guarded(debug, list_rulesets):
        click.echo(f"{ruleset.id}\t{ruleset.version}\t{len(ruleset.rules)} rules\t{ruleset.title.en}")


@rulesets.command("show")
@click.argument("ruleset")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.option("--debug", is_flag=True)
def rulesets_show(ruleset: str, lang: str, debug: bool) -> None:
    """Every rule of RULESET (id or path) with its threshold and citation."""
    loaded = _guarded(debug, lambda: load_ruleset(ruleset))
    chain = f" (extends {' -> '.join(loaded.extends_chain)})" if loaded.extends_chain else ""
    click.echo(f"{loaded.id} {loaded.version}{chain}: {loaded.title.get(lang)}")
    _print_provenance(loaded)
    for rule in loaded.rules:
        cite = rule.citation
        confidence = f", {cite.confidence} confidence" if cite.confidence else ""
        click.echo(f"  {rule.id} [{rule.family.value}, {rule.severity.value}] {rule.title.get(lang)}")
        click.echo(
            f"      {rule.metric} {rule.require.op} {rule.require.value:g} {rule.require.unit}; "
            f"{cite.document} {cite.clause} ({cite.status.value}{confidence})"
        )
        if rule.added_by:
            click.echo(f"      added by {rule.added_by}")
        for override in rule.overrides:
            via = f" through {override.via}" if override.via else ""
            old, new = (override_value(value, override.unit, lang) for value in (override.old, override.new))
            click.echo(f"      overridden {override.field}: {old} -> {new} by {override.by}{via}")


def _print_provenance(ruleset: Ruleset) -> None:
    """The files (with SHA-256) that made the ruleset and the parent rules it disabled."""
    click.echo(f"  sha256 {ruleset.sha256} ({'bundled' if ruleset.bundled else 'local, not bundled'})")
    for file in ruleset.files:
        click.echo(f"  file {file.path} [{file.ruleset_id}, {file.role}] sha256 {file.sha256}")
    for disabled in ruleset.disabled_rules:
        click.echo(f"  disabled by {disabled.by}: {disabled.rule_id}")
    for override in ruleset.extraction_overrides:
        old, new = (override_value(value, None, "en") for value in (override.old, override.new))
        click.echo(f"  overridden {override.field}: {old} -> {new} by {override.by}")


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
    click.echo(f"{path}: valid ({loaded.id} {loaded.version}, {len(loaded.rules)} rules)")
    _print_provenance(loaded)
