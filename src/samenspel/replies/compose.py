"""The respond stage: turns a verdict and what was found into the text the customer reads.

Replies follow the Conversational Human Voice — a greeting and the customer's name on the first turn,
"ik"/"wij", acknowledging the question, sympathy when the customer is upset, an invitation to ask more —
and carry no facts of their own: every fact is the article's passage, quoted with its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from samenspel.ai.protocols import Translator
from samenspel.knowledge.search import Hit
from samenspel.replies.templates import day_name, language_name, render, reply_language
from samenspel.triage.policy import Verdict
from samenspel.understanding.signals import Inbound, Signals


@dataclass(frozen=True)
class Reply:
    text: str
    language: str
    sources: list[Hit] = field(default_factory=list)
    quick_replies: list[dict[str, Any]] = field(default_factory=list)
    translated_from: str | None = None


def first_name(name: str | None) -> str | None:
    if not name:
        return None
    first = name.strip().split()[0]
    return first if first[:1].isalpha() else None


def _part_of_day(now: datetime) -> str:
    return "morning" if now.hour < 12 else "afternoon" if now.hour < 18 else "evening"


class TemplateResponder:
    def __init__(
        self,
        tone: str = "formal",
        *,
        translator: Translator | None = None,
        timezone: str = "Europe/Amsterdam",
        working_language: str = "nl",
    ) -> None:
        self.tone = tone
        self.translator = translator
        self.zone = ZoneInfo(timezone)
        self.working_language = working_language

    def _t(self, key: str, lang: str, **values: str) -> str:
        return render(key, lang, self.tone, **values)

    def _opening(self, inbound: Inbound, signals: Signals, lang: str) -> str:
        """Greeting (first turn), thanks, and sympathy when the customer is upset."""
        name = first_name(inbound.customer.name)
        first_turn = not any(turn.author == "assistant" for turn in inbound.history)
        parts: list[str] = []
        if first_turn:
            greeting = self._t(f"greeting.{_part_of_day(datetime.now(self.zone))}", lang)
            parts.append(f"{greeting} {name}!" if name else f"{greeting}!")
            parts.append(self._t("thanks", lang))
        else:
            parts.append(self._t("thanks_named", lang, name=name) if name else self._t("thanks", lang))
        emotion = signals.emotion
        if emotion.label == "sadness":
            parts.append(self._t("sympathy_sad", lang))
        elif emotion.negative:
            parts.append(self._t("sympathy", lang))
        parts.append(self._t("acknowledge", lang))
        return " ".join(parts)

    def _quick(self, lang: str) -> list[dict[str, Any]]:
        return [
            {"id": "helped", "label": render("quick.helped", lang)},
            {"id": "person", "label": render("quick.person", lang)},
        ]

    async def respond(self, inbound: Inbound, signals: Signals, hits: list[Hit], verdict: Verdict) -> Reply:
        target = signals.language
        can_translate = self.translator is not None and target not in ("nl", "en")
        # Translating: composed in the working language, like the articles, so a passage is translated once.
        lang = reply_language(self.working_language) if can_translate else reply_language(target)
        if verdict.mode == "handoff":
            reply = self._handoff(inbound, signals, verdict, lang)
        elif verdict.mode == "clarify":
            reply = self._clarify(inbound, signals, hits[:2], lang)
        else:
            reply = await self._answer(inbound, signals, hits[0], lang, soften=verdict.soften)
        if can_translate and self.translator is not None:
            text = await self.translator.translate(reply.text, lang, target)
            return Reply(text, target, reply.sources, reply.quick_replies, translated_from=lang)
        return reply

    def _handoff(self, inbound: Inbound, signals: Signals, verdict: Verdict, lang: str) -> Reply:
        """Kind, in the customer's language: why a person helps, what happens next and when."""
        key = f"handoff.{verdict.reasons[0]}" if verdict.reasons else "handoff.default"
        body = self._t(key, lang)
        greeting = self._greeting(inbound, lang)
        if verdict.reasons[:1] == ["customer_request"]:
            # Asked for a person: greet and thank, then "of course" — no "good question" first.
            opening = [greeting, self._t("thanks_message", lang)]
        elif verdict.tone == "gentle":
            sad = signals.emotion.label == "sadness" or any(
                item.get("topic") == "bereavement" for item in getattr(signals, "sensitive", None) or []
            )
            opening = [greeting, self._t("sympathy_sad", lang) if sad else self._t("thanks_message", lang)]
        elif verdict.tone == "calm":
            opening = [greeting, self._t("sympathy", lang) if signals.emotion.negative else self._t("thanks", lang)]
        else:
            opening = [self._opening(inbound, signals, lang)]
        first = " ".join(p for p in [*opening, body] if p)
        return Reply(f"{first} {self._next_steps(inbound, lang)}\n\n{self._t('handoff.meanwhile', lang)}", lang)

    def _next_steps(self, inbound: Inbound, lang: str) -> str:
        """What happens next and roughly when: the expected wait, or when the contact centre opens."""
        service: dict[str, Any] = getattr(inbound, "service", None) or {}
        if service.get("open") is False and service.get("next_open"):
            opens = datetime.fromisoformat(str(service["next_open"])).astimezone(self.zone)
            today = datetime.now(self.zone).date()
            time = opens.strftime("%H:%M")
            if opens.date() == today:
                when = render("when.today", lang, time=time)
            elif (opens.date() - today).days == 1:
                when = render("when.tomorrow", lang, time=time)
            else:
                day = day_name(opens.weekday(), lang)
                when = render("when.day", lang, day=day, time=time)
            return self._t("handoff.next.closed", lang, when=when)
        minutes = service.get("wait_minutes")
        if isinstance(minutes, int | float) and minutes > 0:
            # Rounded up to a number people use: "within 5 minutes", "within 15 minutes".
            shown = next((m for m in (5, 10, 15, 20, 30, 45, 60, 90, 120) if minutes <= m), int(minutes))
            return self._t("handoff.next.wait", lang, minutes=str(shown))
        return self._t("handoff.next.soon", lang)

    def _greeting(self, inbound: Inbound, lang: str) -> str:
        name = first_name(inbound.customer.name)
        if any(turn.author == "assistant" for turn in inbound.history):
            return ""  # greeted already
        greeting = self._t(f"greeting.{_part_of_day(datetime.now(self.zone))}", lang)
        return f"{greeting} {name}!" if name else f"{greeting}!"

    def _clarify(self, inbound: Inbound, signals: Signals, options: list[Hit], lang: str) -> Reply:
        first, second = options
        text = "\n\n".join(
            [
                self._opening(inbound, signals, lang),
                self._t("clarify.question", lang, first=first.title, second=second.title),
                self._t("clarify.hint", lang),
            ]
        )
        choices = [{"id": "choice", "label": h.title, "text": h.title} for h in options]
        return Reply(text, lang, list(options), [*choices, {"id": "person", "label": render("quick.person", lang)}])

    async def _answer(self, inbound: Inbound, signals: Signals, hit: Hit, lang: str, *, soften: bool) -> Reply:
        passage = hit.passage.strip() or hit.title
        if hit.section and hit.section.lower() not in passage.lower()[: len(hit.section) + 5]:
            passage = f"{hit.section}\n{passage}"
        note = ""
        if hit.language != lang:
            if self.translator is not None:
                passage = await self.translator.translate(passage, hit.language, lang)
            else:
                note = self._t("answer.only_in", lang, language_name=language_name(hit.language, lang))
        intro = self._t("answer.intro", lang, title=hit.title)
        parts = [self._opening(inbound, signals, lang), f"{intro}\n{note + chr(10) if note else ''}{passage}"]
        parts.append(self._t("answer.source", lang, title=hit.title, url=hit.url or "").replace(" ()", ""))
        closing = self._t("answer.more", lang)
        if soften:
            closing = f"{closing} {self._t('answer.offer_person', lang)}"
        parts.append(closing)
        return Reply("\n\n".join(parts), lang, [hit], self._quick(lang))
