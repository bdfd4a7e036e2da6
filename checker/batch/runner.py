"""Where a batch's checks run: a pool of local threads, or (checker.batch.cluster) the workers of a Dask cluster.

Either way each model is checked and rendered in its own isolated child (checker.isolation.run_isolated), only the
summary entry and the report bytes come back, and this process writes them: the runners differ only in who waits
on the child. Models are started largest first so the workers finish together.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from checker.api import atomic_write, check_file, now_utc
from checker.batch.inputs import file_size
from checker.batch.summary import ModelEntry, error_entry, model_entry
from checker.defaults import DEFAULT_MAX_MODEL_BYTES
from checker.errors import CheckerError, ReportError
from checker.isolation import Limits, run_isolated
from checker.report import REPORTERS, render
from checker.rules.results import CheckRun, exit_status
from checker.rules.review import Review, apply_review
from checker.rules.schema import Ruleset

if TYPE_CHECKING:
    from collections.abc import Sequence

ErrorLine = Callable[[BaseException, object], str]
JobDone = Callable[["Job", ModelEntry], None]


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
    scheduler: str | None = None  # a Dask scheduler address, or "local" for an in-process LocalCluster
    review: Review | None = None  # waivers applied to every model's run, each on its own (checker.rules.review)


@dataclass(frozen=True)
class Job:
    model: Path
    stem: str
    file: str
    fingerprint: dict[str, object]

    @property
    def key(self) -> str:
        """The manifest key: the resolved path, so another batch naming the same file finds it."""
        return os.path.realpath(self.model)


@dataclass(frozen=True)
class Checked:
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
    review: Review | None = None,
) -> Checked:
    """Check and render in the child, so the parallel part includes the rendering and only bytes come back."""
    checked = check_file(path, ruleset, generated_at, geometry_limit, on_phase, max_file_bytes)
    run: CheckRun = apply_review(checked, review)
    reports = {f"{stem}{REPORTERS[fmt]().suffix}": render(run, fmt, lang) for fmt in formats}
    entry = model_entry(file, stem, "checked", run, exit_status(run, fail_on), list(reports))
    return Checked(entry, reports)


def largest_first(jobs: Sequence[Job]) -> list[Job]:
    return sorted(jobs, key=lambda job: (-file_size(job.model), job.file))


class Runner:
    """What every runner shares: the task a child runs, writing its reports, turning a failure into an error row."""

    def __init__(self, ruleset: Ruleset, options: BatchOptions, error_line: ErrorLine) -> None:
        self.ruleset, self.options, self.error_line = ruleset, options, error_line

    def task(self, job: Job) -> Callable[..., Checked]:
        """The child's work for `job`, called as task(path, ruleset, generated_at, geometry_limit, on_phase=...)."""
        options = self.options
        return partial(
            _check_and_render,
            max_file_bytes=options.max_file_bytes,
            file=job.file,
            stem=job.stem,
            formats=options.formats,
            lang=options.lang,
            fail_on=options.fail_on,
            review=options.review,
        )

    def store(self, checked: Checked) -> ModelEntry:
        """Write the reports the child rendered; raises ReportError when one cannot be written."""
        for name, data in checked.reports.items():
            try:
                atomic_write(self.options.out / name, data)
            except OSError as exc:
                raise ReportError(f"{self.options.out / name}: cannot write report ({exc.strerror or exc})") from exc
        return checked.entry

    def failed(self, job: Job, exc: BaseException, *labels: object) -> ModelEntry:
        """The error row: the one-line reason without the model's path (as given, or as sent to a worker)."""
        reason = self.error_line(exc, job.model)
        for label in (job.model, *labels):
            reason = reason.removeprefix(f"{label}: ")
        return error_entry(job.file, job.stem, reason)

    def run_all(self, jobs: list[Job], on_done: JobDone) -> None:
        raise NotImplementedError


class ThreadRunner(Runner):
    """Checks jobs on a pool of local threads, each waiting on one child; `stop` kills every running child."""

    def __init__(self, ruleset: Ruleset, options: BatchOptions, error_line: ErrorLine) -> None:
        super().__init__(ruleset, options, error_line)
        self.stop = threading.Event()

    def check(self, job: Job) -> ModelEntry:
        try:
            args = (job.model, self.ruleset, now_utc(), self.options.geometry_limit)
            checked = run_isolated(self.task(job), args, str(job.model), self.options.limits, self.stop)
            if self.stop.is_set():
                raise CheckerError(f"{job.model}: stopped")
            return self.store(checked)
        except Exception as exc:  # noqa: BLE001 - one bad file is one error row, never the end of the batch
            return self.failed(job, exc)

    def run_all(self, jobs: list[Job], on_done: JobDone) -> None:
        """Largest file first; on_done runs in the calling thread as each job finishes."""
        executor = ThreadPoolExecutor(max_workers=max(1, self.options.jobs), thread_name_prefix="greencheck")
        try:
            ordered = largest_first(jobs)
            pending: dict[Future[ModelEntry], Job] = {executor.submit(self.check, job): job for job in ordered}
            while pending:
                done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    on_done(pending.pop(future), future.result())
        except BaseException:
            self.stop.set()  # Ctrl-C / SIGTERM: running children are killed, queued models never start
            raise
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
