"""The portal's limits and its records that never change, on SQLite and PostgreSQL: uploads over the size limit are
refused with 413 and leave nothing stored, a token past its uploads a minute gets 429, sign-offs and audit entries
cannot be changed or deleted through the ORM, an expired session signs nobody in, failed sign-ins are throttled."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from checker.portal.access import Actor, session_for
from checker.portal.db import AuditEntry, ImmutableRecord, Project, SignOff, User, WebSession
from checker.portal.review import sign_off
from checker.portal.service import submission_of
from tests.portal.conftest import PortalUnderTest, upload, wait_done

MB = 1024 * 1024
STEP_HEADER = b"ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\n"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _stored(portal: PortalUnderTest) -> list[str]:
    """Every file under the blob store's folder (tmp included), relative to it."""
    root = portal.settings.blob_dir
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _model_of(size: int) -> bytes:
    """An IFC-looking file of `size` bytes (a STEP header, then comment padding)."""
    return STEP_HEADER + b"/*" + b"x" * (size - len(STEP_HEADER) - 4) + b"*/"


@pytest.fixture
def small_portal(make_portal: Callable[..., PortalUnderTest]) -> tuple[PortalUnderTest, int, str]:
    """A portal taking 1 MB per upload and 3 uploads a minute per token; alice's project and its token."""
    portal = make_portal(max_upload_mb=1, uploads_per_minute=3, logins_per_minute=3)
    portal.user("alice", "applicant")
    project = portal.project("alice")
    return portal, project, portal.token("alice", project)


