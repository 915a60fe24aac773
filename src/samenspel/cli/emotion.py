"""`samenspel emotion`: train an emotion reader on labelled messages (the lexicon reader needs none)."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import click

from samenspel.cli.common import fail, settings_or_fail
from samenspel.errors import SamenspelError

MODEL_FILE = "emotion.joblib"


@click.group()
def emotion() -> None:
    """The emotion reader: the lexicon by default, or a model trained on your labelled messages."""


@emotion.command("train")
@click.argument("files", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Where to write the model (default: <data dir>/{MODEL_FILE}; the assistant then reads emotions with it).",
)
def emotion_train(files: tuple[Path, ...], out: Path | None) -> None:
    """Train on FILES (.jsonl, or folders of them): {"text", "label" (anger, frustration, distress, sadness,
    gratitude or none), "intensity" (0-1)}. Without FILES: the corpus this project ships."""
    from samenspel.understanding.emotion_model import EmotionModel
    from samenspel.understanding.evaluation import read_emotion_files
    from samenspel.understanding.needs import CORPUS

    target = out or settings_or_fail().data_dir / MODEL_FILE
    try:
        examples = read_emotion_files(list(files) or [CORPUS])
        started = time.perf_counter()
        model = EmotionModel().fit(examples)
    except SamenspelError as exc:
        fail(exc.message)
    model.save(target)
    counts = Counter(e.label for e in examples)
    click.echo(f"{len(examples)} messages: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    click.echo(f"wrote {target} ({time.perf_counter() - started:.1f} s)")
