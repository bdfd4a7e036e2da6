"""`greencheck batch`: many models at once, in parallel, with a dashboard (the engine is checker.batch)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from checker.cli_options import fail_on_option, lang_option, limit_options, ruleset_option
from checker.cli_support import EXIT_CODES_HELP, _configure_logging, _echo, _error_line, _formats, _guarded


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None, help="Models checked at once [default: all cores]."
)
@click.option(
    "-o", "--out", type=click.Path(path_type=Path, file_okay=False), default=Path("reports"), show_default=True,
    help="Folder for the reports, index.html, summary.json and summary.csv.",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Check every model again, even those unchanged since the last run.")
@ruleset_option
@click.option(
    "-f", "--format", "formats", default=["html,json"], multiple=True, show_default=True,
    help="Report formats per model, comma-separated or repeated (json is always written: the summary reads it back).",
)  # fmt: skip
@lang_option
@fail_on_option
@limit_options
@click.option(
    "--scheduler", default=None, metavar="tcp://HOST:PORT|local",
    help="Run the checks on a Dask cluster (needs greencheck[dask]; every worker must reach the models at the same "
    "absolute path); 'local' starts a LocalCluster of --jobs workers here.",
)  # fmt: skip
@click.option(
    "--waivers", type=click.Path(path_type=Path, dir_okay=False),
    help="TOML file of accepted findings, applied to every model as `check --waivers` does (a changed file re-checks).",
)  # fmt: skip
@click.option("-q", "--quiet", is_flag=True, help="No progress lines, only errors and the tally.")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
def batch(
    paths: tuple[Path, ...],
    jobs: int | None,
    out: Path,
    force: bool,
    ruleset: str,
    formats: tuple[str, ...],
    lang: str,
    fail_on: str,
    geometry_limit: int | None,
    max_memory: float,
    timeout: float,
    max_file_size: float,
    scheduler: str | None,
    waivers: Path | None,
    quiet: bool,
    debug: bool,
) -> None:
    """Check every model in PATHS (files, folders searched recursively, globs) in parallel; write one report per
    model plus index.html (the dashboard), summary.json and summary.csv. Unchanged models are not checked again."""
    from checker.batch.engine import BatchOptions, batch_formats, run_batch  # imported when run: a fast --help
    from checker.batch.progress import BatchProgress, batch_tally
    from checker.isolation import Limits, private_tempdir
    from checker.rules.loader import load_ruleset
    from checker.rules.review import load_review

    _configure_logging(debug)
    options = BatchOptions(
        out=out,
        formats=batch_formats(_formats(formats)),
        lang=lang,
        fail_on=fail_on,
        jobs=jobs or os.cpu_count() or 1,
        force=force,
        limits=Limits(max_memory_gb=max_memory, timeout_s=timeout),
        max_file_bytes=int(max_file_size * 1024**3),
        geometry_limit=geometry_limit,
        scheduler=scheduler,
        review=_guarded(debug, lambda: load_review(waivers, None)),
    )
    loaded = _guarded(debug, lambda: load_ruleset(ruleset))
    progress = BatchProgress(quiet, sys.stderr.isatty())
    with private_tempdir():
        summary = _guarded(debug, lambda: run_batch(paths, loaded, options, _error_line, progress.done))
    progress.close()
    _echo(batch_tally(summary, out), err=True)
    sys.exit(summary.exit_code)
