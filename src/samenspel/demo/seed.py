"""Seeds the demo organisation; safe to run again (nothing is added twice)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from samenspel.conversations.actions import do_create_conversation, do_post_customer_message
from samenspel.conversations.models import Conversation
from samenspel.conversations.schemas import ConversationCreate
from samenspel.customers.models import Customer
from samenspel.customers.schemas import CustomerCreate
from samenspel.knowledge.actions import do_import_articles
from samenspel.knowledge.formats import read_articles
from samenspel.routing.actions import do_save_queue
from samenspel.routing.queries import get_queue
from samenspel.routing.schemas import QueueSpec
from samenspel.services import Services
from samenspel.staff.actions import do_create_staff
from samenspel.staff.models import Staff
from samenspel.staff.schemas import StaffCreate

logger = logging.getLogger(__name__)
ORGANISATION = Path(__file__).parent / "organisation.yaml"


KNOWLEDGE = Path(__file__).parent / "knowledge"


@dataclass
class SeedReport:
    password: str
    staff: list[dict[str, str]] = field(default_factory=list)
    created_staff: int = 0
    created_queues: int = 0
    created_conversations: int = 0
    articles: int = 0


def load_organisation() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ORGANISATION.read_text(encoding="utf-8"))
    return data


async def seed_demo(services: Services) -> SeedReport:
    org = load_organisation()
    report = SeedReport(password=org["password"])
    async with services.sessionmaker() as db:
        for person in org["staff"]:
            report.staff.append({"name": person["name"], "email": person["email"], "role": person["role"]})
            exists = await db.scalar(select(Staff.id).where(func.lower(Staff.email) == person["email"].lower()))
            if exists:
                continue
            await do_create_staff(db, StaffCreate(password=org["password"], **person))
            report.created_staff += 1

        # Queues only where missing: a supervisor may have changed them since. Agents' states are left
        # alone: everyone starts offline and becomes available in the workspace (one click after login).
        for item in org.get("queues", []):
            spec = dict(item)
            name = spec.pop("name")
            if await get_queue(db, name) is None:
                await do_save_queue(db, services, name, QueueSpec.model_validate(spec))
                report.created_queues += 1

        # The knowledge base first, so the seeded conversations get real answers. Re-seeding updates
        # articles only where the shipped text changed.
        summary = await do_import_articles(db, services, read_articles([KNOWLEDGE]))
        report.articles = len(summary.created) + len(summary.updated) + len(summary.unchanged)
        if summary.created or summary.updated:
            await services.reload_knowledge()

        for item in org["conversations"]:
            customer_data = next(c for c in org["customers"] if c["external_id"] == item["customer"])
            customer_id = await db.scalar(select(Customer.id).where(Customer.external_id == item["customer"]))
            if customer_id and await db.scalar(
                select(Conversation.id).where(Conversation.customer_id == customer_id).limit(1)
            ):
                continue
            conversation, _ = await do_create_conversation(
                db,
                services,
                ConversationCreate(channel=item["channel"], customer=CustomerCreate(**customer_data)),
            )
            for text in item["messages"]:
                await do_post_customer_message(db, services, conversation, text)
            report.created_conversations += 1
    logger.info(
        "demo.seeded staff=%s queues=%s conversations=%s",
        report.created_staff,
        report.created_queues,
        report.created_conversations,
    )
    return report
