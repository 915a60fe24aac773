"""`samenspel intents train/predict`, `eval intents` and `eval oos`: the main flow as real processes, the rest
in-process through click's runner, which is seconds faster per command."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from samenspel.cli.main import cli
from samenspel.settings import get_settings
from samenspel.understanding.intents import IntentClassifier
from tests.cli.test_cli import samenspel
from tests.understanding.test_intents import HELD_OUT, OFF_TOPIC, PHRASINGS, write_csv


@pytest.fixture
def run(monkeypatch, tmp_path):
    """Runs a command in this process with its own data dir, leaving no settings behind for other tests."""
    monkeypatch.setenv("SAMENSPEL_ENVIRONMENT", "test")
    monkeypatch.setenv("SAMENSPEL_DATA_DIR", str(tmp_path / "data"))

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), *args], catch_exceptions=False)

    yield invoke
    get_settings.cache_clear()


def training_rows() -> list[tuple[str, str]]:
    return [(text, label) for label, phrasings in PHRASINGS.items() for text in phrasings]


def test_train_writes_the_model_into_the_data_dir_and_predict_uses_it(tmp_path):
    data = write_csv(tmp_path / "contacts.csv", training_rows())
    result = samenspel("intents", "train", str(data), data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"read 90 examples with 6 labels from {data}" in out
    assert "belasting (15), grofvuil (15), klacht (15)" in out
    assert "… cross-validation: fold 1 of 3" in out
    assert re.search(r"trained in \d+\.\d s", out)
    accuracy = re.search(r"3-fold cross-validated accuracy: (\d+\.\d)%", out)
    assert accuracy, out
    assert float(accuracy.group(1)) > 70
    model = tmp_path / "data" / "intents.joblib"
    assert f"wrote {model}" in out
    assert IntentClassifier.load(model).labels == sorted(PHRASINGS)

    texts = [text for text, _ in HELD_OUT]
    result = samenspel("intents", "predict", "--json", *texts, data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    found = [json.loads(line) for line in result.stdout.splitlines()]
    right = sum(f["label"] == expected for f, (_, expected) in zip(found, HELD_OUT, strict=True))
    assert right >= len(HELD_OUT) - 1, found
    assert all(0 < f["confidence"] <= 1 for f in found)


def test_train_with_oos_examples_chooses_a_threshold_on_validation(tmp_path, run):
    rows = training_rows() + [(text, "oos") for text in OFF_TOPIC[:8]]
    train = write_csv(tmp_path / "train.csv", rows)
    val = tmp_path / "val.jsonl"
    val_rows = [(text, label) for text, label in HELD_OUT[::2]] + [(text, "oos") for text in OFF_TOPIC[8:12]]
    val.write_text("\n".join(json.dumps({"text": t, "label": c}) for t, c in val_rows) + "\n", encoding="utf-8")
    model = tmp_path / "m.joblib"
    result = run("intents", "train", str(train), "--val", str(val), "--out", str(model))
    assert result.exit_code == 0, result.output
    assert re.search(r"out-of-scope threshold \d\.\d{3} \(balanced\): on validation, in-scope accuracy", result.stdout)
    result = run("intents", "predict", "--model", str(model), *OFF_TOPIC[12:])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("(out of scope; best guess") >= 3


def test_train_refuses_a_bad_file_with_file_and_line(tmp_path, run):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,intent\nhallo,groet\n", encoding="utf-8")
    result = samenspel("intents", "train", str(bad), data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: {bad}, line 1: expected a 'category' or 'label' column; found 'text', 'intent'"
    )
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "hallo", "label": "groet"}\nnot json\n', encoding="utf-8")
    result = run("intents", "train", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {bad}, line 2: not valid JSON")
    assert not (tmp_path / "data" / "intents.joblib").exists()


def test_predict_without_a_model_says_how_to_get_one(run):
    result = run("intents", "predict", "hallo")
    assert result.exit_code == 2
    assert "no such model file; train one with `samenspel intents train`" in result.stderr


def test_eval_intents_prints_accuracy_and_macro_f1_next_to_the_baselines(tmp_path, run):
    train = write_csv(tmp_path / "train.csv", training_rows())
    test = tmp_path / "test.jsonl"
    test.write_text("\n".join(json.dumps({"text": t, "category": c}) for t, c in HELD_OUT) + "\n", encoding="utf-8")
    result = run("eval", "intents", "--train", str(train), "--test", str(test))
    assert result.exit_code == 0, result.output
    assert "| model | accuracy | macro-F1 | training | per text |" in result.stdout
    rows = {
        m.group(1).strip(): (float(m.group(2)), float(m.group(3)))
        for m in re.finditer(r"^\| ([^|]+) \| (\d+\.\d)% \| (\d\.\d{3}) \|", result.stdout, re.MULTILINE)
    }
    ours = rows["samenspel (tf-idf words+chars, linear SVM)"]
    centroid = rows["baseline: tf-idf words, nearest centroid"]
    majority = rows["baseline: most frequent label"]
    assert ours[0] >= 90
    assert ours[1] > 0.85
    assert majority[0] < 20
    assert ours[0] >= centroid[0]
    assert "weakest 5 labels" in result.stdout
    assert "… training baseline: tf-idf words, nearest centroid on 90 examples" in result.stderr


def test_eval_oos_prints_ours_next_to_published_bert(tmp_path, run):
    def pairs(items: list[tuple[str, str]]) -> list[list[str]]:
        return [[t, c] for t, c in items]

    rows = training_rows()
    splits = {
        "train": pairs(rows),
        "val": pairs(HELD_OUT[::2]),
        "test": pairs(HELD_OUT[1::2]),
        "oos_train": pairs([(t, "oos") for t in OFF_TOPIC[:8]]),
        "oos_val": pairs([(t, "oos") for t in OFF_TOPIC[8:12]]),
        "oos_test": pairs([(t, "oos") for t in OFF_TOPIC[12:]]),
    }
    path = tmp_path / "data_full.json"
    path.write_text(json.dumps(splits), encoding="utf-8")
    result = run("eval", "oos", str(path))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "| model | in-scope accuracy | out-of-scope recall | out-of-scope precision | threshold |" in out
    assert "| BERT, oos as a class (Larson et al. 2019) [published] | 96.9% | 40.3% | - | - |" in out
    assert "| BERT, confidence threshold (Larson et al. 2019) [published] | 96.2% | 52.3% | - | - |" in out
    balanced = re.search(r"^\| samenspel, \+ threshold \(balanced\) \| (\d+\.\d)% \| (\d+\.\d)% \|", out, re.MULTILINE)
    assert balanced, out
    assert float(balanced.group(2)) >= 75
    assert "samenspel, oos as a class" in out
    assert "test: 6 in scope, 4 out of scope" in out
