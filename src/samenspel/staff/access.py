"""The one path by which staff are identified and their role checked."""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.db.base import utcnow
from samenspel.errors import Forbidden, Unauthenticated
from samenspel.staff.models import Staff, StaffSession
from samenspel.types import Role

ROLE_RANK: dict[str, int] = {"agent": 1, "supervisor": 2, "admin": 3}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def has_role(staff: Staff, minimum: Role) -> bool:
    return ROLE_RANK.get(staff.role, 0) >= ROLE_RANK[minimum]


def check_role(staff: Staff, minimum: Role) -> None:
    if not has_role(staff, minimum):
        raise Forbidden(f"this needs the role {minimum} or higher; you are {staff.role}")


async def _access_session(db: AsyncSession, token: str, kind: str) -> tuple[Staff, StaffSession]:
    if not token or len(token) > 200:
        raise Unauthenticated("missing or malformed credentials")
    row = await db.scalar(
        select(StaffSession).where(StaffSession.token_hash == hash_token(token), StaffSession.kind == kind)
    )
    if row is None or row.expires_at <= utcnow():
        raise Unauthenticated("the token is unknown or has expired; log in again")
    staff = await db.get(Staff, row.staff_id)
    if staff is None or not staff.active:
        raise Unauthenticated("this account is no longer active")
    return staff, row


async def access_session_by_bearer(db: AsyncSession, token: str) -> tuple[Staff, StaffSession]:
    return await _access_session(db, token, "api")


async def access_staff_by_bearer(db: AsyncSession, token: str) -> Staff:
    staff, _ = await _access_session(db, token, "api")
    return staff


async def access_staff_by_cookie(
    db: AsyncSession, cookie: str, csrf_token: str | None, *, unsafe_method: bool
) -> tuple[Staff, StaffSession]:
    """A browser session; state-changing requests must also carry the session's CSRF token."""
    staff, session = await _access_session(db, cookie, "web")
    if unsafe_method and not (
        csrf_token and session.csrf_token and hmac.compare_digest(csrf_token, session.csrf_token)
    ):
        raise Forbidden("missing or wrong CSRF token; reload the page and try again")
    return staff, session
