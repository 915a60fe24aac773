"""Knowledge search as the pipeline sees it: ranked article groups with a calibrated confidence, and the
passage of each article that answers the question best."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from samenspel.ai.protocols import Embedder
from samenspel.knowledge.index import ArticleDoc, Index, Query, Scored
from samenspel.knowledge.passages import Section
from samenspel.knowledge.thesaurus import Thesaurus
from samenspel.understanding.signals import Inbound, Signals

DEFAULT_CALIBRATION = Path(__file__).parent / "calibration.json"
MAX_HITS = 5
PASSAGE_CHARS = 700


@dataclass(frozen=True)
class Hit:
    id: str
    group: str
    title: str
    score: float  # calibrated: the chance that this article answers the question
    language: str = "nl"
    passage: str = ""
    url: str | None = None
    headings: tuple[str, ...] = field(default_factory=tuple)
    section: str = ""
    raw_score: float = 0.0
    coverage: float = 0.0


class Retriever(Protocol):
    def retrieve(self, inbound: Inbound, signals: Signals) -> list[Hit]: ...


class NoKnowledge:
    """Used while the organisation has no knowledge base: nothing can be answered from it."""

    def retrieve(self, inbound: Inbound, signals: Signals) -> list[Hit]:
        return []


@dataclass(frozen=True)
class Calibration:
    """Logistic weights that turn a hit's evidence into the chance it answers the question."""

    bias: float = -6.0
    coverage: float = 7.0
    strength: float = 4.0
    relative: float = 1.5
    gap: float = 1.0
    matched_peak: float = 0.0
    missed_peak: float = 0.0
    dense: float = 0.0  # cosine similarity, when an embedding backend is configured and calibrated
    title_peak: float = 0.0
    title_coverage: float = 0.0
    slots: float = 0.0
    unknown_share: float = 0.0
    unknown_salient: float = 0.0

    @classmethod
    def load(cls, path: Path | None = None) -> Calibration:
        for candidate in (path, DEFAULT_CALIBRATION):
            if candidate is not None and candidate.exists():
                data = json.loads(candidate.read_text(encoding="utf-8"))
                return cls(**{k: float(v) for k, v in data["weights"].items()})
        return cls()

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(getattr(self, name) * value for name, value in features.items())
        return 1 / (1 + math.exp(-z))


FEATURES = (
    "coverage",
    "strength",
    "relative",
    "gap",
    "matched_peak",
    "missed_peak",
    "dense",
    "title_peak",
    "title_coverage",
    "slots",
    "unknown_share",
    "unknown_salient",
)
RRF_K = 60
RANKED = 64  # documents looked at per question: enough for MAX_HITS groups of translations


