"""The CI API (/api/v1, OpenAPI at /api/openapi.json): upload a revision, wait for its check, fetch its reports.

Every call carries a project's API token (`Authorization: Bearer gc_...`), created by the project's applicant on the
project page; a token reaches its own project only. An upload of files the project already has (same SHA-256s, same
ruleset) returns that revision instead of queueing it again, so a retried CI step is harmless.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from checker import __version__
from checker.portal.access import Actor, NotFound, PortalError, token_actor, visible_project
from checker.portal.db import ApiToken, Job, Submission
from checker.portal.results import DOWNLOADS, job_for_report, rendered, revision_results, revision_verdict
from checker.portal.service import Upload, store_uploads, submission_state, submit
from checker.portal.web import portal_of

router = APIRouter(prefix="/api/v1", tags=["CI API"])
bearer = HTTPBearer(auto_error=False, description="a project's API token, gc_...")
MAX_WAIT_S = 60.0
POLL_S = 0.25


class TooManyRequests(PortalError):
    status = 429


class Unauthorised(PortalError):
    status = 401


class FileOut(BaseModel):
    name: str
    sha256: str
    size: int


class JobOut(BaseModel):
    id: int
    submission_id: int
    revision: int
    file: str
    status: str = Field(description="queued, running, done or failed")
    phase: str = Field(description="while running: starting, reading, extracting, evaluating")
    attempts: int
    verdict: str | None = Field(description="compliant, non_compliant or incomplete once done")
    counts: dict[str, int] = Field(description="results per status once done")
    error: str = Field(description="why the check failed, one line")
    created_at: str
    started_at: str | None
    finished_at: str | None
    reports: dict[str, str] = Field(description="format -> URL, once done")


class RulesetOut(BaseModel):
    id: str
    version: str
    sha256: str


class SubmissionOut(BaseModel):
    id: int
    project_id: int
    revision: int
    created: bool = Field(description="false: these files were already submitted; this is that revision")
    state: str = Field(description="queued, running, done or failed over its jobs")
    verdict: str = Field(description="worst verdict over its files after waivers; pending while checking")
    ruleset: RulesetOut
    files: list[FileOut]
    jobs: list[JobOut]
    signed_off: str | None = Field(description="the decision, once an officer signed the revision off")
    url: str = Field(description="the revision's page in the portal")


def token_required(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> int:
    """The token's id; 401 without a valid token."""
    with portal_of(request).db.session() as session:
        actor = token_actor(session, credentials.credentials if credentials else None)
        if actor is None or actor.token is None:
            raise Unauthorised("a valid project API token is required: Authorization: Bearer gc_...")
        return actor.token.id


TokenId = Annotated[int, Depends(token_required)]


def _actor(session: Session, token_id: int) -> Actor:
    token = session.get(ApiToken, token_id)
    if token is None or token.revoked_at is not None:
        raise Unauthorised("the API token was revoked")
    return Actor(token=token)


def job_out(request: Request, job: Job) -> JobOut:
    reports = {fmt: str(request.url_for("job_report", job_id=job.id, fmt=fmt)) for fmt in DOWNLOADS}
    return JobOut(
        id=job.id,
        submission_id=job.submission_id,
        revision=job.submission.revision,
        file=job.file.filename,
        status=job.status,
        phase=job.phase,
        attempts=job.attempts,
        verdict=job.verdict,
        counts=json.loads(job.counts or "{}"),
        error=job.error,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        reports=reports if job.status == "done" else {},
    )


def submission_out(request: Request, session: Session, submission: Submission, created: bool) -> SubmissionOut:
    store = portal_of(request).store
    return SubmissionOut(
        id=submission.id,
        project_id=submission.project_id,
        revision=submission.revision,
        created=created,
        state=submission_state(submission),
        verdict=revision_verdict(revision_results(session, store, submission)),
        ruleset=RulesetOut(
            id=submission.ruleset_id, version=submission.ruleset_version, sha256=submission.ruleset_sha256
        ),
        files=[FileOut(name=f.filename, sha256=f.sha256, size=f.size) for f in submission.files],
        jobs=[job_out(request, job) for job in submission.jobs],
        signed_off=submission.signoff.decision if submission.signoff else None,
        url=f"/projects/{submission.project_id}/r/{submission.revision}",
    )


