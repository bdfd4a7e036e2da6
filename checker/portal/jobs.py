"""The check queue: worker threads claim queued jobs from the database and check each file in an isolated child
(checker.isolation, as the batch engine does), or on a Dask cluster's workers with `--scheduler`.

The database is the queue, so nothing lives only in memory: a job is claimed by a conditional UPDATE (queued ->
running) that exactly one worker wins, on SQLite and PostgreSQL alike, and a job still `running` when the portal
starts was interrupted by a restart and is queued again. A file that crashes the parser or overruns its limits
fails its own job with a one-line reason; the workers go on.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import uuid
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from checker.api import check_file, now_utc
from checker.errors import CheckerError, ModelLoadError
from checker.isolation import Limits, run_isolated
from checker.portal.db import Database, Job, utc_now
from checker.portal.service import project_ruleset
from checker.portal.settings import PortalSettings
from checker.portal.store import BlobStore
from checker.report import render
from checker.rules.results import CheckRun
from checker.rules.schema import Ruleset

log = logging.getLogger("greencheck.portal")
MAX_ATTEMPTS = 3  # a job interrupted by three restarts in a row is failed, not tried forever


@dataclass(frozen=True)
class CheckedReport:
    """What the child sends back: the JSON report and the summary the database keeps beside it."""

    json: bytes
    verdict: str
    counts: dict[str, int]


def check_to_json(
    path: Path,
    ruleset: Ruleset,
    generated_at: str,
    geometry_limit: int | None,
    *,
    on_phase: Any,
    max_file_bytes: int,
    shown_name: str,
) -> CheckedReport:
    """The child's work: check the stored file and render its JSON report, naming the file as it was uploaded."""
    run: CheckRun = check_file(path, ruleset, generated_at, geometry_limit, on_phase, max_file_bytes)
    run = run.model_copy(update={"model": run.model.model_copy(update={"file": shown_name})})
    return CheckedReport(render(run, "json"), run.summary.verdict, dict(run.summary.counts))


@dataclass(frozen=True)
class Claimed:
    job_id: int
    sha256: str
    filename: str
    ruleset: str


def requeue_interrupted(db: Database) -> int:
    """Jobs left `running` by a stopped portal go back to the queue (or fail after MAX_ATTEMPTS); how many."""
    with db.session() as session:
        stale = list(session.scalars(select(Job).where(Job.status == "running")))
        for job in stale:
            if job.attempts >= MAX_ATTEMPTS:
                job.status, job.finished_at = "failed", utc_now()
                job.error = f"interrupted {job.attempts} times by a restart of the portal"
            else:
                job.status, job.phase, job.worker = "queued", "requeued after a restart", ""
        return len(stale)


class JobWorkers:
    """`settings.jobs` threads checking queued jobs until `stop()`."""

    def __init__(self, db: Database, store: BlobStore, settings: PortalSettings) -> None:
        self.db, self.store, self.settings = db, store, settings
        self.limits = Limits(max_memory_gb=settings.max_memory_gb, timeout_s=settings.timeout_s)
        self.name = f"{os.uname().nodename}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._threads: list[threading.Thread] = []
        self._exit = contextlib.ExitStack()
        self._client: Any = None

    def start(self) -> None:
        requeued = requeue_interrupted(self.db)
        if requeued:
            log.warning("%d job(s) interrupted by a restart were queued again", requeued)
        if self.settings.scheduler:
            from checker.batch.cluster import connect

            self._client = self._exit.enter_context(connect(self.settings.scheduler, self.settings.jobs))
        for number in range(self.settings.jobs):
            thread = threading.Thread(target=self._loop, name=f"greencheck-job-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def wake(self) -> None:
        """A submission was queued: an idle worker looks now instead of at its next poll."""
        self._wake.set()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Kill running children and wait for the threads; their jobs stay `running` and are re-queued at start."""
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout_s)
        self._exit.close()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                claimed = self._claim()
            except Exception:  # noqa: BLE001 - a database hiccup: log it and try again at the next poll
                log.exception("cannot claim a job")
                claimed = None
            if claimed is None:
                self._wake.wait(self.settings.poll_interval_s)
                self._wake.clear()
                continue
            self._run(claimed)

    def _claim(self) -> Claimed | None:
        with self.db.session() as session:
            candidates = session.scalars(select(Job.id).where(Job.status == "queued").order_by(Job.id).limit(5))
            for job_id in list(candidates):
                won = session.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.status == "queued")
                    .values(status="running", started_at=utc_now(), attempts=Job.attempts + 1, worker=self.name,
                            phase="starting")
                )  # fmt: skip
                session.commit()
                if won.rowcount == 1:  # type: ignore[attr-defined]
                    job = session.get(Job, job_id)
                    assert job is not None
                    return Claimed(job.id, job.file.sha256, job.file.filename, job.submission.project.ruleset)
        return None

    def _set(self, job_id: int, **values: object) -> None:
        with self.db.session() as session:
            session.execute(update(Job).where(Job.id == job_id, Job.worker == self.name).values(**values))

    def _run(self, claimed: Claimed) -> None:
        try:
            ruleset = project_ruleset(claimed.ruleset)
            report = self._check(claimed, ruleset)
            sha256 = self.store.put_bytes(report.json)
        except Exception as exc:  # noqa: BLE001 - one bad file is one failed job, never the end of the workers
            if self._stop.is_set():
                return  # stopped by a shutdown: left running, re-queued at the next start
            error = _one_line(exc, claimed.filename)
            self._set(claimed.job_id, status="failed", finished_at=utc_now(), error=error, phase="")
            return
        self._set(
            claimed.job_id, status="done", finished_at=utc_now(), report_sha256=sha256, verdict=report.verdict,
            counts=json.dumps(report.counts), phase="", error="",
        )  # fmt: skip

    def _check(self, claimed: Claimed, ruleset: Ruleset) -> CheckedReport:
        path = self.store.path(claimed.sha256)
        task = partial(check_to_json, max_file_bytes=self.settings.max_upload_bytes, shown_name=claimed.filename)
        args = (path, ruleset, now_utc(), self.settings.geometry_limit)
        if self._client is None:
            on_phase = partial(self._phase, claimed.job_id)
            return run_isolated(task, args, claimed.filename, self.limits, self._stop, on_phase)
        from checker.batch.cluster import check_on_worker

        self._set(claimed.job_id, phase="on the cluster")
        stop_event = f"greencheck-portal-stop-{self.name}"
        future = self._client.submit(
            check_on_worker, task, str(path.resolve()), claimed.filename, ruleset, self.settings.geometry_limit,
            self.limits, stop_event, pure=False, retries=0,
        )  # fmt: skip
        result = future.result()
        if isinstance(result, Exception):
            raise result
        return result  # type: ignore[no-any-return]

    def _phase(self, job_id: int, phase: str) -> None:
        with contextlib.suppress(Exception):  # progress is a courtesy: a busy database must not fail the check
            self._set(job_id, phase=phase)


def _one_line(exc: BaseException, filename: str) -> str:
    """A failed job's reason: the checker's own one-line message, or the exception's type and first line. A model
    that cannot be read is named as it was uploaded (`filename`), never by the blob the server stored it as."""
    if isinstance(exc, ModelLoadError):
        exc = ModelLoadError(filename, exc.reason)
    lines = str(exc).strip().splitlines()
    line = lines[0] if lines else ""
    if isinstance(exc, CheckerError):
        return line
    return f"{type(exc).__name__}: {line}" if line else type(exc).__name__
