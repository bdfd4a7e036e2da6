"""The portal under test, on SQLite and on PostgreSQL.

Every test that takes `portal` runs twice: on a fresh SQLite file and on a fresh database of the PostgreSQL server
named by GREENCHECK_TEST_POSTGRES (an admin URL such as postgresql://greencheck@127.0.0.1:5433/postgres, which
.ci/run sets after starting Debian's server). Without that variable the PostgreSQL half skips and says why.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the portal extra is not installed (pip install -e '.[test]')")

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import select  # noqa: E402

from checker.portal.access import Actor, create_api_token, create_user  # noqa: E402
from checker.portal.db import Project, User  # noqa: E402
from checker.portal.service import create_project  # noqa: E402
from checker.portal.settings import PortalSettings  # noqa: E402
from checker.portal.web import create_app  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_models"
POSTGRES_ENV = "GREENCHECK_TEST_POSTGRES"
PASSWORD = "correct-horse-battery"


def _postgres_admin() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'portal.sqlite3'}"
        return
    admin = _postgres_admin()
    if admin is None:
        pytest.skip(f"PostgreSQL tests skipped: set {POSTGRES_ENV} to an admin URL (.ci/run starts a server)")
    import psycopg

    name = f"gc_test_{secrets.token_hex(6)}"
    with psycopg.connect(admin, autocommit=True) as connection:
        # from template0, which nobody connects to: CREATE DATABASE from template1 fails while another session is on it
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    base = admin.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class PortalUnderTest:
    """A running portal (TestClient with its lifespan: migrations applied, workers started) and shortcuts."""

    client: TestClient
    app: Any
    settings: PortalSettings

    @property
    def db(self) -> Any:
        return self.app.state.portal.db

    def user(self, username: str, role: str, organisation: str = "") -> User:
        with self.db.session() as session:
            return create_user(
                session, username, PASSWORD, role, display_name=username.title(), organisation=organisation
            )

    def project(self, owner: str, name: str = "Tongzhou office block", **fields: str) -> int:
        with self.db.session() as session:
            user = session.scalar(select(User).where(User.username == owner))
            assert user is not None
            project = create_project(
                session, Actor(user=user), name, default_ruleset=self.settings.default_ruleset, **fields
            )
            return project.id

    def token(self, owner: str, project_id: int, label: str = "ci") -> str:
        with self.db.session() as session:
            user = session.scalar(select(User).where(User.username == owner))
            project = session.get(Project, project_id)
            assert user is not None and project is not None
            return create_api_token(session, Actor(user=user), project, label)

    def login(self, client: TestClient, username: str, password: str = PASSWORD) -> None:
        """Sign `client` in through the real form (its CSRF cookie included)."""
        form = client.get("/login")
        csrf = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        response = client.post(
            "/login", data={"username": username, "password": password, "csrf_token": csrf}, follow_redirects=False
        )
        assert response.status_code == 303, response.text

    def new_client(self) -> TestClient:
        """Another browser on the same portal (its own cookie jar)."""
        return TestClient(self.app)


def upload(client: TestClient, token: str, project_id: int, *names: str, note: str = "") -> Any:
    files = [("files", (name, (SAMPLES / name).read_bytes(), "application/octet-stream")) for name in names]
    return client.post(
        f"/api/v1/projects/{project_id}/submissions",
        headers={"Authorization": f"Bearer {token}"},
        files=files,
        data={"note": note},
    )


def wait_done(client: TestClient, token: str, submission_id: int, timeout_s: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        body = client.get(
            f"/api/v1/submissions/{submission_id}?wait=20", headers={"Authorization": f"Bearer {token}"}
        ).json()
        if body["state"] in ("done", "failed") or time.monotonic() > deadline:
            return body  # type: ignore[no-any-return]


@pytest.fixture
def make_portal(db_url: str, tmp_path: Path) -> Iterator[Callable[..., PortalUnderTest]]:
    """Start a portal on the test's database; options override PortalSettings fields."""
    started: list[TestClient] = []

    def start(**options: Any) -> PortalUnderTest:
        settings = PortalSettings(data_dir=tmp_path / "data", db_url=db_url, jobs=2, poll_interval_s=0.1, **options)
        app = create_app(settings)
        client = TestClient(app)
        client.__enter__()
        started.append(client)
        return PortalUnderTest(client, app, settings)

    yield start
    for client in reversed(started):
        client.__exit__(None, None, None)


@pytest.fixture
def portal(make_portal: Callable[..., PortalUnderTest]) -> PortalUnderTest:
    return make_portal()
