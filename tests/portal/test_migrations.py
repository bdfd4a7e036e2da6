"""The Alembic migrations build exactly the schema the ORM models describe, on SQLite and PostgreSQL, and running
them again changes nothing: a model change without its migration fails here."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from checker.portal.db import Base, Database
from checker.portal.migrate import upgrade


def test_migrations_match_the_models_and_are_repeatable(db_url: str) -> None:
    db = Database(db_url)
    try:
        upgrade(db.engine)
        upgrade(db.engine)  # every start runs them: the second run must be a no-op
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            tables = set(inspect(connection).get_table_names())
        assert differences == []
        assert tables == set(Base.metadata.tables) | {"alembic_version"}
        assert {"users", "projects", "submissions", "jobs", "waivers", "signoffs", "audit_log"} <= tables
    finally:
        db.dispose()
