"""Projects and submissions: what the pages and the API both call, with no HTTP in it.

A submission is idempotent on its files: the same files (by SHA-256, in any order) under the same ruleset return the
existing revision and its jobs, so a CI retry never queues the same check twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from checker.errors import CheckerError
from checker.portal.access import Actor, Conflict, Forbidden, NotFound, PortalError, audit
from checker.portal.db import Job, Project, Submission, SubmissionFile
from checker.portal.store import BlobStore, TooLarge
from checker.rules.loader import load_ruleset
from checker.rules.schema import Ruleset

MODEL_SUFFIXES = (".ifc", ".ifczip")
MAX_FILES = 20
SUBMIT_ATTEMPTS = 32  # concurrent uploads to one project, each taking the next revision number in turn
STEP_MAGIC = b"ISO-10303-21"
ZIP_MAGIC = b"PK\x03\x04"


class UploadTooLarge(PortalError):
    """The files together are over --max-upload-mb (HTTP 413); nothing of them was kept."""

    status = 413


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name the client gave (shown, never used as a path) and its stream."""

    filename: str
    stream: BinaryIO


@dataclass(frozen=True)
class StoredFile:
    filename: str
    sha256: str
    size: int


@lru_cache(maxsize=16)
def project_ruleset(name: str) -> Ruleset:
    """A bundled ruleset by name, loaded once per process."""
    try:
        return load_ruleset(name)
    except CheckerError as exc:
        raise PortalError(str(exc)) from None


def create_project(
    session: Session,
    actor: Actor,
    name: str,
    code: str = "",
    applicant_org: str = "",
    design_unit: str = "",
    ruleset: str | None = None,
    default_ruleset: str = "",
) -> Project:
    if actor.user is None or actor.role not in ("applicant", "admin"):
        raise Forbidden("projects are created by applicants (or an admin)")
    name = name.strip()
    if not name:
        raise PortalError("a project needs a name")
    ruleset_name = (ruleset or default_ruleset).strip()
    project_ruleset(ruleset_name)  # refuse an unknown ruleset now, not at the first check
    project = Project(
        name=name[:300],
        code=code.strip()[:100],
        owner_id=actor.user.id,
        applicant_org=(applicant_org.strip() or actor.user.organisation)[:300],
        design_unit=design_unit.strip()[:300],
        ruleset=ruleset_name,
    )
    session.add(project)
    session.flush()
    audit(session, project.id, actor, "project_created", name=project.name, ruleset=ruleset_name)
    return project


def _looks_like_model(store: BlobStore, sha256: str) -> bool:
    with open(store.path(sha256), "rb") as handle:
        head = handle.read(256).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(STEP_MAGIC) or head.startswith(ZIP_MAGIC)


def store_uploads(store: BlobStore, uploads: list[Upload], max_bytes: int) -> list[StoredFile]:
    """Hash and store each file; refuse (PortalError, one line) what is not an IFC model or is over the limit."""
    if not uploads:
        raise PortalError("no file uploaded: attach one or more .ifc or .ifczip files")
    if len(uploads) > MAX_FILES:
        raise PortalError(f"at most {MAX_FILES} files per submission, not {len(uploads)}")
    stored: list[StoredFile] = []
    left = max_bytes
    for upload in uploads:
        name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:300]
        if not name.lower().endswith(MODEL_SUFFIXES):
            raise PortalError(f"{name or 'a file'}: not an .ifc or .ifczip file")
        try:
            sha256, size = store.put_stream(upload.stream, left)
        except TooLarge:
            raise UploadTooLarge(f"{name}: the upload is over the limit of {max_bytes // 1024**2} MB") from None
        left -= size
        if not _looks_like_model(store, sha256):
            raise PortalError(f"{name}: not an IFC file (no ISO-10303-21 header) nor an ifczip")
        stored.append(StoredFile(name, sha256, size))
    return stored


def files_key(files: list[StoredFile]) -> str:
    return hashlib.sha256("\n".join(sorted(f.sha256 for f in files)).encode()).hexdigest()


def submit(
    session: Session, actor: Actor, project: Project, files: list[StoredFile], note: str = ""
) -> tuple[Submission, bool]:
    """Revision N+1 with one queued job per file, or the existing revision with these files: (submission, created)."""
    if not actor.submits_to(project):
        raise Forbidden("only the project's applicant submits revisions")
    ruleset = project_ruleset(project.ruleset)
    ruleset_sha256 = ruleset.sha256 or ""  # set by the loader for every loaded ruleset
    key = files_key(files)
    for _attempt in range(SUBMIT_ATTEMPTS):
        existing = _same_files(session, project, key, ruleset_sha256)
        if existing is not None:
            return existing, False
        revision = (
            session.scalar(select(func.max(Submission.revision)).where(Submission.project_id == project.id)) or 0
        ) + 1
        submission = Submission(
            project_id=project.id,
            revision=revision,
            files_sha256=key,
            ruleset_id=ruleset.id,
            ruleset_version=ruleset.version,
            ruleset_sha256=ruleset_sha256,
            submitted_by=actor.name,
            note=note.strip()[:2000],
        )
        session.add(submission)
        try:
            session.flush()
            break
        except IntegrityError:
            # Another upload to this project took the revision number (or sent the same files) and committed: the
            # database made us wait for it, so the next look sees it. Each lost race means another upload won.
            session.rollback()
    else:
        raise Conflict("too many revisions were submitted to this project at the same moment: send it again")
    for position, stored in enumerate(files):
        row = SubmissionFile(
            submission_id=submission.id, position=position, filename=stored.filename, sha256=stored.sha256,
            size=stored.size,
        )  # fmt: skip
        session.add(row)
        session.flush()
        session.add(Job(submission_id=submission.id, file_id=row.id))
    audit(
        session, project.id, actor, "submitted", revision=revision,
        files=[{"name": f.filename, "sha256": f.sha256, "bytes": f.size} for f in files],
        ruleset=f"{ruleset.id} {ruleset.version}",
    )  # fmt: skip
    session.flush()
    return submission, True


def _same_files(session: Session, project: Project, key: str, ruleset_sha256: str) -> Submission | None:
    return session.scalar(
        select(Submission).where(
            Submission.project_id == project.id,
            Submission.files_sha256 == key,
            Submission.ruleset_sha256 == ruleset_sha256,
        )
    )


def submission_of(project: Project, revision: int) -> Submission:
    for submission in project.submissions:
        if submission.revision == revision:
            return submission
    raise NotFound(f"project {project.id} has no revision {revision}")


def submission_state(submission: Submission) -> str:
    """queued / running / done / failed over its jobs: done only when every job is done."""
    states = {job.status for job in submission.jobs}
    if not states:
        return "queued"
    if states <= {"done"}:
        return "done"
    if "running" in states or ("queued" in states and states & {"done", "failed"}):
        return "running"
    if "queued" in states:
        return "queued"
    return "failed"
