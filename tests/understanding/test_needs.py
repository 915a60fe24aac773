"""The trained judgement of what a message needs from a person (understanding/needs.py), through its Python
interface: the shipped model on messages it never saw, the segment, explanations, files and errors."""

from __future__ import annotations

import json
from pathlib import Path

import joblib
import numpy as np
import pytest

from samenspel.errors import InvalidInput
from samenspel.understanding import needs
from samenspel.understanding.needs import (
    REASONS,
    LabelledMessage,
    NeedsModel,
    corpus_files,
    cross_validate,
    load_model,
    read_messages,
    shipped_model,
)

# Written for this test, in situations and words of our own; none of them is in the corpus (checked below).
NEEDS_A_PERSON = [
    ("Ik wil graag iemand van vlees en bloed aan de telefoon, geen chatbot.", "customer_request"),
    ("Could a real person please give me a ring about this?", "customer_request"),
    ("Gisteren is mijn broer plotseling overleden en ik moet nu alles regelen.", "sensitive_topic"),
    ("The bailiff is coming on Friday and I have no money left for the rent.", "sensitive_topic"),
    ("WAT EEN ONGELOOFLIJKE PRUTSERS ZIJN JULLIE!!! NIKS WERKT HIER!!!", "negative_emotion"),
    (
        "Ik ben 91 jaar en weet niet hoe die computer werkt, mijn kleindochter woont nu in Australië.",
        "vulnerable_customer",
    ),
    ("This is my fourth message about the same broken street light and still nobody has replied.", "repeat_contact"),
]
PLAIN = [
    "Hoe laat gaat het stadhuis op donderdag open?",
    "What does a new identity card cost for a child?",
    "Wanneer wordt het papier opgehaald in de Bloemenbuurt?",
    "Kan ik mijn rijbewijs ook op zaterdag ophalen?",
]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> NeedsModel:
    return shipped_model(tmp_path_factory.mktemp("data"))


def test_the_test_messages_are_not_in_the_corpus():
    corpus = {m.text.strip().lower() for m in read_messages(corpus_files())}
    assert not {t.lower() for t, _ in NEEDS_A_PERSON} & corpus
    assert not {t.lower() for t in PLAIN} & corpus


@pytest.mark.parametrize(("text", "reason"), NEEDS_A_PERSON)
def test_the_shipped_model_sees_what_a_message_needs(shipped, text, reason):
    judged = shipped.judge(text)
    assert judged.scores[reason] >= 0.5, judged.scores
    assert max(judged.scores, key=lambda r: judged.scores[r]) == reason, judged.scores


@pytest.mark.parametrize("text", PLAIN)
def test_a_plain_question_needs_nobody(shipped, text):
    judged = shipped.judge(text)
    assert max(judged.scores.values()) < 0.3, judged.scores
    assert judged.cues == {}


def test_a_business_customer_weighs_differently_only_with_a_real_problem(shipped):
    simple = "Wat kost een uittreksel uit de BRP?"
    problem = "Onze bedrijfsafval is nu al drie weken niet opgehaald en de klanten klagen over de stank."
    assert shipped.judge(simple, "business").scores["high_value"] < 0.2
    assert shipped.judge(problem, "business").scores["high_value"] >= 0.6
    assert (
        shipped.judge(problem, "standard").scores["high_value"]
        < shipped.judge(problem, "business").scores["high_value"]
    )


def test_the_judgement_names_the_customers_own_words(shipped):
    judged = shipped.judge("Mijn vrouw is vorige maand overleden, wat moet ik met haar parkeervergunning?")
    assert judged.scores["sensitive_topic"] >= 0.5
    cues = judged.cues["sensitive_topic"]
    assert any("overleden" in cue for cue in cues)
    assert set(judged.as_dict()) == {"scores", "cues"}


def test_one_message_is_judged_as_in_a_batch(shipped):
    texts = [t for t, _ in NEEDS_A_PERSON] + PLAIN + ["", "!!!", "ok"]
    segments = ["business" if i % 3 == 0 else "standard" for i in range(len(texts))]
    batch = shipped.probabilities(texts, segments)
    for i, (text, segment) in enumerate(zip(texts, segments, strict=True)):
        one = shipped.judge(text, segment)
        assert all(abs(one.scores[r] - batch[r][i]) < 1e-9 for r in REASONS)


def test_the_model_is_kept_on_disk_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(needs, "_TRAINED", {})
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    first = shipped_model(data_dir)
    files = sorted(p.name for p in data_dir.glob("needs-*.joblib"))
    assert len(files) == 1
    assert sorted(p.name for p in (tmp_path / "cache" / "samenspel").glob("needs-*.joblib")) == files
    monkeypatch.setattr(needs, "_TRAINED", {})
    monkeypatch.setattr(NeedsModel, "fit", lambda *a, **k: pytest.fail("trained again instead of read from disk"))
    again = shipped_model(data_dir)
    text = "kan iemand mij terugbellen over mijn aanslag?"
    assert again.judge(text).scores == first.judge(text).scores


