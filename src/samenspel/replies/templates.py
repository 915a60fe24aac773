"""Reply templates per language and tone, loaded from the YAML files beside this module."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_DIR = Path(__file__).parent / "templates"
REPLY_LANGUAGES = ("nl", "en")


@lru_cache(maxsize=4)
def _load(language: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((_DIR / f"{language}.yaml").read_text(encoding="utf-8"))
    return data


def reply_language(language: str) -> str:
    """The language templates exist in that fits the customer best (English for everyone else)."""
    return language if language in REPLY_LANGUAGES else "en"


def render(key: str, language: str, tone: str = "formal", **values: str) -> str:
    """``key`` is a dotted path such as ``handoff.low_confidence``.

    A missing last part falls back to ``default`` at that level.
    """
    node: Any = _load(reply_language(language))
    parts = key.split(".")
    for i, part in enumerate(parts):
        if not isinstance(node, dict):
            raise KeyError(key)
        if part not in node:
            if i == len(parts) - 1 and "default" in node:
                part = "default"  # noqa: PLW2901 - a documented fallback
            else:
                raise KeyError(key)
        node = node[part]
    if isinstance(node, dict):
        node = node.get(tone) or node["formal"]
    return str(node).format(**values)


def language_name(code: str, in_language: str) -> str:
    """'nl' as a word in ``in_language``: Nederlands, Dutch."""
    names: dict[str, str] = _load(reply_language(in_language)).get("language_names", {})
    return names.get(code, code)


def day_name(weekday: int, in_language: str) -> str:
    """Monday is 0, as in ``datetime.weekday()``."""
    days: list[str] = _load(reply_language(in_language)).get("days", [])
    return days[weekday] if weekday < len(days) else str(weekday)
