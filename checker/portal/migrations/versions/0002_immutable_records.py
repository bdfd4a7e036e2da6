"""sign-offs and audit entries immutable in the database itself

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 (issue 14: the ORM refused changes; raw SQL on the database could still make them)

Triggers refuse every UPDATE and DELETE of `signoffs` and `audit_log` rows (and, on PostgreSQL, TRUNCATE), so the
record an approval office files stays what was signed whoever connects to the database. Dropping the table is not
refused: that is a schema change, made by a migration. A later migration that rebuilds either table (SQLite's batch
mode copies it into a new one) must create these triggers again.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

IMMUTABLE_TABLES = ("signoffs", "audit_log")
POSTGRES_FUNCTION = "greencheck_refuse_change"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE OR REPLACE FUNCTION {POSTGRES_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% rows are immutable records', TG_TABLE_NAME; END $$"
        )
        for table in IMMUTABLE_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {POSTGRES_FUNCTION}()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_not_truncated BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {POSTGRES_FUNCTION}()"
            )
        return
    for table in IMMUTABLE_TABLES:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} rows are immutable records'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in IMMUTABLE_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_not_truncated ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {POSTGRES_FUNCTION}()")
        return
    for table in IMMUTABLE_TABLES:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
