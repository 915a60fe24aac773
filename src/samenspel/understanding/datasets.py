"""Labelled contacts for the intent classifier: an organisation's own CSV or JSON Lines, and CLINC150.

A labelled file has a ``text`` column and one label column, ``category`` or ``label`` (found by itself, or
named by the caller). Every refusal names the file, the line and what was expected.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samenspel.errors import InvalidInput

LABEL_COLUMNS = ("category", "label")
TEXT_COLUMN = "text"
OOS_LABEL = "oos"  # the label of out-of-scope examples, as in CLINC150
CLINC_SPLITS = ("train", "val", "test", "oos_train", "oos_val", "oos_test")


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    line: int = 0


@dataclass(frozen=True)
class ClincData:
    """CLINC150 (Larson et al. 2019): in-scope and out-of-scope splits; out-of-scope examples are labelled
    ``oos``."""

    train: list[Example]
    val: list[Example]
    test: list[Example]
    oos_train: list[Example]
    oos_val: list[Example]
    oos_test: list[Example]


def texts_and_labels(examples: list[Example]) -> tuple[list[str], list[str]]:
    return [e.text for e in examples], [e.label for e in examples]


def read_labelled(path: Path, label_column: str | None = None) -> list[Example]:
    """Reads ``.csv`` (with a header row) or ``.jsonl``/``.ndjson`` (one object per line)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".ndjson"):
        raise InvalidInput(
            f"{path}: unsupported file type {suffix or '(none)'}; expected .csv or .jsonl "
            f"with a '{TEXT_COLUMN}' and a 'category' or 'label' column"
        )
    try:
        content = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text (byte {exc.start})") from None
    examples = _read_csv(path, content, label_column) if suffix == ".csv" else _read_jsonl(path, content, label_column)
    if not examples:
        raise InvalidInput(f"{path}: no labelled examples; expected at least one row with text and a label")
    return examples


def _pick_label_column(path: Path, line: int, names: list[str], wanted: str | None) -> str:
    if wanted is not None:
        if wanted not in names:
            raise InvalidInput(f"{path}, line {line}: no '{wanted}' column; found {_listed(names)}")
        return wanted
    present = [n for n in LABEL_COLUMNS if n in names]
    if not present:
        raise InvalidInput(f"{path}, line {line}: expected a 'category' or 'label' column; found {_listed(names)}")
    if len(present) > 1:
        raise InvalidInput(
            f"{path}, line {line}: both 'category' and 'label' columns; say which one holds the intent (--label-column)"
        )
    return present[0]


def _listed(names: list[str]) -> str:
    return ", ".join(repr(n) for n in names) if names else "none"


def _example(path: Path, line: int, text: Any, label: Any, label_column: str) -> Example:
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(f"{path}, line {line}: empty '{TEXT_COLUMN}'; expected the customer's message")
    if isinstance(label, int | float) and not isinstance(label, bool):
        label = str(label)
    if not isinstance(label, str) or not label.strip():
        raise InvalidInput(f"{path}, line {line}: empty '{label_column}'; expected the intent of this message")
    return Example(text.strip(), label.strip(), line)


def _read_csv(path: Path, content: str, label_column: str | None) -> list[Example]:
    reader = csv.reader(content.splitlines(keepends=True))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InvalidInput(f"{path}, line 1: not valid CSV: {exc}") from None
    if header is None:
        raise InvalidInput(f"{path}: empty file; expected a header row such as 'text,category'")
    names = [h.strip().lower() for h in header]
    if TEXT_COLUMN not in names:
        raise InvalidInput(f"{path}, line 1: expected a '{TEXT_COLUMN}' column; found {_listed(names)}")
    column = _pick_label_column(path, 1, names, label_column)
    text_at, label_at = names.index(TEXT_COLUMN), names.index(column)
    examples: list[Example] = []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader, None)
        except csv.Error as exc:
            raise InvalidInput(f"{path}, line {start}: not valid CSV: {exc}") from None
        if row is None:
            break
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InvalidInput(
                f"{path}, line {start}: expected {len(header)} fields as in the header, found {len(row)}"
            )
        examples.append(_example(path, start, row[text_at], row[label_at], column))
    return examples


def _read_jsonl(path: Path, content: str, label_column: str | None) -> list[Example]:
    examples: list[Example] = []
    column = label_column
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path}, line {number}: not valid JSON: {exc.msg}") from None
        if not isinstance(data, dict):
            raise InvalidInput(f'{path}, line {number}: expected an object such as {{"text": ..., "category": ...}}')
        if TEXT_COLUMN not in data:
            raise InvalidInput(f"{path}, line {number}: expected a '{TEXT_COLUMN}' key; found {_listed(list(data))}")
        if column is None:
            column = _pick_label_column(path, number, list(data), None)
        elif column not in data:
            raise InvalidInput(f"{path}, line {number}: expected a '{column}' key; found {_listed(list(data))}")
        examples.append(_example(path, number, data[TEXT_COLUMN], data[column], column))
    return examples


def read_clinc(path: Path) -> ClincData:
    """Reads CLINC150's ``data_full.json``: an object of six splits, each a list of ``[text, label]``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}, line {exc.lineno}: not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{path}: expected an object with the keys {', '.join(CLINC_SPLITS)}")
    missing = [k for k in CLINC_SPLITS if k not in data]
    if missing:
        raise InvalidInput(f"{path}: missing {', '.join(repr(k) for k in missing)}; expected the CLINC150 splits")
    splits: dict[str, list[Example]] = {}
    for key in CLINC_SPLITS:
        items = data[key]
        if not isinstance(items, list) or not items:
            raise InvalidInput(f"{path}: '{key}' should be a non-empty list of [text, label]")
        split: list[Example] = []
        for index, item in enumerate(items):
            if not isinstance(item, list) or len(item) != 2 or not all(isinstance(v, str) and v.strip() for v in item):
                raise InvalidInput(f"{path}: '{key}' item {index}: expected [text, label], found {item!r:.80}")
            split.append(Example(item[0].strip(), item[1].strip(), index))
        splits[key] = split
    return ClincData(**splits)
