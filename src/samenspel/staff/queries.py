from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.staff.models import Staff


async def get_staff(db: AsyncSession, staff_id: str) -> Staff | None:
    return await db.get(Staff, staff_id)


async def get_staff_by_ids(db: AsyncSession, ids: set[str]) -> dict[str, Staff]:
    if not ids:
        return {}
    rows = await db.scalars(select(Staff).where(Staff.id.in_(ids)))
    return {s.id: s for s in rows}


async def list_staff(db: AsyncSession) -> Sequence[Staff]:
    return (await db.scalars(select(Staff).order_by(Staff.name))).all()
