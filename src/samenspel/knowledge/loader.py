"""Builds the assistant's knowledge base from the published articles in the database."""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy.ext.asyncio import AsyncSession

from samenspel.ai.protocols import Embedder
from samenspel.ai.registry import embedder_for
from samenspel.knowledge.queries import published_docs
from samenspel.knowledge.search import Calibration, KnowledgeBase
from samenspel.knowledge.thesaurus import Thesaurus
from samenspel.settings import Settings

logger = logging.getLogger(__name__)


_embedders: dict[tuple[str, str], Embedder | None] = {}


def _embedder(settings: Settings) -> Embedder | None:
    """Loaded once per process: a model takes seconds to load, an index rebuild should not."""
    key = (settings.embedding_backend, str(settings.embedding_model_path))
    if key not in _embedders:
        _embedders[key] = embedder_for(settings)
    return _embedders[key]


async def load_knowledge(db: AsyncSession, settings: Settings) -> KnowledgeBase:
    docs = await published_docs(db, settings.base_url)
    embedder = await asyncio.to_thread(_embedder, settings)
    thesaurus = Thesaurus.load(settings.data_dir / "thesaurus.yaml")
    calibration = Calibration.load(settings.data_dir / "knowledge_calibration.json")
    started = time.perf_counter()
    # Building is CPU work: off the event loop, so a running server keeps answering meanwhile.
    knowledge = await asyncio.to_thread(
        KnowledgeBase,
        docs,
        thesaurus=thesaurus,
        working_language=settings.working_language,
        calibration=calibration,
        embedder=embedder,
    )
    logger.info("knowledge.index.built articles=%s ms=%.0f", len(docs), (time.perf_counter() - started) * 1000)
    return knowledge
