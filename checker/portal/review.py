"""An officer's review of a project: waivers with a reason and an expiry, the comparison of two revisions, and the
immutable sign-off that fixes the reviewed reports by their SHA-256.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from checker.portal.access import Actor, Conflict, Forbidden, NotFound, PortalError, audit
from checker.portal.db import DECISIONS, Project, SignOff, Submission, utc_now
from checker.portal.db import Waiver as WaiverRow
from checker.portal.results import FileResult, revision_results, revision_verdict
from checker.portal.store import BlobStore
from checker.report import render
from checker.report.ci_text import measured_text
from checker.rules.results import CheckRun, RuleResult, Status

MAX_WAIVER_DAYS = 3 * 366
OPEN = (Status.FAIL, Status.UNKNOWN)


def _officer(actor: Actor) -> None:
    if not actor.reviews or actor.user is None:
        raise Forbidden("only an officer (or an admin) reviews projects")


def waive(
    session: Session, actor: Actor, project: Project, rule_id: str, building: str | None, reason: str, expires: str
) -> WaiverRow:
    """Accept a fail or unknown of `rule_id` (in one building, or in all) until `expires` (an ISO date)."""
    _officer(actor)
    assert actor.user is not None
    reason, rule_id = reason.strip(), rule_id.strip()
    if not rule_id or not reason:
        raise PortalError("a waiver needs the rule and a reason")
    try:
        until = date.fromisoformat(expires.strip())
    except ValueError:
        raise PortalError(f"expiry {expires!r} is not a date (YYYY-MM-DD)") from None
    days = (until - date.today()).days
    if days < 0 or days > MAX_WAIVER_DAYS:
        raise PortalError(f"the expiry must be from today to {MAX_WAIVER_DAYS} days ahead")
    row = WaiverRow(
        project_id=project.id,
        rule_id=rule_id[:100],
        building=(building or "").strip()[:64] or None,
        reason=reason[:2000],
        expires=until.isoformat(),
        officer_id=actor.user.id,
    )
    session.add(row)
    session.flush()
    audit(session, project.id, actor, "waived", waiver=row.id, rule=row.rule_id, building=row.building,
          reason=row.reason, expires=row.expires)  # fmt: skip
    return row


def revoke_waiver(session: Session, actor: Actor, project: Project, waiver_id: int) -> None:
    _officer(actor)
    row = session.get(WaiverRow, waiver_id)
    if row is None or row.project_id != project.id:
        raise NotFound(f"no waiver {waiver_id} in this project")
    if row.revoked_at is None:
        row.revoked_at = utc_now()
        audit(session, project.id, actor, "waiver_revoked", waiver=row.id, rule=row.rule_id)


def sign_off(
    session: Session, store: BlobStore, actor: Actor, submission: Submission, decision: str, opinion: str
) -> SignOff:
    """Record the decision on a revision once; the reviewed JSON reports are stored and named by SHA-256."""
    _officer(actor)
    assert actor.user is not None
    if decision not in DECISIONS:
        raise PortalError(f"decision must be one of {', '.join(DECISIONS)}")
    if submission.signoff is not None:
        raise Conflict(f"revision {submission.revision} is already signed off")
    results = revision_results(session, store, submission)
    verdict = revision_verdict(results)
    if verdict == "pending":
        raise Conflict(f"revision {submission.revision} is still being checked")
    if decision != "rejected" and any(r.run is None for r in results):
        raise PortalError("a file of this revision could not be checked: it can only be rejected")
    reports = []
    for result in results:
        if result.run is not None:
            sha256 = store.put_bytes(render(result.run, "json"))
            reports.append({"file": result.job.file.filename, "job": result.job.id, "sha256": sha256})
    row = SignOff(
        submission_id=submission.id,
        officer_id=actor.user.id,
        decision=decision,
        opinion=opinion.strip()[:5000],
        report_sha256=reports_digest(reports),
        reports=json.dumps(reports, ensure_ascii=False),
    )
    session.add(row)
    session.flush()
    audit(session, submission.project_id, actor, "signed_off", revision=submission.revision, decision=decision,
          verdict=verdict, report_sha256=row.report_sha256)  # fmt: skip
    return row


def reports_digest(reports: list[dict[str, object]]) -> str:
    """SHA-256 of the sha256sum-style list ("<sha256>  <file>" per line) of a sign-off's reviewed reports."""
    lines = "".join(f"{r['sha256']}  {r['file']}\n" for r in reports)
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def signed_runs(store: BlobStore, signoff: SignOff) -> list[CheckRun]:
    """The reviewed reports a sign-off fixed, read back from the store (and checked against their hashes)."""
    runs = []
    for entry in json.loads(signoff.reports):
        data = store.read(entry["sha256"])
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise PortalError(f"the stored report of {entry['file']} does not match its SHA-256")
        runs.append(CheckRun.model_validate_json(data))
    return runs


