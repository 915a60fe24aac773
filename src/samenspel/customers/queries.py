from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.customers.models import Customer


async def get_customer(db: AsyncSession, customer_id: str) -> Customer | None:
    return await db.get(Customer, customer_id)


async def get_customers_by_ids(db: AsyncSession, ids: set[str]) -> dict[str, Customer]:
    if not ids:
        return {}
    rows = await db.scalars(select(Customer).where(Customer.id.in_(ids)))
    return {c.id: c for c in rows}
