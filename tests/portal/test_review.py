"""An officer's review through the service layer, on revisions made the way a designer makes them: the same model
(same GlobalIds) edited and uploaded again. Compared, waived, signed off; the sign-off immutable."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import ifcopenshell
import ifcopenshell.api
import ifcopenshell.util.element
import pytest
from sqlalchemy import select

from checker.portal.access import Actor, Forbidden
from checker.portal.db import ImmutableRecord, Project, SignOff, User
from checker.portal.results import revision_results, revision_verdict
from checker.portal.review import compare, reports_digest, revoke_waiver, sign_off, signed_runs, waive
from checker.portal.service import submission_of
from checker.rules.results import Status
from tests.portal.conftest import SAMPLES, PortalUnderTest, wait_done

BASE = "fail-public-office-low-pv.ifc"  # one building; fails BJ-PV-002 (31 % PV coverage) and BJ-STRUCT-STEEL


def revised(tmp_path: Path, name: str, **properties: object) -> Path:
    """The base model with CN_GreenBuilding properties edited (None removes one), its GlobalIds kept."""
    model = ifcopenshell.open(str(SAMPLES / BASE))
    building = model.by_type("IfcBuilding")[0]
    pset = model.by_id(ifcopenshell.util.element.get_psets(building)["CN_GreenBuilding"]["id"])
    ifcopenshell.api.run("pset.edit_pset", model, pset=pset, properties=properties)
    path = tmp_path / name
    model.write(str(path))
    return path


def _upload_path(portal: PortalUnderTest, token: str, project: int, path: Path) -> int:
    response = portal.client.post(
        f"/api/v1/projects/{project}/submissions",
        headers={"Authorization": f"Bearer {token}"},
        files=[("files", (BASE, path.read_bytes(), "application/octet-stream"))],
    )
    assert response.status_code == 202, response.text
    body = wait_done(portal.client, token, response.json()["id"])
    assert body["state"] == "done", body
    return int(body["revision"])


@pytest.fixture
def three_revisions(portal: PortalUnderTest, tmp_path: Path) -> tuple[PortalUnderTest, int]:
    """r1 the base model; r2 with ScoreHealth deleted and a larger roof exclusion; r3 with ScoreHealth back."""
    portal.user("alice", "applicant", organisation="Tongzhou Design Institute")
    portal.user("olga", "officer")
    project = portal.project("alice", code="TZ-2026-014", design_unit="BIAD")
    token = portal.token("alice", project)
    assert _upload_path(portal, token, project, SAMPLES / BASE) == 1
    assert (
        _upload_path(portal, token, project, revised(tmp_path, "r2.ifc", RoofExclusionArea=1300.0, ScoreHealth=None))
        == 2
    )
    assert _upload_path(portal, token, project, revised(tmp_path, "r3.ifc", RoofExclusionArea=1300.0)) == 3
    return portal, project


def _actor(session: object, username: str) -> Actor:
    user = session.scalar(select(User).where(User.username == username))  # type: ignore[attr-defined]
    return Actor(user=user)


def _results(portal: PortalUnderTest, session: object, project_id: int, revision: int) -> list:  # type: ignore[type-arg]
    project = session.get(Project, project_id)  # type: ignore[attr-defined]
    return revision_results(session, portal.app.state.portal.store, submission_of(project, revision))  # type: ignore[arg-type]


def test_comparison_names_what_was_fixed_what_is_new_and_what_still_fails(three_revisions: tuple) -> None:  # type: ignore[type-arg]
    portal, project = three_revisions
    with portal.db.session() as session:
        r1, r2, r3 = (_results(portal, session, project, n) for n in (1, 2, 3))
        first = compare(r1, r2, "en")
        second = compare(r2, r3, "en")

    assert [c.rule_id for c in first.new_fail] == ["BJ-BIM-001"]  # a data item went missing: 38 of 39 provided
    assert first.new_fail[0].after_value == "38 of 39 data items provided"
    still = {c.rule_id: c for c in first.still_fail}
    assert set(still) == {"BJ-PV-002", "BJ-STRUCT-STEEL"}
    assert (still["BJ-PV-002"].before_value, still["BJ-PV-002"].after_value) == ("31.3 %", "43.5 %")
    assert {c.rule_id for c in first.new_unknown} == {"BJ-STAR-010", "BJ-STAR-011", "BJ-STAR-012"}
    assert first.fixed == [] and first.still_unknown == []

    assert {c.rule_id for c in second.fixed} == {"BJ-BIM-001", "BJ-STAR-010", "BJ-STAR-011", "BJ-STAR-012"}
    assert {c.rule_id for c in second.still_fail} == {"BJ-PV-002", "BJ-STRUCT-STEEL"}
    assert second.new_fail == [] and second.new_unknown == []


def test_a_waiver_settles_a_finding_until_revoked_and_only_officers_waive(three_revisions: tuple) -> None:  # type: ignore[type-arg]
    portal, project_id = three_revisions
    expires = (date.today() + timedelta(days=90)).isoformat()
    with portal.db.session() as session:
        project = session.get(Project, project_id)
        assert revision_verdict(_results(portal, session, project_id, 3)) == "non_compliant"
        with pytest.raises(Forbidden):
            waive(session, _actor(session, "alice"), project, "BJ-STRUCT-STEEL", None, "steel not required", expires)
        officer = _actor(session, "olga")
        steel = waive(
            session, officer, project, "BJ-STRUCT-STEEL", None, "concrete frame agreed by the bureau", expires
        )
        pv = waive(session, officer, project, "BJ-PV-002", None, "roof shaded by the tower next door", expires)

    with portal.db.session() as session:
        results = _results(portal, session, project_id, 3)
        assert revision_verdict(results) == "compliant"
        [run] = [r.run for r in results]
        accepted = {r.rule_id: r.accepted for r in run.all_results() if r.accepted is not None}
        assert set(accepted) == {"BJ-STRUCT-STEEL", "BJ-PV-002"}
        assert accepted["BJ-PV-002"].reason == "roof shaded by the tower next door"
        assert accepted["BJ-PV-002"].expires == expires and accepted["BJ-PV-002"].approver == "Olga"
        assert run.summary.accepted == 2
        waived = compare(_results(portal, session, project_id, 2), results)  # the waivers apply to both revisions
        assert waived.still_fail == [] and "BJ-PV-002" not in {c.rule_id for c in waived.fixed}

    with portal.db.session() as session:
        revoke_waiver(session, _actor(session, "olga"), session.get(Project, project_id), pv.id)
    with portal.db.session() as session:
        assert revision_verdict(_results(portal, session, project_id, 3)) == "non_compliant"
    assert steel.id != pv.id


def test_sign_off_fixes_the_reviewed_reports_by_hash_and_cannot_change(three_revisions: tuple) -> None:  # type: ignore[type-arg]
    portal, project_id = three_revisions
    store = portal.app.state.portal.store
    with portal.db.session() as session:
        project = session.get(Project, project_id)
        submission = submission_of(project, 3)
        with pytest.raises(Forbidden):
            sign_off(session, store, _actor(session, "alice"), submission, "approved", "")
        record = sign_off(session, store, _actor(session, "olga"), submission, "rejected", "raise PV coverage to 50 %")
        record_id = record.id

    with portal.db.session() as session:
        record = session.get(SignOff, record_id)
        assert record.decision == "rejected" and record.officer.username == "olga"
        import json

        reports = json.loads(record.reports)
        assert [r["file"] for r in reports] == [BASE]
        assert record.report_sha256 == reports_digest(reports)
        [run] = signed_runs(store, record)
        assert run.summary.verdict == "non_compliant"
        assert {r.rule_id for r in run.all_results() if r.status == Status.FAIL} == {"BJ-PV-002", "BJ-STRUCT-STEEL"}

        record.decision = "approved"
        with pytest.raises(ImmutableRecord):
            session.flush()
        session.rollback()

    with portal.db.session() as session:
        from checker.portal.access import Conflict

        submission = submission_of(session.get(Project, project_id), 3)
        with pytest.raises(Conflict):
            sign_off(session, store, _actor(session, "olga"), submission, "approved", "")
        assert session.get(SignOff, record_id).decision == "rejected"
