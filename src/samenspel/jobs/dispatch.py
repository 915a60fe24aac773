"""Routes waiting conversations again every few seconds.

Routing runs on every change (a handoff, a chat closed, an agent available); this pass covers what time
alone changes: a held contact that has now waited long enough for its hold to be waived, skills that
widen after a wait, and anything a stopped process left half done. Every server process runs it; the
claims on the ticket and on the agent's capacity keep two passes from giving one conversation twice or
one agent more than their maximum, and a tick that comes while a pass runs joins the next one.
"""

from __future__ import annotations

import asyncio
import logging

from samenspel.routing.actions import do_dispatch
from samenspel.routing.queries import has_waiting
from samenspel.services import Services

logger = logging.getLogger(__name__)


async def run_dispatcher(services: Services, interval_s: float) -> None:
    while True:
        await asyncio.sleep(interval_s)
        try:
            async with services.sessionmaker() as db:
                waiting = await has_waiting(db)
            if waiting:
                await do_dispatch(services)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("routing.tick_failed")
