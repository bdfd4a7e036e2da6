"""The server-rendered pages (no JavaScript): sign-in, projects, a project's timeline, a revision's report, the
comparison of two revisions, waivers, sign-off and the review opinion, the audit log, users.

Browser requests are authenticated by a session cookie (HttpOnly, SameSite=Lax) and every form that changes
something carries the session's CSRF token, checked before anything else is read.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from checker import __version__
from checker.portal.access import (
    Actor,
    Forbidden,
    PortalError,
    authenticate,
    end_session,
    session_for,
    start_session,
)
from checker.portal.db import WebSession
from checker.portal.security import new_token, same
from checker.portal.web import portal_of

router = APIRouter(include_in_schema=False)
SESSION_COOKIE = "gc_session"
LOGIN_CSRF_COOKIE = "gc_login_csrf"
LANG_COOKIE = "gc_lang"
LANGS = ("zh", "en")


class SignInRequired(PortalError):
    status = 401


class TooManySignIns(PortalError):
    status = 429


_ENV = Environment(
    loader=PackageLoader("checker.portal", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["when"] = lambda stamp: (stamp or "").replace("T", " ").replace("Z", " UTC")
_ENV.filters["day"] = lambda stamp: (stamp or "")[:10]
_ENV.filters["short"] = lambda sha256: (sha256 or "")[:12]


def template_env() -> Environment:
    """The pages' templates, for a document rendered outside a page (the review opinion)."""
    return _ENV


def lang_of(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "zh"
    return asked if asked in LANGS else "zh"


def render_page(request: Request, template: str, status_code: int = 200, **context: object) -> HTMLResponse:
    from checker.portal.texts import translator

    lang = lang_of(request)
    html = _ENV.get_template(template).render(
        request=request,
        lang=lang,
        t=translator(lang),
        version=__version__,
        other_lang=_other_lang(request, lang),
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(LANG_COOKIE, lang, samesite="lax", httponly=True)
    return response


def _other_lang(request: Request, lang: str) -> str:
    """This page in the other language, its other query parameters kept (a comparison's revisions)."""
    other = "en" if lang == "zh" else "zh"
    return str(request.url.include_query_params(lang=other).replace(scheme="", netloc=""))


def user_page(
    request: Request, template: str, actor: Actor, web_session: WebSession, status_code: int = 200, **context: object
) -> HTMLResponse:
    """A page for a signed-in user: the top bar's name and sign-out form (with the session's CSRF token)."""
    return render_page(
        request, template, status_code=status_code, user=actor.user, actor=actor, csrf=web_session.csrf, **context
    )


def see_other(url: str) -> RedirectResponse:
    """After a form did what it asked: the browser loads `url` with GET (303), so a reload never posts twice."""
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, exc: PortalError) -> Response:
    if isinstance(exc, SignInRequired):
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return render_page(request, "error.html.j2", status_code=exc.status, message=str(exc), status=exc.status)


def signed_in(request: Request) -> tuple[Actor, WebSession]:
    """The browser's user and session, or a redirect to the sign-in page."""
    portal = portal_of(request)
    with portal.db.session() as session:
        row = session_for(session, request.cookies.get(SESSION_COOKIE))
        if row is None:
            raise SignInRequired("sign in first")
        session.expunge(row.user)
        session.expunge(row)
        return Actor(user=row.user), row


def check_csrf(web_session: WebSession, token: str) -> None:
    if not token or not same(token, web_session.csrf):
        raise Forbidden("the form's security token is missing or stale: reload the page and try again")


@router.get("/login")
def login_form(request: Request) -> HTMLResponse:
    token = new_token()
    response = render_page(request, "login.html.j2", csrf=token, next=_safe_next(request.query_params.get("next")))
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
    return response


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",  # noqa: A002 - the form field's name
) -> Response:
    portal = portal_of(request)
    if not csrf_token or not same(csrf_token, request.cookies.get(LOGIN_CSRF_COOKIE, "")):
        raise Forbidden("the sign-in form is stale: reload the page and try again")
    client = request.client.host if request.client else "?"
    key = f"{client}:{username.strip().lower()}"
    if portal.login_limiter.exceeded(key):
        raise TooManySignIns(f"too many failed sign-ins: wait {portal.login_limiter.retry_after(key)} s")
    with portal.db.session() as session:
        user = authenticate(session, username, password)
        if user is None:
            portal.login_limiter.record(key)
            return render_page(
                request, "login.html.j2", status_code=401, csrf=csrf_token, next=_safe_next(next), failed=True
            )
        token, _ = start_session(session, user, portal.settings.session_hours)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=portal.settings.secure_cookies,
        max_age=int(portal.settings.session_hours * 3600),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    _, web_session = signed_in(request)
    check_csrf(web_session, csrf_token)
    with portal_of(request).db.session() as session:
        end_session(session, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never //elsewhere or a scheme (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    """No icon (nothing but the pages is served), said without a 404 in every browser's console."""
    return Response(status_code=204)
