"""The one path by which customers and staff reach a conversation."""

from __future__ import annotations

import hmac
import re
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.conversations.models import Conversation
from samenspel.errors import Forbidden, NotFound, Unauthenticated
from samenspel.staff.access import has_role, hash_token
from samenspel.staff.models import Staff

_ID = re.compile(r"^[0-9a-f]{32}$")

StaffAction = Literal["view", "take_over", "assign_other", "reply", "close", "release"]


async def _get(db: AsyncSession, conversation_id: str, *, for_update: bool = False) -> Conversation:
    if not _ID.match(conversation_id):
        raise NotFound(f"no conversation with id {conversation_id[:40]!r}")
    query = select(Conversation).where(Conversation.id == conversation_id)
    if for_update:
        query = query.with_for_update()
    conversation = await db.scalar(query)
    if conversation is None:
        raise NotFound(f"no conversation with id {conversation_id}")
    return conversation


async def access_conversation_by_token(db: AsyncSession, conversation_id: str, token: str | None) -> Conversation:
    """The customer side: the conversation token is the credential."""
    if not token:
        raise Unauthenticated("missing conversation token: send 'Authorization: Bearer <token>'")
    conversation = await _get(db, conversation_id)
    if not hmac.compare_digest(conversation.token_hash, hash_token(token)):
        other = await db.scalar(select(Conversation.id).where(Conversation.token_hash == hash_token(token)))
        if other is not None:
            raise Forbidden("this token belongs to another conversation")
        raise Unauthenticated("wrong conversation token")
    return conversation


async def access_conversation_by_id(
    db: AsyncSession, staff: Staff, conversation_id: str, action: StaffAction = "view"
) -> Conversation:
    """The staff side: every agent may see and take over any conversation; some actions need more."""
    conversation = await _get(db, conversation_id)
    mine = conversation.assigned_staff_id == staff.id
    supervisor = has_role(staff, "supervisor")
    if action == "assign_other" and not supervisor:
        raise Forbidden("only supervisors and admins can assign a conversation to someone else")
    if action == "reply" and conversation.status == "assigned" and not mine:
        raise Forbidden("this conversation is assigned to a colleague; take it over first")
    if action in ("close", "release") and conversation.status == "assigned" and not (mine or supervisor):
        raise Forbidden("only the assigned agent or a supervisor can do this")
    return conversation
