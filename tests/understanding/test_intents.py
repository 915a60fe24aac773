"""The intent classifier and the readers of labelled contacts, through their Python interface."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import joblib
import numpy as np
import pytest

from samenspel.errors import InvalidInput
from samenspel.understanding.datasets import read_clinc, read_labelled, texts_and_labels
from samenspel.understanding.intents import (
    IntentClassifier,
    choose_threshold,
    load_classifier,
    score_labels,
    score_oos,
)

# Six contact reasons of a municipality, fifteen phrasings each, Dutch and English mixed as customers write.
PHRASINGS: dict[str, list[str]] = {
    "paspoort": [
        "Hoe vraag ik een nieuw paspoort aan?",
        "Mijn paspoort is verlopen, wat moet ik doen?",
        "Ik wil een afspraak maken voor een paspoort",
        "Wat kost een paspoort voor volwassenen?",
        "Hoe lang duurt het voordat mijn paspoort klaar is?",
        "Kan ik mijn paspoort ophalen op zaterdag?",
        "paspoort kwijt, hoe krijg ik een nieuwe",
        "Moet mijn kind ook een eigen paspoort hebben?",
        "How do I apply for a new passport?",
        "My passport expired last month",
        "I need to renew my passport before my holiday",
        "What does a passport cost?",
        "Where can I pick up my passport?",
        "I lost my passport abroad",
        "can i make an appointment for a passport",
    ],
    "grofvuil": [
        "Wanneer wordt mijn grofvuil opgehaald?",
        "Ik wil een oude bank laten ophalen",
        "Hoe meld ik grofvuil aan?",
        "Kost het ophalen van grofvuil geld?",
        "Mijn kast moet weg, kunnen jullie die ophalen?",
        "Grofvuil staat al drie dagen buiten",
        "Waar kan ik een oud matras kwijt?",
        "Afspraak maken voor het ophalen van grofvuil",
        "When do you collect bulky waste?",
        "I want to get rid of an old sofa",
        "How do I book a bulky waste pickup?",
        "Can you take away my old mattress?",
        "Is bulky waste collection free?",
        "the bulky waste was not collected yesterday",
        "where can I dump an old wardrobe",
    ],
    "parkeren": [
        "Hoe vraag ik een parkeervergunning aan?",
        "Mijn parkeervergunning loopt af",
        "Wat kost een parkeervergunning per jaar?",
        "Kan ik een bezoekersvergunning voor parkeren krijgen?",
        "Ik heb een nieuwe auto, moet mijn parkeervergunning worden aangepast?",
        "Waar mag ik parkeren met mijn vergunning?",
        "Hoe lang is de wachtlijst voor een parkeervergunning?",
        "Ik kreeg een parkeerboete terwijl ik een vergunning heb",
        "How do I get a parking permit?",
        "My parking permit has expired",
        "How much is a resident parking permit?",
        "Can visitors park with a visitor permit?",
        "I changed my car, how do I update my parking permit",
        "I got a parking ticket but I have a permit",
        "waiting list for parking permit",
    ],
    "verhuizing": [
        "Ik ga verhuizen, hoe geef ik mijn nieuwe adres door?",
        "Verhuizing doorgeven aan de gemeente",
        "Hoe schrijf ik mij in op mijn nieuwe adres?",
        "Wanneer moet ik mijn verhuizing melden?",
        "Mijn dochter gaat op kamers, moet zij zich inschrijven?",
        "Ik woon sinds vorige week op een nieuw adres",
        "Adreswijziging doorgeven kan dat online?",
        "Verhuisd naar deze gemeente, wat moet ik regelen?",
        "I am moving house, how do I register my new address?",
        "How do I report a change of address?",
        "I just moved to this city, how do I register?",
        "When do I need to report my move?",
        "Can I register my new address online?",
        "my son moved out, does he need to register",
        "change of address registration",
    ],
    "belasting": [
        "Ik heb een aanslag gemeentelijke belastingen ontvangen",
        "Kan ik de gemeentebelasting in termijnen betalen?",
        "Hoe hoog is de afvalstoffenheffing dit jaar?",
        "Ik wil bezwaar maken tegen de WOZ-waarde",
        "Kwijtschelding van gemeentelijke belastingen aanvragen",
        "Mijn aanslag onroerendezaakbelasting klopt niet",
        "Wanneer moet de gemeentelijke belasting betaald zijn?",
        "Automatische incasso voor belastingen instellen",
        "I received a municipal tax assessment",
        "Can I pay my municipal taxes in instalments?",
        "I want to object to the property valuation",
        "How do I apply for tax relief from the municipality?",
        "my property tax bill seems wrong",
        "when is the municipal tax due",
        "set up direct debit for municipal tax",
    ],
    "klacht": [
        "Ik wil een klacht indienen over een medewerker",
        "Ik ben heel ontevreden over hoe ik behandeld ben",
        "Waar kan ik een klacht over de gemeente indienen?",
        "Niemand belt mij terug, ik wil klagen",
        "Klacht over de behandeling aan de balie",
        "Ik ben onbeleefd behandeld door uw medewerker",
        "Hoe dien ik een formele klacht in?",
        "Mijn klacht is nog steeds niet behandeld",
        "I want to file a complaint about an employee",
        "I am very unhappy with how I was treated",
        "Where can I submit a complaint?",
        "Nobody calls me back, I want to complain",
        "The staff at the desk were rude to me",
        "How do I make a formal complaint?",
        "my complaint has still not been handled",
    ],
}

HELD_OUT: list[tuple[str, str]] = [
    ("Mijn paspoort is bijna verlopen, hoe vraag ik een nieuw aan?", "paspoort"),
    ("passport renewal appointment please", "paspoort"),
    ("Kunnen jullie mijn oude bank en kast ophalen?", "grofvuil"),
    ("I have an old mattress and sofa to get rid of", "grofvuil"),
    ("Hoeveel kost een parkeervergunning voor bewoners?", "parkeren"),
    ("do I need a permit to park in front of my house", "parkeren"),
    ("Ik ben verhuisd, hoe geef ik mijn nieuwe adres door?", "verhuizing"),
    ("moving next month, how to register new address", "verhuizing"),
    ("Ik wil de afvalstoffenheffing in termijnen betalen", "belasting"),
    ("objection to my property tax valuation", "belasting"),
    ("Ik wil een klacht indienen, niemand belt mij terug", "klacht"),
    ("I would like to complain about rude staff", "klacht"),
]

OFF_TOPIC = [
    "Wat voor weer wordt het morgen?",
    "tell me a joke",
    "Who won the football match yesterday?",
    "Hoeveel calorieën zitten er in een banaan?",
    "what is the capital of australia",
    "Speel een liedje van Queen",
    "how tall is the eiffel tower",
    "recept voor appeltaart",
    "translate good morning into french",
    "what time is it in tokyo",
    "wie is de koning van nederland",
    "play some jazz music",
    "how many legs does a spider have",
    "wat is de wortel van 144",
    "recommend a good book",
    "hoe laat gaat de zon onder",
]

BANKING77 = Path(__file__).resolve().parents[3] / "shared" / "data" / "banking77"


def examples() -> tuple[list[str], list[str]]:
    texts = [t for phrasings in PHRASINGS.values() for t in phrasings]
    labels = [label for label, phrasings in PHRASINGS.items() for _ in phrasings]
    return texts, labels


def write_csv(path: Path, rows: list[tuple[str, str]], header: tuple[str, str] = ("text", "category")) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def trained() -> IntentClassifier:
    return IntentClassifier().fit(*examples())


def test_recognises_held_out_phrasings_in_dutch_and_english(trained):
    predicted = trained.predict([text for text, _ in HELD_OUT])
    right = [label == expected for (label, _), (_, expected) in zip(predicted, HELD_OUT, strict=True)]
    assert sum(right) >= len(HELD_OUT) - 1, list(zip(HELD_OUT, predicted, strict=True))
    assert all(0.0 < confidence <= 1.0 for _, confidence in predicted)
    assert trained.cv_folds == 3
    assert trained.cv_accuracy is not None
    assert trained.cv_accuracy > 0.7


def test_confidence_is_higher_on_clear_messages_than_on_unrelated_ones(trained):
    clear = [c for _, c in trained.predict([text for text, _ in HELD_OUT])]
    unrelated = [c for _, c in trained.predict(OFF_TOPIC)]
    assert np.median(clear) > np.median(unrelated)


def test_save_and_load_give_the_same_predictions(trained, tmp_path):
    path = tmp_path / "models" / "intents.joblib"
    trained.threshold = 0.3
    trained.save(path)
    loaded = load_classifier(path)
    assert loaded is not None
    assert loaded.labels == sorted(PHRASINGS)
    assert loaded.threshold == 0.3
    texts = [text for text, _ in HELD_OUT] + OFF_TOPIC
    assert loaded.predict(texts) == trained.predict(texts)
    assert loaded.predict_scoped(texts) == trained.predict_scoped(texts)
    trained.threshold = None


def test_load_classifier_is_none_without_a_model(tmp_path):
    assert load_classifier(tmp_path / "intents.joblib") is None


def test_refuses_a_model_of_another_format_version(trained, tmp_path):
    path = tmp_path / "intents.joblib"
    trained.save(path)
    payload = joblib.load(path)
    payload["format"] = 99
    joblib.dump(payload, path)
    with pytest.raises(InvalidInput, match=r"intent model format 99, this Samenspel reads format 1; train it again"):
        IntentClassifier.load(path)


def test_refuses_a_file_that_is_not_a_model(tmp_path):
    path = tmp_path / "intents.joblib"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not a Samenspel intent model"):
        IntentClassifier.load(path)
    joblib.dump({"something": "else"}, path)
    with pytest.raises(InvalidInput, match="not a Samenspel intent model"):
        IntentClassifier.load(path)


def test_out_of_scope_below_the_threshold(trained):
    texts = [text for text, _ in HELD_OUT]
    assert all(label is not None for label, _ in trained.predict_scoped(texts, threshold=0.0))
    assert all(label is None for label, _ in trained.predict_scoped(texts, threshold=1.01))
    # Without a chosen threshold and without an oos class, nothing is out of scope.
    assert all(label is not None for label, _ in trained.predict_scoped(OFF_TOPIC))
    intent = trained.intent("Hoe vraag ik een parkeervergunning aan?")
    assert intent.label == "parkeren"
    assert intent.as_dict() == {"label": "parkeren", "confidence": round(intent.confidence, 3)}


def test_oos_class_and_threshold_chosen_on_validation_catch_unrelated_messages():
    texts, labels = examples()
    texts += OFF_TOPIC[:8]
    labels += ["oos"] * 8
    model = IntentClassifier().fit(texts, labels)
    assert "oos" in model.labels
    assert "oos" not in model.in_scope_labels
    val_texts = [text for text, _ in HELD_OUT[::2]] + OFF_TOPIC[8:12]
    val_labels = [label for _, label in HELD_OUT[::2]] + ["oos"] * 4
    choice = model.choose_threshold(val_texts, val_labels)
    assert model.threshold == choice.threshold
    assert choice.objective == "balanced"
    assert choice.examples == 10
    test_in = [text for text, _ in HELD_OUT[1::2]]
    found_in = model.predict_scoped(test_in)
    found_out = model.predict_scoped(OFF_TOPIC[12:])
    report = score_oos(
        "test", [label for _, label in HELD_OUT[1::2]], [f[0] for f in found_in], [f[0] for f in found_out]
    )
    assert report.in_scope_accuracy >= 4 / 6
    assert report.oos_recall >= 3 / 4
    assert model.intent("wat is de hoofdstad van frankrijk").label is None


def test_threshold_objectives():
    # Four in-scope examples (the one at 0.2 is wrong) and four out of scope (one already caught by the class).
    correct_in = np.array([True, True, True, False])
    conf_in = np.array([0.9, 0.8, 0.35, 0.2])
    caught_out = np.array([True, False, False, False])
    conf_out = np.array([0.5, 0.3, 0.25, 0.6])
    balanced = choose_threshold(correct_in=correct_in, conf_in=conf_in, caught_out=caught_out, conf_out=conf_out)
    # Below 0.325: all 3 right answers kept, 3 of 4 out of scope caught; below 0.7 would cost two right answers.
    assert balanced.threshold == pytest.approx(0.325)
    assert (balanced.in_scope_accuracy, balanced.oos_recall) == (0.75, 0.75)
    floor = choose_threshold(
        correct_in=correct_in,
        conf_in=conf_in,
        caught_out=caught_out,
        conf_out=conf_out,
        objective="floor",
        max_accuracy_loss=0.3,
    )
    assert floor.in_scope_accuracy == 0.5
    assert floor.oos_recall == 1.0
    assert floor.threshold == pytest.approx(0.7)
    with pytest.raises(InvalidInput, match="needs validation examples of both kinds"):
        choose_threshold(correct_in=correct_in, conf_in=conf_in, caught_out=caught_out[:0], conf_out=conf_out[:0])


def test_macro_f1_counts_each_label_equally():
    accuracy, macro_f1, per_label = score_labels(["a", "a", "a", "b"], ["a", "a", "a", "a"])
    assert accuracy == 0.75
    assert [s.label for s in per_label] == ["a", "b"]
    assert macro_f1 == pytest.approx((6 / 7 + 0) / 2)


def test_needs_two_labels():
    with pytest.raises(InvalidInput, match="at least two different labels"):
        IntentClassifier().fit(["a", "b", "c"], ["x", "x", "x"])


def test_few_examples_per_label_train_without_cross_validation():
    model = IntentClassifier().fit(["paspoort aanvragen", "grofvuil ophalen"], ["paspoort", "grofvuil"])
    assert model.cv_accuracy is None
    assert model.predict(["nieuw paspoort"])[0][0] == "paspoort"


# Reading labelled files


def test_reads_csv_with_category_and_jsonl_with_label(tmp_path):
    rows = [("Hoe vraag ik een paspoort aan?", "paspoort"), ('Bank "ophalen", graag', "grofvuil")]
    from_csv = read_labelled(write_csv(tmp_path / "a.csv", rows))
    jsonl = tmp_path / "b.jsonl"
    jsonl.write_text(
        "\n".join(json.dumps({"text": t, "label": c, "id": i}) for i, (t, c) in enumerate(rows)) + "\n\n",
        encoding="utf-8",
    )
    from_jsonl = read_labelled(jsonl)
    assert texts_and_labels(from_csv) == texts_and_labels(from_jsonl) == ([r[0] for r in rows], [r[1] for r in rows])
    assert [e.line for e in from_csv] == [2, 3]


def test_csv_with_both_label_columns_needs_to_be_told_which(tmp_path):
    path = tmp_path / "both.csv"
    path.write_text("text,category,label\nparkeren?,parkeren,p\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"both.csv, line 1: both 'category' and 'label' columns"):
        read_labelled(path)
    assert read_labelled(path, "label")[0].label == "p"


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        (
            "a.csv",
            "text,intent\nhallo,groet\n",
            "line 1: expected a 'category' or 'label' column; found 'text', 'intent'",
        ),
        ("b.csv", "bericht,category\nhallo,groet\n", "line 1: expected a 'text' column; found 'bericht', 'category'"),
        ("c.csv", "text,category\nhallo,groet\n  ,groet\n", "line 3: empty 'text'"),
        ("d.csv", "text,category\nhallo,groet\nhoi\n", "line 3: expected 2 fields as in the header, found 1"),
        ("e.csv", "text,category\nhallo,\n", "line 2: empty 'category'"),
        ("f.jsonl", '{"text": "hallo", "category": "groet"}\n{"text": "hoi", \n', "line 2: not valid JSON"),
        ("g.jsonl", '{"text": "hallo", "category": "groet"}\n{"text": "hoi"}\n', "line 2: expected a 'category' key"),
        ("h.jsonl", '["hallo", "groet"]\n', "line 1: expected an object"),
        ("i.txt", "hallo\tgroet\n", "unsupported file type .txt; expected .csv or .jsonl"),
        ("j.csv", "", "empty file"),
        ("k.jsonl", "\n\n", "no labelled examples"),
    ],
)
def test_bad_files_say_which_line_and_what_is_wrong(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_labelled(path)
    assert caught.value.message.startswith(str(path))
    assert problem in caught.value.message


def test_reads_clinc_and_refuses_a_broken_one(tmp_path):
    splits = {
        "train": [["set an alarm", "alarm"]],
        "val": [["wake me at six", "alarm"]],
        "test": [["alarm for 7", "alarm"]],
        "oos_train": [["how old is the moon", "oos"]],
        "oos_val": [["sing a song", "oos"]],
        "oos_test": [["what is love", "oos"]],
    }
    path = tmp_path / "data_full.json"
    path.write_text(json.dumps(splits), encoding="utf-8")
    data = read_clinc(path)
    assert data.train[0].text == "set an alarm"
    assert data.oos_test[0].label == "oos"
    del splits["oos_val"]
    splits["test"] = [["only text"]]
    path.write_text(json.dumps(splits), encoding="utf-8")
    with pytest.raises(InvalidInput, match="missing 'oos_val'"):
        read_clinc(path)
    splits["oos_val"] = []
    path.write_text(json.dumps(splits), encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"'test' item 0: expected \[text, label\]"):
        read_clinc(path)


@pytest.mark.skipif(not (BANKING77 / "train.csv").exists(), reason="the public Banking77 data is not here")
def test_banking77_subsample_of_ten_intents():
    labels = sorted({e.label for e in read_labelled(BANKING77 / "test.csv")})[:10]
    rng = random.Random(7)
    train = [e for e in read_labelled(BANKING77 / "train.csv") if e.label in labels]
    rng.shuffle(train)
    per_label: dict[str, list[str]] = {}
    for e in train:
        if len(per_label.setdefault(e.label, [])) < 40:
            per_label[e.label].append(e.text)
    model = IntentClassifier().fit(
        [t for texts in per_label.values() for t in texts], [label for label, texts in per_label.items() for _ in texts]
    )
    test = [e for e in read_labelled(BANKING77 / "test.csv") if e.label in labels]
    predicted = model.predict([e.text for e in test])
    accuracy = np.mean([p[0] == e.label for p, e in zip(predicted, test, strict=True)])
    # The full 77-intent figures come from `samenspel eval intents`; ten intents from 400 texts do well above 80%.
    assert accuracy > 0.8
