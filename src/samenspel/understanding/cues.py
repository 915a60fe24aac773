"""Cues in a message that say a person should take over. The embedded default: readable lexicons."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

_LEXICONS = Path(__file__).parent / "lexicons"


@lru_cache(maxsize=8)
def _patterns(name: str) -> dict[str, list[re.Pattern[str]]]:
    path = _LEXICONS / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    compiled: dict[str, list[re.Pattern[str]]] = {}
    for lang, patterns in data.items():
        try:
            compiled[lang] = [re.compile(p, re.IGNORECASE) for p in patterns]
        except re.error as exc:
            raise ValueError(f"{path.name}: bad pattern for {lang}: {exc}") from exc
    return compiled


def asks_for_person(text: str) -> list[str]:
    """The languages whose phrasing for 'I want a person' the message matches (empty: no request)."""
    lowered = " ".join(text.lower().split())
    return [lang for lang, patterns in _patterns("asks_for_person").items() if any(p.search(lowered) for p in patterns)]
