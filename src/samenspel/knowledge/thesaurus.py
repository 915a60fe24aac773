"""The customer-service thesaurus: phrases people use for the same thing, across Dutch and English.

A question that contains a phrase of a set is searched with the set's other phrases too (at a lower
weight), so "grof afval" finds an article about "grofvuil" and "passport" finds "paspoort".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from samenspel.errors import InvalidInput
from samenspel.knowledge.languages import is_language_code
from samenspel.knowledge.text import analyse

SHIPPED = Path(__file__).parent / "lexicons" / "thesaurus.yaml"


@dataclass(frozen=True)
class Expansion:
    stem: str
    weight: float
    source: tuple[str, ...]  # the question's stems that triggered it
    language: str


def _load(path: Path) -> list[dict[str, list[str]]]:
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f", line {line + 1}" if line is not None else ""
        raise InvalidInput(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, list):
        raise InvalidInput(f"{path}: expected a list of sets such as '- {{nl: [...], en: [...]}}'")
    sets: list[dict[str, list[str]]] = []
    for number, entry in enumerate(data, start=1):
        if not isinstance(entry, dict) or not entry:
            raise InvalidInput(f"{path}: set {number} must map language codes to lists of phrases")
        clean: dict[str, list[str]] = {}
        for lang, phrases in entry.items():
            if not isinstance(lang, str) or not is_language_code(lang):
                raise InvalidInput(f"{path}: set {number} has {lang!r}, not an ISO 639-1 language code")
            if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
                raise InvalidInput(f"{path}: set {number}, {lang}: expected a list of phrases (quote yes/no/on)")
            clean[lang] = phrases
        sets.append(clean)
    return sets


class Thesaurus:
    """``weight``: a synonym in the question's own language; ``translation_weight``: the same thing in
    another language, which is near-certain evidence (a translation, not a looser word)."""

    def __init__(self, sets: list[dict[str, list[str]]], weight: float = 0.7, translation_weight: float = 0.9) -> None:
        self.weight = weight
        self.translation_weight = translation_weight
        # Each phrase as a tuple of stems, pointing at the sets it belongs to.
        self._sets: list[set[tuple[str, tuple[str, ...]]]] = []
        self._by_phrase: dict[tuple[str, ...], list[int]] = {}
        self._ordered: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.longest = 1
        for entry in sets:
            phrases: set[tuple[str, tuple[str, ...]]] = set()
            for lang, items in entry.items():
                for item in items:
                    analysed = tuple(analyse(item, lang))
                    if analysed:
                        phrases.add((lang, analysed))
            index = len(self._sets)
            self._sets.append(phrases)
            for _, phrase in phrases:
                self._by_phrase.setdefault(phrase, []).append(index)
                self._ordered.setdefault(tuple(sorted(phrase)), phrase)
                self.longest = max(self.longest, len(phrase))

    @classmethod
    def load(cls, extra: Path | None = None) -> Thesaurus:
        sets = _load(SHIPPED)
        if extra is not None and extra.exists():
            sets += _load(extra)
        return cls(sets)

    def __len__(self) -> int:
        return len(self._sets)

    def knows(self, stem: str) -> bool:
        return (stem,) in self._by_phrase

    def expand(self, stems: list[str], language: str) -> list[Expansion]:
        """Phrases of every set that a phrase of the question belongs to, except those already asked."""
        present = set(stems)
        out: dict[str, Expansion] = {}
        covered: set[int] = set()
        for size in range(min(self.longest, len(stems)), 0, -1):
            for start in range(len(stems) - size + 1):
                if covered & set(range(start, start + size)):
                    continue  # the longest phrase wins: "bulky waste" is grofvuil, not any waste
                window = tuple(stems[start : start + size])
                # Word order is free within the phrase: "uittreksel gba" is "gba uittreksel".
                phrase = self._ordered.get(tuple(sorted(window)), window) if size > 1 else window
                if phrase in self._by_phrase:
                    covered.update(range(start, start + size))
                for index in self._by_phrase.get(phrase, ()):
                    for lang, other in self._sets[index]:
                        base = self.weight if lang == language else self.translation_weight
                        # Each word of a longer phrase carries its share: one word alone is half of "grof afval".
                        weight = base / len(other)
                        for stem in other:
                            known = out.get(stem)
                            if stem not in present and (known is None or known.weight < weight):
                                out[stem] = Expansion(stem, weight, window, lang)
        return list(out.values())
