"""The OpenAI-compatible translation backend, against a local server that speaks chat completions."""

from __future__ import annotations

import asyncio
import json
import threading
import time

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from samenspel.knowledge.formats import read_articles
from samenspel.knowledge.index import ArticleDoc
from samenspel.knowledge.search import KnowledgeBase, KnowledgeRetriever
from samenspel.pipeline import build_pipeline
from samenspel.settings import Settings
from samenspel.understanding.signals import CustomerContext, Inbound
from tests.conftest import free_port
from tests.factories import DEMO_KNOWLEDGE

# What this fake model "knows": enough German to be honest about what it does.
GLOSSARY = {
    ("de", "nl"): {"Wie viel kostet ein Reisepass für Erwachsene?": "paspoort aanvragen kosten volwassene"},
}


class FakeOpenAI:
    """A chat-completions endpoint: records every request, 'translates' by glossary or by tagging."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.port = free_port()

        async def completions(request: Request) -> JSONResponse:
            body = await request.json()
            self.requests.append({"body": body, "auth": request.headers.get("authorization")})
            system, user = body["messages"][0]["content"], body["messages"][1]["content"]
            source = "de" if "from German" in system else "nl" if "from Dutch" in system else "en"
            target = "nl" if "to Dutch" in system else "de" if "to German" in system else "en"
            text = GLOSSARY.get((source, target), {}).get(user, f"[{target}] {user}")
            return JSONResponse(
                {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "model": body["model"],
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                    ],
                }
            )

        app = Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(5)


@pytest.fixture(scope="module")
def knowledge():
    docs = [
        ArticleDoc(a.id, a.group, a.title, a.language, a.body, tuple(a.tags), f"https://samenstad.example/kb/{a.id}")
        for a in read_articles([DEMO_KNOWLEDGE])
    ]
    return KnowledgeBase(docs)


def pipeline_with(fake: FakeOpenAI, knowledge: KnowledgeBase):
    settings = Settings(
        environment="test",
        translation_backend="openai",
        openai_base_url=f"http://127.0.0.1:{fake.port}/v1",
        openai_model="tiny-test",
        openai_api_key="sk-test-not-a-real-key",
    )
    return build_pipeline(settings, KnowledgeRetriever(knowledge))


def test_a_german_question_finds_the_dutch_article_and_is_answered_in_german(knowledge):
    with FakeOpenAI() as fake:
        pipeline = pipeline_with(fake, knowledge)
        outcome = asyncio.run(pipeline.run(Inbound("Wie viel kostet ein Reisepass für Erwachsene?")))
    decision = outcome.decision
    assert decision.language == "de"
    assert decision.mode == "answer"
    assert decision.sources[0].group == "paspoort-aanvragen"
    assert decision.reply_language == "de"
    assert decision.reply.startswith("[de] ")  # the whole reply came back from the translation backend
    assert "€" in decision.reply
    bodies = [r["body"] for r in fake.requests]
    assert "from German to Dutch" in bodies[0]["messages"][0]["content"]
    assert bodies[-1]["model"] == "tiny-test"
    assert fake.requests[0]["auth"] == "Bearer sk-test-not-a-real-key"


def test_personal_data_is_redacted_before_it_leaves_and_restored_after(knowledge):
    with FakeOpenAI() as fake:
        pipeline = pipeline_with(fake, knowledge)
        text = "Mein BSN ist 111222333 und meine E-Mail jan@example.nl, wie viel kostet ein Reisepass?"
        outcome = asyncio.run(pipeline.run(Inbound(text, CustomerContext(name="Jan de Boer"))))
    sent = json.dumps([r["body"] for r in fake.requests])
    assert "111222333" not in sent
    assert "jan@example.nl" not in sent
    assert "[BSN_" in sent
    assert "[EMAIL_" in sent
    assert outcome.decision.language == "de"


def test_without_a_translation_backend_the_answer_says_it_is_only_in_dutch(knowledge):
    pipeline = build_pipeline(Settings(environment="test"), KnowledgeRetriever(knowledge))
    outcome = asyncio.run(pipeline.run(Inbound("I want to get rid of an old sofa, can you collect it?")))
    decision = outcome.decision
    assert decision.sources[0].group == "grofvuil"
    assert decision.sources[0].language == "nl"
    assert decision.reply_language == "en"
    assert "We only have this information in Dutch:" in decision.reply


def test_an_unreachable_backend_is_a_clear_error_without_the_key(knowledge, caplog):
    settings = Settings(
        environment="test",
        translation_backend="openai",
        openai_base_url=f"http://127.0.0.1:{free_port()}/v1",
        openai_model="tiny-test",
        openai_api_key="sk-secret-value",
    )
    pipeline = build_pipeline(settings, KnowledgeRetriever(knowledge))
    from samenspel.ai.backends.openai import BackendUnavailable

    with pytest.raises(BackendUnavailable):
        asyncio.run(pipeline.run(Inbound("Wie viel kostet ein Reisepass?")))
    assert "sk-secret-value" not in caplog.text