def test_an_upload_over_the_size_limit_is_refused_and_nothing_is_stored(
    small_portal: tuple[PortalUnderTest, int, str],
) -> None:
    portal, project, token = small_portal
    url = f"/api/v1/projects/{project}/submissions"
    cases = {
        "declared": _model_of(3 * MB),  # Content-Length over the limit: refused before the body is read
        "counted": _model_of(MB + MB // 2),  # within the request slack, over the limit once the file is counted
    }
    for name, data in cases.items():
        response = portal.client.post(url, headers=_bearer(token), files=[("files", (f"{name}.ifc", data, "x"))])
        assert response.status_code == 413, (name, response.text)
        assert "over the limit of 1 MB" in response.json()["detail"] and "\n" not in response.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        boundary = b"--limit\r\n"
        yield boundary + b'Content-Disposition: form-data; name="files"; filename="chunked.ifc"\r\n\r\n'
        for _ in range(4):
            yield _model_of(MB)

    chunked = portal.client.post(
        url, headers={**_bearer(token), "Content-Type": "multipart/form-data; boundary=limit"}, content=chunks()
    )
    assert chunked.status_code == 413, chunked.text
    assert _stored(portal) == [] and list((portal.settings.blob_dir / "tmp").iterdir()) == []
    with portal.db.session() as session:
        assert session.get(Project, project).submissions == []

    fits = upload(portal.client, token, project, "pass-public-office.ifc")  # the limit leaves normal uploads alone
    assert fits.status_code == 202 and len(_stored(portal)) == 1


def test_a_token_past_its_uploads_a_minute_gets_429(small_portal: tuple[PortalUnderTest, int, str]) -> None:
    portal, project, token = small_portal
    samples = ["pass-public-office.ifc", "prefab-pass-public-aa.ifc", "prefab-fail-government.ifc"]
    assert [upload(portal.client, token, project, name).status_code for name in samples] == [202, 202, 202]
    refused = upload(portal.client, token, project, "fail-residential-one-star.ifc")
    assert refused.status_code == 429
    [line] = refused.json()["detail"].splitlines()
    assert line.startswith("more than 3 uploads a minute: retry in ") and line.endswith(" s")
    other_project = portal.project("alice", name="Another block")
    other = upload(portal.client, portal.token("alice", other_project), other_project, "pass-public-office.ifc")
    assert other.status_code == 202  # the limit is per token
    with portal.db.session() as session:
        assert len(session.get(Project, project).submissions) == 3


def test_sign_offs_and_audit_entries_cannot_be_changed_or_deleted(portal: PortalUnderTest) -> None:
    portal.user("alice", "applicant")
    portal.user("olga", "officer")
    project = portal.project("alice")
    token = portal.token("alice", project)
    submitted = upload(portal.client, token, project, "pass-public-office.ifc").json()
    assert wait_done(portal.client, token, submitted["id"])["state"] == "done"
    with portal.db.session() as session:
        olga = Actor(user=session.scalar(select(User).where(User.username == "olga")))
        submission = submission_of(session.get(Project, project), 1)
        record_id = sign_off(session, portal.app.state.portal.store, olga, submission, "approved", "meets the pack").id
    with portal.db.session() as session:
        entries = [(e.id, e.action, e.detail) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert [action for _, action, _ in entries][-2:] == ["submitted", "signed_off"]

    signed, first, last = record_id, entries[0][0], entries[-1][0]
    attempts: list[Callable[[Session], object]] = [
        lambda s: setattr(s.get(SignOff, signed), "opinion", "rewritten"),
        lambda s: s.delete(s.get(SignOff, signed)),
        lambda s: setattr(s.get(AuditEntry, last), "action", "nothing_happened"),
        lambda s: s.delete(s.get(AuditEntry, first)),
        lambda s: s.execute(update(SignOff).values(decision="rejected")),  # bulk: no per-object event
        lambda s: s.execute(update(AuditEntry).values(actor="someone else")),
        lambda s: s.execute(delete(AuditEntry)),
        lambda s: s.execute(delete(SignOff).where(SignOff.id == signed)),
    ]
    for attempt in attempts:
        with pytest.raises(ImmutableRecord), portal.db.session() as session:
            attempt(session)
            session.flush()
    # below the ORM: raw SQL on the database, as anyone holding its credentials could send, meets its triggers
    raw = [
        f"UPDATE signoffs SET opinion = 'rewritten' WHERE id = {signed}",
        f"DELETE FROM signoffs WHERE id = {signed}",
        f"UPDATE audit_log SET actor = 'someone else' WHERE id = {last}",
        "DELETE FROM audit_log",
    ]
    if portal.db.engine.dialect.name == "postgresql":
        raw.append("TRUNCATE audit_log")
    for statement in raw:
        with pytest.raises(DBAPIError, match="rows are immutable records"), portal.db.engine.begin() as connection:
            connection.exec_driver_sql(statement)
    with portal.db.session() as session:
        record = session.get(SignOff, record_id)
        assert (record.decision, record.opinion) == ("approved", "meets the pack")
        after = [(e.id, e.action, e.detail) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert after == entries


def test_an_expired_session_signs_nobody_in(portal: PortalUnderTest) -> None:
    portal.user("alice", "applicant")
    project = portal.project("alice")
    portal.login(portal.client, "alice")
    cookie = portal.client.cookies["gc_session"]
    assert portal.client.get(f"/projects/{project}", follow_redirects=False).status_code == 200
    with portal.db.session() as session:
        assert session_for(session, cookie) is not None
        past = (datetime.now(UTC) - timedelta(minutes=1)).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        session.execute(update(WebSession).values(expires_at=past))
    with portal.db.session() as session:
        assert session_for(session, cookie) is None
        csrf = session.scalar(select(WebSession.csrf))
    for path in ("/", f"/projects/{project}"):
        page = portal.client.get(path, follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == f"/login?next={path}"
    response = portal.client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/logout"


def test_failed_sign_ins_are_throttled_per_name(small_portal: tuple[PortalUnderTest, int, str]) -> None:
    portal, _, _ = small_portal
    browser = portal.new_client()

    def attempt(username: str, password: str) -> int:
        form = browser.get("/login")
        csrf = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        data = {"username": username, "password": password, "csrf_token": csrf}
        return browser.post("/login", data=data, follow_redirects=False).status_code

    assert [attempt("alice", "wrong password!") for _ in range(3)] == [401, 401, 401]
    refused = attempt("alice", "correct-horse-battery")  # even the right password, until the minute is over
    assert refused == 429
    assert attempt("olga", "wrong password!") == 401  # another name is not blocked by alice's failures


def test_a_browser_upload_over_the_size_limit_gets_a_page_not_json(
    small_portal: tuple[PortalUnderTest, int, str],
) -> None:
    portal, project, _ = small_portal
    portal.login(portal.client, "alice")
    response = portal.client.post(
        f"/projects/{project}/submissions", files=[("files", ("big.ifc", _model_of(3 * MB), "x"))]
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "上传文件超过 1 MB 上限" in response.text and "over the limit of 1 MB" in response.text
    assert _stored(portal) == []
