from __future__ import annotations

import json
from pathlib import Path

import pytest

from samenspel.understanding.emotion import read_emotion
from samenspel.understanding.evaluation import evaluate_emotion, keyword_baseline, read_emotion_examples

DATA = Path(__file__).resolve().parents[2] / "src" / "samenspel" / "understanding" / "data"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Ik ben woedend, dit is schandalig", "anger"),
        ("This is outrageous, you charged me twice", "anger"),
        ("Ik word van het kastje naar de muur gestuurd", "frustration"),
        ("The app keeps crashing, so annoying", "frustration"),
        ("Ik ben wanhopig, ik weet niet meer wat ik moet doen", "distress"),
        ("I'm terrified they will evict us", "distress"),
        ("Mijn moeder is vorige week overleden", "sadness"),
        ("I'm heartbroken, my dad died on Sunday", "sadness"),
        ("Hartelijk dank voor de snelle hulp", "gratitude"),
        ("Thanks so much, that solved it", "gratitude"),
    ],
)
def test_feelings_are_recognised_in_dutch_and_english(text, label):
    emotion = read_emotion(text)
    assert emotion.label == label
    assert emotion.cues, "every reading names the words that caused it"
    assert emotion.scores[label] == emotion.intensity


@pytest.mark.parametrize(
    "text",
    [
        "ik ben niet boos",
        "Ik ben niet boos hoor, ik wil alleen weten waar mijn pakket is",
        "boos ben ik niet",
        "I'm not angry at all, just asking",
        "Ik maak me geen zorgen, maar is mijn aanvraag binnen?",
        "hoe laat zijn jullie open?",
        "Het is doodgewoon een vraag over de hondenbelasting",
        "Ik heb mijn BSN en de WOZ-beschikking nodig",
    ],
)
def test_negated_or_neutral_messages_have_no_feeling(text):
    emotion = read_emotion(text)
    assert emotion.label is None
    assert not emotion.negative


def test_negation_ends_at_but():
    emotion = read_emotion("Ik ben niet boos, maar wel erg teleurgesteld")
    assert emotion.label == "frustration"
    assert "boos" not in " ".join(emotion.cues)


def test_intensifiers_and_downtoners_move_the_intensity():
    plain = read_emotion("Ik ben boos").intensity
    assert read_emotion("Ik ben heel erg boos").intensity > plain > read_emotion("Ik ben een beetje boos").intensity
    assert read_emotion("I'm really annoyed").intensity > read_emotion("I'm a bit annoyed").intensity
    assert read_emotion("Ik ben heel erg boos").intensity >= 0.7
    assert read_emotion("Ik ben een beetje boos").intensity < 0.4


def test_an_intensifier_only_counts_right_before_its_cue():
    # "really" belongs to "disappointed", not to "nobody followed up".
    emotion = read_emotion("Really disappointed that nobody followed up")
    assert "really nobody followed up" not in emotion.cues


def test_strength_of_the_word_matters():
    assert read_emotion("Ik ben woedend").intensity > read_emotion("Ik ben boos").intensity
    assert read_emotion("Dat is vervelend").intensity < read_emotion("Ik ben gefrustreerd").intensity


def test_capitals_and_exclamation_marks_raise_the_intensity():
    plain = read_emotion("ik ben boos").intensity
    assert read_emotion("IK BEN BOOS").intensity > plain
    assert read_emotion("ik ben boos!!!").intensity > plain


def test_shouting_a_plain_question_is_not_treated_as_anger():
    emotion = read_emotion("WANNEER WORDT HET GROFVUIL OPGEHAALD?")
    assert emotion.label is None
    assert read_emotion("WAAROM IS MIJN CONTAINER NOG STEEDS NIET GELEEGD").intensity >= 0.7


def test_emoji_and_emoticons_count():
    assert read_emotion("Weer een boete 😡").scores.get("anger", 0) > 0
    assert read_emotion("Dankjewel 🙏").label == "gratitude"
    assert read_emotion("Jammer :(").label == "sadness"
    assert read_emotion("Dat is fijn :)").label == "gratitude"


@pytest.mark.parametrize(
    "text",
    [
        "Voor de derde keer: mijn container is niet geleegd",
        "For the third time, my bin was not collected",
        "Ik heb al vier keer gebeld en nog steeds niets gehoord",
        "I've called three times already and still no answer",
    ],
)
def test_repetition_raises_frustration(text):
    emotion = read_emotion(text)
    assert emotion.label == "frustration"
    assert emotion.intensity >= 0.5


def test_repetition_words_need_a_problem():
    assert read_emotion("Ik wil nog steeds graag een afspraak maken").label is None
    assert read_emotion("Mijn container is alweer niet geleegd").label == "frustration"


def test_irony_is_not_gratitude():
    for text in ("Bedankt voor niks", "Thanks for nothing", "Geweldig hoor, weer geen post", "Oh great, another error"):
        emotion = read_emotion(text)
        assert emotion.negative, text
        assert emotion.scores.get("gratitude", 0.0) == 0.0, text


def test_politeness_formulas_are_not_gratitude():
    assert read_emotion("Hoe verleng ik mijn rijbewijs? Alvast bedankt.").label is None
    assert read_emotion("How do I renew my licence? Thanks in advance").label is None


def test_a_negative_feeling_wins_over_a_polite_thanks():
    assert read_emotion("Bedankt, maar het werkt nog steeds niet en ik ben het echt beu").negative


def test_strong_feelings_reach_the_handover_band_and_mild_ones_do_not():
    assert read_emotion("Ik ben woedend!! Dit is schandalig").intensity >= 0.7
    assert read_emotion("Ik ben wanhopig en ten einde raad").intensity >= 0.6
    assert 0.25 <= read_emotion("Een beetje teleurgesteld dat het zo lang duurt").intensity < 0.6


def test_the_reading_is_json_friendly():
    emotion = read_emotion("Ik ben boos 😡")
    json.dumps({"label": emotion.label, "cues": emotion.cues, "scores": emotion.scores})


def test_evaluation_reads_the_file_and_compares_with_the_baseline(tmp_path):
    path = tmp_path / "tiny.jsonl"
    rows = [
        {"text": "Ik ben niet boos", "label": "none", "intensity": 0.0},
        {"text": "Ik ben woedend", "label": "anger", "intensity": 0.8},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = evaluate_emotion(path)
    lexicon, keywords = result.reports
    assert lexicon.accuracy == 1.0
    # The keyword lookup misses the negation.
    assert keywords.accuracy == 0.5
    assert keyword_baseline("Ik ben niet boos").label == "anger"
    table = result.table()
    assert "lexicon" in table
    assert "keywords" in table
    assert "macro-F1" in table


def test_held_out_file_is_separate_from_the_development_file():
    dev = {e.text for e in read_emotion_examples(DATA / "emotion_eval.jsonl")}
    held_out = read_emotion_examples(DATA / "emotion_test.jsonl")
    assert len(held_out) >= 80
    assert {e.language for e in held_out} == {"nl", "en"}
    assert not dev & {e.text for e in held_out}


def test_held_out_macro_f1_floor():
    # Measured 0.99 macro-F1 (keyword baseline 0.87) on the held-out file; the floor leaves a little room.
    result = evaluate_emotion(DATA / "emotion_test.jsonl")
    lexicon, keywords = result.reports
    assert lexicon.macro_f1 >= 0.9
    assert lexicon.intensity_mae <= 0.12
    assert lexicon.macro_f1 > keywords.macro_f1