# --- comparing two revisions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    rule_id: str
    where: str  # the building's name (or GlobalId), or "project"
    before: str | None  # status, or None when the rule had no result there
    after: str | None
    before_value: str | None
    after_value: str | None
    title: str


@dataclass
class Comparison:
    """`fixed` holds only findings that now pass; one that stopped counting otherwise (now not applicable, or
    without a result: a changed use category or a deleted building can do that) is `dropped`, shown apart so that an
    officer sees what was settled by a change of the model's facts rather than of the design. Waivers apply to every
    revision of the project alike, so a waived finding moves between no groups."""

    fixed: list[Change] = field(default_factory=list)
    dropped: list[Change] = field(default_factory=list)
    new_fail: list[Change] = field(default_factory=list)
    still_fail: list[Change] = field(default_factory=list)
    new_unknown: list[Change] = field(default_factory=list)
    still_unknown: list[Change] = field(default_factory=list)
    unchanged_pass: int = 0


def shown_value(result: RuleResult, lang: str = "en") -> str | None:
    """The measured figure in the reports' words ('52.0 %', '5 points', '1★ less than declared'); None when nothing
    was measured."""
    if not result.display and result.value is None:
        return None
    return measured_text(result, lang)


def _keyed(results: list[FileResult]) -> dict[tuple[str, str], tuple[RuleResult, str]]:
    keyed: dict[tuple[str, str], tuple[RuleResult, str]] = {}
    for file_result in results:
        run = file_result.run
        if run is None:
            continue
        for result in run.project.results:
            keyed[("project", result.rule_id)] = (result, "project")
        for building in run.buildings:
            for result in building.results:
                keyed[(building.global_id, result.rule_id)] = (result, building.name or building.global_id)
    return keyed


def _counts(status: Status | None, accepted: bool) -> bool:
    return status in OPEN and not accepted


def compare(before: list[FileResult], after: list[FileResult], lang: str = "en") -> Comparison:
    """What changed from one revision to the next, per rule and building (matched by GlobalId).

    A waived finding counts as settled on either side, as it does in the verdict."""
    old, new = _keyed(before), _keyed(after)
    comparison = Comparison()
    for key in sorted(old.keys() | new.keys()):
        then, now = old.get(key), new.get(key)
        then_status = then[0].status if then else None
        now_status = now[0].status if now else None
        reference = now or then
        assert reference is not None
        result, where = reference
        change = Change(
            rule_id=key[1], where=where,
            before=then_status.value if then_status else None, after=now_status.value if now_status else None,
            before_value=shown_value(then[0], lang) if then else None,
            after_value=shown_value(now[0], lang) if now else None,
            title=result.title.get(lang) or result.title.get("en") or key[1],
        )  # fmt: skip
        was_open = _counts(then_status, bool(then and then[0].accepted))
        is_open = _counts(now_status, bool(now and now[0].accepted))
        if was_open and not is_open:
            (comparison.fixed if now_status == Status.PASS else comparison.dropped).append(change)
        elif now_status == Status.FAIL and is_open:
            (comparison.still_fail if then_status == Status.FAIL and was_open else comparison.new_fail).append(change)
        elif now_status == Status.UNKNOWN and is_open:
            target = comparison.still_unknown if then_status == Status.UNKNOWN and was_open else comparison.new_unknown
            target.append(change)
        elif now_status == Status.PASS:
            comparison.unchanged_pass += 1
    return comparison
