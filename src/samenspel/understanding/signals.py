"""What the pipeline knows about one inbound message: the input, and the signals understanding found."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from samenspel.understanding.commerce import find_commercial
from samenspel.understanding.cues import asks_for_person
from samenspel.understanding.emotion import Emotion, read_emotion
from samenspel.understanding.language import detect_language
from samenspel.understanding.structure import find_questions
from samenspel.understanding.topics import find_sensitive
from samenspel.understanding.vulnerability import find_vulnerability


class IntentResult(Protocol):
    def as_dict(self) -> dict[str, Any]: ...


class NeedsResult(Protocol):
    def as_dict(self) -> dict[str, Any]: ...


class NeedsJudge(Protocol):
    """What understanding needs of the model that judges what a message needs from a person
    (``understanding.needs.NeedsModel``)."""

    def judge(self, text: str, segment: str = "standard") -> NeedsResult: ...


class IntentModel(Protocol):
    """What understanding needs of an intent classifier (``understanding.intents.IntentClassifier``)."""

    def intent(self, text: str) -> IntentResult: ...


@dataclass(frozen=True)
class CustomerContext:
    id: str | None = None
    name: str | None = None
    segment: str = "standard"
    language: str | None = None


@dataclass(frozen=True)
class Turn:
    author: str
    text: str


@dataclass(frozen=True)
class Inbound:
    """One customer message with what the conversation already knows."""

    text: str
    customer: CustomerContext = field(default_factory=CustomerContext)
    conversation_language: str | None = None
    history: tuple[Turn, ...] = ()
    # The customer pressed "talk to a person" rather than typing it.
    requested_person: bool = False
    # The message in the working language, when it was translated for searching.
    search_text: str | None = None
    # Earlier contacts of this customer about the same matter, from the conversations layer:
    # {"earlier": [{"conversation_id": ..., "groups": [...], "at": ...}]}.
    repeat: dict[str, Any] | None = None
    service: dict[str, Any] | None = None  # routing: {"open", "next_open", "wait_minutes"}


@dataclass
class Signals:
    language: str
    language_confidence: float
    language_candidates: list[tuple[str, float]]
    asks_for_person: bool
    person_request_languages: list[str]
    segment: str
    word_count: int
    emotion: Emotion = field(default_factory=lambda: Emotion(None, 0.0))
    search_text: str | None = None
    # [{"topic", "severity": "acute"|"practical", "cue"}], see understanding/topics.py.
    sensitive: list[dict[str, str]] = field(default_factory=list)
    # [{"kind", "cue"}], see understanding/vulnerability.py.
    vulnerability: list[dict[str, str]] = field(default_factory=list)
    question_count: int = 1
    questions: list[str] = field(default_factory=list)
    # [{"kind": "purchase"|"cancel"|"switch", "cue"}], see understanding/commerce.py.
    commercial: list[dict[str, str]] = field(default_factory=list)
    repeat_contact: dict[str, Any] | None = None
    # Filled later by the pipeline: the knowledge groups the questions are about, and the intent classifier.
    question_topics: list[str] = field(default_factory=list)
    intent: dict[str, Any] | None = None
    # The trained judgement of what the message needs from a person: {"scores": {reason: chance}, "cues"}.
    needs: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["language_candidates"] = [list(c) for c in self.language_candidates]
        return data


class EmbeddedUnderstanding:
    """The embedded default: fastText language identification with chat priors, and lexicon cues (emotion,
    sensitive topics, vulnerability, questions, commercial intent), each with the words that triggered it."""

    def __init__(
        self,
        working_language: str = "nl",
        intents: IntentModel | None = None,
        needs: NeedsJudge | None = None,
        emotion: Callable[[str], Emotion] | None = None,
    ) -> None:
        self.working_language = working_language
        # The organisation's own contact-reason classifier (`samenspel intents train`), when it trained one.
        self.intents = intents
        # The trained judgement of what a message needs from a person (`understanding/needs.py`).
        self.needs = needs
        # The emotion reader: the lexicon, or the organisation's trained model (`samenspel emotion train`).
        self.read_emotion = emotion or read_emotion

    def understand(self, inbound: Inbound) -> Signals:
        hint = inbound.conversation_language or inbound.customer.language
        guess = detect_language(inbound.text, hint=hint, fallback=self.working_language)
        person = asks_for_person(inbound.text)
        emotion = self.read_emotion(inbound.text)
        questions = find_questions(inbound.text)
        repeat = getattr(inbound, "repeat", None)
        return Signals(
            language=guess.code,
            language_confidence=guess.confidence,
            language_candidates=guess.candidates,
            asks_for_person=bool(person) or inbound.requested_person,
            person_request_languages=person,
            segment=inbound.customer.segment,
            word_count=len(inbound.text.split()),
            emotion=emotion,
            sensitive=find_sensitive(inbound.text),
            vulnerability=find_vulnerability(inbound.text, emotion),
            question_count=max(1, questions.count),
            questions=questions.questions,
            commercial=find_commercial(inbound.text),
            repeat_contact=dict(repeat) if isinstance(repeat, dict) else None,
            intent=self.intents.intent(inbound.text).as_dict() if self.intents is not None else None,
            needs=self.needs.judge(inbound.text, inbound.customer.segment).as_dict()
            if self.needs is not None
            else None,
        )
