"""The search index: BM25F over title, headings, tags and body, with language-aware analysis.

A question becomes *slots*, one per content word. Each slot has alternatives: its stem in the question's
language and in the working language, a typo correction from the knowledge base's own words, the parts
of a compound, and thesaurus synonyms (across Dutch and English). A slot scores by its best alternative
in a document, so synonyms never count twice. Slots also give the coverage: how much of the question
(weighted by rarity) a document answers — the main signal for "nothing here answers this".
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from samenspel.knowledge.passages import Section, sections
from samenspel.knowledge.readability import is_common_word
from samenspel.knowledge.text import CompoundSplitter, analyse, content_tokens, fold, stem, stopwords, tokens
from samenspel.knowledge.thesaurus import Thesaurus

FIELD_WEIGHTS = {"title": 3.0, "headings": 1.5, "tags": 2.0, "body": 1.0}
FIELD_B = {"title": 0.5, "headings": 0.6, "tags": 0.3, "body": 0.5}
# Articles are long and a customer question names its topic a few times at most: a high k1 lets a word
# that an article is about (mentioned often) count for more than one mentioned in passing.
K1 = 8.0
COMPOUND_PART_TF = 0.3
# "mijn naam is Ahmed", "ik ben Ahmed": a name says nothing about the question. "Ik ben verhuisd" must
# keep its word, so after "ik ben" / "I am" only a capitalised word the articles don't use is a name.
_NAMED = re.compile(r"\b(?:mijn naam is|ik heet|my name is|u spreekt met|je spreekt met)\s+(\w+)", re.IGNORECASE)
_MAYBE_NAMED = re.compile(r"\b(?:[Ii]k ben|I am|I'm|[Tt]his is|[Hh]ier is)\s+([A-Z]\w+)")


@dataclass(frozen=True)
class ArticleDoc:
    id: str
    group: str
    title: str
    language: str
    body: str
    tags: tuple[str, ...] = ()
    url: str | None = None


@dataclass
class Alternative:
    stem: str
    weight: float
    kind: str  # word, fuzzy, part, synonym


@dataclass
class Slot:
    token: str
    importance: float = 1.0
    alternatives: list[Alternative] = field(default_factory=list)
    known: bool = False
    idf: float = 0.0


@dataclass
class Query:
    text: str
    slots: list[Slot]

    @property
    def described(self) -> list[dict[str, object]]:
        return [
            {"word": s.token, "known": s.known, "as": sorted({a.stem for a in s.alternatives})[:6]} for s in self.slots
        ]


@dataclass
class Scored:
    scores: NDArray[np.float64]
    coverage: NDArray[np.float64]
    total_importance: float
    max_score: float
    matched_peak: NDArray[np.float64]  # the rarest word of the question a document has (idf)
    missed_peak: NDArray[np.float64]  # the rarest word of the question a document lacks (idf)
    unknown_idf: float
    dense: NDArray[np.float64] | None = None
    # The rarest word of the question in a document's title or tags (idf), and how much of the question they
    # hold: a question about what an article is about names its subject.
    title_peak: NDArray[np.float64] | None = None
    title_coverage: NDArray[np.float64] | None = None
    # Of the question itself: its number of content words, the share (by rarity) of words no article uses,
    # and how many of those are not everyday words either — a subject the knowledge base does not know.
    slot_count: int = 0
    unknown_share: float = 0.0
    unknown_salient: int = 0


@dataclass(frozen=True)
class Analysed:
    """One article taken apart: its sections, the content words per field, and each section's stems."""

    sections: list[Section]
    fields: dict[str, list[str]]
    section_stems: list[tuple[frozenset[str], frozenset[str]]]


_ANALYSED: OrderedDict[tuple[str, str, str, str, tuple[str, ...]], Analysed] = OrderedDict()
_ANALYSED_MAX = 50_000
_analysed_lock = threading.Lock()


def analysed(doc: ArticleDoc) -> Analysed:
    """Cached by content: rebuilding the index after one change only takes apart what changed."""
    key = (doc.id, doc.language, doc.title, doc.body, doc.tags)
    with _analysed_lock:
        found = _ANALYSED.get(key)
        if found is not None:
            _ANALYSED.move_to_end(key)
            return found
    secs = sections(doc.body)
    fields = {
        "title": content_tokens(doc.title, doc.language),
        "headings": content_tokens(" ".join(s.heading for s in secs if s.heading), doc.language),
        "tags": content_tokens(" ".join(doc.tags), doc.language),
        "body": content_tokens("\n".join(s.text for s in secs), doc.language),
    }
    stems = [(frozenset(analyse(s.heading, doc.language)), frozenset(analyse(s.text, doc.language))) for s in secs]
    result = Analysed(secs, fields, stems)
    with _analysed_lock:
        _ANALYSED[key] = result
        while len(_ANALYSED) > _ANALYSED_MAX:
            _ANALYSED.popitem(last=False)
    return result


