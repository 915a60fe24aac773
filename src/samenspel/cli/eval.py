from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from samenspel.cli.common import fail, run_or_fail, settings_or_fail
from samenspel.db.engine import create_engine, create_sessionmaker
from samenspel.db.migrate import upgrade
from samenspel.errors import SamenspelError
from samenspel.knowledge.evaluation import Tally, calibrate, evaluate, read_questions
from samenspel.knowledge.formats import read_articles
from samenspel.knowledge.index import ArticleDoc
from samenspel.knowledge.loader import load_knowledge
from samenspel.knowledge.search import Calibration, KnowledgeBase, KnowledgeRetriever
from samenspel.knowledge.thesaurus import Thesaurus
from samenspel.pipeline import build_pipeline
from samenspel.settings import Settings


@click.group("eval")
def eval_group() -> None:
    """Measure quality on labelled data, with a baseline side by side."""


async def _knowledge(settings: Settings, kb_paths: tuple[Path, ...], calibration: Path | None) -> KnowledgeBase:
    if kb_paths:
        docs = [
            ArticleDoc(a.id, a.group, a.title, a.language, a.body, tuple(a.tags), a.url)
            for a in read_articles(list(kb_paths))
            if (a.status or "published") == "published"
        ]
        return KnowledgeBase(
            docs,
            thesaurus=Thesaurus.load(settings.data_dir / "thesaurus.yaml"),
            working_language=settings.working_language,
            calibration=Calibration.load(calibration),
        )
    upgrade(settings)
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as db:
            return await load_knowledge(db, settings)
    finally:
        await engine.dispose()


def _table(rows: list[Tally]) -> str:
    cells = [r.row() for r in rows]
    header = list(cells[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(c[h] for h in header) + " |" for c in cells]
    return "\n".join(lines)


@eval_group.command("kb")
@click.argument("questions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kb",
    "kb_paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Articles to measure against instead of the data dir's knowledge base (folder, .csv or .jsonl).",
)
@click.option("--calibration", type=click.Path(dir_okay=False, path_type=Path), help="Confidence weights to use.")
@click.option(
    "--calibrate",
    "calibrate_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Fit the confidence weights on QUESTIONS and write them here (use a tuning set, not your test set).",
)
@click.option("--misses", is_flag=True, help="Also list the questions that went wrong.")
def eval_kb(
    questions: Path,
    kb_paths: tuple[Path, ...],
    calibration: Path | None,
    calibrate_out: Path | None,
    misses: bool,
) -> None:
    """Top-1/top-3 accuracy, MRR, handoffs and latency on QUESTIONS (JSON Lines of
    {"text", "expect": {"group", "handoff"}}), with a plain BM25 baseline side by side."""
    settings = settings_or_fail()
    try:
        items = read_questions(questions)
    except SamenspelError as exc:
        fail(exc.message)

    async def work() -> tuple[Tally, Tally, KnowledgeBase]:
        knowledge = await _knowledge(settings, kb_paths, calibration)
        if calibrate_out is not None:
            fitted.update(calibrate(items, knowledge, settings.working_language))
            knowledge.calibration = Calibration(**fitted["weights"])
        pipeline = build_pipeline(settings, KnowledgeRetriever(knowledge))
        ours, baseline = await evaluate(items, pipeline, knowledge)
        return ours, baseline, knowledge

    fitted: dict[str, Any] = {}
    ours, baseline, knowledge = run_or_fail(work)
    if calibrate_out is not None:
        calibrate_out.write_text(json.dumps(fitted, indent=2) + "\n", encoding="utf-8")
        click.echo(f"wrote {calibrate_out}: {fitted['weights']} ({fitted['examples']} examples)\n")
    click.echo(
        f"{len(items)} questions ({ours.answerable} answerable, {ours.should_handoff} for a person) "
        f"against {len(knowledge)} articles\n"
    )
    click.echo(_table([ours, baseline]))
    click.echo(
        "\ntop-1/top-3/MRR: the right article group among the hits, on answerable questions; handoffs caught: "
        "share of questions for a person that were handed over; fitting reason: share of those where at least "
        "one expected reason was given; false handoffs and wrong answers: share of answerable questions handed "
        "over, or answered from the wrong article."
    )
    if misses:
        click.echo("\nmisses (samenspel):")
        for miss in ours.misses:
            click.echo(f"  {json.dumps(miss, ensure_ascii=False)}")
