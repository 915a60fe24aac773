from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.knowledge.index import ArticleDoc
from samenspel.knowledge.models import Article, ArticleVersion


def article_url(article: Article, base_url: str) -> str:
    return article.url or f"{base_url.rstrip('/')}/kb/{article.id}"


async def published_docs(db: AsyncSession, base_url: str) -> list[ArticleDoc]:
    """What the assistant may answer from: published articles only."""
    rows = await db.scalars(select(Article).where(Article.status == "published").order_by(Article.id))
    return [
        ArticleDoc(
            id=a.id,
            group=a.group,
            title=a.title,
            language=a.language,
            body=a.body,
            tags=tuple(a.tags or ()),
            url=article_url(a, base_url),
        )
        for a in rows
    ]


async def get_article(db: AsyncSession, article_id: str) -> Article | None:
    return await db.get(Article, article_id)


async def list_articles(
    db: AsyncSession,
    *,
    status: str | None = None,
    language: str | None = None,
    text: str | None = None,
    limit: int = 200,
) -> Sequence[Article]:
    query = select(Article).order_by(Article.title).limit(limit)
    if status:
        query = query.where(Article.status == status)
    if language:
        query = query.where(Article.language == language)
    if text:
        like = f"%{text.lower()}%"
        query = query.where(or_(func.lower(Article.title).like(like), func.lower(Article.id).like(like)))
    return (await db.scalars(query)).all()


async def group_members(db: AsyncSession, group: str) -> Sequence[Article]:
    return (await db.scalars(select(Article).where(Article.group == group).order_by(Article.language))).all()


async def list_versions(db: AsyncSession, article_id: str) -> Sequence[ArticleVersion]:
    query = select(ArticleVersion).where(ArticleVersion.article_id == article_id)
    return (await db.scalars(query.order_by(ArticleVersion.number.desc()))).all()


async def list_proposals(db: AsyncSession) -> Sequence[ArticleVersion]:
    query = select(ArticleVersion).where(ArticleVersion.state == "proposed")
    return (await db.scalars(query.order_by(ArticleVersion.created_at))).all()


async def count_articles(db: AsyncSession) -> dict[str, int]:
    rows = await db.execute(select(Article.status, func.count()).group_by(Article.status))
    return dict(rows.tuples())
