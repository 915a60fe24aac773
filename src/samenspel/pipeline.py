"""The one place where the stages of a message are put in order: understand → retrieve → decide → respond.

Each stage is a small protocol with an embedded default; later work replaces a stage's internals, not
this shape.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, Field

from samenspel.ai.protocols import Translator
from samenspel.ai.registry import translator_for
from samenspel.knowledge.search import Hit, NoKnowledge, Retriever
from samenspel.replies.compose import Reply, TemplateResponder
from samenspel.settings import Settings
from samenspel.triage.policy import TriagePolicy, Verdict
from samenspel.types import HandoffReason, Mode
from samenspel.understanding.emotion import Emotion
from samenspel.understanding.signals import EmbeddedUnderstanding, Inbound, IntentModel, NeedsJudge, Signals

PIPELINE_VERSION = "2026.11-triage"
# Questions in one message searched one by one (to see whether they are about different articles).
MAX_QUESTIONS = 6
# Where `samenspel intents train` writes the organisation's classifier (in the data dir).
INTENTS_FILE = "intents.joblib"
# Where `samenspel triage train` writes the organisation's own needs model (in the data dir).
NEEDS_FILE = "needs.joblib"
# Where `samenspel emotion train` writes the organisation's emotion reader (in the data dir).
EMOTION_FILE = "emotion.joblib"
TOPIC_FLOOR = 0.35
TOPIC_HITS = 5


class Understander(Protocol):
    def understand(self, inbound: Inbound) -> Signals: ...


class Decider(Protocol):
    def decide(self, inbound: Inbound, signals: Signals, hits: list[Hit]) -> Verdict: ...


class Responder(Protocol):
    async def respond(self, inbound: Inbound, signals: Signals, hits: list[Hit], verdict: Verdict) -> Reply: ...


class SourcePublic(BaseModel):
    id: str
    group: str
    title: str
    score: float
    url: str | None = None
    language: str | None = None


class HandoffPublic(BaseModel):
    needed: bool
    reasons: list[HandoffReason]
    explanation: str
    explanations: dict[str, str] = Field(default_factory=dict, description="the explanation in nl and en")


class DecisionPublic(BaseModel):
    """CONTRACT.md §5."""

    language: str
    mode: Mode
    reply: str
    reply_language: str
    sources: list[SourcePublic]
    handoff: HandoffPublic
    signals: dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """Everything one run produced: the public decision and the stage outputs for storing and auditing."""

    decision: DecisionPublic
    signals: Signals
    hits: list[Hit]
    verdict: Verdict
    reply: Reply
    elapsed_ms: float


class Pipeline:
    def __init__(
        self,
        understander: Understander,
        retriever: Retriever,
        decider: Decider,
        responder: Responder,
        *,
        working_language: str = "nl",
        translator: Translator | None = None,
    ) -> None:
        self.understander = understander
        self.retriever = retriever
        self.decider = decider
        self.responder = responder
        self.working_language = working_language
        self.translator = translator

    def understand(self, inbound: Inbound) -> Signals:
        return self.understander.understand(inbound)

    def _question_topics(self, inbound: Inbound, signals: Signals, hits: list[Hit]) -> None:
        """With several questions in one message, which articles answer each: different articles make the
        message complex. A question's article counts when the knowledge base answers it with some confidence
        and the message as a whole finds it too (a short follow-up such as "hoe gaat dat?" searched on its own
        can land anywhere)."""
        questions = list(signals.questions or [])
        if len(questions) < 2 or inbound.search_text:
            return
        floor = float(getattr(self.decider, "answer_threshold", TOPIC_FLOOR))
        whole = {h.group for h in hits[:TOPIC_HITS]}
        topics: list[str] = []
        for question in questions[:MAX_QUESTIONS]:
            found = self.retriever.retrieve(dataclasses.replace(inbound, text=question), signals)
            if found and found[0].score >= floor and found[0].group in whole and found[0].group not in topics:
                topics.append(found[0].group)
        signals.question_topics = topics

    async def run(self, inbound: Inbound, *, signals: Signals | None = None) -> Outcome:
        """``signals`` may be given when understanding already ran for this message."""
        started = time.perf_counter()
        if signals is None:
            signals = self.understander.understand(inbound)
        if self.translator is not None and signals.language not in ("nl", "en", self.working_language):
            # Searched in the working language; the reply goes back in the customer's own.
            search_text = await self.translator.translate(inbound.text, signals.language, self.working_language)
            signals.search_text = search_text
            inbound = dataclasses.replace(inbound, search_text=search_text)
        hits = self.retriever.retrieve(inbound, signals)
        self._question_topics(inbound, signals, hits)
        verdict = self.decider.decide(inbound, signals, hits)
        reply = await self.responder.respond(inbound, signals, hits, verdict)
        elapsed_ms = (time.perf_counter() - started) * 1000
        decision = DecisionPublic(
            language=signals.language,
            mode=verdict.mode,
            reply=reply.text,
            reply_language=reply.language,
            sources=[
                SourcePublic(
                    id=h.id,
                    group=h.group,
                    title=h.title,
                    score=round(h.score, 4),
                    url=h.url,
                    language=h.language,
                )
                for h in hits
            ],
            handoff=HandoffPublic(
                needed=verdict.handoff,
                reasons=verdict.reasons,
                explanation=verdict.explanation(self.working_language),
                explanations={lang: verdict.explanation(lang) for lang in ("nl", "en")},
            ),
            signals=signals.as_dict(),
        )
        return Outcome(decision, signals, hits, verdict, reply, elapsed_ms)


def _intents(settings: Settings) -> IntentModel | None:
    """The organisation's trained contact-reason classifier, when there is one (scikit-learn loads only then)."""
    path = settings.data_dir / INTENTS_FILE
    if not path.exists():
        return None
    from samenspel.understanding.intents import load_classifier

    return load_classifier(path)


def _needs(settings: Settings, on_training: Callable[[], None] | None) -> NeedsJudge | None:
    """The trained judgement of what a message needs from a person: the organisation's own model when it
    trained one, else the one trained on the shipped corpus (cached in the data dir); none when switched off.
    ``on_training`` is told when the shipped model must first be trained (a few seconds, once)."""
    if settings.triage_model == "none":
        return None
    from samenspel.understanding.needs import is_ready, load_model, shipped_model

    own = settings.data_dir / NEEDS_FILE
    if own.exists():
        return load_model(own)
    if on_training is not None and not is_ready(settings.data_dir):
        on_training()
    return shipped_model(settings.data_dir)


def _emotion(settings: Settings) -> Callable[[str], Emotion] | None:
    """The organisation's trained emotion reader, when it trained one; else the lexicon reads emotions."""
    path = settings.data_dir / EMOTION_FILE
    if not path.exists():
        return None
    from samenspel.understanding.emotion_model import load_emotion_model

    return load_emotion_model(path).read


def build_pipeline(
    settings: Settings, retriever: Retriever | None = None, *, on_training: Callable[[], None] | None = None
) -> Pipeline:
    """The pipeline the settings ask for; with no settings, the embedded defaults."""
    translator = translator_for(settings)
    return Pipeline(
        EmbeddedUnderstanding(
            settings.working_language,
            intents=_intents(settings),
            needs=_needs(settings, on_training),
            emotion=_emotion(settings),
        ),
        retriever or NoKnowledge(),
        TriagePolicy.load(settings.triage_policy),
        TemplateResponder(
            settings.tone,
            translator=translator,
            timezone=settings.timezone,
            working_language=settings.working_language,
        ),
        working_language=settings.working_language,
        translator=translator,
    )
