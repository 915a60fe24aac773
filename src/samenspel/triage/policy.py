"""The decision stage: signals and search results become answer, clarify or handoff, with reasons.

The rules live in a readable YAML file (``policy.yaml`` beside this module; an organisation points the
``triage_policy`` setting at its own copy). Reasons come only from CONTRACT.md §5's vocabulary, and every
decision carries a one-sentence explanation in Dutch and English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from samenspel.errors import InvalidInput
from samenspel.knowledge.search import Hit
from samenspel.types import HANDOFF_REASONS, HandoffReason, Mode
from samenspel.understanding.signals import Inbound, Signals

SHIPPED = Path(__file__).parent / "policy.yaml"
CONDITIONS = frozenset(
    {
        "asks_for_person",
        "sensitive",
        "emotion",
        "vulnerable",
        "questions",
        "topics",
        "segment",
        "real_problem",
        "commercial",
        "repeat",
        "answerable",
        "judged",
        "plausible",
    }
)
# Vulnerability cues that hand over by themselves (the policy's `vulnerability.alone` overrides this).
VULNERABLE_ALONE = ("age_confusion", "helper_absent", "poor_sight", "literacy", "cognitive", "language_stress")
TONES = frozenset({"default", "gentle", "calm"})
REASON_LABELS: dict[str, dict[str, str]] = {
    "customer_request": {"nl": "vraagt om een medewerker", "en": "asked for a person"},
    "low_confidence": {"nl": "geen goed antwoord in de kennisbank", "en": "no good answer in the knowledge base"},
    "negative_emotion": {"nl": "negatieve emotie", "en": "negative emotion"},
    "sensitive_topic": {"nl": "gevoelig onderwerp", "en": "sensitive topic"},
    "complex": {"nl": "complexe vraag", "en": "complex question"},
    "high_value": {"nl": "belangrijke klant of zaak", "en": "high-value customer or matter"},
    "vulnerable_customer": {"nl": "kwetsbare klant", "en": "vulnerable customer"},
    "repeat_contact": {"nl": "herhaald contact", "en": "repeat contact"},
}
ANSWERED = {
    "nl": "De assistent beantwoordt dit zelf uit de kennisbank.",
    "en": "The assistant answers this itself from the knowledge base.",
}
CLARIFIED = {
    "nl": "Twee artikelen passen ongeveer even goed; de assistent vraagt welke bedoeld wordt.",
    "en": "Two articles fit about equally well; the assistant asks which one is meant.",
}


@dataclass(frozen=True)
class Rule:
    reason: HandoffReason
    when: dict[str, Any]
    explain: dict[str, str]
    tone: str = "default"
    fallback: bool = False


@dataclass(frozen=True)
class Verdict:
    mode: Mode
    reasons: list[HandoffReason] = field(default_factory=list)
    # The first matching rule: the main reason, its sentence, and the tone of the message to the customer.
    tone: str = "default"
    sentences: dict[str, str] = field(default_factory=dict)
    # Answer with sympathy first and an offer of a person.
    soften: bool = False

    @property
    def handoff(self) -> bool:
        return self.mode == "handoff"

    def explanation(self, language: str) -> str:
        """One sentence: the main reason, and the others in brackets."""
        lang = language if language in ("nl", "en") else "en"
        if self.mode == "clarify":
            return CLARIFIED[lang]
        if not self.reasons:
            return ANSWERED[lang]
        main = self.sentences.get(lang) or REASON_LABELS[self.reasons[0]][lang]
        others = [REASON_LABELS[r][lang] for r in self.reasons[1:]]
        if not others:
            return main
        also = "ook" if lang == "nl" else "also"
        return f"{main.rstrip('.')} ({also}: {', '.join(others)})."


def _compile(patterns: Any, where: str) -> list[re.Pattern[str]]:
    if not isinstance(patterns, dict):
        raise InvalidInput(f"{where} must map languages to lists of patterns")
    try:
        return [re.compile(p, re.IGNORECASE) for items in patterns.values() for p in items]
    except (re.error, TypeError) as exc:
        raise InvalidInput(f"{where}: a pattern does not compile ({exc})") from None


class TriagePolicy:
    def __init__(self, data: dict[str, Any], source: str = "policy") -> None:
        self.source = source
        thresholds = data.get("thresholds") or {}
        self.answer_threshold = float(thresholds.get("answer", 0.35))
        self.clarify_threshold = float(thresholds.get("clarify", 0.3))
        self.clarify_ratio = float(thresholds.get("clarify_ratio", 0.95))
        self.rules = [self._rule(i, raw) for i, raw in enumerate(data.get("rules") or [], start=1)]
        soften = data.get("soften") or {}
        self.soften_when: dict[str, Any] = soften.get("when") or {}
        self._check_conditions(self.soften_when, "soften")
        vulnerability = data.get("vulnerability") or {}
        self.vulnerable_alone = frozenset(vulnerability.get("alone") or VULNERABLE_ALONE)
        self.helpless_patterns = _compile(vulnerability.get("helpless") or {}, f"{source}: vulnerability.helpless")
        self.problem_patterns = _compile(data.get("real_problem") or {}, f"{source}: real_problem")
        self.earlier_patterns = _compile(data.get("earlier_contact") or {}, f"{source}: earlier_contact")

    @classmethod
    def load(cls, path: Path | None = None) -> TriagePolicy:
        return _load(path or SHIPPED)

    def _check_conditions(self, when: dict[str, Any], where: str) -> None:
        unknown = sorted(set(when) - CONDITIONS)
        if unknown:
            raise InvalidInput(f"{self.source}: {where} has unknown condition {unknown[0]!r}; use {sorted(CONDITIONS)}")
        for key in ("judged", "plausible"):
            if key not in when:
                continue
            value = when[key]
            reasons = value.get("reasons") if isinstance(value, dict) else None
            if not isinstance(reasons, list) or not reasons or not set(reasons) <= set(HANDOFF_REASONS):
                raise InvalidInput(
                    f"{self.source}: {where}: {key} needs 'reasons', a list of handoff reasons "
                    f"({', '.join(HANDOFF_REASONS)})"
                )
            try:
                minimum = float(value.get("min", 0.5))
            except (TypeError, ValueError):
                minimum = -1.0
            if not 0.0 <= minimum <= 1.0:
                raise InvalidInput(f"{self.source}: {where}: {key}.min must be a chance from 0 to 1")

    def _rule(self, number: int, raw: Any) -> Rule:
        where = f"rule {number}"
        if not isinstance(raw, dict) or not isinstance(raw.get("when"), dict):
            raise InvalidInput(f"{self.source}: {where} needs a 'reason' and a 'when' mapping")
        reason = raw.get("reason")
        if reason not in HANDOFF_REASONS:
            raise InvalidInput(f"{self.source}: {where} has reason {reason!r}; use one of {', '.join(HANDOFF_REASONS)}")
        self._check_conditions(raw["when"], where)
        explain = raw.get("explain") or {}
        if not isinstance(explain, dict) or not {"nl", "en"} <= set(explain):
            raise InvalidInput(f"{self.source}: {where} needs an explanation in nl and en")
        tone = raw.get("tone", "default")
        if tone not in TONES:
            raise InvalidInput(f"{self.source}: {where} has tone {tone!r}; use {', '.join(sorted(TONES))}")
        return Rule(reason, raw["when"], {k: str(v) for k, v in explain.items()}, tone, bool(raw.get("fallback")))

    def rules_by_reason(self, reason: str) -> dict[str, str]:
        return next((r.explain for r in self.rules if r.reason == reason), {})

    # -- facts --------------------------------------------------------------------------------------

    def _answerable(self, hits: list[Hit]) -> bool:
        return bool(hits) and hits[0].score >= self.answer_threshold

    def _repeat(self, inbound: Inbound, signals: Signals, hits: list[Hit]) -> bool:
        if any(p.search(inbound.text) for p in self.earlier_patterns):
            return True
        earlier = (getattr(signals, "repeat_contact", None) or inbound_repeat(inbound) or {}).get("earlier") or []
        groups = {h.group for h in hits[:2] if h.score >= self.clarify_threshold}
        return any(groups & set(contact.get("groups") or []) for contact in earlier)

    def _holds(self, when: dict[str, Any], facts: dict[str, Any]) -> bool:
        for key, wanted in when.items():
            value = facts[key]
            if key == "emotion":
                labels = set(wanted.get("labels") or [])
                scores: dict[str, float] = value
                if not any(scores.get(label, 0.0) >= float(wanted.get("min_intensity", 0.0)) for label in labels):
                    return False
            elif key == "sensitive":
                topics, severities = set(wanted.get("topics") or []), set(wanted.get("severity") or [])
                if not any(t.get("topic") in topics and t.get("severity", "acute") in severities for t in value):
                    return False
            elif key == "judged":
                chances: dict[str, float] = value
                if not any(chances.get(r, 0.0) >= float(wanted.get("min", 0.5)) for r in wanted.get("reasons") or []):
                    return False
            elif key == "plausible":
                # The trained judgement does not rule the reason out (holds when no model runs).
                chances = value
                reasons = wanted.get("reasons") or []
                if chances and all(chances.get(r, 0.0) < float(wanted.get("min", 0.1)) for r in reasons):
                    return False
            elif key in ("questions", "topics"):
                if value < int(wanted.get("min", 1)):
                    return False
            elif key in ("segment", "commercial"):
                if not set(value) & set(wanted):
                    return False
            elif bool(value) != bool(wanted):
                return False
        return True

    def facts(self, inbound: Inbound, signals: Signals, hits: list[Hit]) -> dict[str, Any]:
        data = signals.as_dict()
        emotion = data.get("emotion") or {}
        scores = dict(emotion.get("scores") or {})
        if emotion.get("label"):
            scores.setdefault(emotion["label"], float(emotion.get("intensity", 0.0)))
        sensitive = list(data.get("sensitive") or [])
        answerable = self._answerable(hits)
        questions = int(data.get("question_count") or 1)
        repeat = self._repeat(inbound, signals, hits)
        negative = any(scores.get(label, 0.0) > 0 for label in ("anger", "frustration", "distress", "sadness"))
        problem = any(p.search(inbound.text) for p in self.problem_patterns)
        topics = len(set(data.get("question_topics") or []))
        kinds = {v.get("kind") for v in data.get("vulnerability") or []}
        # The trained judgement's chance per reason (understanding/needs.py); empty when no model runs.
        judged = dict((data.get("needs") or {}).get("scores") or {})
        # A cue such as "no DigiD" counts alone only when the policy says so; otherwise together with another
        # cue, a negative feeling, or a question the knowledge base cannot answer ("ik heb geen DigiD, kan ik
        # mijn verhuizing op papier doorgeven?" is answered).
        vulnerable = bool(kinds & self.vulnerable_alone) or (
            bool(kinds)
            and (
                len(kinds) > 1
                or negative
                or not answerable
                or any(p.search(inbound.text) for p in self.helpless_patterns)
            )
        )
        return {
            "asks_for_person": bool(data.get("asks_for_person")),
            "sensitive": sensitive,
            "emotion": scores,
            "vulnerable": vulnerable,
            "questions": questions,
            "topics": topics,
            "segment": [data.get("segment") or inbound.customer.segment],
            "real_problem": problem or negative or not answerable or topics >= 2 or bool(sensitive) or repeat,
            "commercial": [c.get("kind") for c in data.get("commercial") or []],
            "repeat": repeat,
            "answerable": answerable,
            "judged": judged,
            "plausible": judged,
        }

    # -- the decision -------------------------------------------------------------------------------

    def decide(self, inbound: Inbound, signals: Signals, hits: list[Hit]) -> Verdict:
        facts = self.facts(inbound, signals, hits)
        matched = [rule for rule in self.rules if not rule.fallback and self._holds(rule.when, facts)]
        if not matched:
            matched = [rule for rule in self.rules if rule.fallback and self._holds(rule.when, facts)]
        if matched:
            reasons = list(dict.fromkeys(rule.reason for rule in matched))
            return Verdict("handoff", reasons, matched[0].tone, matched[0].explain)
        if not hits:  # a policy without a low_confidence rule still cannot answer from nothing
            return Verdict("handoff", ["low_confidence"], "default", self.rules_by_reason("low_confidence"))
        soften = bool(self.soften_when) and self._holds(self.soften_when, facts)
        first = hits[0]
        second = hits[1] if len(hits) > 1 else None
        if (
            second is not None
            and second.score >= self.clarify_threshold
            and second.raw_score >= self.clarify_ratio * first.raw_score
        ):
            return Verdict("clarify", soften=soften)
        return Verdict("answer", soften=soften)


def inbound_repeat(inbound: Inbound) -> dict[str, Any] | None:
    value = getattr(inbound, "repeat", None)
    return value if isinstance(value, dict) else None


@lru_cache(maxsize=8)
def _load(path: Path) -> TriagePolicy:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"triage policy {path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        raise InvalidInput(f"triage policy {path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"triage policy {path}: expected a mapping with 'thresholds' and 'rules'")
    return TriagePolicy(data, str(path))
