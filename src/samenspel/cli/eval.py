from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from samenspel.cli.common import fail, note_training, run_or_fail, settings_or_fail
from samenspel.db.engine import create_engine, create_sessionmaker
from samenspel.db.migrate import upgrade
from samenspel.errors import SamenspelError
from samenspel.knowledge.evaluation import Tally, calibrate, evaluate, read_questions
from samenspel.knowledge.formats import read_articles
from samenspel.knowledge.index import ArticleDoc
from samenspel.knowledge.loader import load_knowledge
from samenspel.knowledge.search import Calibration, KnowledgeBase, KnowledgeRetriever
from samenspel.knowledge.thesaurus import Thesaurus
from samenspel.pipeline import build_pipeline
from samenspel.settings import Settings
from samenspel.understanding.datasets import read_clinc, read_labelled

if TYPE_CHECKING:
    from samenspel.understanding.intents import IntentReport, OosReport


@click.group("eval")
def eval_group() -> None:
    """Measure quality on labelled data, with a baseline side by side."""


async def _knowledge(settings: Settings, kb_paths: tuple[Path, ...], calibration: Path | None) -> KnowledgeBase:
    if kb_paths:
        docs = [
            ArticleDoc(a.id, a.group, a.title, a.language, a.body, tuple(a.tags), a.url)
            for a in read_articles(list(kb_paths))
            if (a.status or "published") == "published"
        ]
        return KnowledgeBase(
            docs,
            thesaurus=Thesaurus.load(settings.data_dir / "thesaurus.yaml"),
            working_language=settings.working_language,
            calibration=Calibration.load(calibration),
        )
    upgrade(settings)
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as db:
            return await load_knowledge(db, settings)
    finally:
        await engine.dispose()


