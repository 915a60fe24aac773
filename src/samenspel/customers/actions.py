from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.customers.models import Customer
from samenspel.customers.schemas import CustomerCreate


async def do_upsert_customer(db: AsyncSession, data: CustomerCreate) -> Customer:
    """Find the customer by external id (the organisation's own key) or create one; does not commit."""
    language = data.language[:2].lower() if data.language else None
    customer: Customer | None = None
    if data.external_id:
        customer = await db.scalar(select(Customer).where(Customer.external_id == data.external_id))
    if customer is None:
        customer = Customer(external_id=data.external_id)
        db.add(customer)
    # What the customer tells us now is the freshest; keep what we knew where nothing new came.
    if data.name:
        customer.name = data.name
    if data.email:
        customer.email = str(data.email)
    if data.segment != "standard" or customer.segment is None:
        customer.segment = data.segment
    if language:
        customer.language = language
    await db.flush()
    return customer
