"""`greencheck rulesets`: list the bundled rulesets, show one rule by rule, validate a local ruleset file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from checker.cli_support import InputError, _echo, _fail, _guarded
from checker.console import printable
from checker.defaults import LANGUAGES
from checker.errors import RulesetError

if TYPE_CHECKING:
    from checker.rules.schema import Ruleset

# The ruleset loader (pydantic, the metric registry) and the report's formatting are imported by the commands that
# use them, so `greencheck rulesets --help` costs no more than click.


@click.group()
def rulesets() -> None:
    """List, show and validate rulesets."""


@rulesets.command("list")
@click.option("--debug", is_flag=True)
def rulesets_list(debug: bool) -> None:
    """The bundled rulesets."""
    from checker.rules.loader import list_rulesets

    for ruleset in _guarded(debug, list_rulesets):
        fields = (ruleset.id, ruleset.version, f"{len(ruleset.rules)} rules", ruleset.title.en)
        click.echo("\t".join(printable(field) for field in fields))  # tab-separated: each field escaped


@rulesets.command("show")
@click.argument("ruleset")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.option("--debug", is_flag=True)
def rulesets_show(ruleset: str, lang: str, debug: bool) -> None:
    """Every rule of RULESET (id or path) with its threshold and citation."""
    from checker.report.provenance import override_value
    from checker.rules.loader import load_ruleset

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
    from checker.report.provenance import override_value

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
    from checker.rules.loader import load_ruleset

    try:
        loaded = load_ruleset(path)
    except RulesetError as exc:
        _fail(exc, debug)
    _echo(f"{path}: valid ({loaded.id} {loaded.version}, {len(loaded.rules)} rules)")
    _print_provenance(loaded)
