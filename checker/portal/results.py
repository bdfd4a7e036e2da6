"""A revision's results: the stored JSON reports, reviewed against the project's live waivers, and every other
report format rendered from them on demand (HTML, JUnit, SARIF, BCF), as `greencheck check --waivers` would.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from checker.portal.access import NotFound, PortalError
from checker.portal.db import Job, Project, Submission
from checker.portal.db import Waiver as WaiverRow
from checker.portal.store import BlobStore
from checker.report import REPORTERS, render
from checker.rules.results import CheckRun, ReviewFile
from checker.rules.review import Review, Waiver, apply_review

DOWNLOADS = ("json", "html", "junit", "sarif", "bcf")
VERDICT_ORDER = ("error", "non_compliant", "incomplete", "compliant")


@lru_cache(maxsize=64)
def _parsed(path: str) -> CheckRun:
    return CheckRun.model_validate_json(Path(path).read_bytes())


def stored_run(store: BlobStore, sha256: str) -> CheckRun:
    """A job's JSON report, parsed once per process (stored reports never change: their path is their hash)."""
    return _parsed(str(store.path(sha256)))


def live_waivers(session: Session, project: Project) -> list[WaiverRow]:
    """The project's waivers not revoked (expired ones too: the review marks their findings as counting again)."""
    query = select(WaiverRow).where(WaiverRow.project_id == project.id, WaiverRow.revoked_at.is_(None))
    return list(session.scalars(query.order_by(WaiverRow.id)))


def review_of(waivers: list[WaiverRow]) -> Review | None:
    if not waivers:
        return None
    entries = [
        Waiver(
            rule=row.rule_id,
            building=row.building,
            reason=row.reason,
            approver=row.officer.display_name or row.officer.username,
            expires=date.fromisoformat(row.expires),
        )
        for row in waivers
    ]
    text = json.dumps([entry.model_dump(mode="json") for entry in entries], sort_keys=True).encode()
    source = ReviewFile(path="portal waivers", sha256=hashlib.sha256(text).hexdigest())
    return Review(waivers=entries, waivers_file=source)


@dataclass(frozen=True)
class FileResult:
    job: Job
    run: CheckRun | None  # reviewed; None while queued or running, or when the check failed


def revision_results(session: Session, store: BlobStore, submission: Submission) -> list[FileResult]:
    review = review_of(live_waivers(session, submission.project))
    results = []
    for job in submission.jobs:
        run = None
        if job.status == "done" and job.report_sha256:
            run = apply_review(stored_run(store, job.report_sha256), review)
        results.append(FileResult(job, run))
    return results


def revision_verdict(results: list[FileResult]) -> str:
    """The worst verdict over the revision's files; 'pending' until every job has finished."""
    if any(r.job.status in ("queued", "running") for r in results) or not results:
        return "pending"
    verdicts = {"error" if r.run is None else r.run.summary.verdict for r in results}
    return next(v for v in VERDICT_ORDER if v in verdicts)


def job_for_report(session: Session, project: Project, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None or job.submission.project_id != project.id:
        raise NotFound(f"no job {job_id} in this project")
    return job


def rendered(session: Session, store: BlobStore, job: Job, fmt: str, lang: str) -> tuple[bytes, str, str]:
    """(bytes, media type, file name) of `job`'s report in `fmt`, reviewed against the project's live waivers."""
    if fmt not in DOWNLOADS:
        raise NotFound(f"no report format {fmt!r}: one of {', '.join(DOWNLOADS)}")
    if job.status != "done" or not job.report_sha256:
        raise PortalError(f"job {job.id} is {job.status}: no report yet")
    run = apply_review(stored_run(store, job.report_sha256), review_of(live_waivers(session, job.submission.project)))
    data = render(run, fmt, lang if lang in ("zh", "en") else "zh")
    reporter = REPORTERS[fmt]()
    stem = job.file.filename.rsplit(".", 1)[0]
    name = f"{stem}-r{job.submission.revision}{reporter.suffix}"
    return data, MEDIA_TYPES[fmt], name


MEDIA_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "junit": "application/xml",
    "sarif": "application/sarif+json",
    "bcf": "application/octet-stream",
}
