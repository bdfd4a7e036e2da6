"""Options `check` and `batch` share, defined once so their names, defaults and help never drift apart."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from checker.defaults import (
    DEFAULT_MAX_MEMORY_GB,
    DEFAULT_MAX_MODEL_BYTES,
    DEFAULT_RULESET,
    DEFAULT_TIMEOUT_S,
    FAIL_ON_CHOICES,
    LANGUAGES,
)

F = TypeVar("F", bound=Callable[..., Any])


def _stacked(*options: Callable[[F], F]) -> Callable[[F], F]:
    def apply(function: F) -> F:
        for option in reversed(options):
            function = option(function)
        return function

    return apply


ruleset_option = click.option(
    "-r", "--ruleset", default=DEFAULT_RULESET, show_default=True, help="Bundled ruleset id or path to a .toml file."
)
lang_option = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="zh",
    show_default=True,
    help="Report language (both texts exist for every rule).",
)
fail_on_option = click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    default="error",
    show_default=True,
    help="Lowest severity whose fail or unknown makes the exit code 1.",
)
limit_options = _stacked(
    click.option(
        "--geometry-limit",
        type=click.IntRange(min=-1),
        default=None,
        help=(
            "Elements per building whose missing quantities may be derived from geometry "
            "(-1 no limit, 0 never; default from the ruleset, 400)."
        ),
    ),
    click.option(
        "--max-memory",
        type=click.FloatRange(min=0.1),
        default=DEFAULT_MAX_MEMORY_GB,
        show_default=True,
        help="Address space per model's check, in GB; a model that needs more fails alone.",
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=DEFAULT_TIMEOUT_S,
        show_default=True,
        help="Wall-clock seconds per model's check; a model that takes longer fails alone.",
    ),
    click.option(
        "--max-file-size",
        type=click.FloatRange(min=0.000001),
        default=DEFAULT_MAX_MODEL_BYTES / 1024**3,
        show_default=True,
        help="Largest model file read, in GB (an .ifczip's unpacked model too); a bigger one is refused unread.",
    ),
)
