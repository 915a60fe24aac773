"""Reading the understanding lexicons (YAML files of regular expressions) and the scope of negation.

Every cue module matches its patterns on the same normalised text, so the cue it reports is the customer's own
words, and decides alike whether "niet", "geen", "not" or "never" cancels a cue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_DIR = Path(__file__).parent / "lexicons"
_TOKEN = re.compile(r"[\w']+", re.UNICODE)
# A clause ends at punctuation or a conjunction: "niet boos, maar ..." and "not happy but angry" keep their cues.
_CLAUSE_BREAK = re.compile(
    r"[.,;:!?()\[\]\n]|\b(?:maar|omdat|want|dus|terwijl|hoewel|en|of|but|because|and|or|while|although|though)\b",
    re.IGNORECASE,
)
NEGATORS = frozenset(
    {"niet", "geen", "nooit", "niks", "niets", "allerminst", "not", "no", "never", "nothing", "hardly", "nor", "nee"}
)
# Words that may stand between a negator and the word it negates ("niet zo heel boos", "not at all angry").
_NEGATION_BRIDGE = frozenset(
    {
        "zo",
        "heel",
        "erg",
        "echt",
        "helemaal",
        "meer",
        "al",
        "eens",
        "zomaar",
        "per",
        "se",
        "te",
        "bijzonder",
        "zeker",
        "zozeer",
        "really",
        "very",
        "so",
        "too",
        "that",
        "at",
        "all",
        "particularly",
        "exactly",
        "even",
        "remotely",
        "any",
        "in",
        "the",
        "least",
        "a",
        "bit",
        "feeling",
        "feel",
        "be",
        "been",
        "am",
        "ben",
        "word",
        "is",
    }
)
# Dutch puts the negator after a verb or an inverted copula: "ik bedank jullie niet", "boos ben ik niet".
_DUTCH_POST_NEGATION = re.compile(
    r"^\s*(?:(?:ik|je|jij|u|we|wij|jullie|hij|zij|ze|het|dat|dit|er|ben|bent|is|was|zijn|waren|word|wordt|worden|"
    r"hem|haar|hen|daar|daarover|erover|echt|helemaal|zeker|dus)\s+){0,3}(niet|nooit)\s*"
    r"(?=[.,;:!?)]|$|(?:maar|want|omdat|hoor|dus|en)\b)",
    re.IGNORECASE,
)
_INTENSIFIERS = frozenset(
    {
        "heel",
        "erg",
        "echt",
        "zo",
        "zó",
        "super",
        "enorm",
        "ontzettend",
        "vreselijk",
        "verschrikkelijk",
        "hartstikke",
        "mega",
        "totaal",
        "helemaal",
        "compleet",
        "volkomen",
        "ongelooflijk",
        "werkelijk",
        "bijzonder",
        "zeer",
        "diep",
        "zwaar",
        "intens",
        "extreem",
        "ontiegelijk",
        "reuze",
        "very",
        "really",
        "so",
        "extremely",
        "incredibly",
        "absolutely",
        "totally",
        "completely",
        "utterly",
        "deeply",
        "truly",
        "seriously",
        "bloody",
        "hugely",
        "terribly",
        "awfully",
        "beyond",
        "insanely",
        "massively",
        "thoroughly",
    }
)
_DOWNTONERS = frozenset(
    {
        "beetje",
        "enigszins",
        "ietwat",
        "lichtelijk",
        "tikkeltje",
        "ietsje",
        "iets",
        "licht",
        "bit",
        "little",
        "slightly",
        "somewhat",
        "kinda",
        "mildly",
        "tad",
        "fairly",
        "partly",
    }
)
# Words that may stand between a degree word and its cue: "een beetje", "a little bit", "ik ben echt ... boos".
_DEGREE_FILLERS = frozenset({"een", "a", "wel", "nog", "toch", "ook", "gewoon", "kind", "of", "sort", "quite"})
INTENSIFY = 1.4
DOWNTONE = 0.55


@dataclass(frozen=True)
class Hit:
    """One pattern found in a text: the words as the customer wrote them, and where."""

    text: str
    start: int
    end: int


def normalise(text: str) -> str:
    """One space between words and straight apostrophes, so patterns need not care about either."""
    return " ".join(text.replace("’", "'").replace("‘", "'").replace("`", "'").split())


@lru_cache(maxsize=16)
def load(name: str) -> Any:
    return yaml.safe_load((_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def compile_patterns(patterns: Iterable[str], where: str, *, words: bool = True) -> list[re.Pattern[str]]:
    """Compile lexicon patterns; ``words`` makes each match only whole words (the usual case)."""
    compiled: list[re.Pattern[str]] = []
    for pattern in patterns:
        if not isinstance(pattern, str):
            raise ValueError(f"{where}: expected a quoted pattern, got {pattern!r}")
        source = rf"(?<!\w)(?:{pattern})(?!\w)" if words else pattern
        try:
            compiled.append(re.compile(source, re.IGNORECASE))
        except re.error as exc:
            raise ValueError(f"{where}: bad pattern {pattern!r}: {exc}") from exc
    return compiled


def by_language(section: dict[str, list[str]] | None, where: str, *, words: bool = True) -> list[re.Pattern[str]]:
    """All languages' patterns of one lexicon section together: messages mix languages, matching is cheap."""
    compiled: list[re.Pattern[str]] = []
    for lang, patterns in (section or {}).items():
        compiled.extend(compile_patterns(patterns or [], f"{where}.{lang}", words=words))
    return compiled


