"""Logging in to and out of the workspace, and the staff member's interface language.

The session cookie is HttpOnly and SameSite=Lax (Secure on https). The login form itself is protected
against login CSRF (another site logging the browser in as someone else) by a double-submit cookie, and
by refusing a foreign ``Origin``.
"""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import timedelta
from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samenspel.errors import InvalidInput, Unauthenticated
from samenspel.routing.actions import do_set_agent_state
from samenspel.routing.queries import agent_state
from samenspel.staff.access import access_staff_by_cookie
from samenspel.staff.actions import do_login, do_logout, do_set_ui_language
from samenspel.web.deps import SESSION_COOKIE, CurrentStaff, ServicesDep, SessionDep
from samenspel.web.i18n import LANG_COOKIE, UI_LANGUAGES
from samenspel.web.render import render

router = APIRouter()

LOGIN_CSRF_COOKIE = "samenspel_login_csrf"
LOGIN_PATH = "/workspace/login"
HOME = "/workspace"
_LOGIN_TOKEN = re.compile(r"^[A-Za-z0-9_-]{40,64}$")
_MAX_EMAIL, _MAX_PASSWORD = 320, 256
_YEAR_S = 365 * 24 * 3600


def safe_next(value: str | None) -> str:
    """Where to go after logging in: only a path of the workspace itself, never another site."""
    if not value or len(value) > 1000 or any(c in value for c in "\\\r\n\t\x00"):
        return HOME
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return HOME
    path = parts.path
    if path != HOME and not path.startswith(HOME + "/"):
        return HOME
    if ".." in path or path.startswith((LOGIN_PATH, HOME + "/logout")):
        return HOME
    return value


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _login_token(request: Request) -> str:
    existing = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    # Reusing a valid token keeps a second open login tab working.
    return existing if _LOGIN_TOKEN.match(existing) else secrets.token_urlsafe(32)


def _login_csrf_ok(request: Request, submitted: str) -> bool:
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        return False
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return bool(_LOGIN_TOKEN.match(cookie)) and hmac.compare_digest(cookie, submitted)


def _login_form(
    request: Request,
    *,
    next_path: str,
    email: str = "",
    error: str | None = None,
    notice: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    token = _login_token(request)
    response = render(
        request,
        "workspace/login.html",
        {"login_csrf": token, "next": next_path, "email": email, "error": error, "notice": notice},
        status=status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=2 * 3600,
        path=LOGIN_PATH,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    response.headers["cache-control"] = "no-store"
    return response


@router.get("/login", response_class=HTMLResponse)
async def login_page(
    request: Request,
    db: SessionDep,
    next_path: Annotated[str | None, Query(alias="next", max_length=1000)] = None,
    logged_out: bool = False,
) -> Response:
    target = safe_next(next_path)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        try:
            await access_staff_by_cookie(db, cookie, None, unsafe_method=False)
        except Unauthenticated:
            pass
        else:
            return RedirectResponse(target, status_code=303)
    return _login_form(request, next_path=target, notice="ws.login.logged_out" if logged_out else None)


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    db: SessionDep,
    services: ServicesDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next_path: Annotated[str, Form(alias="next")] = HOME,
) -> Response:
    target = safe_next(next_path)
    email = email.strip()[:_MAX_EMAIL]
    if not _login_csrf_ok(request, csrf_token):
        return _login_form(request, next_path=target, email=email, error="ws.login.expired", status=403)
    if not email or not password or len(password) > _MAX_PASSWORD:
        return _login_form(request, next_path=target, email=email, error="ws.login.failed", status=401)
    try:
        staff, token, _ = await do_login(
            db,
            email,
            password,
            kind="web",
            lifetime=timedelta(hours=services.settings.session_hours),
        )
    except Unauthenticated:
        return _login_form(request, next_path=target, email=email, error="ws.login.failed", status=401)
    response = RedirectResponse(target, status_code=303)
    secure = _secure(request)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=services.settings.session_hours * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure,
    )
    # The staff member's own language setting becomes this browser's language.
    response.set_cookie(LANG_COOKIE, staff.ui_language, max_age=_YEAR_S, samesite="lax", httponly=True)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_PATH, httponly=True, samesite="strict", secure=secure)
    return response


@router.post("/logout")
async def logout(request: Request, staff: CurrentStaff, db: SessionDep, services: ServicesDep) -> Response:
    session = getattr(request.state, "web_session", None)
    if session is not None:
        await do_logout(db, session)
    # Whoever logs out is no longer there to take conversations.
    if (await agent_state(db, services.settings, staff)).chosen_state != "offline":
        await do_set_agent_state(db, services, staff, "offline", dispatch=False)
    response = RedirectResponse(f"{LOGIN_PATH}?{urlencode({'logged_out': 1})}", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request))
    return response


@router.post("/language")
async def set_language(
    request: Request,
    staff: CurrentStaff,
    db: SessionDep,
    lang: Annotated[str, Form()],
    next_path: Annotated[str, Form(alias="next")] = HOME,
) -> Response:
    if lang not in UI_LANGUAGES:
        raise InvalidInput(f"expected one of {', '.join(UI_LANGUAGES)}, got {lang[:20]!r}", field="lang")
    await do_set_ui_language(db, staff, lang)
    response = RedirectResponse(safe_next(next_path), status_code=303)
    response.set_cookie(LANG_COOKIE, lang, max_age=_YEAR_S, samesite="lax", httponly=True)
    return response
