"""Account commands outside the web pages (`greencheck users`): the first admin has to come from somewhere."""

from __future__ import annotations

from sqlalchemy import func, select

from checker.portal.access import create_user
from checker.portal.db import Database, User
from checker.portal.migrate import upgrade
from checker.portal.settings import PortalSettings


def _database(settings: PortalSettings) -> Database:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.database_url)
    upgrade(db.engine)
    return db


def user_count(settings: PortalSettings) -> int:
    db = _database(settings)
    try:
        with db.session() as session:
            return session.scalar(select(func.count(User.id))) or 0
    finally:
        db.dispose()


def add_user(
    settings: PortalSettings, username: str, password: str, role: str, display_name: str = "", organisation: str = ""
) -> None:
    db = _database(settings)
    try:
        with db.session() as session:
            create_user(session, username, password, role, display_name, organisation)
    finally:
        db.dispose()


def list_users(settings: PortalSettings) -> list[tuple[str, str, str, str]]:
    db = _database(settings)
    try:
        with db.session() as session:
            rows = session.scalars(select(User).order_by(User.id))
            return [(u.username, u.role, u.display_name, u.organisation) for u in rows]
    finally:
        db.dispose()
