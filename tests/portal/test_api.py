"""The CI API end to end over httpx (FastAPI's TestClient), on SQLite and PostgreSQL: upload, idempotency, wait,
reports in every format, token scope."""

from __future__ import annotations

import json
import zipfile
from io import BytesIO

from lxml import etree

from tests.portal.conftest import PortalUnderTest, upload, wait_done


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_upload_checks_the_file_and_serves_every_report(portal: PortalUnderTest) -> None:
    portal.user("alice", "applicant", organisation="Tongzhou Design Institute")
    project = portal.project("alice")
    token = portal.token("alice", project)

    response = upload(portal.client, token, project, "prefab-fail-government.ifc", note="first issue")
    assert response.status_code == 202
    created = response.json()
    assert created["revision"] == 1 and created["created"] is True
    assert created["ruleset"]["id"] == "beijing-subcenter-2024" and len(created["ruleset"]["sha256"]) == 64
    assert created["files"][0]["name"] == "prefab-fail-government.ifc"

    body = wait_done(portal.client, token, created["id"])
    assert body["state"] == "done"
    assert body["verdict"] == "non_compliant"
    [job] = body["jobs"]
    assert job["status"] == "done" and job["attempts"] == 1 and job["error"] == ""
    assert job["counts"]["fail"] >= 1
    assert set(job["reports"]) == {"json", "html", "junit", "sarif", "bcf"}

    report = portal.client.get(f"/api/v1/jobs/{job['id']}/report.json", headers=_bearer(token))
    run = report.json()
    assert run["model"]["file"] == "prefab-fail-government.ifc"  # the uploaded name, not the store's path
    assert run["summary"]["verdict"] == "non_compliant"
    assert run["summary"]["counts"] == job["counts"]

    junit = etree.fromstring(
        portal.client.get(f"/api/v1/jobs/{job['id']}/report.junit", headers=_bearer(token)).content
    )
    assert len(junit.findall(".//failure")) >= 1
    sarif = portal.client.get(f"/api/v1/jobs/{job['id']}/report.sarif", headers=_bearer(token)).json()
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    bcf = portal.client.get(f"/api/v1/jobs/{job['id']}/report.bcf", headers=_bearer(token)).content
    assert any(name.endswith("markup.bcf") for name in zipfile.ZipFile(BytesIO(bcf)).namelist())
    html = portal.client.get(f"/api/v1/jobs/{job['id']}/report.html?lang=en", headers=_bearer(token))
    assert html.headers["content-type"].startswith("text/html") and "<html" in html.text
    assert html.headers["content-disposition"] == "attachment; filename*=UTF-8''prefab-fail-government-r1.html"


def test_the_same_files_again_return_the_same_revision(portal: PortalUnderTest) -> None:
    portal.user("alice", "applicant")
    project = portal.project("alice")
    token = portal.token("alice", project)
    first = upload(portal.client, token, project, "pass-public-office.ifc", "prefab-pass-public-aa.ifc").json()
    again = upload(portal.client, token, project, "prefab-pass-public-aa.ifc", "pass-public-office.ifc")
    assert again.status_code == 200
    assert again.json()["id"] == first["id"] and again.json()["created"] is False
    assert [j["id"] for j in again.json()["jobs"]] == [j["id"] for j in first["jobs"]]
    second = upload(portal.client, token, project, "pass-public-office.ifc")
    assert second.status_code == 202 and second.json()["revision"] == 2
    body = wait_done(portal.client, token, first["id"])
    assert body["state"] == "done" and len(body["jobs"]) == 2


def test_a_token_reaches_only_its_own_project(portal: PortalUnderTest) -> None:
    portal.user("alice", "applicant")
    portal.user("bob", "applicant")
    alices, bobs = portal.project("alice"), portal.project("bob", name="Bob's depot")
    alice_token, bob_token = portal.token("alice", alices), portal.token("bob", bobs)
    submission = upload(portal.client, alice_token, alices, "pass-public-office.ifc").json()
    job = submission["jobs"][0]["id"]

    assert upload(portal.client, bob_token, alices, "pass-public-office.ifc").status_code == 404
    for path in (f"/api/v1/submissions/{submission['id']}", f"/api/v1/jobs/{job}", f"/api/v1/jobs/{job}/report.json"):
        assert portal.client.get(path, headers=_bearer(bob_token)).status_code == 404
        assert portal.client.get(path).status_code == 401
        assert portal.client.get(path, headers=_bearer("gc_not-a-token")).status_code == 401


def test_bad_uploads_are_refused_with_one_line(portal: PortalUnderTest) -> None:
    portal.user("alice", "applicant")
    project = portal.project("alice")
    token = portal.token("alice", project)
    url = f"/api/v1/projects/{project}/submissions"
    not_ifc = portal.client.post(url, headers=_bearer(token), files=[("files", ("x.ifc", b"<html>", "text/plain"))])
    assert not_ifc.status_code == 400
    assert not_ifc.json()["detail"] == "x.ifc: not an IFC file (no ISO-10303-21 header) nor an ifczip"
    wrong_suffix = portal.client.post(url, headers=_bearer(token), files=[("files", ("x.exe", b"MZ", "text/plain"))])
    assert wrong_suffix.status_code == 400 and "not an .ifc or .ifczip file" in wrong_suffix.json()["detail"]


def test_a_broken_model_fails_its_job_not_the_portal(portal: PortalUnderTest) -> None:
    portal.user("alice", "applicant")
    project = portal.project("alice")
    token = portal.token("alice", project)
    broken = (
        b"ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\n#1=IFCWALL(;\nENDSEC;\nEND-ISO-10303-21;\n"
    )
    response = portal.client.post(
        f"/api/v1/projects/{project}/submissions",
        headers=_bearer(token),
        files=[("files", ("broken.ifc", broken, "application/octet-stream"))],
    )
    body = wait_done(portal.client, token, response.json()["id"])
    [job] = body["jobs"]
    assert body["state"] == "failed" and body["verdict"] == "error"
    assert job["status"] == "failed" and job["error"] and "\n" not in job["error"]
    # the checker's one line, naming the uploaded file, never the blob it was stored as on the server
    assert job["error"].startswith("broken.ifc: ") and "blobs" not in job["error"], job["error"]
    good = wait_done(portal.client, token, upload(portal.client, token, project, "pass-public-office.ifc").json()["id"])
    assert good["verdict"] == "compliant"


def test_openapi_documents_the_ci_api(portal: PortalUnderTest) -> None:
    spec = portal.client.get("/api/openapi.json").json()
    paths = spec["paths"]
    assert "/api/v1/projects/{project_id}/submissions" in paths
    assert "/api/v1/jobs/{job_id}/report.{fmt}" in paths
    assert "/login" not in paths  # pages are not part of the API
    assert json.dumps(spec).count("HTTPBearer") >= 1
