"""Measuring the assistant on a file of questions with expected outcomes (`samenspel eval kb`)."""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from samenspel.errors import InvalidInput
from samenspel.knowledge.baseline import PlainBM25
from samenspel.knowledge.search import FEATURES, KnowledgeBase
from samenspel.pipeline import Pipeline
from samenspel.types import HANDOFF_REASONS
from samenspel.understanding.signals import CustomerContext, Inbound


@dataclass(frozen=True)
class Question:
    text: str
    group: str | None
    handoff: bool
    reasons: tuple[str, ...] = ()
    line: int = 0
    segment: str = "standard"
    name: str | None = None


@dataclass
class Tally:
    name: str
    answerable: int = 0
    top1: int = 0
    top3: int = 0
    reciprocal: float = 0.0
    should_handoff: int = 0
    caught: int = 0
    false_handoffs: int = 0
    wrong_answers: int = 0
    clarified: int = 0
    reason_right: int = 0
    latencies: list[float] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)

    def add(self, q: Question, groups: list[str], handed_over: bool, mode: str, reasons: list[str], ms: float) -> None:
        self.latencies.append(ms)
        if q.handoff:
            self.should_handoff += 1
            if handed_over:
                self.caught += 1
                if not q.reasons or set(q.reasons) & set(reasons):
                    self.reason_right += 1
                else:
                    self.misses.append({"text": q.text, "expected": list(q.reasons), "got": reasons})
            else:
                self.misses.append({"text": q.text, "expected": "handoff", "got": mode, "top": groups[:1]})
            return
        self.answerable += 1
        rank = groups.index(q.group) + 1 if q.group in groups else 0
        self.top1 += rank == 1
        self.top3 += 0 < rank <= 3
        self.reciprocal += 1 / rank if rank else 0.0
        if handed_over:
            self.false_handoffs += 1
        if mode == "answer" and rank != 1:
            self.wrong_answers += 1
        self.clarified += mode == "clarify"
        if rank != 1 or handed_over:
            miss: dict[str, Any] = {"text": q.text, "expected": q.group, "got": mode, "top": groups[:3]}
            if handed_over:
                miss["reasons"] = reasons
            self.misses.append(miss)

    def row(self) -> dict[str, str]:
        def share(part: int | float, whole: int) -> str:
            return f"{100 * part / whole:.1f}%" if whole else "-"

        ordered = sorted(self.latencies) or [0.0]
        return {
            "system": self.name,
            "top-1": share(self.top1, self.answerable),
            "top-3": share(self.top3, self.answerable),
            "MRR": f"{self.reciprocal / self.answerable:.3f}" if self.answerable else "-",
            "handoffs caught": share(self.caught, self.should_handoff),
            "fitting reason": share(self.reason_right, self.caught),
            "false handoffs": share(self.false_handoffs, self.answerable),
            "wrong answers": share(self.wrong_answers, self.answerable),
            "clarify": share(self.clarified, self.answerable),
            "p50": f"{statistics.median(ordered):.2f} ms",
            "p99": f"{ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]:.2f} ms",
        }


def read_questions(path: Path) -> list[Question]:
    questions: list[Question] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path}, line {number}: not valid JSON: {exc.msg}") from None
        expect = data.get("expect") if isinstance(data, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str) or not isinstance(expect, dict):
            raise InvalidInput(f'{path}, line {number}: expected {{"text": ..., "expect": {{"group", "handoff"}}}}')
        handoff = bool(expect.get("handoff", expect.get("group") is None))
        reasons = expect.get("reasons") or ([expect["reason"]] if expect.get("reason") else [])
        group = expect.get("group")
        if not handoff and not group:
            raise InvalidInput(f"{path}, line {number}: an answerable question needs expect.group")
        unknown = sorted(set(reasons) - set(HANDOFF_REASONS))
        if unknown:
            raise InvalidInput(f"{path}, line {number}: {unknown[0]!r} is not a handoff reason (CONTRACT.md §5)")
        customer = data.get("customer") or {}
        segment = (customer.get("segment") if isinstance(customer, dict) else None) or "standard"
        if segment not in ("standard", "vip", "business"):
            raise InvalidInput(f"{path}, line {number}: customer.segment must be standard, vip or business")
        name = customer.get("name") if isinstance(customer, dict) else None
        questions.append(Question(data["text"], group, handoff, tuple(reasons), number, segment, name))
    if not questions:
        raise InvalidInput(f"{path}: no questions")
    return questions


