"""`samenspel intents`: train the contact-reason classifier on an organisation's labelled contacts, and try it."""

from __future__ import annotations

import json
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from samenspel.cli.common import fail, settings_or_fail
from samenspel.errors import SamenspelError
from samenspel.understanding.datasets import OOS_LABEL, read_labelled, texts_and_labels

if TYPE_CHECKING:
    from samenspel.understanding.intents import ThresholdChoice

MODEL_FILE = "intents.joblib"


def _default_model() -> Path:
    return settings_or_fail().data_dir / MODEL_FILE


def _percent(share: float) -> str:
    return f"{100 * share:.1f}%"


@click.group()
def intents() -> None:
    """The contact-reason (intent) classifier: train it on your own labelled contacts."""


@intents.command("train")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Where to write the model (default: <data dir>/{MODEL_FILE}).",
)
@click.option("--label-column", help="The column with the intent, when the file has both 'category' and 'label'.")
@click.option(
    "--val",
    "val_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=f"Validation examples, some labelled '{OOS_LABEL}', to choose the out-of-scope threshold on.",
)
@click.option(
    "--objective",
    type=click.Choice(["balanced", "floor"]),
    default="balanced",
    show_default=True,
    help="balanced: best mean of in-scope accuracy and out-of-scope recall; floor: best out-of-scope recall "
    "losing at most --max-accuracy-loss in-scope accuracy.",
)
@click.option("--max-accuracy-loss", type=click.FloatRange(0, 1), default=0.01, show_default=True)
@click.option(
    "--folds", type=click.IntRange(0, 10), default=3, show_default=True, help="Cross-validation folds (0: none)."
)
def intents_train(
    file: Path,
    out: Path | None,
    label_column: str | None,
    val_file: Path | None,
    objective: Literal["balanced", "floor"],
    max_accuracy_loss: float,
    folds: int,
) -> None:
    """Train on FILE: .csv or .jsonl with a 'text' and a 'category' or 'label' column.

    Examples labelled 'oos' are learnt as "none of our intents"."""
    target = out or _default_model()
    try:
        examples = read_labelled(file, label_column)
        validation = read_labelled(val_file, label_column) if val_file else None
    except SamenspelError as exc:
        fail(exc.message)
    texts, labels = texts_and_labels(examples)
    counts = Counter(labels)
    click.echo(f"read {len(examples)} examples with {len(counts)} labels from {file}")
    listed = ", ".join(f"{label} ({n})" for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    click.echo(textwrap.fill(listed, width=110, initial_indent="  ", subsequent_indent="  "))
    # scikit-learn loads in seconds; only the commands that need it pay for it.
    from samenspel.understanding.intents import IntentClassifier

    classifier = IntentClassifier(folds=folds)
    choice: ThresholdChoice | None = None
    try:
        classifier.fit(texts, labels, progress=lambda stage: click.echo(f"… {stage}"))
        if validation is not None:
            click.echo(f"… choosing the out-of-scope threshold on {len(validation)} examples from {val_file}")
            val_texts, val_labels = texts_and_labels(validation)
            choice = classifier.choose_threshold(val_texts, val_labels, objective, max_accuracy_loss)
    except SamenspelError as exc:
        fail(exc.message)
    click.echo(f"trained in {classifier.train_seconds:.1f} s")
    if classifier.cv_accuracy is not None:
        click.echo(f"{classifier.cv_folds}-fold cross-validated accuracy: {_percent(classifier.cv_accuracy)}")
    else:
        click.echo("cross-validated accuracy: - (too few examples per label to hold some out)")
    if choice is not None:
        click.echo(
            f"out-of-scope threshold {choice.threshold:.3f} ({objective}): on validation, in-scope accuracy "
            f"{_percent(choice.in_scope_accuracy)}, out-of-scope recall {_percent(choice.oos_recall)}"
        )
    classifier.save(target)
    click.echo(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB)")


@intents.command("predict")
@click.argument("texts", nargs=-1)
@click.option(
    "--model",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"The trained model (default: <data dir>/{MODEL_FILE}).",
)
@click.option("--threshold", type=click.FloatRange(0, 1), help="Out-of-scope below this confidence.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per text.")
def intents_predict(texts: tuple[str, ...], model: Path | None, threshold: float | None, as_json: bool) -> None:
    """The intent of each text (or of each line on standard input), with its confidence."""
    from samenspel.understanding.intents import IntentClassifier

    path = model or _default_model()
    try:
        classifier = IntentClassifier.load(path)
    except SamenspelError as exc:
        fail(exc.message)
    items = list(texts) or [line for line in sys.stdin.read().splitlines() if line.strip()]
    started = time.perf_counter()
    scoped = classifier.predict_scoped(items, threshold)
    best = classifier.predict(items)
    elapsed = time.perf_counter() - started
    for text, (label, confidence), (guess, _) in zip(items, scoped, best, strict=True):
        if as_json:
            click.echo(json.dumps({"text": text, "label": label, "confidence": round(confidence, 3), "best": guess}))
        else:
            shown = label if label is not None else f"(out of scope; best guess {guess})"
            click.echo(f"{shown}\t{confidence:.3f}\t{text}")
    if not as_json and len(items) > 1:
        click.echo(f"{len(items)} texts in {1000 * elapsed:.0f} ms", err=True)