@router.get("/health", summary="Liveness: the portal answers and knows its version")
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@router.post(
    "/projects/{project_id}/submissions",
    response_model=SubmissionOut,
    status_code=202,
    summary="Upload the files of a new revision; one check job per file",
    responses={200: {"description": "these files were already submitted: that revision", "model": SubmissionOut}},
)
def upload(
    request: Request,
    project_id: int,
    token_id: TokenId,
    files: Annotated[list[UploadFile], File(description=".ifc or .ifczip files")],
    note: Annotated[str, Form()] = "",
) -> Response:
    portal = portal_of(request)
    if not portal.upload_limiter.allow(f"token:{token_id}"):
        retry = portal.upload_limiter.retry_after(f"token:{token_id}")
        raise TooManyRequests(f"more than {portal.settings.uploads_per_minute} uploads a minute: retry in {retry} s")
    with portal.db.session() as session:
        actor = _actor(session, token_id)
        project = visible_project(session, actor, project_id)
        stored = store_uploads(
            portal.store, [Upload(f.filename or "", f.file) for f in files], portal.settings.max_upload_bytes
        )
        submission, created = submit(session, actor, project, stored, note)
        session.commit()
        body = submission_out(request, session, submission, created)
    portal.workers.wake()
    return JSONResponse(body.model_dump(mode="json"), status_code=202 if created else 200)


def _wait_for(wait: float, finished: Callable[[], bool]) -> None:
    deadline = time.monotonic() + min(max(wait, 0.0), MAX_WAIT_S)
    while time.monotonic() < deadline and not finished():
        time.sleep(POLL_S)


@router.get("/submissions/{submission_id}", response_model=SubmissionOut, summary="A revision and its jobs")
def get_submission(
    request: Request,
    submission_id: int,
    token_id: TokenId,
    wait: Annotated[float, Query(ge=0, le=MAX_WAIT_S, description="wait up to this many seconds to finish")] = 0,
) -> SubmissionOut:
    db = portal_of(request).db

    def load(session: Session) -> Submission:
        submission = session.get(Submission, submission_id)
        actor = _actor(session, token_id)
        if submission is None or not actor.sees(submission.project):
            raise NotFound(f"no submission {submission_id}")
        return submission

    def finished() -> bool:
        with db.session() as session:
            return submission_state(load(session)) in ("done", "failed")

    _wait_for(wait, finished)
    with db.session() as session:
        return submission_out(request, session, load(session), True)


@router.get("/jobs/{job_id}", response_model=JobOut, summary="One file's check: status, progress, verdict")
def get_job(
    request: Request,
    job_id: int,
    token_id: TokenId,
    wait: Annotated[float, Query(ge=0, le=MAX_WAIT_S, description="wait up to this many seconds to finish")] = 0,
) -> JobOut:
    db = portal_of(request).db

    def load(session: Session) -> Job:
        job = session.get(Job, job_id)
        actor = _actor(session, token_id)
        if job is None or not actor.sees(job.submission.project):
            raise NotFound(f"no job {job_id}")
        return job

    def finished() -> bool:
        with db.session() as session:
            return load(session).status in ("done", "failed")

    _wait_for(wait, finished)
    with db.session() as session:
        return job_out(request, load(session))


@router.get(
    "/jobs/{job_id}/report.{fmt}",
    name="job_report",
    summary="A finished job's report: json, html, junit, sarif or bcf (reviewed against the project's waivers)",
    response_class=Response,
)
def job_report(
    request: Request, job_id: int, fmt: str, token_id: TokenId, lang: Annotated[str, Query(pattern="^(zh|en)$")] = "zh"
) -> Response:
    portal = portal_of(request)
    with portal.db.session() as session:
        actor = _actor(session, token_id)
        job = session.get(Job, job_id)
        if job is None or not actor.sees(job.submission.project):
            raise NotFound(f"no job {job_id}")
        job = job_for_report(session, job.submission.project, job_id)
        data, media_type, name = rendered(session, portal.store, job, fmt, lang)
    return Response(data, media_type=media_type, headers={"Content-Disposition": attachment(name)})


def attachment(name: str) -> str:
    """A download's Content-Disposition: the uploaded file's name percent-encoded (RFC 6266), never raw."""
    return f"attachment; filename*=UTF-8''{quote(name, safe='')}"
