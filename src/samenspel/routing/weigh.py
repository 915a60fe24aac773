"""How heavy a conversation is for the person who takes it, and how soon it should be taken.

Heaviness (0–1) combines what understanding and triage found, each cue as an independent chance that the
contact weighs on the agent (noisy-or: 1 − Π(1 − cue)):

| cue | weight |
|---|---|
| negative emotion (anger, frustration, distress, sadness) | its intensity (0–1) |
| a sensitive topic (death, debt, violence, health crisis, complaint, discrimination) | 0.8 |
| only the practical side of one (registering a death, a payment plan) | 0.5 |
| a vulnerable customer | 0.6 |
| the ``negative_emotion`` handoff reason without a measured intensity | 0.5 |
| ``complex`` or ``repeat_contact`` | 0.2 each |

Priority: vulnerable customers 3, VIP 2, business (or a ``high_value`` reason) 1, everyone else 0.
Waiting time adds to it in the engine (``engine.urgency``).

Signals are read leniently: the shapes below are what understanding writes now and what triage adds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from samenspel.routing.engine import PRIORITY_BUSINESS, PRIORITY_STANDARD, PRIORITY_VIP, PRIORITY_VULNERABLE

NEGATIVE_EMOTIONS = frozenset({"anger", "frustration", "distress", "sadness", "fear"})
SENSITIVE = 0.8
SENSITIVE_PRACTICAL = 0.5
VULNERABLE = 0.6
NEGATIVE_REASON = 0.5
MINOR = 0.2


def _truthy(value: Any) -> bool:
    if isinstance(value, int | float):
        return value > 0
    return bool(value)


def _unit(value: Any) -> float:
    return min(1.0, max(0.0, float(value))) if isinstance(value, int | float) else 0.0


def emotion_intensity(signals: Mapping[str, Any]) -> float:
    """The strongest negative emotion read: the label's intensity, or a negative label's score (0–1)."""
    emotion = signals.get("emotion")
    if isinstance(emotion, int | float):
        return _unit(emotion)
    if not isinstance(emotion, Mapping):
        return 0.0
    found = _unit(emotion.get("intensity")) if emotion.get("label") in NEGATIVE_EMOTIONS else 0.0
    scores = emotion.get("scores")
    if isinstance(scores, Mapping):
        found = max([found, *(_unit(v) for k, v in scores.items() if k in NEGATIVE_EMOTIONS)])
    return found


def _sensitive_weight(signals: Mapping[str, Any], reasons: Iterable[str]) -> float:
    """0.8 for a sensitive topic, 0.5 when every one found is only its practical side, 0 for none."""
    found = signals.get("sensitive")
    if isinstance(found, list) and found and "sensitive_topic" not in reasons:
        severities = {item.get("severity") for item in found if isinstance(item, Mapping)}
        if severities == {"practical"}:
            return SENSITIVE_PRACTICAL
    return SENSITIVE if is_sensitive(signals, reasons) else 0.0


def is_sensitive(signals: Mapping[str, Any], reasons: Iterable[str]) -> bool:
    return "sensitive_topic" in reasons or any(
        _truthy(signals.get(k)) for k in ("sensitive_topics", "sensitive_topic", "sensitive")
    )


def is_vulnerable(signals: Mapping[str, Any], reasons: Iterable[str]) -> bool:
    return "vulnerable_customer" in reasons or any(
        _truthy(signals.get(k)) for k in ("vulnerability", "vulnerable", "vulnerability_cues")
    )


def heaviness_of(signals: Mapping[str, Any] | None, reasons: Iterable[str]) -> float:
    signals = signals or {}
    reasons = set(reasons)
    cues: list[float] = []
    intensity = emotion_intensity(signals)
    if intensity:
        cues.append(intensity)
    elif "negative_emotion" in reasons:
        cues.append(NEGATIVE_REASON)
    if sensitive := _sensitive_weight(signals, reasons):
        cues.append(sensitive)
    if is_vulnerable(signals, reasons):
        cues.append(VULNERABLE)
    cues.extend(MINOR for r in ("complex", "repeat_contact") if r in reasons)
    calm = 1.0
    for cue in cues:
        calm *= 1.0 - cue
    return round(1.0 - calm, 3)


def priority_of(segment: str | None, reasons: Iterable[str], signals: Mapping[str, Any] | None = None) -> int:
    reasons = set(reasons)
    if is_vulnerable(signals or {}, reasons):
        return PRIORITY_VULNERABLE
    if segment == "vip":
        return PRIORITY_VIP
    if segment == "business" or "high_value" in reasons:
        return PRIORITY_BUSINESS
    return PRIORITY_STANDARD
