"""Who may reach routing's own things: queues are for supervisors (and admins)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.errors import NotFound
from samenspel.routing.models import Queue
from samenspel.routing.queries import get_queue
from samenspel.staff.access import check_role
from samenspel.staff.models import Staff


async def access_queue_by_name(db: AsyncSession, staff: Staff, name: str) -> Queue:
    check_role(staff, "supervisor")
    queue = await get_queue(db, name)
    if queue is None:
        raise NotFound(f"no queue named {name[:40]!r}")
    return queue
