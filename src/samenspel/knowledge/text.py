"""Text analysis for knowledge search: folding, tokens, stopwords, stemming and Dutch compounds.

The same analysis runs over articles when the index is built and over the customer's question, each in
its own language. Analysed terms are stems: "paspoorten" and "paspoort" meet, "aanvragen" and "aanvraag"
meet.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import snowballstemmer

_LEXICONS = Path(__file__).parent / "lexicons"
_TOKEN = re.compile(r"[a-z0-9]+")
_STEMMERS = {
    # The classic Dutch algorithm: the newer one strips "ge-" everywhere ("gemeente" → "men").
    "nl": "dutch_porter",
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "tr": "turkish",
    "pl": "polish",
    "ar": "arabic",
    "ru": "russian",
    "sv": "swedish",
    "da": "danish",
    "no": "norwegian",
    "fi": "finnish",
    "ro": "romanian",
}
_DOUBLE_VOWEL = re.compile(r"([aeou])\1")
# Dutch past participles meet their verb: "opgehaald" ~ "ophalen", "verhuisd" ~ "verhuizen".
_PARTICIPLE_GE = re.compile(r"^(af|op|aan|in|uit|mee|terug|door|over|weg|toe|na|vast|bij|om|voor)?ge(\w{3,}?)[dt]$")
_PARTICIPLE_BE = re.compile(r"^(be|ver|ont|her)(\w{3,}?)d$")


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without accents: 'Één' → 'een', 'café' → 'cafe'."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    return _COMBINING.sub("", unicodedata.normalize("NFKD", lowered))


def tokens(text: str) -> list[str]:
    """Folded word tokens; hyphenated and apostrophed words come apart ('id-kaart' → 'id', 'kaart')."""
    return _TOKEN.findall(fold(text))


@lru_cache(maxsize=16)
def stopwords(language: str) -> frozenset[str]:
    path = _LEXICONS / f"stopwords_{language}.txt"
    if not path.exists():
        return frozenset()
    words = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(fold(w) for w in words if w)


_local = threading.local()


def _stemmer(language: str) -> snowballstemmer.stemmer | None:
    """One stemmer per thread and language: a stemmer keeps state while it works, so sharing one between
    threads (the index is built off the event loop) garbles words."""
    stemmers: dict[str, snowballstemmer.stemmer | None] = _local.__dict__.setdefault("stemmers", {})
    if language not in stemmers:
        name = _STEMMERS.get(language)
        stemmers[language] = snowballstemmer.stemmer(name) if name else None
    return stemmers[language]


@lru_cache(maxsize=200_000)
def stem(token: str, language: str) -> str:
    stemmer = _stemmer(language)
    if stemmer is None or token.isdigit():
        return token
    if language == "nl" and len(token) >= 8 and token.endswith("atie"):
        # Nouns in -atie meet their verbs in -eren: "naturalisatie" ~ "naturaliseren".
        token = token[:-4] + "eren"
    elif language == "nl" and len(token) >= 6 and not token.endswith(("heid", "ied")):
        if match := _PARTICIPLE_GE.match(token):
            token = (match.group(1) or "") + match.group(2)
        elif match := _PARTICIPLE_BE.match(token):
            token = match.group(1) + match.group(2)
    result: str = stemmer.stemWord(token)
    if language == "nl":
        # Open and closed syllables ('aanvraag'/'aanvrag') and z/s, v/f ('verhuizen'/'verhuis').
        result = _DOUBLE_VOWEL.sub(r"\1", result)
        if result.endswith("z"):
            result = result[:-1] + "s"
        elif result.endswith("v"):
            result = result[:-1] + "f"
    return result


def content_tokens(text: str, language: str) -> list[str]:
    """Tokens without stopwords, not yet stemmed."""
    stop = stopwords(language)
    return [t for t in tokens(text) if t not in stop and (len(t) > 1 or t.isdigit())]


def analyse(text: str, language: str) -> list[str]:
    """Stems of the content words, in order."""
    return [stem(t, language) for t in content_tokens(text, language)]


class CompoundSplitter:
    """Splits Dutch compounds into parts that the knowledge base itself uses.

    'paspoortaanvraag' → ['paspoort', 'aanvraag'] when both parts occur in the articles. Only words the
    organisation writes count as parts, so splits stay in the knowledge base's own vocabulary; linking
    sounds (-s-, -e-, -en-) are allowed between parts.
    """

    LINKS = ("", "s", "e", "en")

    def __init__(self, vocabulary: Iterable[str], stems: Iterable[str] = (), min_part: int = 4) -> None:
        self.words = frozenset(w for w in vocabulary if len(w) >= min_part)
        self.stems = frozenset(stems)
        self.min_part = min_part
        self._splits: dict[tuple[str, int], list[str] | None] = {}

    def _known(self, part: str) -> bool:
        return part in self.words or (len(part) >= self.min_part and stem(part, "nl") in self.stems)

    def split(self, word: str, max_parts: int = 3) -> list[str] | None:
        """The parts of ``word`` (at least two), or None; the whole word may itself be known."""
        if len(word) < 2 * self.min_part:
            return None
        key = (word, max_parts)
        if key not in self._splits:
            self._splits[key] = self._heads(word, max_parts)
        return self._splits[key]

    @lru_cache(maxsize=50_000)  # noqa: B019 - one splitter per index, kept for the index's life
    def _rest(self, word: str, max_parts: int) -> list[str] | None:
        if self._known(word):
            return [word]
        if max_parts == 1 or len(word) < 2 * self.min_part:
            return None
        return self._heads(word, max_parts)

    def _heads(self, word: str, max_parts: int) -> list[str] | None:
        best: list[str] | None = None
        # Longest head first: 'parkeervergunning' → 'parkeer' + 'vergunning'.
        for cut in range(len(word) - self.min_part, self.min_part - 1, -1):
            head = word[:cut]
            if not self._known(head):
                continue
            rest = word[cut:]
            for link in self.LINKS:
                if link and not (rest.startswith(link) and len(rest) - len(link) >= self.min_part):
                    continue
                tail = self._rest(rest[len(link) :], max_parts - 1)
                if tail and (best is None or len(tail) + 1 < len(best)):
                    best = [head, *tail]
            if best is not None and len(best) == 2:
                break
        return best
