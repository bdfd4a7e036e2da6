"""Who may see and do what, checked at the service layer (the pages and the API both go through it), and the
account command line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from checker.cli import main
from checker.portal.access import (
    Actor,
    Conflict,
    Forbidden,
    NotFound,
    PortalError,
    create_api_token,
    create_user,
    revoke_api_token,
    token_actor,
    visible_project,
    visible_projects,
)
from checker.portal.db import ApiToken, AuditEntry, Project, User, WebSession
from checker.portal.service import create_project
from tests.portal.conftest import PASSWORD, PortalUnderTest, upload


def _actor(session: object, username: str) -> Actor:
    return Actor(user=session.scalar(select(User).where(User.username == username)))  # type: ignore[attr-defined]


def test_an_applicant_sees_only_their_own_projects(portal: PortalUnderTest) -> None:
    for name, role in (("alice", "applicant"), ("bob", "applicant"), ("olga", "officer"), ("root", "admin")):
        portal.user(name, role)
    alices = portal.project("alice", name="Alice's office")
    bobs = portal.project("bob", name="Bob's depot")
    with portal.db.session() as session:
        alice, bob, olga = (_actor(session, n) for n in ("alice", "bob", "olga"))
        assert [p.name for p in visible_projects(session, alice)] == ["Alice's office"]
        assert [p.name for p in visible_projects(session, bob)] == ["Bob's depot"]
        assert [p.name for p in visible_projects(session, olga)] == ["Bob's depot", "Alice's office"]
        with pytest.raises(NotFound):
            visible_project(session, bob, alices)
        with pytest.raises(NotFound):  # a missing project and a forbidden one look the same
            visible_project(session, bob, 9999)
        assert visible_project(session, olga, alices).id == alices
        with pytest.raises(Forbidden):
            create_project(session, olga, "officers do not apply")
        with pytest.raises(Forbidden):  # a token is made by the owner only
            create_api_token(session, bob, session.get(Project, alices), "stolen")
    token = portal.token("bob", bobs)
    assert upload(portal.client, token, alices, "pass-public-office.ifc").status_code == 404


def test_passwords_and_tokens_are_stored_only_as_hashes(portal: PortalUnderTest) -> None:
    portal.user("alice", "applicant")
    project = portal.project("alice")
    secret = portal.token("alice", project)
    portal.login(portal.client, "alice")
    cookie = portal.client.cookies["gc_session"]
    with portal.db.session() as session:
        user = session.scalar(select(User).where(User.username == "alice"))
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
        stored_tokens = [t.token_sha256 for t in session.scalars(select(ApiToken))]
        stored_sessions = [s.token_sha256 for s in session.scalars(select(WebSession))]
        assert secret.startswith("gc_") and secret not in stored_tokens and len(stored_tokens[0]) == 64
        assert cookie not in stored_sessions and len(stored_sessions) == 1
        assert token_actor(session, secret) is not None
        revoke_api_token(session, _actor(session, "alice"), session.get(Project, project), 1)
    with portal.db.session() as session:
        assert token_actor(session, secret) is None
        actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert actions == ["user_created", "project_created", "api_token_created", "api_token_revoked"]
    assert upload(portal.client, secret, project, "pass-public-office.ifc").status_code == 401


def test_accounts_are_validated(portal: PortalUnderTest) -> None:
    with portal.db.session() as session:
        with pytest.raises(PortalError, match="at least 10 characters"):
            create_user(session, "shorty", "short", "applicant")
        with pytest.raises(PortalError, match="role must be one of"):
            create_user(session, "eve", PASSWORD, "superuser")
        with pytest.raises(PortalError, match="without spaces"):
            create_user(session, "two words", PASSWORD, "applicant")
    portal.user("alice", "applicant")
    with portal.db.session() as session, pytest.raises(Conflict, match="taken"):
        create_user(session, "alice", PASSWORD, "officer")


def test_users_command_creates_an_admin_and_refuses_bad_input_in_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    data = str(tmp_path / "portal-data")
    made = runner.invoke(main, ["users", "add", "root", "--role", "admin", "--password-stdin", "--data", data],
                         input=f"{PASSWORD}\n")  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "user root (admin) created" in made.output
    again = runner.invoke(main, ["users", "add", "root", "--role", "officer", "--password-stdin", "--data", data],
                          input=f"{PASSWORD}\n")  # fmt: skip
    assert again.exit_code == 2
    assert again.output.strip().splitlines() == ["greencheck: error: the user name 'root' is taken"]
    weak = runner.invoke(main, ["users", "add", "eve", "--role", "applicant", "--password-stdin", "--data", data],
                         input="123\n")  # fmt: skip
    assert weak.exit_code == 2 and "at least 10 characters" in weak.output and "Traceback" not in weak.output
    listed = runner.invoke(main, ["users", "list", "--data", data])
    assert listed.output.splitlines() == ["root\tadmin\troot\t"]
    with sqlite3.connect(tmp_path / "portal-data" / "portal.sqlite3") as db:
        [(version,)] = db.execute("select version_num from alembic_version").fetchall()
    assert version == "0002"  # the newest migration: the users command brought the new database to head


def test_serve_refuses_a_bad_database_url_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--data", str(tmp_path), "--db", "mysql://nobody@localhost/x"])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith("greencheck: error: ")
