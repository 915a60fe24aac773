"""The assistant's own replies: warm (they score well on the CHV scorer) and never inventing facts."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
import yaml

from samenspel.knowledge.formats import read_articles
from samenspel.knowledge.index import ArticleDoc
from samenspel.knowledge.passages import plain
from samenspel.knowledge.search import KnowledgeBase, KnowledgeRetriever
from samenspel.pipeline import build_pipeline
from samenspel.replies.chv import score
from samenspel.settings import Settings
from samenspel.understanding.signals import CustomerContext, Inbound
from tests.factories import DEMO_KNOWLEDGE

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "samenspel" / "replies" / "templates"


@pytest.fixture(scope="module")
def knowledge():
    docs = [
        ArticleDoc(a.id, a.group, a.title, a.language, a.body, tuple(a.tags), f"https://samenstad.example/kb/{a.id}")
        for a in read_articles([DEMO_KNOWLEDGE])
    ]
    return KnowledgeBase(docs)


def reply(knowledge, text, tone="formal", name=None):
    pipeline = build_pipeline(Settings(environment="test", tone=tone), KnowledgeRetriever(knowledge))
    return asyncio.run(pipeline.run(Inbound(text, CustomerContext(name=name)))).decision


CASES = [
    ("wat kost een parkeervergunning voor bewoners", "nl", "answer"),
    ("How much is a residents parking permit?", "en", "answer"),
    ("Ik wil graag een medewerker spreken", "nl", "handoff"),
    ("hoeveel hondenbelasting moet ik betalen voor twee honden", "nl", "handoff"),
    ("Dit is BELACHELIJK, mijn container is al drie keer niet geleegd!!", "nl", None),
]


@pytest.mark.parametrize("tone", ["formal", "informal"])
@pytest.mark.parametrize(("text", "language", "mode"), CASES)
def test_replies_speak_in_a_human_voice(knowledge, text, language, mode, tone):
    decision = reply(knowledge, text, tone, name="Joke Visser")
    if mode:
        assert decision.mode == mode
    result = score(
        decision.reply, decision.reply_language, customer_name="Joke Visser", informal_allowed=tone == "informal"
    )
    assert result.score >= 0.7, (decision.reply, result.found())
    assert "invitation" in result.found() or decision.handoff.reasons == ["customer_request"]


def test_an_upset_customer_hears_sympathy_first(knowledge):
    decision = reply(knowledge, "Dit is BELACHELIJK, mijn container is al drie keer niet geleegd!!")
    assert "sympathy" in score(decision.reply, "nl").found()
    assert "Wat vervelend" in decision.reply


def test_templates_carry_no_facts():
    """No amounts, numbers, dates or addresses in any template: those can only come from articles."""
    for path in TEMPLATES.glob("*.yaml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = re.sub(r"\{\w+\}", "", line.split("#", 1)[0])
            assert not re.search(r"\d|€|https?://|www\.|@", text), (path.name, line)


def test_every_fact_in_an_answer_is_quoted_from_its_article(knowledge):
    templates = " ".join(
        str(v) for path in TEMPLATES.glob("*.yaml") for v in _leaves(yaml.safe_load(path.read_text(encoding="utf-8")))
    )
    for question in (
        "wat kost een paspoort voor een volwassene",
        "wanneer is de milieustraat open",
        "hoe lang duurt het voordat mijn rijbewijs klaar is",
        "how much does a residents parking permit cost",
    ):
        decision = reply(knowledge, question)
        assert decision.mode == "answer", question
        source = next(d for d in knowledge.index.docs if d.id == decision.sources[0].id)
        article_text = " ".join(plain(line) for line in source.body.splitlines())
        for line in decision.reply.splitlines():
            if not re.search(r"\d|€", line) or line.startswith(("Bron:", "Source:")):
                continue
            fact = line.lstrip("• ").replace(" – ", " ")
            assert _normal(fact) in _normal(article_text) or _normal(fact) in _normal(templates), (question, line)


def _leaves(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _leaves(value)
    else:
        yield node


def _normal(text: str) -> str:
    return re.sub(r"[\s|–-]+", " ", text).strip().lower()
