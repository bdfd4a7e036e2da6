"""Run a batch: each model in its own isolated child (checker.isolation), N at a time, unchanged models skipped.

Each model is checked and its reports rendered in an isolated child (checker.isolation.run_isolated), driven by a
pool of local threads or by the workers of a Dask cluster (checker.batch.runner, checker.batch.cluster): the
children do all the work in parallel and send back bytes, this process writes them, so one crashing or runaway
model costs its own row. Rows come out sorted by path whatever the finishing order or the runner.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from checker import __version__
from checker.api import atomic_write, now_utc, plan_reports, report_suffixes
from checker.batch.dashboard import render_dashboard
from checker.batch.indicators import aggregate
from checker.batch.inputs import collect_models, common_parent, file_sha256, relative_name
from checker.batch.runner import BatchOptions, ErrorLine, Job, Runner, ThreadRunner
from checker.batch.summary import BatchSummary, ModelEntry, RulesetInfo, model_entry, summary_csv, totals
from checker.errors import CheckerError
from checker.rules.results import CheckRun, exit_status
from checker.rules.schema import Ruleset

__all__ = ["BatchOptions", "NoModelsError", "batch_formats", "run_batch"]
MANIFEST_NAME = ".greencheck-batch.json"
Progress = Callable[[int, int, ModelEntry, float], None]


class NoModelsError(CheckerError):
    """No .ifc / .ifczip file among the paths given."""


def batch_formats(formats: Sequence[str]) -> list[str]:
    """The formats asked for, plus json: the summary of a skipped model is read back from its JSON report."""
    return [*formats, *([] if "json" in formats else ["json"])]


def _fingerprint(model: Path, ruleset: Ruleset, options: BatchOptions, stem: str) -> dict[str, object]:
    """What must be unchanged for a model's reports to be reused."""
    return {
        "content_sha256": file_sha256(model),
        "ruleset_sha256": ruleset.sha256,
        "version": __version__,
        "formats": options.formats,
        "lang": options.lang,
        "stem": stem,
        "geometry_limit": options.geometry_limit,
        "waivers_sha256": options.review.waivers_file.sha256
        if options.review and options.review.waivers_file
        else None,
    }


def _read_manifest(out: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_manifest(out: Path, manifest: dict[str, dict[str, object]]) -> None:
    atomic_write(out / MANIFEST_NAME, json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8"))


def _report_names(stem: str, formats: Sequence[str]) -> list[str]:
    return [f"{stem}{suffix}" for suffix in report_suffixes(formats)]


def _reuse(job: Job, manifest: dict[str, dict[str, object]], options: BatchOptions) -> CheckRun | None:
    """The previous run's result when the fingerprint matches and every report is still there, else None."""
    if options.force or job.fingerprint["content_sha256"] is None or manifest.get(job.key) != job.fingerprint:
        return None
    if not all((options.out / name).is_file() for name in _report_names(job.stem, options.formats)):
        return None
    try:
        return CheckRun.model_validate_json((options.out / f"{job.stem}.json").read_bytes())
    except (OSError, ValueError):
        return None


def run_batch(
    arguments: Sequence[Path],
    ruleset: Ruleset,
    options: BatchOptions,
    error_line: ErrorLine,
    on_progress: Progress | None = None,
) -> BatchSummary:
    """Check every model found, write its reports, then index.html, summary.json and summary.csv in options.out.

    Raises:
        NoModelsError: no model among `arguments`.
        ClusterError: options.scheduler names a Dask scheduler that cannot be reached (or dask is not installed).
        ReportError: a summary file cannot be written.
    """
    models = collect_models(arguments)
    if not models:
        raise NoModelsError(f"no .ifc or .ifczip file found in {', '.join(str(a) for a in arguments)}")
    with _runner(ruleset, options, error_line) as runner:  # a cluster is reached before any file is hashed
        return _run(models, runner, ruleset, options, on_progress)


@contextlib.contextmanager
def _runner(ruleset: Ruleset, options: BatchOptions, error_line: ErrorLine) -> Iterator[Runner]:
    """Local threads, or the workers of a Dask cluster (imported only then: dask is an optional extra)."""
    if options.scheduler is None:
        yield ThreadRunner(ruleset, options, error_line)
        return
    from checker.batch.cluster import DaskRunner, connect

    with connect(options.scheduler, options.jobs) as client:
        yield DaskRunner(client, ruleset, options, error_line)


def _run(
    models: list[Path], runner: Runner, ruleset: Ruleset, options: BatchOptions, on_progress: Progress | None
) -> BatchSummary:
    """Skip what is unchanged, check the rest with `runner`, keep the manifest current after every model."""
    parent = common_parent(models)
    plan = plan_reports(models, options.out, report_suffixes(options.formats))
    jobs = [
        Job(model, stem, name, _fingerprint(model, ruleset, options, stem))
        for model, stem in plan
        for name in [relative_name(model, parent)]
    ]
    manifest = _read_manifest(options.out)
    entries: dict[str, ModelEntry] = {}
    to_check = []
    for job in jobs:
        previous = _reuse(job, manifest, options)
        if previous is None:
            to_check.append(job)
            continue
        names = _report_names(job.stem, options.formats)
        entries[job.file] = model_entry(
            job.file, job.stem, "skipped", previous, exit_status(previous, options.fail_on), names
        )
    started = time.monotonic()

    def finished(job: Job, entry: ModelEntry) -> None:
        entries[job.file] = entry
        if entry.state == "checked":
            manifest[job.key] = job.fingerprint
        else:
            manifest.pop(job.key, None)
        _write_manifest(options.out, manifest)
        if on_progress is not None:
            on_progress(len(entries) - (len(jobs) - len(to_check)), len(to_check), entry, time.monotonic() - started)

    options.out.mkdir(parents=True, exist_ok=True)
    runner.run_all(to_check, finished)
    return _finish(jobs, entries, ruleset, options)


def _finish(jobs: list[Job], entries: dict[str, ModelEntry], ruleset: Ruleset, options: BatchOptions) -> BatchSummary:
    """Gather the rows in path order, compute the zone indicators, write the three summary files."""
    ordered = [entries[job.file] for job in jobs]
    summary = BatchSummary(
        tool_version=__version__,
        generated_at=now_utc(),
        ruleset=RulesetInfo(id=ruleset.id, version=ruleset.version, sha256=ruleset.sha256),
        lang=options.lang,
        formats=options.formats,
        exit_code=max((entry.exit_code for entry in ordered), default=0),
        totals=totals(ordered),
        models=ordered,
        indicators=aggregate([row.indicators for entry in ordered for row in entry.buildings]),
    )
    atomic_write(options.out / "summary.json", summary.model_dump_json(indent=2).encode("utf-8"))
    atomic_write(options.out / "summary.csv", summary_csv(summary))
    atomic_write(options.out / "index.html", render_dashboard(summary))
    return summary