class KnowledgeBase:
    """The published articles and their index. Replaced as a whole when articles change."""

    def __init__(
        self,
        docs: list[ArticleDoc],
        *,
        thesaurus: Thesaurus | None = None,
        working_language: str = "nl",
        calibration: Calibration | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.working_language = working_language
        self.index = Index(docs, thesaurus or Thesaurus.load(), working_language)
        self.calibration = calibration or Calibration.load()
        self.embedder = embedder
        self._dense: NDArray[np.float32] | None = None
        self._dense_owner: NDArray[np.int64] | None = None
        if embedder is not None and docs:
            # One vector per section (with the article's title), so a detail deep in an article is found.
            texts, owners = [], []
            for i, (doc, secs) in enumerate(zip(docs, self.index.sections, strict=True)):
                for section in secs or []:
                    texts.append(f"{doc.title}. {section.heading}\n{section.text}"[:2000])
                    owners.append(i)
                texts.append(doc.title)
                owners.append(i)
            self._dense = embedder.embed(texts)
            self._dense_owner = np.array(owners, dtype=np.int64)
        self._section_stems = [a.section_stems for a in self.index.analysed]
        self._members: dict[str, list[int]] = {}
        for i, doc in enumerate(docs):
            self._members.setdefault(doc.group, []).append(i)

    def __len__(self) -> int:
        return len(self.index.docs)

    @property
    def languages(self) -> list[str]:
        return self.index.languages

    def search(
        self, text: str, language: str, *, prefer: tuple[str, ...] = (), ignore: tuple[str, ...] = ()
    ) -> list[Hit]:
        """Best article groups first; per group the article in the first preferred language it has."""
        query = self.index.parse(text, language, ignore=ignore)
        scored = self.index.score(query)
        if self.embedder is not None and self._dense is not None and self._dense_owner is not None:
            similarity = np.full(len(self.index.docs), -1.0)
            np.maximum.at(similarity, self._dense_owner, self._dense @ self.embedder.embed([text])[0])
            scored.dense = similarity
        return self.hits(query, scored, prefer=prefer or (language, self.working_language))

    def features(self, scored: Scored, ranked: list[int], position: int) -> dict[str, float]:
        i = ranked[position]
        top = scored.scores[ranked[0]]
        following = scored.scores[ranked[position + 1]] if position + 1 < len(ranked) else 0.0
        score = float(scored.scores[i])
        return {
            "coverage": float(scored.coverage[i]),
            "strength": score / scored.max_score if scored.max_score else 0.0,
            "relative": score / top if top else 0.0,
            "gap": (score - following) / score if score else 0.0,
            "matched_peak": float(scored.matched_peak[i]) / scored.unknown_idf,
            "missed_peak": float(scored.missed_peak[i]) / scored.unknown_idf,
            "dense": float(scored.dense[i]) if scored.dense is not None else 0.0,
            "title_peak": float(scored.title_peak[i]) / scored.unknown_idf if scored.title_peak is not None else 0.0,
            "title_coverage": float(scored.title_coverage[i]) if scored.title_coverage is not None else 0.0,
            "slots": float(scored.slot_count),
            "unknown_share": scored.unknown_share,
            "unknown_salient": float(scored.unknown_salient),
        }

    @staticmethod
    def _best(values: NDArray[np.float64], count: int) -> list[int]:
        """Indices of the ``count`` highest values, best first (ties keep document order)."""
        if len(values) > count:
            candidates = np.argpartition(-values, count)[:count]
            order = candidates[np.lexsort((candidates, -values[candidates]))]
        else:
            order = np.argsort(-values, kind="stable")
        return [int(i) for i in order]

    def _ranking(self, scored: Scored) -> list[int]:
        """The best documents first: by BM25F, or with dense vectors fused by reciprocal rank. Only the
        head of the ranking matters (a few groups), so only the head is sorted."""
        lexical = [i for i in self._best(scored.scores, RANKED) if scored.scores[i] > 0]
        if scored.dense is None:
            return lexical
        dense = self._best(scored.dense, RANKED)
        fused: dict[int, float] = {}
        for ranking in (lexical, dense):
            for rank, i in enumerate(ranking):
                fused[i] = fused.get(i, 0.0) + 1 / (RRF_K + rank + 1)
        return sorted(fused, key=lambda i: -fused[i])

    def hits(self, query: Query, scored: Scored, *, prefer: tuple[str, ...]) -> list[Hit]:
        docs = self.index.docs
        by_group: dict[str, int] = {}
        for i in self._ranking(scored):
            by_group.setdefault(docs[i].group, i)
        # Rank groups by their best article; answer with the article in the customer's language if any.
        ranked = list(by_group.values())[:MAX_HITS]
        out: list[Hit] = []
        ceiling = 1.0
        for position, best in enumerate(ranked):
            members = self._members[docs[best].group]
            chosen = next((i for lang in prefer for i in members if docs[i].language == lang), best)
            doc = docs[chosen]
            heading, passage = self.passage(query, chosen)
            features = self.features(scored, ranked, position)
            # Best first, also in the confidence shown: a lower-ranked article is never more likely.
            ceiling = min(ceiling, self.calibration.probability(features))
            out.append(
                Hit(
                    id=doc.id,
                    group=doc.group,
                    title=doc.title,
                    score=round(ceiling, 4),
                    language=doc.language,
                    passage=passage,
                    url=doc.url,
                    headings=tuple(s.heading for s in self.index.sections[chosen] if s.heading),
                    section=heading,
                    raw_score=round(float(scored.scores[best]), 4),
                    coverage=round(features["coverage"], 4),
                )
            )
        return out

    def passage(self, query: Query, doc_index: int) -> tuple[str, str]:
        """The section that answers the question best: its heading and (up to a length) its text."""
        secs: list[Section] = self.index.sections[doc_index]
        if not secs:
            return "", ""
        stems = self._section_stems[doc_index]
        best, best_score = 0, 0.0
        for j, (heading, body) in enumerate(stems):
            value = 0.0
            for slot in query.slots:
                alts = {a.stem for a in slot.alternatives}
                if alts & heading:
                    value += 1.5 * slot.idf
                elif alts & body:
                    value += slot.idf
            if value > best_score:
                best, best_score = j, value
        section = secs[best]
        text = ""
        for block in section.blocks:
            if text and len(text) + len(block.text) > PASSAGE_CHARS:
                break
            text = f"{text}\n{block.text}" if text else block.text
        return section.heading, text


class KnowledgeRetriever:
    """The retrieve stage over a knowledge base that may be replaced while the server runs."""

    def __init__(self, knowledge: KnowledgeBase | None = None) -> None:
        self.knowledge = knowledge

    def replace(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge

    def retrieve(self, inbound: Inbound, signals: Signals) -> list[Hit]:
        kb = self.knowledge
        if kb is None or not len(kb):
            return []
        names = (inbound.customer.name,) if inbound.customer.name else ()
        if inbound.search_text:
            return kb.search(inbound.search_text, kb.working_language, ignore=names)
        return kb.search(inbound.text, signals.language, ignore=names)
