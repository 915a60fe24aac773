"""The AI backends a settings object asks for. With none configured nothing leaves the machine."""

from __future__ import annotations

import logging

from samenspel.ai.protocols import Embedder, Translator
from samenspel.errors import InvalidInput
from samenspel.settings import Settings

logger = logging.getLogger(__name__)


class BackendNotConfigured(InvalidInput):
    code = "backend_not_configured"


def translator_for(settings: Settings) -> Translator | None:
    if settings.translation_backend == "none":
        return None
    if settings.translation_backend == "openai":
        from samenspel.ai.backends.openai import OpenAITranslator

        return OpenAITranslator.from_settings(settings)
    raise BackendNotConfigured(
        f"translation_backend={settings.translation_backend!r} is not available in this version; use 'openai' or 'none'"
    )


def embedder_for(settings: Settings) -> Embedder | None:
    if settings.embedding_backend == "none":
        return None
    from samenspel.ai.backends.sentence_transformers import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder.from_settings(settings)