def alternation(section: dict[str, list[str]] | None, where: str, *, words: bool = True) -> list[re.Pattern[str]]:
    """All languages' patterns of one section as a single regular expression (each checked alone first, for a
    clear error): one scan of the text instead of one per pattern. Matches do not overlap; where two patterns
    match at one place the first listed wins."""
    patterns = [p for items in (section or {}).values() for p in (items or [])]
    compile_patterns(patterns, where, words=words)
    if not patterns:
        return []
    body = "|".join(f"(?:{p})" for p in patterns)
    return [re.compile(rf"(?<!\w)(?:{body})(?!\w)" if words else body, re.IGNORECASE)]


def find(patterns: Iterable[re.Pattern[str]], text: str) -> Iterator[Hit]:
    for pattern in patterns:
        for match in pattern.finditer(text):
            yield Hit(match.group(0), match.start(), match.end())


def _clause_before(text: str, start: int) -> list[str]:
    window = text[max(0, start - 60) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    return [t.lower() for t in _TOKEN.findall(window)]


def negator(text: str, start: int, end: int) -> str | None:
    """The word that negates the cue at ``text[start:end]`` ("niet boos", "not at all angry"), if any."""
    before = _clause_before(text, start)
    for distance, word in enumerate(reversed(before[-4:])):
        if word in NEGATORS or word.endswith("n't") or word in {"dont", "isnt", "wasnt", "arent", "didnt"}:
            return word
        if word not in _NEGATION_BRIDGE or distance >= 3:
            break
    after = _DUTCH_POST_NEGATION.match(text[end : end + 40])
    return after.group(1) if after else None


def degree(text: str, start: int) -> tuple[float, str | None]:
    """How strongly the cue at ``start`` is meant: intensified ("heel erg boos"), toned down ("a bit annoyed").

    Only the words right before the cue count, so "really disappointed that nobody called" does not raise
    "nobody called". The second value is the degree words as written ("heel erg").
    """
    before = _clause_before(text, start)[-4:]
    found: list[str] = []
    factor = 1.0
    for word in reversed(before):
        if word in _DOWNTONERS:
            factor = DOWNTONE
            found.insert(0, word)
        elif word in _INTENSIFIERS:
            factor = INTENSIFY if factor == 1.0 else factor
            found.insert(0, word)
        elif word not in _DEGREE_FILLERS:
            break
    return factor, " ".join(found) if found else None


def overlaps(a: Hit, b: Hit) -> bool:
    return a.start < b.end and b.start < a.end


_SENTENCE_END = re.compile(r"[.!?\n]+")
# "Als ik de huur niet kan betalen, ..." asks about a case; it does not say it is so.
_HYPOTHETICAL = frozenset({"als", "indien", "mocht", "stel", "if", "suppose", "supposing", "whether"})


def sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around ``text[start:end]``."""
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    return (before[-1] if before else 0), (after.end() if after else len(text))


def hypothetical(text: str, start: int) -> str | None:
    """The word that makes the words at ``start`` a supposition ("als ik ...", "what if I ..."), if any."""
    begin, _ = sentence(text, start, start)
    # Only right before the words: in "als dit niet wordt opgelost, stap ik naar de ombudsman" the "als" is the
    # customer's condition, and the ombudsman is meant.
    words = [t.lower() for t in _TOKEN.findall(text[begin:start])][-2:]
    return next((w for w in reversed(words) if w in _HYPOTHETICAL), None)


# A gap of "any word" in a pattern never swallows a negator or a conjunction: "ik heb (\w+ ){0,2}schulden" must
# not match "ik heb geen schulden", nor "ik (\w+ ){0,3}de huur" the "ik doen als ik de huur" of a supposition.
_ANY_WORD = (
    r"(?:(?!(?:niet|geen|nooit|niks|niets|not|no|never|als|indien|omdat|want|maar|en|of|dat|if|because|but|and|or)"
    r"\b)\w+ )"
)


def expand(pattern: str, names: dict[str, str]) -> str:
    """Fill ``{name}`` placeholders that a lexicon defines once (e.g. the people close to a customer), and keep
    negators out of "any word" gaps."""
    for name, value in names.items():
        pattern = pattern.replace("{" + name + "}", value)
    return pattern.replace(r"(\w+ )", _ANY_WORD)
