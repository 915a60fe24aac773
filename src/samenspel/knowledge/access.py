"""Who may do what with articles. The roles are settings: by default agents propose, supervisors publish."""

from __future__ import annotations

from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.errors import Forbidden, NotFound
from samenspel.knowledge.models import Article, ArticleVersion
from samenspel.settings import Settings
from samenspel.staff.access import has_role
from samenspel.staff.models import Staff

ArticleAction = Literal["read", "propose", "publish"]


def can_publish(staff: Staff, settings: Settings) -> bool:
    return has_role(staff, settings.kb_publish_role)


def can_propose(staff: Staff, settings: Settings) -> bool:
    return has_role(staff, settings.kb_edit_role)


def check_article_action(staff: Staff, settings: Settings, action: ArticleAction) -> None:
    if action == "publish" and not can_publish(staff, settings):
        raise Forbidden(f"publishing articles needs the role {settings.kb_publish_role} or higher")
    if action == "propose" and not can_propose(staff, settings):
        raise Forbidden(f"changing articles needs the role {settings.kb_edit_role} or higher")


async def access_article_by_id(
    db: AsyncSession, staff: Staff, settings: Settings, article_id: str, action: ArticleAction = "read"
) -> Article:
    check_article_action(staff, settings, action)
    article = await db.get(Article, article_id[:120])
    if article is None:
        raise NotFound(f"no article with id {article_id[:120]!r}")
    return article


async def access_version_by_id(
    db: AsyncSession, staff: Staff, settings: Settings, version_id: str, action: ArticleAction = "read"
) -> tuple[Article, ArticleVersion]:
    check_article_action(staff, settings, action)
    version = await db.get(ArticleVersion, version_id[:32])
    if version is None:
        raise NotFound(f"no article version with id {version_id[:32]!r}")
    article = await db.get(Article, version.article_id)
    if article is None:  # pragma: no cover - cascade deletes keep them together
        raise NotFound(f"no article with id {version.article_id!r}")
    return article, version
