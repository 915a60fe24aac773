"""What the pipeline knows about one inbound message: the input, and the signals understanding found."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from samenspel.understanding.cues import asks_for_person
from samenspel.understanding.emotion import Emotion, read_emotion
from samenspel.understanding.language import detect_language


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

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["language_candidates"] = [list(c) for c in self.language_candidates]
        return data


class EmbeddedUnderstanding:
    """The embedded default: fastText language identification with chat priors, and lexicon cues."""

    def __init__(self, working_language: str = "nl") -> None:
        self.working_language = working_language

    def understand(self, inbound: Inbound) -> Signals:
        hint = inbound.conversation_language or inbound.customer.language
        guess = detect_language(inbound.text, hint=hint, fallback=self.working_language)
        person = asks_for_person(inbound.text)
        return Signals(
            language=guess.code,
            language_confidence=guess.confidence,
            language_candidates=guess.candidates,
            asks_for_person=bool(person) or inbound.requested_person,
            person_request_languages=person,
            segment=inbound.customer.segment,
            word_count=len(inbound.text.split()),
            emotion=read_emotion(inbound.text),
        )
