from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import select

from samenspel.cli.common import run_or_fail, settings_or_fail
from samenspel.db.migrate import upgrade
from samenspel.knowledge.actions import ImportSummary, do_import_articles
from samenspel.knowledge.formats import read_articles, to_markdown
from samenspel.knowledge.models import Article
from samenspel.services import open_services


@click.group()
def kb() -> None:
    """The knowledge base: import and export articles."""


@kb.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def kb_import(paths: tuple[Path, ...]) -> None:
    """Import a folder of Markdown articles, a .csv or a .jsonl; re-importing updates by id.

    Everything is checked first: an import applies fully or not at all.
    """
    settings = settings_or_fail()

    async def work() -> ImportSummary:
        articles = read_articles(list(paths))
        upgrade(settings)
        async with open_services(settings) as services, services.sessionmaker() as db:
            return await do_import_articles(db, services, articles)

    summary = run_or_fail(work)
    total = len(summary.created) + len(summary.updated) + len(summary.unchanged)
    click.echo(
        f"imported {total} articles: {len(summary.created)} new, {len(summary.updated)} updated, "
        f"{len(summary.unchanged)} unchanged"
    )


@kb.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def kb_export(directory: Path) -> None:
    """Write every article (any status) as a Markdown file with front matter into DIRECTORY."""
    settings = settings_or_fail()

    async def fetch() -> list[Article]:
        upgrade(settings)
        async with open_services(settings) as services, services.sessionmaker() as db:
            return list((await db.scalars(select(Article).order_by(Article.id))).all())

    articles = run_or_fail(fetch)
    directory.mkdir(parents=True, exist_ok=True)
    for article in articles:
        text = to_markdown(
            id=article.id,
            title=article.title,
            language=article.language,
            group=article.group,
            tags=list(article.tags or []),
            body=article.body,
            url=article.url,
            status=article.status,
            review_by=article.review_by,
        )
        (directory / f"{article.id}.md").write_text(text, encoding="utf-8")
    count = len(articles)
    click.echo(f"exported {count} articles to {directory}")
