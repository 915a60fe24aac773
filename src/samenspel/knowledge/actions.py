"""Everything that changes the knowledge base. Each change is a version (who, when, what), and the
assistant's index is rebuilt in every server process once the change is committed."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.db.base import utcnow
from samenspel.errors import Conflict, InvalidInput, InvalidTransition
from samenspel.knowledge.access import can_publish, check_article_action
from samenspel.knowledge.formats import ArticleInput, ImportProblems, Problem
from samenspel.knowledge.models import Article, ArticleVersion
from samenspel.knowledge.schemas import ArticleEdit
from samenspel.realtime.events import KNOWLEDGE_CHANNEL, Event
from samenspel.services import Services
from samenspel.staff.models import Staff

logger = logging.getLogger(__name__)

CONTENT = ("title", "body", "language", "group", "tags", "url", "review_by")


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


async def _announce(services: Services) -> None:
    await services.bus.publish(
        KNOWLEDGE_CHANNEL,
        Event(type="knowledge.changed", conversation_id="", data={"at": utcnow().isoformat()}),
    )


async def _next_number(db: AsyncSession, article_id: str) -> int:
    current = await db.scalar(select(func.max(ArticleVersion.number)).where(ArticleVersion.article_id == article_id))
    return int(current or 0) + 1


def _snapshot(
    article: Article, number: int, state: str, source: str, actor: Staff | None, note: str, **content: Any
) -> ArticleVersion:
    values = {name: content.get(name, getattr(article, name)) for name in CONTENT}
    return ArticleVersion(
        article_id=article.id,
        number=number,
        state=state,
        status=content.get("status", article.status),
        changed_by=actor.id if actor else None,
        source=source,
        note=note,
        **values,
    )


def _apply(article: Article, content: dict[str, Any], status: str | None) -> None:
    for name, value in content.items():
        setattr(article, name, value)
    if status is not None and status != article.status:
        article.status = status
        if status == "published":
            article.published_at = utcnow()
    article.updated_at = utcnow()


async def _check_group(db: AsyncSession, article_id: str, group: str, language: str) -> None:
    clash = await db.scalar(
        select(Article.id).where(Article.group == group, Article.language == language, Article.id != article_id)
    )
    if clash:
        raise Conflict(
            f"group {group!r} already has a {language} article ({clash}); articles in a group are translations",
            field="group",
        )


async def do_import_articles(
    db: AsyncSession, services: Services, inputs: list[ArticleInput], actor: Staff | None = None
) -> ImportSummary:
    """Creates or updates by id, all in one transaction: it applies fully or not at all."""
    summary = ImportSummary()
    async with services.write_gate.hold(db):
        owners: dict[str, str] = {}
        wanted = {a.owner for a in inputs if a.owner}
        if wanted:
            rows = await db.execute(select(Staff.email, Staff.id).where(func.lower(Staff.email).in_(wanted)))
            owners = {email.lower(): staff_id for email, staff_id in rows.tuples()}
        incoming = {a.id for a in inputs}
        problems: list[Problem] = []
        for item in inputs:
            if item.owner and item.owner not in owners:
                problems.append(Problem(item.origin, item.line, f"owner {item.owner!r} is not a staff account"))
            clash = await db.scalar(
                select(Article.id).where(
                    Article.group == item.group,
                    Article.language == item.language,
                    Article.id.not_in(incoming),
                )
            )
            if clash:
                problems.append(
                    Problem(
                        item.origin,
                        item.line,
                        f"group {item.group!r} already has a {item.language} article ({clash}) in the knowledge base",
                    )
                )
        if problems:
            raise ImportProblems(problems)
        for item in inputs:
            content: dict[str, Any] = {
                "title": item.title,
                "body": item.body,
                "language": item.language,
                "group": item.group,
                "tags": item.tags,
                "url": item.url,
                "review_by": item.review_by,
            }
            existing = await db.get(Article, item.id)
            if existing is None:
                article = Article(id=item.id, status=item.status or "published", version=1, **content)
                article.owner_id = owners.get(item.owner) if item.owner else (actor.id if actor else None)
                if article.status == "published":
                    article.published_at = utcnow()
                db.add(article)
                db.add(_snapshot(article, 1, "applied", "import", actor, f"imported from {item.origin}"))
                summary.created.append(item.id)
                continue
            changes = {k: v for k, v in content.items() if getattr(existing, k) != v}
            status = item.status if item.status and item.status != existing.status else None
            owner = owners.get(item.owner) if item.owner else None
            if not changes and status is None and (owner is None or owner == existing.owner_id):
                summary.unchanged.append(item.id)
                continue
            number = await _next_number(db, existing.id)
            _apply(existing, changes, status)
            if owner:
                existing.owner_id = owner
            existing.version = number
            db.add(_snapshot(existing, number, "applied", "import", actor, f"imported from {item.origin}"))
            summary.updated.append(item.id)
        await db.commit()
    logger.info(
        "knowledge.imported created=%s updated=%s unchanged=%s",
        len(summary.created),
        len(summary.updated),
        len(summary.unchanged),
    )
    if summary.created or summary.updated:
        await _announce(services)
    return summary


async def do_save_article(
    db: AsyncSession,
    services: Services,
    actor: Staff,
    article: Article | None,
    data: ArticleEdit,
    *,
    publish: bool = False,
    source: str = "editor",
) -> tuple[Article, ArticleVersion]:
    """Creates an article or changes one.

    Someone who may publish changes the article itself (and with ``publish`` makes it live). Anyone else
    who may edit: a new article starts as a draft, a change to a published article becomes a proposal
    for a publisher, and the live article stays as it is.
    """
    settings = services.settings
    check_article_action(actor, settings, "publish" if publish else "propose")
    publisher = can_publish(actor, settings)
    async with services.write_gate.hold(db):
        if article is None:
            if not data.id:
                raise InvalidInput("a new article needs an id, e.g. paspoort-aanvragen", field="id")
            if await db.get(Article, data.id) is not None:
                raise Conflict(f"an article with id {data.id!r} already exists", field="id")
            group = data.group or data.id
            await _check_group(db, data.id, group, data.language)
            article = Article(
                id=data.id,
                title=data.title,
                body=data.body,
                language=data.language,
                group=group,
                tags=data.tags,
                url=data.url,
                review_by=data.review_by,
                owner_id=actor.id,
                status="published" if publish else "draft",
                published_at=utcnow() if publish else None,
                version=1,
            )
            db.add(article)
            version = _snapshot(article, 1, "applied", source, actor, data.note)
            db.add(version)
            await db.commit()
            logger.info("knowledge.article.created article_id=%s status=%s", article.id, article.status)
            if publish:
                await _announce(services)
            return article, version

        content: dict[str, Any] = {
            "title": data.title,
            "body": data.body,
            "language": data.language,
            "group": data.group or article.group,
            "tags": data.tags,
            "url": data.url,
            "review_by": data.review_by,
        }
        await _check_group(db, article.id, content["group"], content["language"])
        number = await _next_number(db, article.id)
        if article.status == "published" and not (publish and publisher):
            # The live article stays; the change waits for someone who may publish.
            version = _snapshot(article, number, "proposed", source, actor, data.note, **content)
            db.add(version)
            await db.commit()
            logger.info("knowledge.article.proposed article_id=%s version=%s", article.id, number)
            return article, version
        status = "published" if publish else None
        version = _snapshot(
            article, number, "applied", source, actor, data.note, status=status or article.status, **content
        )
        _apply(article, content, status)
        article.version = number
        db.add(version)
        live = article.status == "published"
        await db.commit()
    logger.info("knowledge.article.saved article_id=%s version=%s", article.id, number)
    if live:
        await _announce(services)
    return article, version


async def do_set_article_status(
    db: AsyncSession, services: Services, actor: Staff, article: Article, status: str, note: str = ""
) -> Article:
    """Publishes, archives or takes an article back to draft; recorded as a version."""
    check_article_action(actor, services.settings, "publish")
    if status not in ("draft", "published", "archived"):
        raise InvalidInput(f"status must be draft, published or archived, not {status!r}", field="status")
    if status == article.status:
        return article
    async with services.write_gate.hold(db):
        number = await _next_number(db, article.id)
        db.add(_snapshot(article, number, "applied", "editor", actor, note or f"status: {status}", status=status))
        _apply(article, {}, status)
        article.version = number
        await db.commit()
    logger.info("knowledge.article.status article_id=%s status=%s", article.id, status)
    await _announce(services)
    return article


async def do_decide_proposal(
    db: AsyncSession,
    services: Services,
    actor: Staff,
    article: Article,
    proposal: ArticleVersion,
    *,
    accept: bool,
) -> Article:
    """A publisher accepts a proposal (it becomes the live text, as a new version) or rejects it."""
    check_article_action(actor, services.settings, "publish")
    if proposal.state != "proposed":
        raise InvalidTransition(f"version {proposal.number} is {proposal.state}, not a proposal")
    async with services.write_gate.hold(db):
        if not accept:
            proposal.state = "rejected"
            await db.commit()
            return article
        content = {name: getattr(proposal, name) for name in CONTENT}
        await _check_group(db, article.id, content["group"], content["language"])
        number = await _next_number(db, article.id)
        note = f"proposal {proposal.number} accepted" + (f": {proposal.note}" if proposal.note else "")
        db.add(_snapshot(article, number, "applied", "editor", actor, note, **content))
        proposal.state = "accepted"
        _apply(article, content, None)
        article.version = number
        live = article.status == "published"
        await db.commit()
    if live:
        await _announce(services)
    return article


async def do_restore_version(
    db: AsyncSession, services: Services, actor: Staff, article: Article, version: ArticleVersion
) -> tuple[Article, ArticleVersion]:
    """An older version's text comes back as the newest version (or as a proposal, for non-publishers)."""
    data = ArticleEdit(
        title=version.title,
        body=version.body,
        language=version.language,
        group=version.group,
        tags=list(version.tags or []),
        url=version.url,
        review_by=version.review_by if isinstance(version.review_by, date) else None,
        note=f"restored version {version.number}",
    )
    publish = can_publish(actor, services.settings) and article.status == "published"
    return await do_save_article(db, services, actor, article, data, publish=publish, source="restore")
