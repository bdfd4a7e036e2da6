"""Run a batch: each model in its own isolated child (checker.isolation), N at a time, unchanged models skipped.

A pool of threads each drives one isolated child (checker.isolation.run_isolated) that checks the model and renders
its reports: the children do all the work in parallel, the threads only wait on their pipes and write the bytes,
so one crashing or runaway model costs its own row. Models are started largest first so the workers finish
together; rows come out sorted by path whatever the finishing order.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from checker import __version__
from checker.api import atomic_write, check_file, now_utc, plan_reports, report_suffixes
from checker.batch.dashboard import render_dashboard
from checker.batch.indicators import aggregate
from checker.batch.inputs import collect_models, common_parent, file_sha256, file_size, relative_name
from checker.batch.summary import (
    BatchSummary,
    ModelEntry,
    RulesetInfo,
    error_entry,
    model_entry,
    summary_csv,
    totals,
)
from checker.errors import CheckerError, ReportError
from checker.isolation import Limits, run_isolated
from checker.model.loader import DEFAULT_MAX_MODEL_BYTES
from checker.report import REPORTERS, render
from checker.rules.results import CheckRun, exit_status
from checker.rules.schema import Ruleset

MANIFEST_NAME = ".greencheck-batch.json"
ErrorLine = Callable[[BaseException, object], str]
Progress = Callable[[int, int, ModelEntry, float], None]


@dataclass(frozen=True)
class BatchOptions:
    out: Path
    formats: list[str]
    lang: str = "zh"
    fail_on: str = "error"
    jobs: int = 1
    force: bool = False
    limits: Limits = Limits()
    max_file_bytes: int = DEFAULT_MAX_MODEL_BYTES
    geometry_limit: int | None = None


@dataclass(frozen=True)
class _Job:
    model: Path
    stem: str
    file: str
    fingerprint: dict[str, object]

    @property
    def key(self) -> str:
        """The manifest key: the resolved path, so another batch naming the same file finds it."""
        return os.path.realpath(self.model)


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


def _reuse(job: _Job, manifest: dict[str, dict[str, object]], options: BatchOptions) -> CheckRun | None:
    """The previous run's result when the fingerprint matches and every report is still there, else None."""
    if options.force or job.fingerprint["content_sha256"] is None or manifest.get(job.key) != job.fingerprint:
        return None
    if not all((options.out / name).is_file() for name in _report_names(job.stem, options.formats)):
        return None
    try:
        return CheckRun.model_validate_json((options.out / f"{job.stem}.json").read_bytes())
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class _Checked:
    """What a child sends back: the summary entry and the rendered reports (file name -> bytes)."""

    entry: ModelEntry
    reports: dict[str, bytes]


def _check_and_render(
    path: Path,
    ruleset: Ruleset,
    generated_at: str,
    geometry_limit: int | None,
    *,
    on_phase: Callable[[str], None],
    max_file_bytes: int,
    file: str,
    stem: str,
    formats: list[str],
    lang: str,
    fail_on: str,
) -> _Checked:
    """Check and render in the child, so the parallel part includes the rendering and only bytes come back."""
    run = check_file(path, ruleset, generated_at, geometry_limit, on_phase, max_file_bytes)
    reports = {f"{stem}{REPORTERS[fmt]().suffix}": render(run, fmt, lang) for fmt in formats}
    entry = model_entry(file, stem, "checked", run, exit_status(run, fail_on), list(reports))
    return _Checked(entry, reports)


class _Runner:
    """Checks jobs on a thread pool; `stop` kills every running child (Ctrl-C)."""

    def __init__(self, ruleset: Ruleset, options: BatchOptions, error_line: ErrorLine) -> None:
        self.ruleset, self.options, self.error_line = ruleset, options, error_line
        self.stop = threading.Event()

    def check(self, job: _Job) -> ModelEntry:
        options = self.options
        task = partial(
            _check_and_render,
            max_file_bytes=options.max_file_bytes,
            file=job.file,
            stem=job.stem,
            formats=options.formats,
            lang=options.lang,
            fail_on=options.fail_on,
        )
        try:
            args = (job.model, self.ruleset, now_utc(), options.geometry_limit)
            checked = run_isolated(task, args, str(job.model), options.limits, self.stop)
            if self.stop.is_set():
                raise CheckerError(f"{job.model}: stopped")
            for name, data in checked.reports.items():
                try:
                    atomic_write(options.out / name, data)
                except OSError as exc:
                    raise ReportError(f"{options.out / name}: cannot write report ({exc.strerror or exc})") from exc
        except Exception as exc:  # noqa: BLE001 - one bad file is one error row, never the end of the batch
            reason = self.error_line(exc, job.model)
            return error_entry(job.file, job.stem, reason.removeprefix(f"{job.model}: "))
        return checked.entry

    def run_all(self, jobs: list[_Job], on_done: Callable[[_Job, ModelEntry], None]) -> None:
        """Largest file first; on_done runs in the calling thread as each job finishes."""
        ordered = sorted(jobs, key=lambda job: (-file_size(job.model), job.file))
        executor = ThreadPoolExecutor(max_workers=max(1, self.options.jobs), thread_name_prefix="greencheck")
        try:
            pending: dict[Future[ModelEntry], _Job] = {executor.submit(self.check, job): job for job in ordered}
            while pending:
                done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    on_done(pending.pop(future), future.result())
        except BaseException:
            self.stop.set()  # Ctrl-C / SIGTERM: running children are killed, queued models never start
            raise
        finally:
            executor.shutdown(wait=True, cancel_futures=True)


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
        ReportError: a summary file cannot be written.
    """
    models = collect_models(arguments)
    if not models:
        raise NoModelsError(f"no .ifc or .ifczip file found in {', '.join(str(a) for a in arguments)}")
    parent = common_parent(models)
    plan = plan_reports(models, options.out, report_suffixes(options.formats))
    jobs = [
        _Job(model, stem, name, _fingerprint(model, ruleset, options, stem))
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

    def finished(job: _Job, entry: ModelEntry) -> None:
        entries[job.file] = entry
        if entry.state == "checked":
            manifest[job.key] = job.fingerprint
        else:
            manifest.pop(job.key, None)
        _write_manifest(options.out, manifest)
        if on_progress is not None:
            on_progress(len(entries) - (len(jobs) - len(to_check)), len(to_check), entry, time.monotonic() - started)

    options.out.mkdir(parents=True, exist_ok=True)
    _Runner(ruleset, options, error_line).run_all(to_check, finished)
    return _finish(jobs, entries, ruleset, options)


def _finish(jobs: list[_Job], entries: dict[str, ModelEntry], ruleset: Ruleset, options: BatchOptions) -> BatchSummary:
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
