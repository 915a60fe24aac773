"""How a customer feels: a lexicon-based reading (nl, en) of anger, frustration, distress, sadness and gratitude.

Every score is explainable: ``Emotion.cues`` lists the customer's own words that raised it. The reading weighs
each cue by its strength in ``lexicons/emotion.yaml``, drops negated cues ("niet boos", "not angry at all"),
raises or lowers cues after intensifiers and downtoners ("heel erg boos", "a bit annoyed"), and adds the
signals that are not words: CAPITALS, exclamation marks, emoji and emoticons, "voor de derde keer"-style
repetition (which raises frustration) and irony ("bedankt voor niks").

Intensity is on the scale the triage policy reads: about 0.3 for a mild feeling, 0.5 for a clear one and 0.7 or
more for a strong one. It was calibrated on the hand-labelled ``data/emotion_eval.jsonl`` and is reported on the
held-out ``data/emotion_test.jsonl`` (``evaluation.evaluate_emotion``). No public Dutch emotion data set was
available to train or test on, so there is no trained model here yet.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from samenspel.understanding import lexicon
from samenspel.understanding.lexicon import Hit

LABELS = ("anger", "frustration", "distress", "sadness", "gratitude")
NEGATIVE = frozenset({"anger", "frustration", "distress", "sadness"})
# Words in a repetition cue that count three times or more.
_MANY = re.compile(
    r"\b(?:derde|vierde|vijfde|zesde|zevende|zoveelste|drie|vier|vijf|zes|zeven|acht|tien|meerdere|talloze|zoveel|"
    r"third|fourth|fifth|sixth|seventh|nth|umpteenth|three|four|five|six|seven|ten|several|multiple|many|"
    r"[3-9]|[1-9]\d+|[3-9]e|[3-9]th|[1-9]\d+(?:e|th|ste))\b",
    re.IGNORECASE,
)
# A cue weighing less than this is a formula ("alvast bedankt"): the words inside it do not count on their own.
_FORMULA_CEILING = 0.3
# Equal scores go to the feeling that needs the most care.
_TIES = ("distress", "sadness", "anger", "frustration", "gratitude")
# Below this a feeling is reported in ``scores`` but gives the message no label ("helaas" alone is not sadness).
LABEL_FLOOR = 0.2
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")
_CAPS_WORD = re.compile(r"\b[A-ZÀ-Þ]{2,}\b")
# All-capital words that are names, not shouting.
_ACRONYMS = frozenset(
    {
        "BSN",
        "WOZ",
        "UWV",
        "SVB",
        "CJIB",
        "DUO",
        "IBAN",
        "KVK",
        "BTW",
        "GGD",
        "WMO",
        "OV",
        "ID",
        "NL",
        "EU",
        "PDF",
        "SMS",
        "OK",
        "OKE",
        "AOW",
        "ANWB",
        "NS",
        "KPN",
        "ING",
        "ABN",
        "AMRO",
        "GP",
        "NHS",
        "UK",
        "USA",
        "TV",
        "PC",
        "WIFI",
        "URL",
        "APP",
        "IT",
        "HR",
        "CEO",
        "BV",
        "NV",
        "AUB",
        "ZSM",
        "ASAP",
        "FAQ",
        "GBA",
        "BRP",
        "RDW",
        "CBR",
        "APK",
        "VOG",
        "ZZP",
    }
)


@dataclass(frozen=True)
class Emotion:
    label: str | None  # anger, frustration, distress, sadness, gratitude, or None
    intensity: float  # 0–1, of ``label``
    cues: list[str] = field(default_factory=list)
    # Every feeling the message shows, 0–1 (the label is the strongest; a message may be grateful and worried).
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def negative(self) -> bool:
        return self.label in NEGATIVE


@dataclass(frozen=True)
class _Lexicon:
    # (label, weight, pattern): one alternation per label and strength.
    cues: list[tuple[str, float, re.Pattern[str]]]
    ironic: list[tuple[str, re.Pattern[str]]]
    repeat_strong: re.Pattern[str]
    repeat_weak: re.Pattern[str]
    repeat_duration: re.Pattern[str]
    problem: re.Pattern[str]
    symbols: list[tuple[str, float, re.Pattern[str]]]


_NOTHING = re.compile(r"(?!x)x")


def _alternation(patterns: list[str], where: str, *, words: bool = True) -> re.Pattern[str]:
    found = lexicon.alternation({"any": patterns}, where, words=words)
    return found[0] if found else _NOTHING


def _all_languages(section: dict[str, list[str]] | None) -> list[str]:
    return [p for patterns in (section or {}).values() for p in (patterns or [])]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data: dict[str, Any] = lexicon.load("emotion")
    strengths: dict[str, float] = {k: float(v) for k, v in data["strengths"].items()}
    cues: list[tuple[str, float, re.Pattern[str]]] = []
    for label, by_strength in data["emotions"].items():
        if label not in LABELS:
            raise ValueError(f"emotion.yaml: unknown emotion {label!r}; use {', '.join(LABELS)}")
        for strength, section in by_strength.items():
            if strength not in strengths:
                raise ValueError(f"emotion.yaml: {label} has strength {strength!r}; use {', '.join(strengths)}")
            where = f"emotion.yaml: emotions.{label}.{strength}"
            cues.append((label, strengths[strength], _alternation(_all_languages(section), where)))
    ironic = [
        (label, _alternation(_all_languages(section), f"emotion.yaml: ironic.{label}"))
        for label, section in (data.get("ironic") or {}).items()
    ]
    rep = data.get("repetition") or {}
    symbols: list[tuple[str, float, re.Pattern[str]]] = []
    for key, weight in (("emoji", strengths["clear"]), ("emoticons", strengths["mild"])):
        for label, patterns in (data.get(key) or {}).items():
            symbols.append((label, weight, _alternation(list(patterns), f"emotion.yaml: {key}.{label}", words=False)))
    return _Lexicon(
        cues=cues,
        ironic=ironic,
        repeat_strong=_alternation(_all_languages(rep.get("strong")), "emotion.yaml: repetition.strong"),
        repeat_weak=_alternation(_all_languages(rep.get("weak")), "emotion.yaml: repetition.weak"),
        repeat_duration=_alternation(_all_languages(rep.get("duration")), "emotion.yaml: repetition.duration"),
        problem=_alternation(_all_languages(rep.get("problem")), "emotion.yaml: repetition.problem"),
        symbols=symbols,
    )


@dataclass
class _Cue:
    label: str
    weight: float
    hit: Hit
    shown: str


def _scale(total: float) -> float:
    """Summed cue weight to intensity: a mild cue (0.6) about 0.3, a clear one 0.5, a strong one (1.4) 0.7."""
    if total <= 1.4:
        return 0.5 * total
    return 0.7 + 0.3 * (1.0 - math.exp(-(total - 1.4) / 1.5))


def _combine(weights: list[float]) -> float:
    """More cues of one feeling say it more strongly, with diminishing returns."""
    ordered = sorted(weights, reverse=True)
    return sum(w * (0.4**i) for i, w in enumerate(ordered))


def _word_cues(text: str, lex: _Lexicon) -> list[_Cue]:
    found: list[_Cue] = []
    ironic = [(label, hit) for label, pattern in lex.ironic for hit in lexicon.find([pattern], text)]
    for label, hit in ironic:
        found.append(_Cue(label, 1.0, hit, hit.text))
    for label, weight, pattern in lex.cues:
        for hit in lexicon.find([pattern], text):
            if label == "gratitude" and any(lexicon.overlaps(hit, other) for _, other in ironic):
                continue
            if lexicon.negator(text, hit.start, hit.end):
                continue
            factor, word = lexicon.degree(text, hit.start)
            shown = f"{word} {hit.text}" if word else hit.text
            found.append(_Cue(label, weight * factor, hit, shown))
    # Overlapping cues of one feeling count once. The longest expression says what is meant ("alvast bedankt" is a
    # formula, not thanks), at the weight of the strongest cue inside it ("are you f***ing kidding me" counts as
    # much as its swear word).
    kept: list[_Cue] = []
    for cue in sorted(found, key=lambda c: (c.hit.start - c.hit.end, -c.weight, c.hit.start)):
        same = [k for k in kept if k.label == cue.label and lexicon.overlaps(k.hit, cue.hit)]
        if not same:
            kept.append(cue)
        for k in same:
            if k.weight >= _FORMULA_CEILING:
                k.weight = max(k.weight, cue.weight)
    return sorted(kept, key=lambda c: c.hit.start)


def _repetition(text: str, lex: _Lexicon, taken: list[Hit]) -> list[tuple[float, str]]:
    """Repetition ("for the third time") and long waiting, as (weight, the words that say so)."""
    found: list[tuple[float, str]] = []
    strong = list(lexicon.find([lex.repeat_strong], text))
    # The third time says more than the second.
    found.extend((1.4 if _MANY.search(hit.text) else 1.0, hit.text) for hit in strong)
    busy = strong + taken
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0)
        if not lex.problem.search(sentence):
            continue
        for hit in lexicon.find([lex.repeat_weak], sentence):
            where = Hit(hit.text, match.start() + hit.start, match.start() + hit.end)
            if not any(lexicon.overlaps(where, other) for other in busy):
                found.append((0.6, hit.text))
                break
    if lex.problem.search(text):
        waited = next(lexicon.find([lex.repeat_duration], text), None)
        if waited is not None:
            found.append((0.6, waited.text))
    return found


def _shouting(text: str) -> tuple[float, str | None]:
    """How much the message shouts: all capitals (1.0) or several shouted words (0.5), and the words."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 10 and sum(c.isupper() for c in letters) / len(letters) > 0.7:
        words = text.split()
        return 1.0, " ".join(words[:6])
    shouted = [w for w in _CAPS_WORD.findall(text) if w not in _ACRONYMS]
    if (len(shouted) >= 2 and any(len(w) >= 4 for w in shouted)) or any(len(w) >= 6 for w in shouted):
        return 0.5, " ".join(shouted[:6])
    return 0.0, None


