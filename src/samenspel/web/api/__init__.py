from __future__ import annotations

from fastapi import APIRouter

from samenspel.web.api import auth, conversations, routing, staff

router = APIRouter(prefix="/api/v1")
router.include_router(conversations.router)
router.include_router(auth.router)
router.include_router(staff.router)
router.include_router(routing.router)
