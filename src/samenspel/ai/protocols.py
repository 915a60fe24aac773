from __future__ import annotations

from typing import Protocol

import numpy as np
from numpy.typing import NDArray


class Translator(Protocol):
    name: str

    async def translate(self, text: str, source: str, target: str) -> str:
        """Text in ``source`` language (ISO 639-1) into ``target``; formatting, URLs and amounts kept."""
        ...


class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> NDArray[np.float32]:
        """One L2-normalised vector per text."""
        ...
