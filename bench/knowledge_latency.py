"""Assistant pipeline latency for knowledge bases of 100, 1,000 and 10,000 articles.

The articles are generated from the demo knowledge base's own sentences, recombined with made-up topic
words, so the vocabulary and sentence shapes are realistic while the size grows. The questions are the
demo tuning questions (real customer phrasing). Prints index build time and p50/p99 per message for the
full pipeline (understand → retrieve → decide → respond), with plain BM25 search side by side.

    .venv/bin/python bench/knowledge_latency.py [--sizes 100,1000,10000] [--questions 190]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

from samenspel.knowledge.baseline import PlainBM25
from samenspel.knowledge.evaluation import read_questions
from samenspel.knowledge.formats import read_articles
from samenspel.knowledge.index import ArticleDoc
from samenspel.knowledge.passages import sections
from samenspel.knowledge.search import KnowledgeBase, KnowledgeRetriever
from samenspel.pipeline import build_pipeline
from samenspel.settings import Settings
from samenspel.understanding.signals import Inbound

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "src" / "samenspel" / "demo"
SYLLABLES = [
    "ka",
    "ro",
    "me",
    "ti",
    "lo",
    "van",
    "der",
    "pas",
    "ver",
    "gun",
    "ning",
    "wijk",
    "stra",
    "at",
    "bou",
    "w",
    "zorg",
    "hulp",
    "geld",
    "kaart",
    "re",
    "gel",
    "ing",
]


def generate(size: int, seed: int = 1) -> list[ArticleDoc]:
    rng = random.Random(seed)
    demo = read_articles([DEMO / "knowledge"])
    paragraphs = [b.text for a in demo for s in sections(a.body) for b in s.blocks]
    headings = [s.heading for a in demo for s in sections(a.body) if s.heading]
    docs = [ArticleDoc(a.id, a.group, a.title, a.language, a.body, tuple(a.tags)) for a in demo]
    while len(docs) < size:
        topic = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        title = f"{topic.capitalize()} {rng.choice(['aanvragen', 'melden', 'regelen', 'wijzigen', 'betalen'])}"
        body = []
        for _ in range(rng.randint(3, 6)):
            body.append(f"## {rng.choice(headings)}")
            for _ in range(rng.randint(1, 3)):
                words = rng.choice(paragraphs).split()
                if words:
                    words[rng.randrange(len(words))] = topic
                body.append(" ".join(words))
        n = len(docs)
        docs.append(ArticleDoc(f"gen-{n}", f"gen-{n}", title, "nl", "\n\n".join(body)))
    return docs[:size]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(size: int, texts: list[str]) -> dict[str, str]:
    docs = generate(size)
    started = time.perf_counter()
    knowledge = KnowledgeBase(docs)
    build_ms = (time.perf_counter() - started) * 1000
    pipeline = build_pipeline(Settings(environment="test"), KnowledgeRetriever(knowledge))
    await pipeline.run(Inbound(texts[0]))  # first call loads the language model
    ours: list[float] = []
    for text in texts:
        t = time.perf_counter()
        await pipeline.run(Inbound(text))
        ours.append((time.perf_counter() - t) * 1000)
    started = time.perf_counter()
    baseline = PlainBM25(docs)
    baseline_build = (time.perf_counter() - started) * 1000
    plain: list[float] = []
    for text in texts:
        t = time.perf_counter()
        baseline.search(text)
        plain.append((time.perf_counter() - t) * 1000)
    return {
        "articles": f"{size:,}",
        "index build": f"{build_ms:,.0f} ms",
        "pipeline p50": f"{statistics.median(ours):.1f} ms",
        "pipeline p99": f"{pct(ours, 0.99):.1f} ms",
        "baseline build": f"{baseline_build:,.0f} ms",
        "baseline search p50": f"{statistics.median(plain):.2f} ms",
        "baseline search p99": f"{pct(plain, 0.99):.2f} ms",
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--questions", type=int, default=190)
    args = parser.parse_args()
    questions = read_questions(DEMO / "questions" / "dev.jsonl") + read_questions(DEMO / "questions" / "dev2.jsonl")
    texts = [q.text for q in questions][: args.questions]
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"measuring {size} articles", file=sys.stderr)
        rows.append(await measure(size, texts))
    print(f"\nassistant pipeline latency per message, {len(texts)} questions, one core\n")
    header = list(rows[0])
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row[h] for h in header) + " |")
    print("\nbaseline: plain BM25 (one field, no analysis) — search only, no understanding or reply")


if __name__ == "__main__":
    asyncio.run(main())