def _messages() -> list[LabelledMessage]:
    lines = [
        ("ik wil een medewerker spreken", {"customer_request"}),
        ("mag ik iemand aan de telefoon", {"customer_request"}),
        ("I want to talk to a human", {"customer_request"}),
        ("can someone call me back", {"customer_request"}),
        ("bel mij alsjeblieft terug", {"customer_request"}),
        ("mijn vader is overleden", {"sensitive_topic"}),
        ("my mother died last week", {"sensitive_topic"}),
        ("ik heb grote schulden", {"sensitive_topic"}),
        ("I can't pay my rent anymore", {"sensitive_topic"}),
        ("mijn man slaat mij", {"sensitive_topic"}),
        ("hoe laat is het stadhuis open", set()),
        ("wat kost een paspoort", set()),
        ("when is the bin collected", set()),
        ("how do I report a move", set()),
        ("waar vind ik de afvalkalender", set()),
        ("wat kost een rijbewijs", set()),
    ]
    return [LabelledMessage(text, frozenset(reasons)) for text, reasons in lines]


def test_save_and_load_give_the_same_judgement(tmp_path):
    model = NeedsModel().fit(_messages())
    path = tmp_path / "models" / "needs.joblib"
    model.save(path)
    loaded = load_model(path)
    for text in ("ik wil iemand spreken", "hoe laat open", "mijn oma is overleden"):
        assert loaded.judge(text).scores == model.judge(text).scores
    # A reason without examples is never judged more likely than it was in training.
    assert model.judge("anything at all").scores["repeat_contact"] == 0.0


def test_refuses_files_that_are_not_a_needs_model(tmp_path):
    path = tmp_path / "needs.joblib"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not a Samenspel needs model"):
        load_model(path)
    joblib.dump({"kind": "samenspel.intents"}, path)
    with pytest.raises(InvalidInput, match="not a Samenspel needs model"):
        load_model(path)
    NeedsModel().fit(_messages()).save(path)
    payload = joblib.load(path)
    payload["format"] = 99
    joblib.dump(payload, path)
    with pytest.raises(InvalidInput, match="model format 99"):
        load_model(path)


def test_training_needs_examples():
    with pytest.raises(InvalidInput, match="at least 6 labelled messages; got 3"):
        NeedsModel().fit(_messages()[:3])


def test_cross_validation_reports_every_reason():
    rows = cross_validate(_messages() * 3, folds=3)
    assert [r.reason for r in rows] == list(REASONS)
    request = next(r for r in rows if r.reason == "customer_request")
    assert request.support == 15
    assert request.auc > 0.8
    assert np.isnan(next(r for r in rows if r.reason == "repeat_contact").auc)


def test_reads_corpus_lines_and_triage_question_lines(tmp_path):
    path = tmp_path / "mine.jsonl"
    rows = [
        {"text": "mens!", "handoff": True, "reasons": ["customer_request"], "emotion": "anger", "intensity": 0.5},
        {"text": "wat kost het", "handoff": False, "reasons": [], "customer": {"segment": "vip"}},
        {"text": "hondenbelasting?", "expect": {"handoff": True, "reasons": ["low_confidence"]}},
        {"text": "paspoort kwijt", "expect": {"group": "reisdocument-kwijt", "handoff": False}},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    read = read_messages([tmp_path])
    assert [m.reasons for m in read] == [frozenset({"customer_request"}), frozenset(), frozenset(), frozenset()]
    assert read[0].emotion == "anger"
    assert read[0].intensity == 0.5
    assert read[1].segment == "vip"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{not json", "line 2: not valid JSON"),
        ('{"reasons": []}', 'line 2: expected an object with a non-empty "text"'),
        ('{"text": "x", "reasons": ["angry"]}', "line 2: 'angry' is not a handoff reason"),
        ('{"text": "x", "handoff": true, "reasons": []}', 'line 2: "handoff" is true but no reason is given'),
        ('{"text": "x", "handoff": false, "reasons": ["complex"]}', 'line 2: "handoff" is false but reasons'),
        ('{"text": "x", "customer": {"segment": "gold"}}', "line 2: customer.segment must be one of"),
        ('{"text": "x", "emotion": "joy"}', "line 2: emotion must be one of"),
        ('{"text": "x", "intensity": 3}', 'line 2: "intensity" must be a number from 0 to 1'),
    ],
)
def test_bad_lines_say_which_file_line_and_what_is_wrong(tmp_path, line, problem):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine", "reasons": []}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=problem) as caught:
        read_messages([path])
    assert str(path) in caught.value.message


def test_refuses_other_file_types_and_empty_input(tmp_path):
    with pytest.raises(InvalidInput, match=r"expected a \.jsonl file or a folder"):
        read_messages([tmp_path / "contacts.csv"])
    with pytest.raises(InvalidInput, match="no labelled messages"):
        read_messages([tmp_path])


def test_the_shipped_corpus_is_labelled_consistently():
    for path in corpus_files():
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            row = json.loads(line)
            assert row["handoff"] == bool(row["reasons"]), f"{path.name}:{number}"
            assert "low_confidence" not in row["reasons"], f"{path.name}:{number}"
