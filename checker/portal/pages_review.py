"""Pages of one revision: its files' checks as they progress, the findings with the officer's waive and sign-off
forms, the reports to download, and the comparison of two revisions.

No page runs a script (the portal's CSP forbids them): a revision still being checked reloads itself with
`<meta http-equiv="refresh">`. A report viewed inline gets its own policy, allowing exactly its own inline script by
hash, sandboxed away from the portal's origin.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from checker.portal.access import NotFound, PortalError, visible_project
from checker.portal.api import attachment
from checker.portal.db import DECISIONS, Job
from checker.portal.findings import Finding, findings_of
from checker.portal.pages import check_csrf, lang_of, see_other, signed_in, user_page
from checker.portal.results import DOWNLOADS, job_for_report, rendered, revision_results, revision_verdict
from checker.portal.review import compare, sign_off, waive
from checker.portal.service import submission_of
from checker.portal.web import portal_of
from checker.rules.results import CheckRun

router = APIRouter(include_in_schema=False)
DEFAULT_WAIVER_DAYS = 180
REFRESH_S = 3
_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


@dataclass(frozen=True)
class FileView:
    """One file of a revision: its job, and once checked its reviewed report and open findings."""

    job: Job
    run: CheckRun | None
    findings: list[Finding] = field(default_factory=list)


def default_expiry() -> str:
    """A waiver form's suggested expiry: half a year ahead."""
    return (date.today() + timedelta(days=DEFAULT_WAIVER_DAYS)).isoformat()


@router.get("/projects/{project_id}/r/{revision}", response_class=HTMLResponse)
def revision_page(request: Request, project_id: int, revision: int) -> Response:
    actor, web_session = signed_in(request)
    portal = portal_of(request)
    lang = lang_of(request)
    with portal.db.session() as session:
        project = visible_project(session, actor, project_id)
        submission = submission_of(project, revision)
        results = revision_results(session, portal.store, submission)
        verdict = revision_verdict(results)
        files = [FileView(r.job, r.run, findings_of(r.run, lang) if r.run else []) for r in results]
        totals: dict[str, int] = {}
        for view in files:
            for status, count in view.run.summary.counts.items() if view.run else ():
                totals[status] = totals.get(status, 0) + count
        accepted = sum(view.run.summary.accepted for view in files if view.run)
        signoff = submission.signoff
        return user_page(
            request, "revision.html.j2", actor, web_session, project=project, submission=submission, files=files,
            verdict=verdict, totals=totals, accepted=accepted, pending=verdict == "pending", refresh_s=REFRESH_S,
            signoff=signoff, signed_reports=json.loads(signoff.reports) if signoff else [], formats=DOWNLOADS,
            decisions=DECISIONS, may_review=actor.reviews, expiry=default_expiry(),
            previous=revision - 1 if revision > 1 else None,
        )  # fmt: skip


def inline_report_policy(html: bytes) -> str:
    """The HTML report's own CSP: its inline style and exactly its inline scripts (by SHA-256), nothing fetched, and
    sandboxed (no access to the portal's origin or cookies)."""
    hashes = [
        f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'" for script in _SCRIPT.findall(html)
    ]
    scripts = " ".join(hashes) or "'none'"
    return (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src {scripts}; img-src data:; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'; sandbox allow-scripts"
    )


@router.get("/projects/{project_id}/r/{revision}/jobs/{job_id}/report.{fmt}")
def report_download(
    request: Request, project_id: int, revision: int, job_id: int, fmt: str, inline: bool = False
) -> Response:
    actor, _ = signed_in(request)
    portal = portal_of(request)
    with portal.db.session() as session:
        project = visible_project(session, actor, project_id)
        job = job_for_report(session, project, job_id)
        if job.submission.revision != revision:
            raise NotFound(f"no job {job_id} in revision {revision}")
        data, media_type, name = rendered(session, portal.store, job, fmt, lang_of(request))
    if inline and fmt == "html":
        return Response(data, media_type=media_type, headers={"Content-Security-Policy": inline_report_policy(data)})
    return Response(data, media_type=media_type, headers={"Content-Disposition": attachment(name)})


@router.post("/projects/{project_id}/waivers")
def waive_form(
    request: Request,
    project_id: int,
    rule_id: Annotated[str, Form()] = "",
    building: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    expires: Annotated[str, Form()] = "",
    revision: Annotated[int | None, Form()] = None,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    actor, web_session = signed_in(request)
    check_csrf(web_session, csrf_token)
    with portal_of(request).db.session() as session:
        project = visible_project(session, actor, project_id)
        if revision:
            submission_of(project, revision)  # only a revision of this project to go back to
        waive(session, actor, project, rule_id, building or None, reason, expires)
    return see_other(f"/projects/{project_id}/r/{revision}" if revision else f"/projects/{project_id}#waivers")


@router.post("/projects/{project_id}/r/{revision}/signoff")
def signoff_form(
    request: Request,
    project_id: int,
    revision: int,
    decision: Annotated[str, Form()] = "",
    opinion: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    actor, web_session = signed_in(request)
    check_csrf(web_session, csrf_token)
    portal = portal_of(request)
    with portal.db.session() as session:
        project = visible_project(session, actor, project_id)
        sign_off(session, portal.store, actor, submission_of(project, revision), decision, opinion)
    return see_other(f"/projects/{project_id}/r/{revision}#signoff")


@router.get("/projects/{project_id}/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    project_id: int,
    before: Annotated[int | None, Query(alias="from")] = None,
    after: Annotated[int | None, Query(alias="to")] = None,
) -> Response:
    actor, web_session = signed_in(request)
    portal = portal_of(request)
    with portal.db.session() as session:
        project = visible_project(session, actor, project_id)
        revisions = [s.revision for s in project.submissions]
        if len(revisions) < 2:
            raise PortalError("a comparison needs two revisions: upload another one first")
        after = after if after is not None else revisions[-1]
        before = before if before is not None else after - 1
        old, new = submission_of(project, before), submission_of(project, after)
        old_results = revision_results(session, portal.store, old)
        new_results = revision_results(session, portal.store, new)
        verdicts = (revision_verdict(old_results), revision_verdict(new_results))
        return user_page(
            request, "compare.html.j2", actor, web_session, project=project, before=before, after=after,
            revisions=revisions, comparison=compare(old_results, new_results, lang_of(request)), verdicts=verdicts,
            pending="pending" in verdicts, refresh_s=REFRESH_S,
        )  # fmt: skip
