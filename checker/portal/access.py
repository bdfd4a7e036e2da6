"""Who is asking, and what they may see: users with roles, browser sessions, project-scoped API tokens.

An applicant sees only the projects they own; officers and admins see every project. A project the actor may not
see is reported as not found (404), so nobody learns which project numbers exist. An API token acts only on its
own project, with an applicant's rights there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from checker.errors import CheckerError
from checker.portal.db import ROLES, ApiToken, AuditEntry, Project, User, WebSession, utc_now
from checker.portal.security import (
    API_TOKEN_PREFIX,
    hash_password,
    new_token,
    token_sha256,
    verify_password,
)


class PortalError(CheckerError):
    """A request the portal refuses; `status` is the HTTP status, the message one line for the person asking."""

    status = 400


class NotFound(PortalError):
    status = 404


class Forbidden(PortalError):
    status = 403


class Conflict(PortalError):
    status = 409


@dataclass(frozen=True)
class Actor:
    """A signed-in user, or a CI system holding a project's API token."""

    user: User | None = None
    token: ApiToken | None = None

    @property
    def name(self) -> str:
        if self.user is not None:
            return self.user.username
        assert self.token is not None
        return f"token:{self.token.label}"

    @property
    def role(self) -> str:
        return self.user.role if self.user is not None else "applicant"

    @property
    def reviews(self) -> bool:
        """Officers and admins review every project: read, waive, sign off."""
        return self.role in ("officer", "admin")

    def sees(self, project: Project) -> bool:
        if self.token is not None:
            return self.token.project_id == project.id
        assert self.user is not None
        return self.reviews or project.owner_id == self.user.id

    def submits_to(self, project: Project) -> bool:
        """The project's owner (in the browser or through its token) submits revisions; so may an admin."""
        if self.token is not None:
            return self.token.project_id == project.id
        assert self.user is not None
        return project.owner_id == self.user.id or self.role == "admin"


def audit(session: Session, project_id: int | None, actor: Actor | str, action: str, **detail: object) -> None:
    """Append one entry to the audit log (never updated, never deleted)."""
    name = actor if isinstance(actor, str) else actor.name
    detail_text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    session.add(AuditEntry(project_id=project_id, actor=name, action=action, detail=detail_text))


def create_user(
    session: Session, username: str, password: str, role: str, display_name: str = "", organisation: str = ""
) -> User:
    username = username.strip()
    if role not in ROLES:
        raise PortalError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        raise PortalError("a user name is 1 to 64 characters without spaces")
    try:
        password_hash = hash_password(password)
    except ValueError as exc:
        raise PortalError(str(exc)) from None
    user = User(
        username=username,
        role=role,
        password_hash=password_hash,
        display_name=display_name.strip() or username,
        organisation=organisation.strip(),
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"the user name {username!r} is taken") from None
    audit(session, None, "system", "user_created", username=username, role=role)
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == username.strip()))
    valid = verify_password(user.password_hash if user else None, password)
    return user if valid and user is not None and user.active else None


def start_session(session: Session, user: User, hours: float) -> tuple[str, WebSession]:
    """A new browser session: (the cookie's token, the row holding its hash and the CSRF token)."""
    token = new_token()
    expires = datetime.now(UTC) + timedelta(hours=hours)
    row = WebSession(
        token_sha256=token_sha256(token),
        user_id=user.id,
        csrf=new_token(),
        expires_at=expires.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    )
    session.add(row)
    return token, row


def session_for(session: Session, token: str | None) -> WebSession | None:
    if not token:
        return None
    row = session.get(WebSession, token_sha256(token))
    if row is None or row.expires_at <= utc_now() or not row.user.active:
        return None
    return row


def end_session(session: Session, token: str | None) -> None:
    if token and (row := session.get(WebSession, token_sha256(token))) is not None:
        session.delete(row)


def create_api_token(session: Session, actor: Actor, project: Project, label: str) -> str:
    """A new token for `project`; the secret is returned once and only its hash is kept."""
    if actor.user is None or not actor.submits_to(project):
        raise Forbidden("only the project's applicant (or an admin) creates its API tokens")
    label = label.strip()[:100] or "ci"
    secret = new_token(API_TOKEN_PREFIX)
    session.add(
        ApiToken(project_id=project.id, token_sha256=token_sha256(secret), label=label, created_by=actor.user.id)
    )
    audit(session, project.id, actor, "api_token_created", label=label)
    return secret


def revoke_api_token(session: Session, actor: Actor, project: Project, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.project_id != project.id or not actor.submits_to(project) or actor.user is None:
        raise NotFound("no such token in this project")
    if token.revoked_at is None:
        token.revoked_at = utc_now()
        audit(session, project.id, actor, "api_token_revoked", label=token.label)


def token_actor(session: Session, secret: str | None) -> Actor | None:
    if not secret or not secret.startswith(API_TOKEN_PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == token_sha256(secret)))
    if token is None or token.revoked_at is not None:
        return None
    return Actor(token=token)


def visible_project(session: Session, actor: Actor, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None or not actor.sees(project):
        raise NotFound(f"no project {project_id}")
    return project


def visible_projects(session: Session, actor: Actor) -> list[Project]:
    query = select(Project).order_by(Project.id.desc())
    if actor.token is not None:
        query = query.where(Project.id == actor.token.project_id)
    elif not actor.reviews:
        assert actor.user is not None
        query = query.where(Project.owner_id == actor.user.id)
    return list(session.scalars(query))
