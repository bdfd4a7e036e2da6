"""The review opinion (审查意见书) of a signed-off revision, as a printable page and as PDF rendered from the same
HTML by WeasyPrint.

It is built only from what the sign-off fixed: the reviewed JSON reports read back from the store and checked
against their SHA-256 (review.signed_runs), never from the live results, so a waiver granted or revoked later does
not change an opinion already filed. The PDF engine fetches nothing: every URL is refused, the fonts are the
system's (Noto Sans CJK SC for the Chinese text).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from checker.portal.access import NotFound, PortalError, visible_project
from checker.portal.db import Job, Project, SignOff, Submission
from checker.portal.findings import Finding, findings_of
from checker.portal.pages import LANGS, signed_in, template_env
from checker.portal.review import signed_runs
from checker.portal.service import submission_of
from checker.portal.store import BlobStore
from checker.portal.texts import translator
from checker.portal.web import portal_of
from checker.rules.results import CheckRun

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class OpinionFile:
    """One file of the revision as the sign-off fixed it; `run` is None for a file that could not be checked."""

    filename: str
    sha256: str
    size: int
    report_sha256: str | None
    run: CheckRun | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def by_owner(self) -> list[list[Finding]]:
        """The findings per building (the project's own first), fails before unknowns in each."""
        groups: dict[tuple[bool, str], list[Finding]] = {}
        for finding in self.findings:
            groups.setdefault((not finding.on_project, finding.owner_id), []).append(finding)
        return [groups[key] for key in sorted(groups, key=lambda key: key[0])]


@dataclass(frozen=True)
class Opinion:
    project: Project
    submission: Submission
    signoff: SignOff
    files: list[OpinionFile]
    number: str  # the opinion's reference: project, revision and the first digits of the report hash


def opinion_of(session: Session, store: BlobStore, project: Project, revision: int, lang: str) -> Opinion:
    submission = submission_of(project, revision)
    signoff = submission.signoff
    if signoff is None:
        raise NotFound(f"revision {revision} is not signed off: there is no review opinion yet")
    runs = signed_runs(store, signoff)
    entries: list[dict[str, Any]] = json.loads(signoff.reports)
    by_job = {int(entry["job"]): (entry["sha256"], run) for entry, run in zip(entries, runs, strict=True)}
    files = []
    for job in submission.jobs:
        report_sha256, run = by_job.get(job.id, (None, None))
        files.append(_file(job, report_sha256, run, lang))
    number = f"GC-{project.id}-R{submission.revision}-{signoff.report_sha256[:8].upper()}"
    return Opinion(project, submission, signoff, files, number)


def _file(job: Job, report_sha256: str | None, run: CheckRun | None, lang: str) -> OpinionFile:
    findings = findings_of(run, lang) if run is not None else []
    return OpinionFile(job.file.filename, job.file.sha256, job.file.size, report_sha256, run, findings)


def _lang(asked: str | None) -> str:
    """The opinion's language: Chinese unless English is asked for (the page's cookie does not decide a filing)."""
    return asked if asked in LANGS else "zh"


def _render(request: Request, project_id: int, revision: int, lang: str, for_pdf: bool) -> tuple[str, Opinion]:
    actor, _ = signed_in(request)
    portal = portal_of(request)
    with portal.db.session() as session:
        project = visible_project(session, actor, project_id)
        opinion = opinion_of(session, portal.store, project, revision, lang)
        html = (
            template_env()
            .get_template("opinion.html.j2")
            .render(o=opinion, lang=lang, t=translator(lang), for_pdf=for_pdf)
        )
    return html, opinion


@router.get("/projects/{project_id}/r/{revision}/opinion", response_class=HTMLResponse)
def opinion_page(
    request: Request, project_id: int, revision: int, lang: Annotated[str | None, Query()] = None
) -> Response:
    html, _ = _render(request, project_id, revision, _lang(lang), for_pdf=False)
    return HTMLResponse(html)


@router.get("/projects/{project_id}/r/{revision}/opinion.pdf")
def opinion_pdf(
    request: Request, project_id: int, revision: int, lang: Annotated[str | None, Query()] = None
) -> Response:
    chosen = _lang(lang)
    html, opinion = _render(request, project_id, revision, chosen, for_pdf=True)
    pdf = html_to_pdf(html)
    name = f"{opinion.number}-{chosen}.pdf"
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}"}
    )


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html`, with nothing fetched (no file, no network)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: the Pango library is missing
        raise PortalError(f"the PDF engine (WeasyPrint) is not available: {exc}") from None
    return HTML(string=html, url_fetcher=_refusing_fetcher()).write_pdf()  # type: ignore[no-any-return]


def _refusing_fetcher() -> Any:
    """WeasyPrint's fetcher that refuses every URL: a class from WeasyPrint 66 on, a function before."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:

        def refuse(url: str) -> Any:
            raise ValueError(f"the review opinion fetches nothing: {url}")

        return refuse

    class Refusing(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"the review opinion fetches nothing: {url}")

    return Refusing()
