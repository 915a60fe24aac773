"""`samenspel triage train` and `samenspel emotion train`, and the assistant using what they wrote, run as real
processes."""

from __future__ import annotations

import json

from tests.cli.test_cli import samenspel

# An organisation's own contacts: at this (made-up) housing corporation "sleutelservice" means the customer wants
# a caretaker to come round, which needs a person.
OWN = [
    ("sleutelservice graag", ["customer_request"]),
    ("ik wil de sleutelservice", ["customer_request"]),
    ("sleutelservice voor mijn flat", ["customer_request"]),
    ("kan de sleutelservice komen", ["customer_request"]),
    ("sleutelservice nodig vandaag", ["customer_request"]),
    ("sleutelservice aub", ["customer_request"]),
    ("hoe laat is het kantoor open", []),
    ("wat kost een parkeerplek", []),
    ("waar staat de glasbak", []),
    ("wanneer is de huurverhoging", []),
    ("hoe meld ik een lekkage", []),
    ("waar vind ik het huurcontract", []),
]


def _write_own(path):
    path.write_text(
        "\n".join(json.dumps({"text": t, "handoff": bool(r), "reasons": r}) for t, r in OWN) + "\n", encoding="utf-8"
    )


def test_an_organisation_trains_its_own_needs_model_and_the_assistant_uses_it(tmp_path):
    own = tmp_path / "own.jsonl"
    _write_own(own)
    data = tmp_path / "data"
    data.mkdir()
    before = samenspel("ask", "--json", "sleutelservice graag voor morgen", data_dir=data)
    assert before.returncode == 0, before.stderr
    assert "customer_request" not in json.loads(before.stdout)["handoff"]["reasons"]

    trained = samenspel("triage", "train", str(own), "--without-shipped", data_dir=data)
    assert trained.returncode == 0, trained.stderr
    assert "12 messages, 6 without a reason" in trained.stdout
    assert (data / "needs.joblib").exists()

    after = samenspel("ask", "--json", "sleutelservice graag voor morgen", data_dir=data)
    assert after.returncode == 0, after.stderr
    decision = json.loads(after.stdout)
    assert decision["mode"] == "handoff"
    assert "customer_request" in decision["handoff"]["reasons"]
    assert decision["signals"]["needs"]["scores"]["customer_request"] >= 0.6
    assert "sleutelservice" in decision["signals"]["needs"]["cues"]["customer_request"]


def test_cross_validation_is_printed_before_training(tmp_path):
    own = tmp_path / "own.jsonl"
    _write_own(own)
    result = samenspel(
        "triage",
        "train",
        str(own),
        "--without-shipped",
        "--folds",
        "2",
        "--out",
        str(tmp_path / "m.joblib"),
        data_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "2-fold cross-validation" in result.stdout
    assert "| customer_request | 6 |" in result.stdout
    assert (tmp_path / "m.joblib").exists()


def test_a_bad_training_file_names_the_line_and_nothing_is_written(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok", "reasons": []}\n{"text": "x", "reasons": ["upset"]}\n', encoding="utf-8")
    result = samenspel("triage", "train", str(bad), data_dir=tmp_path)
    assert result.returncode == 2
    assert f"{bad}, line 2: 'upset' is not a handoff reason" in result.stderr
    assert not (tmp_path / "needs.joblib").exists()


def test_the_trained_judgement_can_be_switched_off(tmp_path):
    text = "Kan een echt mens mij even bellen over mijn aanslag?"
    on = json.loads(samenspel("ask", "--json", text, data_dir=tmp_path).stdout)
    assert on["signals"]["needs"]["scores"]["customer_request"] > 0.5
    off = samenspel("ask", "--json", text, data_dir=tmp_path, env={"SAMENSPEL_TRIAGE_MODEL": "none"})
    assert off.returncode == 0, off.stderr
    assert json.loads(off.stdout)["signals"]["needs"] is None


EMOTIONS = [
    ("dit is echt bizar slecht geregeld", "anger", 0.8),
    ("wat een schandalige service", "anger", 0.8),
    ("ik ben woest op jullie", "anger", 0.9),
    ("belachelijk hoe jullie dit doen", "anger", 0.7),
    ("super bedankt voor de hulp", "gratitude", 0.6),
    ("heel fijn, dank je wel", "gratitude", 0.5),
    ("dank u voor het snelle antwoord", "gratitude", 0.5),
    ("top geregeld, bedankt", "gratitude", 0.6),
    ("wanneer is het stadhuis open", "none", 0.0),
    ("wat kost een paspoort", "none", 0.0),
    ("hoe meld ik een verhuizing", "none", 0.0),
    ("waar is de milieustraat", "none", 0.0),
]


def test_an_emotion_reader_trained_on_labelled_messages_replaces_the_lexicon(tmp_path):
    labelled = tmp_path / "emotions.jsonl"
    labelled.write_text(
        "\n".join(json.dumps({"text": t, "label": label, "intensity": i}) for t, label, i in EMOTIONS) + "\n",
        encoding="utf-8",
    )
    measured = samenspel("eval", "emotion", str(labelled), "--train", str(labelled), data_dir=tmp_path)
    assert measured.returncode == 0, measured.stderr
    rows = [line for line in measured.stdout.splitlines() if line.startswith("| ")]
    assert [r.split(" | ")[0] for r in rows[1:4]] == ["| lexicon", "| trained (12 messages)", "| keywords"]

    folded = samenspel("eval", "emotion", str(labelled), "--folds", "2", data_dir=tmp_path)
    assert folded.returncode == 0, folded.stderr
    assert "| trained (2-fold on these messages) |" in folded.stdout

    trained = samenspel("emotion", "train", str(labelled), data_dir=tmp_path)
    assert trained.returncode == 0, trained.stderr
    assert "12 messages: anger 4, gratitude 4, none 4" in trained.stdout
    decision = json.loads(samenspel("ask", "--json", "wat een bizar schandalige service", data_dir=tmp_path).stdout)
    assert decision["signals"]["emotion"]["label"] == "anger"
    assert decision["signals"]["emotion"]["cues"]


def test_the_first_ask_says_it_trains_the_model_and_the_next_does_not(tmp_path):
    cache = tmp_path / "cache"
    first = samenspel("ask", "--json", "wat kost een paspoort", data_dir=tmp_path, env={"XDG_CACHE_HOME": str(cache)})
    assert first.returncode == 0, first.stderr
    assert "Training the triage model on the shipped corpus" in first.stderr
    assert list((cache / "samenspel").glob("needs-*.joblib"))
    again = samenspel("ask", "--json", "wat kost een paspoort", data_dir=tmp_path, env={"XDG_CACHE_HOME": str(cache)})
    assert again.returncode == 0, again.stderr
    assert "Training" not in again.stderr
    assert json.loads(again.stdout)["signals"]["needs"] == json.loads(first.stdout)["signals"]["needs"]


def test_options_that_cannot_work_together_are_refused_with_a_reason(tmp_path):
    one_fold = samenspel("triage", "train", "--folds", "1", data_dir=tmp_path)
    assert one_fold.returncode == 2
    assert "--folds needs 2 or more" in one_fold.stderr
    labelled = tmp_path / "emotions.jsonl"
    labelled.write_text(json.dumps({"text": "fijn", "label": "gratitude", "intensity": 0.5}) + "\n", encoding="utf-8")
    both = samenspel("eval", "emotion", str(labelled), "--folds", "2", "--shipped", data_dir=tmp_path)
    assert both.returncode == 2
    assert "--folds trains on MESSAGES itself" in both.stderr
