"""`samenspel triage`: train the model that judges what a message needs from a person."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import click

from samenspel.cli.common import fail, settings_or_fail
from samenspel.errors import SamenspelError

MODEL_FILE = "needs.joblib"


@click.group()
def triage() -> None:
    """The triage model: what a message needs from a person (beside the policy's lexicons)."""


@triage.command("train")
@click.argument("files", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Where to write the model (default: <data dir>/{MODEL_FILE}, which the assistant then uses).",
)
@click.option("--without-shipped", is_flag=True, help="Train on FILES only, not on the shipped corpus too.")
@click.option(
    "--folds", type=click.IntRange(0, 10), default=0, show_default=True, help="Cross-validate first (0: don't)."
)
def triage_train(files: tuple[Path, ...], out: Path | None, without_shipped: bool, folds: int) -> None:
    """Train on the shipped corpus and your labelled contacts in FILES (.jsonl, or folders of them).

    A line is {"text", "reasons": [...]} (no reasons: the assistant may answer), optionally with
    "customer": {"segment": "vip"|"business"}; the triage question sets' {"text", "expect": {...}} lines work too.
    """
    from samenspel.understanding.needs import REASONS, NeedsModel, corpus_files, cross_validate, read_messages

    if folds == 1:
        fail("--folds needs 2 or more (0: no cross-validation)")
    target = out or settings_or_fail().data_dir / MODEL_FILE
    sources = list(files) + ([] if without_shipped else corpus_files())
    if not sources:
        fail("nothing to train on: give FILES, or leave out --without-shipped")
    try:
        messages = read_messages(sources)
    except SamenspelError as exc:
        fail(exc.message)
    counts = Counter(r for m in messages for r in m.reasons)
    click.echo(f"{len(messages)} messages, {sum(1 for m in messages if not m.reasons)} without a reason")
    click.echo("  " + ", ".join(f"{r} {counts[r]}" for r in REASONS))
    if folds >= 2:
        click.echo(f"\n{folds}-fold cross-validation (chance >= 0.5 counts as the reason):")
        rows = cross_validate(messages, folds=folds)
        click.echo("| reason | examples | precision | recall | ROC AUC |\n|---|---|---|---|---|")
        for row in rows:
            click.echo(f"| {row.reason} | {row.support} | {row.precision:.2f} | {row.recall:.2f} | {row.auc:.3f} |")
    started = time.perf_counter()
    try:
        model = NeedsModel().fit(messages)
    except SamenspelError as exc:
        fail(exc.message)
    model.save(target)
    click.echo(f"\nwrote {target} ({time.perf_counter() - started:.1f} s)")
