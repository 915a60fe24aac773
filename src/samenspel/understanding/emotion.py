"""How upset a customer sounds: a first, lexicon-based reading (nl, en) with intensity.

Cues: words of anger, frustration and distress; capitals; exclamation marks; "for the third time"-style
repetition. Negation ("niet boos") cancels a cue. The triage work extends this; the reply stage uses it to
acknowledge feelings before answering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

_LEXICON = Path(__file__).parent / "lexicons" / "emotion.yaml"
_WORD = re.compile(r"[\w'’]+", re.UNICODE)
_NEGATORS = frozenset({"niet", "geen", "nooit", "not", "no", "never", "isn't", "dont", "don't", "niks"})


@dataclass(frozen=True)
class Emotion:
    label: str | None  # anger, frustration, distress, sadness, gratitude, or None
    intensity: float  # 0–1
    cues: list[str] = field(default_factory=list)

    @property
    def negative(self) -> bool:
        return self.label in ("anger", "frustration", "distress", "sadness")


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, dict[str, list[re.Pattern[str]]]]:
    data = yaml.safe_load(_LEXICON.read_text(encoding="utf-8"))
    return {
        label: {lang: [re.compile(p, re.IGNORECASE) for p in patterns] for lang, patterns in by_lang.items()}
        for label, by_lang in data.items()
    }


def _negated(text: str, start: int) -> bool:
    before = _WORD.findall(text[max(0, start - 25) : start].lower())
    return any(w in _NEGATORS for w in before[-2:])


def read_emotion(text: str) -> Emotion:
    scores: dict[str, float] = {}
    cues: list[str] = []
    for label, by_lang in _lexicon().items():
        for patterns in by_lang.values():
            for pattern in patterns:
                for match in pattern.finditer(text):
                    if _negated(text, match.start()):
                        continue
                    scores[label] = scores.get(label, 0.0) + 1.0
                    cues.append(match.group(0))
    letters = [c for c in text if c.isalpha()]
    shouting = len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.6
    exclamations = text.count("!")
    boost = 0.0
    if shouting:
        boost += 0.3
        cues.append("CAPITALS")
    if exclamations >= 2:
        boost += min(0.3, 0.1 * exclamations)
        cues.append("!" * min(exclamations, 5))
    negative = {k: v for k, v in scores.items() if k != "gratitude"}
    if not negative and not scores:
        if boost >= 0.3 and shouting:
            return Emotion("frustration", round(min(1.0, 0.3 + boost), 2), cues)
        return Emotion(None, 0.0, cues)
    if negative:
        label = max(negative, key=lambda k: negative[k])
        intensity = min(1.0, 0.35 + 0.2 * negative[label] + boost)
    else:
        label, intensity = "gratitude", min(1.0, 0.4 + 0.2 * scores["gratitude"])
    return Emotion(label, round(intensity, 2), cues)
