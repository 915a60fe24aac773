"""Plain BM25 for comparison: one field (title and body), folded lower-case tokens, no stemming, no
stopwords, no compounds, no thesaurus, no typo tolerance. `samenspel eval kb` prints it side by side."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from numpy.typing import NDArray

from samenspel.knowledge.index import ArticleDoc
from samenspel.knowledge.text import tokens

K1, B = 1.2, 0.75


class PlainBM25:
    # Hands over below this share of the best score a question could reach: chosen on the tuning sets
    # (dev, dev2) for about the same rate of false handoffs as Samenspel, so the comparison is fair.
    def __init__(self, docs: list[ArticleDoc], handoff_below: float = 0.1) -> None:
        self.docs = docs
        self.handoff_below = handoff_below
        counts = [Counter(tokens(f"{d.title}\n{d.body}")) for d in docs]
        self.lengths = np.array([sum(c.values()) for c in counts], dtype=float)
        self.average = float(self.lengths.mean()) if docs else 1.0
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for i, c in enumerate(counts):
            for term, tf in c.items():
                self.postings.setdefault(term, []).append((i, tf))

    def scores(self, text: str) -> tuple[NDArray[np.float64], float]:
        """BM25 per document, and the highest score a document could reach for this question."""
        result = np.zeros(len(self.docs))
        ceiling = 0.0
        for term in tokens(text):
            idf = self.idf.get(term)
            if idf is None:
                ceiling += math.log(1 + (len(self.docs) + 0.5) / 0.5) * (K1 + 1)
                continue
            ceiling += idf * (K1 + 1)
            for i, tf in self.postings[term]:
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * self.lengths[i] / self.average))
                result[i] += idf * norm
        return result, ceiling

    def search(self, text: str) -> tuple[list[str], bool]:
        """Groups best first (no duplicates), and whether this baseline would hand over."""
        scores, ceiling = self.scores(text)
        order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0]
        groups = list(dict.fromkeys(self.docs[i].group for i in order))
        confident = bool(order) and ceiling > 0 and scores[order[0]] / ceiling >= self.handoff_below
        return groups, not confident