class Index:
    def __init__(self, docs: list[ArticleDoc], thesaurus: Thesaurus, working_language: str = "nl") -> None:
        self.docs = docs
        self.thesaurus = thesaurus
        self.working_language = working_language
        self.analysed = [analysed(d) for d in docs]
        self.sections: list[list[Section]] = [a.sections for a in self.analysed]
        self.languages = sorted({d.language for d in docs}) or [working_language]
        self._build()

    # -- building -------------------------------------------------------------------------------

    def _build(self) -> None:
        surface_df: Counter[str] = Counter()
        per_doc_fields: list[dict[str, list[str]]] = []
        for a in self.analysed:
            per_doc_fields.append(a.fields)
            surface_df.update({t for words in a.fields.values() for t in words})
        self.surface_df = surface_df
        self.vocabulary = sorted(surface_df)
        # Words by length: a typo is at most two edits away, so only near lengths can be its word.
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for word in self.vocabulary:
            self._by_length[len(word)].append(word)
        all_stems = {stem(t, lang) for t in surface_df for lang in self.languages}
        self.splitter = CompoundSplitter(surface_df, all_stems)

        # term → doc → weighted, length-normalised term frequency (BM25F before saturation)
        lengths = {name: np.array([len(f[name]) for f in per_doc_fields], dtype=float) for name in FIELD_WEIGHTS}
        averages = {name: max(1.0, float(lengths[name].mean())) if len(self.docs) else 1.0 for name in lengths}
        weighted: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for i, (doc, fields) in enumerate(zip(self.docs, per_doc_fields, strict=True)):
            for name, words in fields.items():
                norm = (1 - FIELD_B[name]) + FIELD_B[name] * lengths[name][i] / averages[name]
                unit = FIELD_WEIGHTS[name] / norm
                for word in words:
                    weighted[stem(word, doc.language)][i] += unit
                    if len(word) >= 8 and doc.language == "nl":
                        for part in self.splitter.split(word) or ():
                            weighted[stem(part, "nl")][i] += unit * COMPOUND_PART_TF
        # Which documents name a stem in their title or tags (compound parts included).
        titled: dict[str, set[int]] = defaultdict(set)
        for i, (doc, fields) in enumerate(zip(self.docs, per_doc_fields, strict=True)):
            for word in (*fields["title"], *fields["tags"]):
                titled[stem(word, doc.language)].add(i)
                if len(word) >= 8 and doc.language == "nl":
                    for part in self.splitter.split(word) or ():
                        titled[stem(part, "nl")].add(i)
        self.title_postings = {t: np.fromiter(sorted(ids), dtype=np.int64) for t, ids in titled.items()}
        n = len(self.docs)
        self.postings: dict[str, tuple[NDArray[np.int64], NDArray[np.float64]]] = {}
        self.idf: dict[str, float] = {}
        for term, by_doc in weighted.items():
            ids = np.fromiter(by_doc.keys(), dtype=np.int64, count=len(by_doc))
            tfs = np.fromiter(by_doc.values(), dtype=float, count=len(by_doc))
            self.postings[term] = (ids, tfs)
            self.idf[term] = math.log(1 + (n - len(by_doc) + 0.5) / (len(by_doc) + 0.5))
        self.unknown_idf = math.log(1 + (n + 0.5) / 0.5) if n else 1.0

    # -- questions ------------------------------------------------------------------------------

    def parse(self, text: str, language: str, *, ignore: tuple[str, ...] = ()) -> Query:
        """Turns a question into slots with their alternatives."""
        ignored = {fold(t) for name in ignore for t in tokens(name)}
        ignored.update(fold(m.group(1)) for m in _NAMED.finditer(text))
        ignored.update(fold(m.group(1)) for m in _MAYBE_NAMED.finditer(text) if fold(m.group(1)) not in self.surface_df)
        query_languages = list(dict.fromkeys([language, self.working_language]))
        stop = set().union(*(stopwords(lang) for lang in query_languages))
        slots: list[Slot] = []
        for token in tokens(text):
            if token in stop or token in ignored or (len(token) < 2 and not token.isdigit()):
                continue
            slots.extend(self._slots_for(token, query_languages))
        slots = self._expand(slots, language)
        for slot in slots:
            # One concept, one rarity: the rarest of its known forms, applied to every form, so a synonym
            # counts as the word it stands for.
            known = [self.idf[a.stem] for a in slot.alternatives if a.stem in self.postings]
            slot.idf = max(known) if known else self.unknown_idf
        return Query(text, slots)

    def _expand(self, slots: list[Slot], language: str) -> list[Slot]:
        """Adds thesaurus synonyms to the slots whose words triggered them. The words of one phrase
        ("afspraak maken", "grof afval") become one slot: one concept, counted once."""
        # Per slot the form the thesaurus should look up: a typo's correction, not the typo.
        stems = [self._lookup_form(s) for s in slots]
        expansions = self.thesaurus.expand(stems, language)
        merged: list[Slot] = []
        position = 0
        while position < len(slots):
            size = max(
                (len(e.source) for e in expansions if tuple(stems[position : position + len(e.source)]) == e.source),
                default=1,
            )
            group = slots[position : position + size]
            slot = group[0]
            if size > 1:
                slot = Slot(
                    " ".join(s.token for s in group),
                    max(s.importance for s in group),
                    [a for s in group for a in s.alternatives],
                    known=any(s.known for s in group),
                )
            merged.append(slot)
            position += size
        for slot in merged:
            words = {a.stem for a in slot.alternatives if a.kind != "synonym"}
            for expansion in expansions:
                if set(expansion.source) <= words:
                    slot.alternatives.append(Alternative(expansion.stem, expansion.weight, "synonym"))
                    if expansion.stem in self.postings:
                        slot.known = True
        return merged

    def _lookup_form(self, slot: Slot) -> str:
        if not slot.alternatives:
            return ""
        for alt in slot.alternatives:
            if alt.kind == "word" and (alt.stem in self.postings or self.thesaurus.knows(alt.stem)):
                return alt.stem
        fuzzy = next((a.stem for a in slot.alternatives if a.kind == "fuzzy"), None)
        return fuzzy or slot.alternatives[0].stem

    def _slots_for(self, token: str, languages: list[str]) -> list[Slot]:
        alternatives = [Alternative(stem(token, lang), 1.0, "word") for lang in languages]
        alternatives = list({a.stem: a for a in alternatives}.values())
        if any(a.stem in self.postings for a in alternatives):
            return [Slot(token, 1.0, alternatives, known=True)]
        if token.isdigit():
            return []  # a number the articles don't mention says nothing about the topic
        parts = self.splitter.split(token) if len(token) >= 8 else None
        if parts:
            share = 1.0 / len(parts)
            return [
                Slot(part, share, [Alternative(stem(part, self.working_language), 1.0, "part")], known=True)
                for part in parts
            ]
        if any(self.thesaurus.knows(a.stem) for a in alternatives):
            # A word the thesaurus knows is no typo: its synonyms will find the articles.
            return [Slot(token, 1.0, alternatives, known=False)]
        corrected = self._correct(token)
        if corrected is not None:
            fixes = {stem(corrected, lang) for lang in self.languages}
            alternatives += [Alternative(s, 0.8, "fuzzy") for s in fixes if s in self.postings]
            return [Slot(token, 1.0, alternatives, known=True)]
        return [Slot(token, 1.0, alternatives, known=False)]

    def _correct(self, token: str) -> str | None:
        """The knowledge base's own word closest to a misspelt one (1 edit, 2 for long words)."""
        if len(token) < 5 or not self.vocabulary:
            return None
        limit = 1 if len(token) < 8 else 2
        nearby = [w for n in range(len(token) - limit, len(token) + limit + 1) for w in self._by_length.get(n, ())]
        candidates = process.extract(token, nearby, scorer=Levenshtein.distance, score_cutoff=limit, limit=8)
        if not candidates:
            return None
        best = min(candidates, key=lambda c: (c[1], -self.surface_df[c[0]]))
        return str(best[0])

    def score(self, query: Query) -> Scored:
        n = len(self.docs)
        scores = np.zeros(n)
        coverage = np.zeros(n)
        matched_peak = np.zeros(n)
        missed_peak = np.zeros(n)
        title_peak = np.zeros(n)
        title_coverage = np.zeros(n)
        total = 0.0
        best_possible = 0.0
        unknown = 0.0
        salient = 0
        for slot in query.slots:
            weight = slot.importance * slot.idf
            total += weight
            best_possible += slot.importance * slot.idf * (K1 + 1)
            if not slot.known:
                unknown += weight
                salient += not any(is_common_word(slot.token, lang) for lang in ("nl", "en"))
            in_title = np.zeros(n, dtype=bool)
            for alt in slot.alternatives:
                named = self.title_postings.get(alt.stem)
                if named is not None:
                    in_title[named] = True
            title_peak = np.maximum(title_peak, np.where(in_title, weight, 0.0))
            title_coverage += np.where(in_title, weight, 0.0)
            slot_scores = np.zeros(n)
            for alt in slot.alternatives:
                posting = self.postings.get(alt.stem)
                if posting is None:
                    continue
                ids, tfs = posting
                contribution = alt.weight * slot.idf * tfs * (K1 + 1) / (tfs + K1)
                # A posting lists each document once, so plain fancy indexing is safe (and far faster than .at).
                slot_scores[ids] = np.maximum(slot_scores[ids], contribution)
            scores += slot.importance * slot_scores
            found = slot_scores > 0
            coverage += np.where(found, weight, 0.0)
            matched_peak = np.maximum(matched_peak, np.where(found, weight, 0.0))
            missed_peak = np.maximum(missed_peak, np.where(found, 0.0, weight))
        if total > 0:
            coverage /= total
            title_coverage /= total
        return Scored(
            scores,
            coverage,
            total,
            best_possible,
            matched_peak,
            missed_peak,
            self.unknown_idf,
            title_peak=title_peak,
            title_coverage=title_coverage,
            slot_count=len(query.slots),
            unknown_share=unknown / total if total > 0 else 0.0,
            unknown_salient=salient,
        )
