"""Sensitive topics in a message: bereavement, debt, violence, serious illness, formal complaints, discrimination.

Each finding is ``{"topic", "severity", "cue"}``: ``acute`` when it is happening to this customer now ("mijn
man is vorige week overleden", "ik word bedreigd", "ik kan de huur niet betalen"), ``practical`` when the
message asks something around the topic ("hoe doe ik aangifte van overlijden", "waar kan ik een klacht
indienen"). ``cue`` is the customer's own words. The triage policy decides what each severity means; the
patterns live in ``lexicons/topics.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from samenspel.understanding import lexicon
from samenspel.understanding.lexicon import Hit

TOPICS = ("bereavement", "debt", "violence", "illness", "complaint", "discrimination")
SEVERITIES = ("acute", "practical")


@dataclass(frozen=True)
class _Topic:
    name: str
    acute: list[re.Pattern[str]]
    mention: list[re.Pattern[str]]
    unless: list[re.Pattern[str]]
    # Words that show the writer deals with the topic for a living; their mentions do not count.
    professional: list[re.Pattern[str]]


@lru_cache(maxsize=1)
def _topics() -> list[_Topic]:
    data: dict[str, Any] = lexicon.load("topics")
    names = {"close": "(?:" + "|".join((data.get("close") or {}).values()) + ")"}
    exceptions = data.get("except") or {}
    professional = data.get("professional") or {}
    topics = []
    for name, sections in data["topics"].items():
        if name not in TOPICS:
            raise ValueError(f"topics.yaml: unknown topic {name!r}; use {', '.join(TOPICS)}")

        def section(key: str, where: str, raw: Any) -> list[re.Pattern[str]]:
            filled = {lang: [lexicon.expand(p, names) for p in ps or []] for lang, ps in (raw or {}).items()}
            return lexicon.alternation(filled, f"topics.yaml: {where}.{key}")

        topics.append(
            _Topic(
                name,
                section("acute", f"topics.{name}", sections.get("acute")),
                section("mention", f"topics.{name}", sections.get("mention")),
                section(name, "except", exceptions.get(name)),
                section(name, "professional", professional.get(name)),
            )
        )
    return topics


def _counts(text: str, hit: Hit, unless: list[re.Pattern[str]]) -> bool:
    if lexicon.negator(text, hit.start, hit.end):
        return False
    begin, end = lexicon.sentence(text, hit.start, hit.end)
    return not any(p.search(text, begin, end) for p in unless)


def find_sensitive(text: str) -> list[dict[str, str]]:
    """The sensitive topics of a message, each once, at its most severe, with the words that show it."""
    text = lexicon.normalise(text)
    found: list[dict[str, str]] = []
    for topic in _topics():
        practical: Hit | None = None
        acute: Hit | None = None
        for hit in lexicon.find(topic.acute, text):
            if not _counts(text, hit, topic.unless):
                continue
            if lexicon.hypothetical(text, hit.start):
                practical = practical or hit
                continue
            acute = hit
            break
        if acute is None and practical is None and not any(p.search(text) for p in topic.professional):
            practical = next((h for h in lexicon.find(topic.mention, text) if _counts(text, h, topic.unless)), None)
        if acute is not None:
            found.append({"topic": topic.name, "severity": "acute", "cue": acute.text})
        elif practical is not None:
            found.append({"topic": topic.name, "severity": "practical", "cue": practical.text})
    return found
