"""Dependencies shared by routes: services, a database session, and who the staff member is."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.errors import Unauthenticated
from samenspel.services import Services
from samenspel.staff.access import access_staff_by_bearer, access_staff_by_cookie, check_role
from samenspel.staff.models import Staff

SESSION_COOKIE = "samenspel_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_db(services: ServicesDep) -> AsyncIterator[AsyncSession]:
    async with services.sessionmaker() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_db)]


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("expected the header 'Authorization: Bearer <token>'")
    return token.strip()


async def current_staff(request: Request, db: SessionDep) -> Staff:
    token = bearer_token(request)
    if token is not None:
        return await access_staff_by_bearer(db, token)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise Unauthenticated("log in first: POST /api/v1/auth/token gives a bearer token")
    unsafe = request.method not in _SAFE_METHODS
    csrf = request.headers.get(CSRF_HEADER)
    if (
        unsafe
        and csrf is None
        and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        )
    ):
        value = (await request.form()).get(CSRF_FIELD)
        csrf = value if isinstance(value, str) else None
    staff, session = await access_staff_by_cookie(db, cookie, csrf, unsafe_method=unsafe)
    request.state.web_session = session
    return staff


CurrentStaff = Annotated[Staff, Depends(current_staff)]


async def current_supervisor(staff: CurrentStaff) -> Staff:
    check_role(staff, "supervisor")
    return staff


CurrentSupervisor = Annotated[Staff, Depends(current_supervisor)]
