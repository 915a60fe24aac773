"""Commercial intent in a message: to buy (``purchase``), to cancel (``cancel``) or to leave for another
provider (``switch``).

Each finding is ``{"kind", "cue"}`` with the customer's own words. Asking what a municipal product costs ("wat
kost een paspoort") or applying for one is no purchase; ending a permit ("ik wil mijn parkeervergunning
opzeggen") is a cancellation. The patterns live in ``lexicons/commerce.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from samenspel.understanding import lexicon
from samenspel.understanding.lexicon import Hit

KINDS = ("purchase", "cancel", "switch")


@dataclass(frozen=True)
class _Kind:
    name: str
    patterns: list[re.Pattern[str]]
    unless: list[re.Pattern[str]]


@lru_cache(maxsize=1)
def _kinds() -> list[_Kind]:
    data: dict[str, Any] = lexicon.load("commerce")
    names = {"product": "(?:" + "|".join((data.get("product") or {}).values()) + ")"}
    exceptions = data.get("except") or {}

    def section(raw: Any, where: str) -> list[re.Pattern[str]]:
        filled = {lang: [lexicon.expand(p, names) for p in ps or []] for lang, ps in (raw or {}).items()}
        return lexicon.alternation(filled, f"commerce.yaml: {where}")

    kinds = []
    for name, raw in data["kinds"].items():
        if name not in KINDS:
            raise ValueError(f"commerce.yaml: unknown kind {name!r}; use {', '.join(KINDS)}")
        kinds.append(_Kind(name, section(raw, f"kinds.{name}"), section(exceptions.get(name), f"except.{name}")))
    return kinds


def find_commercial(text: str) -> list[dict[str, str]]:
    """Each kind of commercial intent the message shows, once, with the words that show it."""
    text = lexicon.normalise(text)
    found: list[dict[str, str]] = []
    taken: list[Hit] = []
    for kind in _kinds():
        unless = list(lexicon.find(kind.unless, text))
        for hit in lexicon.find(kind.patterns, text):
            if lexicon.negator(text, hit.start, hit.end):
                continue
            # An upgrade found as a purchase is not also a switch; an exception's words overlap the cue.
            if any(lexicon.overlaps(hit, other) for other in [*unless, *taken]):
                continue
            found.append({"kind": kind.name, "cue": hit.text})
            taken.append(hit)
            break
    return found
