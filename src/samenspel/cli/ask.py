from __future__ import annotations

import json
import sys
from typing import Any

import click

from samenspel.cli.common import fail, note_training, run_or_fail, settings_or_fail
from samenspel.db.engine import create_engine, create_sessionmaker
from samenspel.db.migrate import upgrade
from samenspel.knowledge.loader import load_knowledge
from samenspel.knowledge.search import KnowledgeRetriever
from samenspel.pipeline import DecisionPublic, Pipeline, build_pipeline
from samenspel.settings import Settings
from samenspel.types import Segment
from samenspel.understanding.signals import CustomerContext, Inbound

_SEGMENTS: tuple[Segment, ...] = ("standard", "vip", "business")
MAX_TEXT = 4000


class _BadLine(ValueError):
    pass


def _inbound(request: Any) -> Inbound:
    if not isinstance(request, dict):
        raise _BadLine('expected a JSON object such as {"text": "..."}')
    text = request.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _BadLine("missing 'text' (a non-empty string)")
    if len(text) > MAX_TEXT:
        raise _BadLine(f"'text' is {len(text):,} characters; the limit is {MAX_TEXT:,}")
    customer = request.get("customer") or {}
    if not isinstance(customer, dict):
        raise _BadLine("'customer' must be an object")
    segment = customer.get("segment") or "standard"
    if segment not in _SEGMENTS:
        raise _BadLine(f"'customer.segment' must be one of {', '.join(_SEGMENTS)}, got {segment!r}")
    language = customer.get("language")
    return Inbound(
        text=text,
        customer=CustomerContext(
            id=str(customer["id"]) if customer.get("id") is not None else None,
            name=str(customer["name"]) if customer.get("name") else None,
            segment=segment,
            language=language if isinstance(language, str) else None,
        ),
    )


async def _pipeline(settings: Settings) -> Pipeline:
    """The pipeline over the knowledge base in the data dir (no server needed)."""
    upgrade(settings)
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as db:
            knowledge = await load_knowledge(db, settings)
    finally:
        await engine.dispose()
    return build_pipeline(settings, KnowledgeRetriever(knowledge), on_training=note_training)


def _print_human(decision: DecisionPublic) -> None:
    click.echo(f"[{decision.mode}] language={decision.language}")
    click.echo(decision.reply)
    if decision.handoff.needed:
        click.echo(f"handoff: {', '.join(decision.handoff.reasons)} — {decision.handoff.explanation}")
    for source in decision.sources[:3]:
        click.echo(f"source: {source.title} ({source.id}, score {source.score:.2f})")


async def _ask_lines(pipeline: Pipeline, as_json: bool) -> int:
    errors = total = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        total += 1
        try:
            try:
                request = json.loads(line)
            except json.JSONDecodeError as exc:
                raise _BadLine(f"not valid JSON: {exc.msg} at character {exc.pos}") from None
            decision = (await pipeline.run(_inbound(request))).decision
        except _BadLine as exc:
            errors += 1
            error = {"error": {"code": "invalid_input", "message": f"line {number}: {exc}", "line": number}}
            click.echo(json.dumps(error, ensure_ascii=False))
            continue
        if as_json:
            click.echo(decision.model_dump_json())
        else:
            _print_human(decision)
            click.echo("")
    if errors:
        click.echo(f"{errors} of {total} lines had errors; the others were answered", err=True)
    return errors


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON (one object per input).")
@click.argument("text", required=False)
def ask(as_json: bool, text: str | None) -> None:
    """Run the assistant pipeline on TEXT, or on JSON Lines from standard input."""
    settings = settings_or_fail()
    if text is None and sys.stdin.isatty():
        fail("give a TEXT argument, or JSON Lines on standard input")
    inbound = None
    if text is not None:
        try:
            inbound = _inbound({"text": text})
        except _BadLine as exc:
            fail(str(exc))

    async def work() -> None:
        pipeline = await _pipeline(settings)
        if inbound is None:
            await _ask_lines(pipeline, as_json)
            return
        decision = (await pipeline.run(inbound)).decision
        if as_json:
            click.echo(decision.model_dump_json())
        else:
            _print_human(decision)

    run_or_fail(work)
