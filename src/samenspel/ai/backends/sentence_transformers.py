"""Dense sentence embeddings from a sentence-transformers model on local disk (never downloaded)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from samenspel.errors import InvalidInput
from samenspel.settings import Settings

logger = logging.getLogger(__name__)


class SentenceTransformerEmbedder:
    name = "sentence-transformers"

    def __init__(self, model_path: Path) -> None:
        if not model_path.is_dir():
            raise InvalidInput(f"embedding_model_path {model_path} is not a folder with a sentence-transformers model")
        # Only what is on disk: the hub is never asked.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise InvalidInput(
                "embedding_backend=sentence-transformers needs the extra: pip install 'samenspel[embeddings]'"
            ) from None
        self._model: Any = SentenceTransformer(str(model_path), device="cpu", local_files_only=True)
        logger.info("ai.embedder.loaded path=%s", model_path)

    @classmethod
    def from_settings(cls, settings: Settings) -> SentenceTransformerEmbedder:
        if settings.embedding_model_path is None:
            raise InvalidInput("embedding_backend=sentence-transformers needs embedding_model_path (a local folder)")
        return cls(settings.embedding_model_path)

    def embed(self, texts: list[str]) -> NDArray[np.float32]:
        vectors = self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)
