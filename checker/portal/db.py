"""The portal's tables (SQLAlchemy 2 ORM) and the engine: SQLite in the data folder by default, PostgreSQL by URL.

The schema is created and upgraded by the Alembic migrations in checker/portal/migrations, never by create_all, so
an office's database follows each release. Times are ISO-8601 UTC strings: the same text on SQLite and PostgreSQL,
sortable, and what the reports already use. Sign-offs and audit entries are immutable: the ORM refuses to update or
delete them (`_refuse_change`, `_refuse_bulk_change`), no route offers to, and the database's own triggers (migration
0002) refuse raw SQL that tries.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    Session,
    mapped_column,
    relationship,
    sessionmaker,
)

from checker.errors import CheckerError

ROLES = ("applicant", "officer", "admin")
JOB_STATES = ("queued", "running", "done", "failed")
DECISIONS = ("approved", "approved_with_conditions", "rejected")


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[str] = mapped_column(String(32), default=utc_now)


class WebSession(Base):
    """A signed-in browser: the cookie holds a random token, the table only its SHA-256."""

    __tablename__ = "sessions"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(32), default=utc_now)
    expires_at: Mapped[str] = mapped_column(String(32))

    user: Mapped[User] = relationship()


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    code: Mapped[str] = mapped_column(String(100), default="")
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    applicant_org: Mapped[str] = mapped_column(String(300), default="")
    design_unit: Mapped[str] = mapped_column(String(300), default="")
    ruleset: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[str] = mapped_column(String(32), default=utc_now)

    owner: Mapped[User] = relationship()
    submissions: Mapped[list[Submission]] = relationship(back_populates="project", order_by="Submission.revision")


class ApiToken(Base):
    """A CI system's key to one project: the secret is shown once, the table keeps its SHA-256."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[str] = mapped_column(String(32), default=utc_now)
    revoked_at: Mapped[str | None] = mapped_column(String(32), nullable=True)

    project: Mapped[Project] = relationship()


class Submission(Base):
    """Revision N of a project: its files and the ruleset they are checked against."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("project_id", "revision"),
        UniqueConstraint("project_id", "files_sha256", "ruleset_sha256"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    revision: Mapped[int] = mapped_column(Integer)
    files_sha256: Mapped[str] = mapped_column(String(64), doc="SHA-256 of the sorted file hashes: the idempotency key")
    ruleset_id: Mapped[str] = mapped_column(String(100))
    ruleset_version: Mapped[str] = mapped_column(String(50))
    ruleset_sha256: Mapped[str] = mapped_column(String(64))
    submitted_by: Mapped[str] = mapped_column(String(120), doc="username, or 'token:<label>' for the CI API")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(32), default=utc_now)

    project: Mapped[Project] = relationship(back_populates="submissions")
    files: Mapped[list[SubmissionFile]] = relationship(order_by="SubmissionFile.position")
    jobs: Mapped[list[Job]] = relationship(order_by="Job.id", back_populates="submission")
    signoff: Mapped[SignOff | None] = relationship(back_populates="submission")


class SubmissionFile(Base):
    __tablename__ = "submission_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)


class Job(Base):
    """One file's check: queued -> running -> done | failed; a running job found at start-up is queued again."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("submission_files.id"))
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    phase: Mapped[str] = mapped_column(String(32), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[str] = mapped_column(String(32), default=utc_now)
    started_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    finished_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")
    report_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True, doc="the JSON report in the store")
    verdict: Mapped[str | None] = mapped_column(String(32), nullable=True)
    counts: Mapped[str] = mapped_column(Text, default="{}", doc="JSON: results per status")

    submission: Mapped[Submission] = relationship(back_populates="jobs")
    file: Mapped[SubmissionFile] = relationship()


class Waiver(Base):
    """An officer's acceptance of a finding in one project, until its expiry date; revoking it is recorded."""

    __tablename__ = "waivers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(100))
    building: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    expires: Mapped[str] = mapped_column(String(10), doc="ISO date; the finding counts again the day after")
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[str] = mapped_column(String(32), default=utc_now)
    revoked_at: Mapped[str | None] = mapped_column(String(32), nullable=True)

    officer: Mapped[User] = relationship()


class SignOff(Base):
    """The decision on one revision; immutable. `reports` lists each file's reviewed JSON report and its SHA-256."""

    __tablename__ = "signoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), unique=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(32))
    opinion: Mapped[str] = mapped_column(Text, default="")
    report_sha256: Mapped[str] = mapped_column(String(64), doc="SHA-256 of the sha256sum-style list of `reports`")
    reports: Mapped[str] = mapped_column(Text, doc="JSON: [{file, sha256}] of the reviewed JSON reports")
    created_at: Mapped[str] = mapped_column(String(32), default=utc_now)

    submission: Mapped[Submission] = relationship(back_populates="signoff")
    officer: Mapped[User] = relationship()


class AuditEntry(Base):
    """Append-only: who did what to which project, when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), nullable=True, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[str] = mapped_column(String(32), default=utc_now)


class ImmutableRecord(Exception):
    """A sign-off or an audit entry was about to be changed or deleted."""


def _refuse_change(mapper: Any, connection: Any, target: Any) -> None:
    raise ImmutableRecord(f"{type(target).__name__} {target.id} is an immutable record")


IMMUTABLE = (SignOff, AuditEntry)
for _immutable in IMMUTABLE:
    event.listen(_immutable, "before_update", _refuse_change)
    event.listen(_immutable, "before_delete", _refuse_change)


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    """`session.execute(update(SignOff)...)` and bulk deletes skip the per-object events above: refused here."""
    if state.is_update or state.is_delete:
        for mapper in state.all_mappers:
            if mapper.class_ in IMMUTABLE:
                raise ImmutableRecord(f"{mapper.class_.__name__} rows are immutable records")


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'portal.sqlite3').resolve()}"


def make_engine(url: str) -> Engine:
    """SQLite with WAL and a busy timeout (the job threads and the web threads write concurrently); PostgreSQL via
    psycopg 3 whatever driver the URL names."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    scheme = url.split("://", 1)[0]
    if scheme in ("postgresql", "postgres"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    elif not scheme.startswith("postgresql+"):
        raise UnsupportedDatabase(f"--db {scheme}://...: the portal runs on PostgreSQL (postgresql://...) or SQLite")
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


class UnsupportedDatabase(CheckerError):
    """A database URL of a kind the portal does not run on."""


class Database:
    """The engine and a session factory; `session()` commits on success and rolls back on any exception."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
