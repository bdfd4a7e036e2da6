"""Pages of projects: the list with each latest verdict and the zone indicators, a new project, a project's timeline
of revisions with its upload form, waivers and API tokens.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from checker.batch.indicators import Indicator, aggregate, assess
from checker.portal.access import (
    Actor,
    Forbidden,
    create_api_token,
    revoke_api_token,
    visible_project,
    visible_projects,
)
from checker.portal.api import TooManyRequests
from checker.portal.db import ApiToken, Project, Submission
from checker.portal.pages import check_csrf, see_other, signed_in, user_page
from checker.portal.results import live_waivers, revision_results, revision_verdict
from checker.portal.review import revoke_waiver
from checker.portal.service import Upload, create_project, store_uploads, submission_state, submit
from checker.portal.store import BlobStore
from checker.portal.web import portal_of
from checker.rules.loader import list_rulesets
from checker.rules.schema import I18n

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class ProjectRow:
    project: Project
    latest: Submission | None
    verdict: str | None
    decision: str | None


@dataclass(frozen=True)
class RevisionRow:
    """One line of a project's timeline; `previous` is the verdict of the revision before (None for the first)."""

    submission: Submission
    state: str
    verdict: str
    previous: str | None
    decision: str | None


def _latest_rows(
    session: Session, store: BlobStore, projects: list[Project]
) -> tuple[list[ProjectRow], list[Indicator]]:
    """Each project's latest revision with its verdict after waivers, and the zone indicators over their buildings."""
    rows, outcomes = [], []
    for project in projects:
        latest = project.submissions[-1] if project.submissions else None
        if latest is None:
            rows.append(ProjectRow(project, None, None, None))
            continue
        results = revision_results(session, store, latest)
        for result in results:
            if result.run is not None:
                outcomes += [assess(building) for building in result.run.buildings]
        decision = latest.signoff.decision if latest.signoff else None
        rows.append(ProjectRow(project, latest, revision_verdict(results), decision))
    return rows, aggregate(outcomes)


@router.get("/", response_class=HTMLResponse)
def projects_page(request: Request) -> Response:
    actor, web_session = signed_in(request)
    portal = portal_of(request)
    with portal.db.session() as session:
        rows, indicators = _latest_rows(session, portal.store, visible_projects(session, actor))
        with_buildings = sum(1 for row in rows if row.verdict not in (None, "pending"))
        return user_page(
            request, "projects.html.j2", actor, web_session, rows=rows, indicators=indicators,
            indicator_projects=with_buildings, may_create=actor.role in ("applicant", "admin"),
        )  # fmt: skip


@functools.cache
def _ruleset_choices() -> tuple[tuple[str, str, I18n], ...]:
    """The bundled rulesets (id, version, title), read once per process."""
    return tuple((r.id, r.version, r.title) for r in list_rulesets())


@router.get("/projects/new", response_class=HTMLResponse)
def new_project_form(request: Request) -> Response:
    actor, web_session = signed_in(request)
    settings = portal_of(request).settings
    return user_page(
        request, "project_new.html.j2", actor, web_session, rulesets=_ruleset_choices(),
        default_ruleset=settings.default_ruleset,
    )  # fmt: skip


