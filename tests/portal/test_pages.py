"""The server-rendered pages through their real forms (FastAPI's TestClient), on SQLite and PostgreSQL: from sign-in to
a signed-off revision and its review opinion, and the pages' refusals (CSRF, another applicant's project, roles)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from checker.portal.db import DECISIONS, JOB_STATES, ROLES
from checker.portal.pages_review import inline_report_policy
from checker.portal.texts import TEXTS
from checker.rules.results import Status
from checker.rules.schema import SourceStatus
from tests.portal.conftest import SAMPLES, PortalUnderTest

FAIL_SAMPLE = "prefab-fail-government.ifc"
FAIL_BUILDING = "0hEbSnznDKh8jLqKO0J1za"  # District Service Hall
TEMPLATES = Path(__file__).resolve().parents[2] / "checker" / "portal" / "templates"


def revised_model(folder: Path) -> Path:
    """Revision 2 of the same building: the prefab-compliant sample, its building given r1's GlobalId (a designer's
    re-export keeps it), so the comparison matches rule by rule instead of seeing two buildings."""
    data = (
        (SAMPLES / "prefab-pass-public-aa.ifc").read_bytes().replace(b"3erMXfi6fJcA2MvLBMNiOH", FAIL_BUILDING.encode())
    )
    path = folder / "district-service-hall-r2.ifc"
    path.write_bytes(data)
    return path


def csrf_of(html: str) -> str:
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def post_form(client: TestClient, page: str, action: str, data: dict[str, Any], **kwargs: Any) -> Any:
    """Post a form as a browser would: with the CSRF token of the page it is on."""
    token = csrf_of(client.get(page).text)
    return client.post(action, data={**data, "csrf_token": token}, follow_redirects=False, **kwargs)


def upload_form(client: TestClient, project: int, path: Path, note: str = "") -> Any:
    files = [("files", (path.name, path.read_bytes(), "application/octet-stream"))]
    return post_form(client, f"/projects/{project}", f"/projects/{project}/submissions", {"note": note}, files=files)


def wait_for_verdict(client: TestClient, url: str, timeout_s: float = 120) -> str:
    """The revision page once every file is checked (it reloads itself while pending)."""
    deadline = time.monotonic() + timeout_s
    while True:
        html = client.get(url).text
        if 'data-verdict="pending"' not in html or time.monotonic() > deadline:
            assert 'http-equiv="refresh"' not in html or 'data-verdict="pending"' in html
            return html
        assert '<meta http-equiv="refresh" content="3">' in html
        time.sleep(0.3)


def group_rules(html: str, group: str) -> set[str]:
    section = html.split(f'data-group="{group}"', 1)[1].split("</section>", 1)[0]
    return set(re.findall(r'data-rule="([^"]+)"', section))


def new_project(client: TestClient, name: str, code: str = "BJ-2025-017") -> int:
    response = post_form(
        client, "/projects/new", "/projects/new",
        {"name": name, "code": code, "applicant_org": "Tongzhou Development Co.", "design_unit": "BIAD Studio 3"},
    )  # fmt: skip
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_upload_to_signed_off_revision(portal: PortalUnderTest, tmp_path: Path) -> None:
    portal.user("alice", "applicant", organisation="Tongzhou Development Co.")
    portal.user("olga", "officer", organisation="Sub-center review office")
    applicant = portal.new_client()
    portal.login(applicant, "alice")
    project = new_project(applicant, "District Service Hall")
    assert "District Service Hall" in applicant.get("/").text

    first = upload_form(applicant, project, SAMPLES / FAIL_SAMPLE, note="first issue")
    assert first.status_code == 303 and first.headers["location"] == f"/projects/{project}/r/1"
    r1 = wait_for_verdict(applicant, f"/projects/{project}/r/1")
    assert 'id="verdict" data-verdict="non_compliant"' in r1
    assert 'data-rule="BJ-PREFAB-001" data-status="fail"' in r1 and "27hOfTV4DKDOmuvwQyP7O_" in r1
    assert "Waive" not in r1 and "豁免…" not in r1  # an applicant gets no waive form
    second = upload_form(applicant, project, revised_model(tmp_path))
    assert second.headers["location"] == f"/projects/{project}/r/2"
    r2 = wait_for_verdict(applicant, f"/projects/{project}/r/2")
    assert 'id="verdict" data-verdict="non_compliant"' in r2

    timeline = applicant.get(f"/projects/{project}?lang=en").text
    assert '<tr data-revision="2">' in timeline and '<tr data-revision="1">' in timeline
    assert timeline.count('data-verdict="non_compliant"') == 2 and "first revision" in timeline
    assert f"/projects/{project}/compare?from=1&amp;to=2" in timeline

    comparison = applicant.get(f"/projects/{project}/compare?from=1&to=2&lang=en").text
    assert {"BJ-PREFAB-001", "BJ-PREFAB-003", "BJ-PREFAB-005"} <= group_rules(comparison, "fixed")
    # the revised model changed facts, not the design, for these: no longer applicable is shown apart from fixed
    assert {"BJ-PV-002", "BJ-GM-009"} <= group_rules(comparison, "dropped")
    assert not group_rules(comparison, "fixed") & group_rules(comparison, "dropped")
    assert "(fail → not applicable)" in unescape(comparison.split('data-group="dropped"', 1)[1])
    assert {"BJ-PV-001", "BJ-BIM-001"} <= group_rules(comparison, "still_fail")
    assert group_rules(comparison, "new_fail") == set()
    assert "BJ-STAR-001" in group_rules(comparison, "still_unknown")
    assert "33.5 % → 81.3 %" in unescape(comparison)  # BJ-PREFAB-005, the prefab component ratio
    assert "Fixed since r1" in comparison

    officer = portal.new_client()
    portal.login(officer, "olga")
    page = f"/projects/{project}/r/2"
    before = officer.get(page + "?lang=en").text
    fails_before = int(re.search(r'data-count="fail">fail (\d+)', before).group(1))  # type: ignore[union-attr]
    pv_waiver = {
        "rule_id": "BJ-PV-001",
        "building": FAIL_BUILDING,
        "reason": "PV on the annex, phase 2",
        "revision": "2",
    }
    waived = post_form(officer, page, f"/projects/{project}/waivers", {**pv_waiver, "expires": "2099-01-01"})
    assert waived.status_code == 400 and "days ahead" in waived.text  # more than three years ahead is refused
    expiry = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 90 * 86400))
    waived = post_form(officer, page, f"/projects/{project}/waivers", {**pv_waiver, "expires": expiry})
    assert waived.status_code == 303 and waived.headers["location"] == page
    after = officer.get(page + "?lang=en").text
    assert f'data-rule="BJ-PV-001" data-status="fail" data-building="{FAIL_BUILDING}" data-accepted="1"' in after
    assert "1 accepted by a waiver (not counted)" in after
    assert int(re.search(r'data-count="fail">fail (\d+)', after).group(1)) == fails_before  # type: ignore[union-attr]
    assert "PV on the annex, phase 2" in officer.get(f"/projects/{project}").text  # the waivers list
    for rule in ("BJ-BIM-001", "BJ-E55-SOLAR", "BJ-GM-005"):  # every other fail: only unknowns are left
        form = {"rule_id": rule, "building": FAIL_BUILDING, "reason": "accepted at the meeting", "expires": expiry}
        assert post_form(officer, page, f"/projects/{project}/waivers", form).status_code == 303
    settled = officer.get(page + "?lang=en").text
    assert 'id="verdict" data-verdict="incomplete"' in settled and "4 accepted by a waiver" in settled

    signed = post_form(
        officer, page, f"{page}/signoff",
        {"decision": "approved_with_conditions", "opinion": "Add the PV panels of phase 2 before completion."},
    )  # fmt: skip
    assert signed.status_code == 303
    record = officer.get(page + "?lang=en").text
    sha256 = re.search(r'data-field="report-sha256">([0-9a-f]{64})<', record).group(1)  # type: ignore[union-attr]
    assert (
        'id="signoff-record" data-decision="approved_with_conditions"' in record and 'id="signoff-form"' not in record
    )
    again = post_form(officer, page, f"{page}/signoff", {"decision": "rejected", "opinion": "no"})
    assert again.status_code == 409 and "already signed off" in again.text

    opinion = officer.get(f"{page}/opinion").text
    assert "绿色建筑 BIM 审查意见书" in opinion and "District Service Hall" in opinion and "BJ-2025-017" in opinion
    assert "Tongzhou Development Co." in opinion and "BIAD Studio 3" in opinion
    assert "有条件通过" in opinion and "Add the PV panels of phase 2 before completion." in opinion
    assert sha256 in opinion and "beijing-subcenter-2024" in opinion
    assert 'data-rule="BJ-PV-001"' in opinion and "PV on the annex, phase 2" in opinion  # a waived finding, marked
    assert 'data-rule="BJ-BIM-001"' in opinion and 'data-rule="BJ-STAR-001"' in opinion  # fails and unknowns
    assert "0Jzr9g06zKnPleR7eABWb_" in opinion  # a failing element's GlobalId (BJ-GM-005's elements)
    english = officer.get(f"{page}/opinion?lang=en").text
    assert "Green-building BIM review opinion" in english and "approved with conditions" in english
    pdf = officer.get(f"{page}/opinion.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 5000
    assert officer.get(f"/projects/{project}/r/1/opinion").status_code == 404  # r1 was never signed off

    log = applicant.get(f"/projects/{project}/audit?lang=en").text
    for action in ("project_created", "submitted", "waived", "signed_off"):
        assert f'data-action="{action}"' in log
    listed = applicant.get("/?lang=en").text
    assert 'data-decision="approved_with_conditions"' in listed and 'id="indicator-' in listed


def test_reports_download_and_inline_view(portal: PortalUnderTest) -> None:
    portal.user("alice", "applicant")
    client = portal.new_client()
    portal.login(client, "alice")
    project = new_project(client, "Depot")
    upload_form(client, project, SAMPLES / "pass-public-office.ifc")
    html = wait_for_verdict(client, f"/projects/{project}/r/1")
    job = re.search(r'data-job="(\d+)"', html).group(1)  # type: ignore[union-attr]
    base = f"/projects/{project}/r/1/jobs/{job}/report"
    junit = client.get(f"{base}.junit")
    assert junit.headers["content-disposition"] == "attachment; filename*=UTF-8''pass-public-office-r1.junit.xml"
    assert b"<testsuites" in junit.content
    assert client.get(f"{base}.json").json()["model"]["file"] == "pass-public-office.ifc"
    inline = client.get(f"{base}.html?inline=1")
    assert "content-disposition" not in inline.headers and "<html" in inline.text
    policy = inline.headers["content-security-policy"]
    assert policy == inline_report_policy(inline.content) and "script-src 'sha256-" in policy and "sandbox" in policy
    assert client.get(f"/projects/{project}/r/2/jobs/{job}/report.json").status_code == 404  # not that revision


def test_every_form_needs_its_csrf_token(portal: PortalUnderTest) -> None:
    portal.user("alice", "applicant")
    client = portal.new_client()
    portal.login(client, "alice")
    project = new_project(client, "Depot")
    refused = client.post("/projects/new", data={"name": "No token"}, follow_redirects=False)
    assert refused.status_code == 403 and "security token" in refused.text
    wrong = client.post("/projects/new", data={"name": "Bad token", "csrf_token": "x" * 43}, follow_redirects=False)
    assert wrong.status_code == 403
    files = [("files", (FAIL_SAMPLE, (SAMPLES / FAIL_SAMPLE).read_bytes(), "application/octet-stream"))]
    assert client.post(f"/projects/{project}/submissions", files=files).status_code == 403
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert "No token" not in client.get("/").text and "Bad token" not in client.get("/").text


def test_another_applicant_sees_nothing_of_the_project(portal: PortalUnderTest) -> None:
    portal.user("alice", "applicant")
    portal.user("mallory", "applicant")
    alice = portal.new_client()
    portal.login(alice, "alice")
    project = new_project(alice, "Alice's secret tower")
    upload_form(alice, project, SAMPLES / "pass-public-office.ifc")
    html = wait_for_verdict(alice, f"/projects/{project}/r/1")
    job = re.search(r'data-job="(\d+)"', html).group(1)  # type: ignore[union-attr]
    mallory = portal.new_client()
    portal.login(mallory, "mallory")
    assert "Alice's secret tower" not in mallory.get("/").text
    for url in (
        f"/projects/{project}", f"/projects/{project}/r/1", f"/projects/{project}/compare?from=1&to=1",
        f"/projects/{project}/audit", f"/projects/{project}/r/1/opinion", f"/projects/{project}/r/1/opinion.pdf",
        f"/projects/{project}/r/1/jobs/{job}/report.json", f"/projects/{project}/r/1/jobs/{job}/report.html?inline=1",
    ):  # fmt: skip
        response = mallory.get(url)
        assert response.status_code == 404, url
        assert "secret tower" not in response.text
    files = [("files", ("x.ifc", (SAMPLES / FAIL_SAMPLE).read_bytes(), "application/octet-stream"))]
    posted = post_form(mallory, "/", f"/projects/{project}/submissions", {}, files=files)
    assert posted.status_code == 404
    assert post_form(mallory, "/", f"/projects/{project}/tokens", {"label": "steal"}).status_code == 404


def test_roles_are_enforced(portal: PortalUnderTest) -> None:
    portal.user("alice", "applicant")
    portal.user("olga", "officer")
    alice = portal.new_client()
    portal.login(alice, "alice")
    project = new_project(alice, "Depot")
    upload_form(alice, project, SAMPLES / FAIL_SAMPLE)
    wait_for_verdict(alice, f"/projects/{project}/r/1")
    waive = {"rule_id": "BJ-PV-001", "building": FAIL_BUILDING, "reason": "mine", "expires": "2030-01-01"}
    assert post_form(alice, f"/projects/{project}", f"/projects/{project}/waivers", waive).status_code == 403
    signoff = {"decision": "approved", "opinion": ""}
    assert post_form(alice, f"/projects/{project}", f"/projects/{project}/r/1/signoff", signoff).status_code == 403
    assert alice.get("/admin/users").status_code == 403
    officer = portal.new_client()
    portal.login(officer, "olga")
    assert 'id="upload-form"' not in officer.get(f"/projects/{project}").text
    files = [("files", (FAIL_SAMPLE, (SAMPLES / FAIL_SAMPLE).read_bytes(), "application/octet-stream"))]
    refused = post_form(officer, f"/projects/{project}", f"/projects/{project}/submissions", {}, files=files)
    assert refused.status_code == 403
    assert post_form(officer, "/", "/projects/new", {"name": "Officer's"}).status_code == 403


def test_names_are_escaped(portal: PortalUnderTest) -> None:
    portal.user("alice", "applicant")
    client = portal.new_client()
    portal.login(client, "alice")
    project = new_project(client, "<script>alert(1)</script>", code='"><b>x</b>')
    for url in ("/", f"/projects/{project}"):
        html = client.get(url).text
        assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<b>x</b>" not in html


def test_admin_creates_users_and_tokens_are_shown_once(portal: PortalUnderTest) -> None:
    portal.user("root", "admin")
    admin = portal.new_client()
    portal.login(admin, "root")
    created = post_form(
        admin, "/admin/users", "/admin/users",
        {"username": "bob", "role": "applicant", "display_name": "Bob Li", "organisation": "Li & Co",
         "password": "bob-long-password"},
    )  # fmt: skip
    assert created.status_code == 303 and created.headers["location"] == "/admin/users"
    assert '<tr data-user="bob">' in admin.get("/admin/users").text and "Li &amp; Co" in admin.get("/admin/users").text
    short = post_form(admin, "/admin/users", "/admin/users", {"username": "eve", "role": "officer", "password": "x"})
    assert short.status_code == 400 and "10 characters" in short.text
    bob = portal.new_client()
    portal.login(bob, "bob", "bob-long-password")
    project = new_project(bob, "Bob's school")
    shown = post_form(bob, f"/projects/{project}", f"/projects/{project}/tokens", {"label": "jenkins"})
    assert shown.status_code == 201
    secret = re.search(r'id="new-secret">(gc_[^<]+)<', shown.text).group(1)  # type: ignore[union-attr]
    assert secret not in bob.get(f"/projects/{project}").text  # shown once, kept nowhere
    api = bob.get("/api/v1/health", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200


def test_every_word_of_the_templates_is_in_both_languages() -> None:
    used = set()
    for template in TEMPLATES.glob("*.j2"):
        used |= set(re.findall(r"\bt\('([a-z0-9_]+)'\s*[,)]", template.read_text(encoding="utf-8")))
    assert {"opinion_title", "decision", "report_sha256"} <= used
    # the words a template builds from a value ('verdict_' ~ verdict), for every value there can be
    used |= {f"verdict_{v}" for v in ("compliant", "non_compliant", "incomplete", "error", "pending")}
    used |= {f"decision_{d}" for d in DECISIONS} | {f"state_{s}" for s in JOB_STATES} | {f"role_{r}" for r in ROLES}
    used |= {f"status_{s.value}" for s in Status} | {f"cite_{s.value}" for s in SourceStatus}
    used |= {f"group_{g}" for g in ("fixed", "new_fail", "still_fail", "new_unknown", "still_unknown")}
    missing = sorted(key for key in used if key not in TEXTS or not TEXTS[key].get("zh") or not TEXTS[key].get("en"))
    assert missing == []


def test_uploads_over_the_rate_limit_are_refused(make_portal: Callable[..., PortalUnderTest]) -> None:
    portal = make_portal(uploads_per_minute=1)
    portal.user("alice", "applicant")
    client = portal.new_client()
    portal.login(client, "alice")
    project = new_project(client, "Depot")
    assert upload_form(client, project, SAMPLES / "pass-public-office.ifc").status_code == 303
    refused = upload_form(client, project, SAMPLES / FAIL_SAMPLE)
    assert refused.status_code == 429 and "more than 1 uploads a minute" in refused.text
    empty = [("files", ("", b"", "application/octet-stream"))]  # a browser's form with no file chosen
    assert (
        post_form(client, f"/projects/{project}", f"/projects/{project}/submissions", {}, files=empty).status_code
        == 429
    )


def test_waivers_and_tokens_are_revoked(portal: PortalUnderTest) -> None:
    portal.user("alice", "applicant")
    portal.user("olga", "officer")
    alice = portal.new_client()
    portal.login(alice, "alice")
    project = new_project(alice, "Depot")
    empty = [("files", ("", b"", "application/octet-stream"))]
    nothing = post_form(alice, f"/projects/{project}", f"/projects/{project}/submissions", {}, files=empty)
    assert nothing.status_code == 400 and "no file uploaded" in nothing.text
    upload_form(alice, project, SAMPLES / FAIL_SAMPLE)
    page = f"/projects/{project}/r/1"
    wait_for_verdict(alice, page)
    officer = portal.new_client()
    portal.login(officer, "olga")
    expiry = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 30 * 86400))
    form = {"rule_id": "BJ-PV-001", "building": FAIL_BUILDING, "reason": "later", "expires": expiry, "revision": "1"}
    assert post_form(officer, page, f"/projects/{project}/waivers", form).status_code == 303
    accepted = f'data-rule="BJ-PV-001" data-status="fail" data-building="{FAIL_BUILDING}" data-accepted="1"'
    assert accepted in officer.get(page).text
    waiver = re.search(r'<tr data-waiver="(\d+)">', officer.get(f"/projects/{project}").text).group(1)  # type: ignore[union-attr]
    revoked = post_form(officer, f"/projects/{project}", f"/projects/{project}/waivers/{waiver}/revoke", {})
    assert revoked.status_code == 303
    assert 'data-accepted="1"' not in officer.get(page).text and "later" not in officer.get(f"/projects/{project}").text
    assert 'data-action="waiver_revoked"' in alice.get(f"/projects/{project}/audit").text

    shown = post_form(alice, f"/projects/{project}", f"/projects/{project}/tokens", {"label": "ci"})
    secret = re.search(r'id="new-secret">(gc_[^<]+)<', shown.text).group(1)  # type: ignore[union-attr]
    bearer = {"Authorization": f"Bearer {secret}"}
    assert alice.get("/api/v1/submissions/1", headers=bearer).status_code == 200
    token = re.search(r"/tokens/(\d+)/revoke", shown.text).group(1)  # type: ignore[union-attr]
    assert post_form(alice, f"/projects/{project}", f"/projects/{project}/tokens/{token}/revoke", {}).status_code == 303
    assert alice.get("/api/v1/submissions/1", headers=bearer).status_code == 401
