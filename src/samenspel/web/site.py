"""The front page, the widget's demo host page and a health check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import text

from samenspel.errors import NotFound
from samenspel.knowledge.queries import get_article, group_members
from samenspel.knowledge.render import to_html
from samenspel.web.deps import ServicesDep, SessionDep
from samenspel.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def front_page(request: Request) -> HTMLResponse:
    return render(request, "index.html")


@router.get("/demo", response_class=HTMLResponse)
async def demo_page(request: Request) -> HTMLResponse:
    return render(request, "demo.html")


@router.get("/kb/{article_id}", response_class=HTMLResponse)
async def public_article(article_id: str, request: Request, db: SessionDep) -> HTMLResponse:
    """A published article, as the assistant's sources link to it. Drafts and archived ones are not shown."""
    article = await get_article(db, article_id[:120])
    if article is None or article.status != "published":
        raise NotFound(f"no published article {article_id[:120]!r}")
    translations = [a for a in await group_members(db, article.group) if a.status == "published" and a.id != article.id]
    return render(
        request,
        "kb_article.html",
        {"article": article, "body_html": to_html(article.body), "translations": translations},
        preferred_language=article.language,
    )


@router.get("/healthz")
async def health(services: ServicesDep) -> dict[str, str]:
    async with services.sessionmaker() as db:
        await db.execute(text("SELECT 1"))
    return {"status": "ok"}