@router.post("/projects/new")
def new_project(
    request: Request,
    name: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
    applicant_org: Annotated[str, Form()] = "",
    design_unit: Annotated[str, Form()] = "",
    ruleset: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    actor, web_session = signed_in(request)
    check_csrf(web_session, csrf_token)
    portal = portal_of(request)
    with portal.db.session() as session:
        project = create_project(
            session, actor, name, code, applicant_org, design_unit, ruleset or None, portal.settings.default_ruleset
        )
        project_id = project.id
    return see_other(f"/projects/{project_id}")


def timeline(session: Session, store: BlobStore, project: Project) -> list[RevisionRow]:
    """The revisions newest first, each with its verdict after the live waivers and the one before it."""
    rows: list[RevisionRow] = []
    previous: str | None = None
    for submission in project.submissions:
        verdict = revision_verdict(revision_results(session, store, submission))
        decision = submission.signoff.decision if submission.signoff else None
        rows.append(RevisionRow(submission, submission_state(submission), verdict, previous, decision))
        previous = verdict
    return rows[::-1]


def _tokens(session: Session, actor: Actor, project: Project) -> list[ApiToken] | None:
    """The project's API tokens for its applicant (or an admin); None for anybody else."""
    if actor.user is None or not actor.submits_to(project):
        return None
    query = select(ApiToken).where(ApiToken.project_id == project.id).order_by(ApiToken.id.desc())
    return list(session.scalars(query))


def _project_page(request: Request, project_id: int, new_secret: str | None = None, status_code: int = 200) -> Response:
    actor, web_session = signed_in(request)
    portal = portal_of(request)
    with portal.db.session() as session:
        project = visible_project(session, actor, project_id)
        return user_page(
            request, "project.html.j2", actor, web_session, status_code=status_code, project=project,
            revisions=timeline(session, portal.store, project), waivers=live_waivers(session, project),
            tokens=_tokens(session, actor, project), new_secret=new_secret, may_upload=actor.submits_to(project),
            max_upload_mb=portal.settings.max_upload_mb, today=date.today().isoformat(),
        )  # fmt: skip


@router.get("/projects/{project_id}", response_class=HTMLResponse)
def project_page(request: Request, project_id: int) -> Response:
    return _project_page(request, project_id)


@router.post("/projects/{project_id}/submissions")
def upload_revision(
    request: Request,
    project_id: int,
    files: Annotated[list[UploadFile | str], File()] = [],  # noqa: B006 - FastAPI copies defaults per request
    note: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    actor, web_session = signed_in(request)
    check_csrf(web_session, csrf_token)
    portal = portal_of(request)
    assert actor.user is not None
    key = f"user:{actor.user.id}"
    if not portal.upload_limiter.allow(key):
        raise TooManyRequests(
            f"more than {portal.settings.uploads_per_minute} uploads a minute: retry in "
            f"{portal.upload_limiter.retry_after(key)} s"
        )
    chosen = [Upload(f.filename, f.file) for f in files if not isinstance(f, str) and f.filename]  # "": no file chosen
    with portal.db.session() as session:
        project = visible_project(session, actor, project_id)
        if not actor.submits_to(project):
            raise Forbidden("only the project's applicant (or an admin) uploads revisions")
        stored = store_uploads(portal.store, chosen, portal.settings.max_upload_bytes)
        submission, _ = submit(session, actor, project, stored, note)
        revision = submission.revision
    portal.workers.wake()
    return see_other(f"/projects/{project_id}/r/{revision}")


@router.post("/projects/{project_id}/waivers/{waiver_id}/revoke")
def revoke_waiver_form(
    request: Request, project_id: int, waiver_id: int, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    actor, web_session = signed_in(request)
    check_csrf(web_session, csrf_token)
    with portal_of(request).db.session() as session:
        revoke_waiver(session, actor, visible_project(session, actor, project_id), waiver_id)
    return see_other(f"/projects/{project_id}#waivers")


@router.post("/projects/{project_id}/tokens", response_class=HTMLResponse)
def create_token_form(
    request: Request, project_id: int, label: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = ""
) -> Response:
    """The one answer to a form that is not a redirect: the new secret is shown here once and kept nowhere."""
    actor, web_session = signed_in(request)
    check_csrf(web_session, csrf_token)
    with portal_of(request).db.session() as session:
        secret = create_api_token(session, actor, visible_project(session, actor, project_id), label)
    return _project_page(request, project_id, new_secret=secret, status_code=201)


@router.post("/projects/{project_id}/tokens/{token_id}/revoke")
def revoke_token_form(
    request: Request, project_id: int, token_id: int, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    actor, web_session = signed_in(request)
    check_csrf(web_session, csrf_token)
    with portal_of(request).db.session() as session:
        revoke_api_token(session, actor, visible_project(session, actor, project_id), token_id)
    return see_other(f"/projects/{project_id}#tokens")
