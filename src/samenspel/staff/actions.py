from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.db.base import utcnow
from samenspel.errors import Conflict, Unauthenticated
from samenspel.staff.access import hash_token
from samenspel.staff.models import Staff, StaffSession
from samenspel.staff.passwords import hash_password, needs_rehash, verify_password
from samenspel.staff.schemas import StaffCreate

logger = logging.getLogger(__name__)


async def do_create_staff(db: AsyncSession, data: StaffCreate) -> Staff:
    email = str(data.email).lower()
    if await db.scalar(select(Staff.id).where(func.lower(Staff.email) == email)):
        raise Conflict(f"a staff account with e-mail {email} already exists", field="email")
    staff = Staff(
        name=data.name.strip(),
        email=email,
        role=data.role,
        password_hash=hash_password(data.password),
        languages=data.languages,
        skills=data.skills,
        ui_language=data.languages[0] if data.languages and data.languages[0] in ("nl", "en") else "nl",
    )
    db.add(staff)
    await db.commit()
    logger.info("staff.created staff_id=%s role=%s", staff.id, staff.role)
    return staff


async def do_login(
    db: AsyncSession, email: str, password: str, *, kind: str, lifetime: timedelta
) -> tuple[Staff, str, StaffSession]:
    """Checks the password and opens a session; returns the staff, the secret token and the session."""
    staff = await db.scalar(select(Staff).where(func.lower(Staff.email) == email.strip().lower()))
    if not verify_password(staff.password_hash if staff else None, password) or staff is None:
        logger.info("staff.login.failed")
        raise Unauthenticated("wrong e-mail address or password")
    if not staff.active:
        raise Unauthenticated("this account is no longer active")
    if needs_rehash(staff.password_hash):
        staff.password_hash = hash_password(password)
    token = secrets.token_urlsafe(32)
    session = StaffSession(
        staff_id=staff.id,
        kind=kind,
        token_hash=hash_token(token),
        csrf_token=secrets.token_urlsafe(32) if kind == "web" else None,
        expires_at=utcnow() + lifetime,
    )
    db.add(session)
    # Expired sessions of this person are tidied up at each login.
    await db.execute(delete(StaffSession).where(StaffSession.staff_id == staff.id, StaffSession.expires_at <= utcnow()))
    await db.commit()
    logger.info("staff.login staff_id=%s kind=%s", staff.id, kind)
    return staff, token, session


async def do_logout(db: AsyncSession, session: StaffSession) -> None:
    await db.delete(session)
    await db.commit()


async def do_set_ui_language(db: AsyncSession, staff: Staff, language: str) -> None:
    staff.ui_language = language
    await db.commit()