async def evaluate(questions: list[Question], pipeline: Pipeline, knowledge: KnowledgeBase) -> tuple[Tally, Tally]:
    ours = Tally("samenspel")
    for q in questions:
        started = time.perf_counter()
        outcome = await pipeline.run(Inbound(q.text, CustomerContext(name=q.name, segment=q.segment)))
        ms = (time.perf_counter() - started) * 1000
        decision = outcome.decision
        groups = list(dict.fromkeys(h.group for h in outcome.hits))
        ours.add(q, groups, decision.handoff.needed, decision.mode, list(decision.handoff.reasons), ms)
    baseline = Tally("plain BM25 (baseline)")
    bm25 = PlainBM25(knowledge.index.docs)
    for q in questions:
        started = time.perf_counter()
        groups, handed_over = bm25.search(q.text)
        ms = (time.perf_counter() - started) * 1000
        baseline.add(q, groups, handed_over, "handoff" if handed_over else "answer", ["low_confidence"], ms)
    return ours, baseline


CALIBRATION_FEATURES = (
    "coverage",
    "strength",
    "gap",
    "matched_peak",
    "missed_peak",
    "title_peak",
    "title_coverage",
    "slots",
    "unknown_share",
    "unknown_salient",
)


def calibrate(questions: list[Question], knowledge: KnowledgeBase, language: str = "nl") -> dict[str, Any]:
    """Fits the confidence weights on a tuning set: given the evidence for the top hit, is it the right
    article? Logistic regression on standardised features, turned back into weights on the raw ones."""
    from sklearn.linear_model import LogisticRegression

    from samenspel.understanding.language import detect_language

    rows: list[list[float]] = []
    labels: list[int] = []
    for q in questions:
        if q.handoff and set(q.reasons) - {"low_confidence"}:
            continue  # handed over for another reason: whether an article answers it is not labelled
        lang = detect_language(q.text, fallback=language).code
        query = knowledge.index.parse(q.text, lang)
        scored = knowledge.index.score(query)
        hits = knowledge.hits(query, scored, prefer=(lang, language))
        if not hits:
            rows.append([0.0] * len(CALIBRATION_FEATURES))
            labels.append(0)
            continue
        ranked = _best_per_group(knowledge, scored, [h.group for h in hits])
        features = knowledge.features(scored, ranked, 0)
        rows.append([features[name] for name in CALIBRATION_FEATURES])
        labels.append(int(not q.handoff and hits[0].group == q.group))
    if len(set(labels)) < 2:
        raise InvalidInput("calibration needs questions whose top hit is right and others whose top hit is wrong")
    x = np.array(rows)
    mean, spread = x.mean(axis=0), x.std(axis=0) + 1e-9
    model = LogisticRegression(C=0.3, max_iter=1000).fit((x - mean) / spread, labels)
    raw = model.coef_[0] / spread
    weights = dict.fromkeys(FEATURES, 0.0)
    weights.update({name: round(float(w), 4) for name, w in zip(CALIBRATION_FEATURES, raw, strict=True)})
    weights["bias"] = round(float(model.intercept_[0] - np.sum(model.coef_[0] * mean / spread)), 4)
    return {"weights": weights, "examples": len(labels), "positives": int(sum(labels))}


def _best_per_group(knowledge: KnowledgeBase, scored: Any, groups: list[str]) -> list[int]:
    best: dict[str, int] = {}
    for i in np.argsort(-scored.scores, kind="stable"):
        group = knowledge.index.docs[int(i)].group
        best.setdefault(group, int(i))
    return [best[g] for g in groups]