def _table(rows: list[Tally]) -> str:
    cells = [r.row() for r in rows]
    header = list(cells[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(c[h] for h in header) + " |" for c in cells]
    return "\n".join(lines)


@eval_group.command("kb")
@click.argument("questions", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kb",
    "kb_paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Articles to measure against instead of the data dir's knowledge base (folder, .csv or .jsonl).",
)
@click.option("--calibration", type=click.Path(dir_okay=False, path_type=Path), help="Confidence weights to use.")
@click.option(
    "--calibrate",
    "calibrate_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Fit the confidence weights on QUESTIONS and write them here (use a tuning set, not your test set).",
)
@click.option("--misses", is_flag=True, help="Also list the questions that went wrong.")
def eval_kb(
    questions: tuple[Path, ...],
    kb_paths: tuple[Path, ...],
    calibration: Path | None,
    calibrate_out: Path | None,
    misses: bool,
) -> None:
    """Top-1/top-3 accuracy, MRR, handoffs and latency on QUESTIONS (one or more files of JSON Lines of
    {"text", "expect": {"group", "handoff", "reasons"}}), with a plain BM25 baseline side by side."""
    settings = settings_or_fail()
    try:
        items = [q for path in questions for q in read_questions(path)]
    except SamenspelError as exc:
        fail(exc.message)

    async def work() -> tuple[Tally, Tally, KnowledgeBase]:
        knowledge = await _knowledge(settings, kb_paths, calibration)
        if calibrate_out is not None:
            fitted.update(calibrate(items, knowledge, settings.working_language))
            knowledge.calibration = Calibration(**fitted["weights"])
        pipeline = build_pipeline(settings, KnowledgeRetriever(knowledge), on_training=note_training)
        ours, baseline = await evaluate(items, pipeline, knowledge)
        return ours, baseline, knowledge

    fitted: dict[str, Any] = {}
    ours, baseline, knowledge = run_or_fail(work)
    if calibrate_out is not None:
        calibrate_out.write_text(json.dumps(fitted, indent=2) + "\n", encoding="utf-8")
        click.echo(f"wrote {calibrate_out}: {fitted['weights']} ({fitted['examples']} examples)\n")
    click.echo(
        f"{len(items)} questions ({ours.answerable} answerable, {ours.should_handoff} for a person) "
        f"against {len(knowledge)} articles\n"
    )
    click.echo(_table([ours, baseline]))
    click.echo(
        "\ntop-1/top-3/MRR: the right article group among the hits, on answerable questions; handoffs caught: "
        "share of questions for a person that were handed over; fitting reason: share of those where at least "
        "one expected reason was given; false handoffs and wrong answers: share of answerable questions handed "
        "over, or answered from the wrong article."
    )
    if misses:
        click.echo("\nmisses (samenspel):")
        for miss in ours.misses:
            click.echo(f"  {json.dumps(miss, ensure_ascii=False)}")


def _grid(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.1f}%"


def _progress(stage: str) -> None:
    click.echo(f"… {stage}", err=True)


@eval_group.command("intents")
@click.option("--train", "train_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--test", "test_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--label-column", help="The column with the intent, when the files have both 'category' and 'label'.")
@click.option("--worst", type=click.IntRange(0), default=5, show_default=True, help="How many weakest labels to list.")
@click.option(
    "--folds", type=click.IntRange(0, 10), default=3, show_default=True, help="Folds for calibrating confidence."
)
def eval_intents(train_file: Path, test_file: Path, label_column: str | None, worst: int, folds: int) -> None:
    """Accuracy and macro-F1 of the intent classifier trained on TRAIN and measured on TEST (.csv or .jsonl with
    'text' and 'category' or 'label'), with two simple baselines side by side."""
    try:
        train = read_labelled(train_file, label_column)
        test = read_labelled(test_file, label_column)
    except SamenspelError as exc:
        fail(exc.message)
    # scikit-learn loads in seconds; only the commands that need it pay for it.
    from samenspel.understanding.intents import CentroidBaseline, MajorityBaseline, SamenspelModel, evaluate_intents

    started = time.perf_counter()
    try:
        reports = evaluate_intents(
            train, test, [SamenspelModel(folds), CentroidBaseline(), MajorityBaseline()], progress=_progress
        )
    except SamenspelError as exc:
        fail(exc.message)
    train_labels, test_labels = {e.label for e in train}, {e.label for e in test}
    click.echo(
        f"train: {len(train)} examples, {len(train_labels)} labels ({train_file}); "
        f"test: {len(test)} examples, {len(test_labels)} labels ({test_file})"
    )
    unseen = sorted(test_labels - train_labels)
    if unseen:
        click.echo(f"{len(unseen)} test labels never seen in training: {', '.join(unseen[:10])}")
    click.echo("")
    click.echo(_intent_table(reports))
    if worst and reports:
        ours = reports[0]
        weakest = sorted((s for s in ours.per_label if s.support), key=lambda s: (s.f1, s.label))[:worst]
        click.echo(f"\nweakest {len(weakest)} labels ({ours.name}):\n")
        click.echo(
            _grid(
                ["label", "F1", "precision", "recall", "test examples"],
                [[s.label, f"{s.f1:.3f}", _pct(s.precision), _pct(s.recall), str(s.support)] for s in weakest],
            )
        )
    click.echo(f"\nmacro-F1: the mean over labels of each label's F1. Wall time {time.perf_counter() - started:.1f} s.")


def _intent_table(reports: list[IntentReport]) -> str:
    return _grid(
        ["model", "accuracy", "macro-F1", "training", "per text"],
        [
            [r.name, _pct(r.accuracy), f"{r.macro_f1:.3f}", f"{r.train_seconds:.1f} s", f"{r.predict_ms:.2f} ms"]
            for r in reports
        ],
    )


def _oos_table(rows: list[OosReport]) -> str:
    return _grid(
        ["model", "in-scope accuracy", "out-of-scope recall", "out-of-scope precision", "threshold"],
        [
            [
                r.name + (" [published]" if r.published else ""),
                _pct(r.in_scope_accuracy),
                _pct(r.oos_recall),
                _pct(r.oos_precision),
                "-" if r.threshold is None else f"{r.threshold:.3f}",
            ]
            for r in rows
        ],
    )


@eval_group.command("oos")
@click.argument("data_full", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--oos-class/--no-oos-class",
    default=True,
    show_default=True,
    help="Also learn the out-of-scope training examples as a class of their own.",
)
@click.option(
    "--max-accuracy-loss",
    type=click.FloatRange(0, 1),
    default=0.01,
    show_default=True,
    help="For the second threshold: the in-scope accuracy it may cost on validation.",
)
@click.option(
    "--folds", type=click.IntRange(0, 10), default=3, show_default=True, help="Folds for calibrating confidence."
)
def eval_oos(data_full: Path, oos_class: bool, max_accuracy_loss: float, folds: int) -> None:
    """Out-of-scope detection on CLINC150 (DATA_FULL: its data_full.json): trained on train (+ oos_train),
    thresholds chosen on val + oos_val, reported on test + oos_test, next to the published BERT figures."""
    from samenspel.understanding.intents import evaluate_oos

    started = time.perf_counter()
    try:
        data = read_clinc(data_full)
        result = evaluate_oos(
            data, oos_class=oos_class, max_accuracy_loss=max_accuracy_loss, folds=folds, progress=_progress
        )
    except SamenspelError as exc:
        fail(exc.message)
    click.echo(
        f"trained on {result.train_examples} examples in {result.classifier.train_seconds:.1f} s; "
        f"test: {result.test_in} in scope, {result.test_out} out of scope\n"
    )
    click.echo(_oos_table(result.rows))
    click.echo("\nthresholds chosen on validation:")
    for choice in result.choices:
        click.echo(
            f"  {choice.objective}: {choice.threshold:.3f} (val in-scope accuracy {_pct(choice.in_scope_accuracy)}, "
            f"out-of-scope recall {_pct(choice.oos_recall)})"
        )
    click.echo(
        "\nin-scope accuracy: in-scope test messages given their right intent (called out of scope counts as "
        "wrong); out-of-scope recall: out-of-scope messages caught; precision: share of the messages called out "
        "of scope that were. balanced: the threshold with the best mean of in-scope accuracy and out-of-scope "
        "recall on val. Published rows: Larson et al. 2019, table 2 (their precision not given). "
        f"Wall time {time.perf_counter() - started:.1f} s."
    )


@eval_group.command("emotion")
@click.argument("messages", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--train",
    "train_files",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Also train a reader on these labelled files (.jsonl or folders) and measure it beside the lexicon.",
)
@click.option("--shipped", is_flag=True, help="Also train a reader on the corpus this project ships and measure it.")
@click.option(
    "--folds",
    type=click.IntRange(0, 10),
    default=0,
    help="Also measure a reader trained on MESSAGES itself, each message read by a model that did not see it.",
)
def eval_emotion(messages: Path, train_files: tuple[Path, ...], shipped: bool, folds: int) -> None:
    """Emotion labels and intensity on MESSAGES (JSON Lines of {"text", "label", "intensity"}, or a folder of
    them): the lexicon reader next to a keyword baseline (and a trained reader), per label precision, recall
    and F1."""
    from samenspel.understanding.emotion import Emotion
    from samenspel.understanding.emotion_model import EmotionModel, cross_read
    from samenspel.understanding.evaluation import evaluate_emotion, read_emotion_files
    from samenspel.understanding.needs import CORPUS

    sources = list(train_files) + ([CORPUS] if shipped else [])
    if folds == 1:
        fail("--folds needs 2 or more (0: no cross-validation)")
    if folds and sources:
        fail("--folds trains on MESSAGES itself; leave out --train and --shipped, or --folds")
    try:
        trained: Callable[[str], Emotion] | None = None
        name = ""
        if sources:
            examples = read_emotion_files(sources)
            trained = EmotionModel().fit(examples).read
            name = f"trained ({len(examples)} messages)"
        elif folds:
            trained = cross_read(read_emotion_files([messages]), folds).__getitem__
            name = f"trained ({folds}-fold on these messages)"
        report = evaluate_emotion(messages, trained, name)
    except SamenspelError as exc:
        fail(exc.message)
    click.echo(report.table())
