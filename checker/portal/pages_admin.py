"""A project's audit log (append-only, read here and nowhere changed) and the admin's page of users."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from checker.portal.access import Actor, Forbidden, audit, create_user, visible_project
from checker.portal.db import ROLES, AuditEntry, User
from checker.portal.pages import check_csrf, see_other, signed_in, user_page
from checker.portal.web import portal_of

router = APIRouter(include_in_schema=False)


def _detail(text: str) -> list[tuple[str, str]]:
    """An entry's JSON detail as (key, value) pairs to show; lists and objects as compact JSON."""
    try:
        data: Any = json.loads(text or "{}")
    except ValueError:
        return [("", text)]
    if not isinstance(data, dict):
        return [("", json.dumps(data, ensure_ascii=False))]
    shown = []
    for key, value in data.items():
        shown.append((key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)))
    return shown


@router.get("/projects/{project_id}/audit", response_class=HTMLResponse)
def audit_page(request: Request, project_id: int) -> Response:
    actor, web_session = signed_in(request)
    with portal_of(request).db.session() as session:
        project = visible_project(session, actor, project_id)
        query = select(AuditEntry).where(AuditEntry.project_id == project.id).order_by(AuditEntry.id.desc())
        entries = [(entry, _detail(entry.detail)) for entry in session.scalars(query)]
        return user_page(request, "audit.html.j2", actor, web_session, project=project, entries=entries)


def _admin(actor: Actor) -> None:
    if actor.role != "admin":
        raise Forbidden("only an admin manages users")


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request) -> Response:
    actor, web_session = signed_in(request)
    _admin(actor)
    with portal_of(request).db.session() as session:
        users = list(session.scalars(select(User).order_by(User.id)))
        return user_page(request, "users.html.j2", actor, web_session, users=users, roles=ROLES)


@router.post("/admin/users")
def create_user_form(
    request: Request,
    username: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    organisation: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    actor, web_session = signed_in(request)
    check_csrf(web_session, csrf_token)
    _admin(actor)
    with portal_of(request).db.session() as session:
        user = create_user(session, username, password, role, display_name, organisation)
        audit(session, None, actor, "user_added", username=user.username, role=user.role)
    return see_other("/admin/users")