def read_emotion(text: str) -> Emotion:
    lex = _lexicon()
    text = lexicon.normalise(text)
    weights: dict[str, list[float]] = {}
    cues: list[str] = []
    word_cues = _word_cues(text, lex)
    for cue in word_cues:
        weights.setdefault(cue.label, []).append(cue.weight)
        cues.append(cue.shown)
    for label, weight, pattern in lex.symbols:
        symbols = [h.text for h in lexicon.find([pattern], text)]
        if symbols:
            weights.setdefault(label, []).append(weight * min(1.6, 1.0 + 0.3 * (len(symbols) - 1)))
            cues.append(symbols[0] * min(len(symbols), 3))
    for weight, words in _repetition(text, lex, [c.hit for c in word_cues]):
        weights.setdefault("frustration", []).append(weight)
        cues.append(words)
    scores = {label: _scale(_combine(ws)) for label, ws in weights.items()}

    shouting, shouted = _shouting(text)
    exclamations = text.count("!")
    loudest = max(re.findall(r"[!?]*![!?]*", text), key=len, default="")
    interrobangs = len(re.findall(r"\?{2,}|\?!|!\?", text))
    negative = {label: s for label, s in scores.items() if label in NEGATIVE}
    boost = 0.0
    if shouting:
        boost += 0.35 * shouting
        cues.append(shouted or "CAPITALS")
    if exclamations >= 2 or interrobangs:
        boost += min(0.15, 0.05 * max(exclamations, 2 * interrobangs))
        cues.append(loudest or "??")
    if boost and negative:
        top = max(negative, key=lambda k: negative[k])
        scores[top] = min(1.0, scores[top] + boost)
    elif shouting:
        # Shouting with no feeling named is still an upset customer, most often one who is fed up; some people
        # write everything in capitals, so alone it stays mild, with a problem named it is strong.
        problem = next(lexicon.find([lex.problem], text), None)
        loud = exclamations >= 3 or interrobangs
        scores["frustration"] = min(1.0, 0.4 + boost) if problem else (min(1.0, 0.2 + boost) if loud else 0.15)
        if problem:
            cues.append(problem.text)
    scores = {label: round(min(1.0, s), 2) for label, s in scores.items() if s > 0}
    cues = list(dict.fromkeys(cues))
    if not scores:
        return Emotion(None, 0.0, cues, {})
    # A negative feeling outweighs politeness: "bedankt, maar het werkt nog steeds niet" is frustration.
    ranked = sorted(scores, key=lambda k: (scores[k] + (0.05 if k in NEGATIVE else 0.0), -_TIES.index(k)))
    label = ranked[-1]
    if scores[label] < LABEL_FLOOR:
        return Emotion(None, 0.0, cues, scores)
    return Emotion(label, scores[label], cues, scores)


def lexicon_patterns() -> list[tuple[str, float, re.Pattern[str]]]:
    """The word cues as (emotion, weight, pattern), for baselines and tools that explain the lexicon."""
    return list(_lexicon().cues)
