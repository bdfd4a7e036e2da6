"""`greencheck ids export`: the data a ruleset reads as an IDS 1.0 file (checker.report.ids_export), so designers
pre-check their models in any IDS tool; `greencheck check --ids` runs such files (checker.model.ids_run)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from checker.console import printable
from checker.defaults import DEFAULT_RULESET, LANGUAGES, STDOUT
from checker.errors import CheckerError

T = TypeVar("T")


class _IdsError(click.ClickException):
    """One escaped line on stderr, exit code 2 (as checker.cli's errors)."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(printable(f"greencheck: error: {self.message}"), err=True)


def _one_line(debug: bool, action: Callable[[], T]) -> T:
    """A CheckerError becomes one line and exit 2 (--debug: raised with its traceback)."""
    try:
        return action()
    except CheckerError as exc:
        if debug:
            raise
        raise _IdsError(str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__) from None


@click.group("ids")
def ids_group() -> None:
    """IDS 1.0 (buildingSMART Information Delivery Specification) files."""


@ids_group.command("export")
@click.option(
    "-r", "--ruleset", default=DEFAULT_RULESET, show_default=True, help="Bundled ruleset id or path to a .toml file."
)
@click.option(
    "--lang", type=click.Choice(LANGUAGES), default="en", show_default=True, help="Language of the instructions."
)
@click.option(
    "-o", "--out", type=click.Path(path_type=Path, dir_okay=False), default=STDOUT, help="The .ids file; '-': stdout."
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def ids_export(ruleset: str, lang: str, out: Path, debug: bool) -> None:
    """Write the properties RULESET reads (entities, property sets, data types, allowed values) as an IDS file."""
    from checker.api import atomic_write  # imported when run: a fast --help
    from checker.model.ids_run import concrete_classes
    from checker.report.ids_export import export_ids
    from checker.rules.loader import load_ruleset

    loaded = _one_line(debug, lambda: load_ruleset(ruleset))
    data = _one_line(debug, lambda: export_ids(loaded, concrete_classes, lang).encode("utf-8"))
    if out == STDOUT:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        atomic_write(out, data)
    except OSError as exc:
        raise _IdsError(f"{out}: cannot write the IDS file ({exc.strerror or exc})") from None
    count = data.count(b"<specification ")
    click.echo(printable(f"{out}: IDS 1.0, {count} specifications"), err=True)
