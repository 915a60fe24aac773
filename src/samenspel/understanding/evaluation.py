"""Measuring the emotion reader on a labelled file, next to a plain keyword baseline in the same run.

A file is JSON Lines with ``text``, ``label`` (anger, frustration, distress, sadness, gratitude or ``none``) and
``intensity`` (0–1, 0 for ``none``); ``language`` is optional. The shipped files are hand-labelled:
``data/emotion_eval.jsonl`` (190 messages) is the development set the lexicon was tuned on, and
``data/emotion_test.jsonl`` (84 messages, nl and en) was written before any tuning and is the one to report.

Note: there is no public Dutch emotion data set available here — the public data this project has (Banking77,
CLINC150) carries intent labels, no emotion labels — so the figures come from these hand-labelled files only
and say nothing about other domains. An organisation should label a few hundred of its own messages and run
``samenspel eval emotion FILE`` on them.

The baseline looks the same lexicon's words up without strengths, negation, intensifiers, capitals,
punctuation, repetition or irony, and gives every found feeling intensity 0.5: the difference between the two
rows is what those rules add.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from samenspel.errors import InvalidInput
from samenspel.understanding import lexicon
from samenspel.understanding.emotion import LABELS, Emotion, lexicon_patterns, read_emotion

NONE = "none"
CLASSES = (*LABELS, NONE)


@dataclass(frozen=True)
class EmotionExample:
    text: str
    label: str
    intensity: float
    language: str | None = None
    line: int = 0


@dataclass(frozen=True)
class LabelScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class EmotionReport:
    reader: str
    accuracy: float
    macro_f1: float  # over the five feelings and "none"
    per_label: list[LabelScore]
    intensity_mae: float  # over every message: the reading of the true feeling against its labelled intensity
    # Agreement on the triage policy's hand-over bands: anger/frustration >= 0.7, distress/sadness >= 0.6.
    handover_precision: float
    handover_recall: float


@dataclass(frozen=True)
class EmotionEvaluation:
    path: Path
    size: int
    reports: list[EmotionReport]

    def table(self) -> str:
        lines = [f"{self.path} ({self.size} messages)", ""]
        head = ["reader", "accuracy", "macro-F1", "intensity MAE", "hand-over P", "hand-over R"]
        lines += ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        for r in self.reports:
            cells = [r.reader, _f(r.accuracy), _f(r.macro_f1), _f(r.intensity_mae)]
            cells += [_f(r.handover_precision), _f(r.handover_recall)]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        head = ["label", "support"] + [f"{r.reader} {m}" for r in self.reports for m in ("P", "R", "F1")]
        lines += ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        for i, label in enumerate(CLASSES):
            cells = [label, str(self.reports[0].per_label[i].support)]
            for r in self.reports:
                s = r.per_label[i]
                cells += [_f(s.precision), _f(s.recall), _f(s.f1)]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)


def _f(value: float) -> str:
    return f"{value:.2f}"


HANDOVER = {"anger": 0.7, "frustration": 0.7, "distress": 0.6, "sadness": 0.6}


def read_emotion_examples(path: Path) -> list[EmotionExample]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from None
    examples = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path}, line {number}: not a JSON object ({exc.msg})") from None
        # "emotion" is the column's name in the triage corpus (understanding/data/needs).
        label = row.get("label", row.get("emotion")) if isinstance(row, dict) else None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or label not in CLASSES:
            raise InvalidInput(
                f"{path}, line {number}: expected an object with 'text' and 'label' (one of {', '.join(CLASSES)})"
            )
        try:
            intensity = float(row.get("intensity", 0.0 if label == NONE else 0.5))
        except (TypeError, ValueError):
            raise InvalidInput(f"{path}, line {number}: 'intensity' must be a number from 0 to 1") from None
        if not 0.0 <= intensity <= 1.0:
            raise InvalidInput(f"{path}, line {number}: 'intensity' must be a number from 0 to 1")
        examples.append(EmotionExample(row["text"], str(label), intensity, row.get("language"), number))
    if not examples:
        raise InvalidInput(f"{path}: expected JSON Lines with 'text', 'label' and 'intensity'; found no rows")
    return examples


def keyword_baseline(text: str) -> Emotion:
    """The lexicon's words looked up as they are: most hits wins, every feeling found at 0.5."""
    text = lexicon.normalise(text)
    counts: dict[str, int] = {}
    cues: list[str] = []
    for label, _weight, pattern in lexicon_patterns():
        for hit in lexicon.find([pattern], text):
            counts[label] = counts.get(label, 0) + 1
            cues.append(hit.text)
    if not counts:
        return Emotion(None, 0.0, cues, {})
    label = max(counts, key=lambda k: (counts[k], -LABELS.index(k)))
    return Emotion(label, 0.5, cues, dict.fromkeys(counts, 0.5))


def score_emotions(name: str, examples: Sequence[EmotionExample], reader: Callable[[str], Emotion]) -> EmotionReport:
    truth = [e.label for e in examples]
    readings = [reader(e.text) for e in examples]
    guessed = [r.label or NONE for r in readings]
    per_label = []
    for label in CLASSES:
        tp = sum(t == g == label for t, g in zip(truth, guessed, strict=True))
        predicted, support = guessed.count(label), truth.count(label)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label.append(LabelScore(label, precision, recall, f1, support))
    scored = [s for s in per_label if s.support or guessed.count(s.label)]
    errors = []
    for example, reading in zip(examples, readings, strict=True):
        if example.label == NONE:
            errors.append(reading.intensity if reading.negative or reading.label else 0.0)
        else:
            errors.append(abs(example.intensity - reading.scores.get(example.label, 0.0)))
    wanted = [e.label in HANDOVER and e.intensity >= HANDOVER[e.label] for e in examples]
    given = [any(r.scores.get(k, 0.0) >= v for k, v in HANDOVER.items()) for r in readings]
    both = sum(w and g for w, g in zip(wanted, given, strict=True))
    return EmotionReport(
        reader=name,
        accuracy=sum(t == g for t, g in zip(truth, guessed, strict=True)) / len(examples),
        macro_f1=sum(s.f1 for s in scored) / len(scored),
        per_label=per_label,
        intensity_mae=sum(errors) / len(errors),
        handover_precision=both / sum(given) if any(given) else 0.0,
        handover_recall=both / sum(wanted) if any(wanted) else 0.0,
    )


def read_emotion_files(paths: Sequence[Path]) -> list[EmotionExample]:
    """Several labelled files, or folders of ``.jsonl`` files."""
    files = [f for p in paths for f in (sorted(p.glob("*.jsonl")) if p.is_dir() else [p])]
    examples = [e for f in files for e in read_emotion_examples(f)]
    if not examples:
        raise InvalidInput(f"no labelled messages in {', '.join(str(p) for p in paths)}")
    return examples


def evaluate_emotion(path: Path, trained: Callable[[str], Emotion] | None = None, name: str = "") -> EmotionEvaluation:
    """The lexicon reader and the keyword baseline on one labelled file, and a trained reader when given;
    ``.table()`` prints them side by side."""
    examples = read_emotion_files([path])
    reports = [score_emotions("lexicon", examples, read_emotion)]
    if trained is not None:
        reports.append(score_emotions(name or "trained", examples, trained))
    reports.append(score_emotions("keywords", examples, keyword_baseline))
    return EmotionEvaluation(path, len(examples), reports)
