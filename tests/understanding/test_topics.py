from __future__ import annotations

import pytest

from samenspel.understanding.topics import find_sensitive


def _topics(text: str) -> dict[str, str]:
    return {f["topic"]: f["severity"] for f in find_sensitive(text)}


@pytest.mark.parametrize(
    ("text", "topic", "severity"),
    [
        ("Mijn man is vorige week overleden", "bereavement", "acute"),
        ("Ik ben sinds kort weduwe en weet niet hoe ik dit moet regelen", "bereavement", "acute"),
        ("My husband passed away last month", "bereavement", "acute"),
        ("Hoe doe ik aangifte van overlijden?", "bereavement", "practical"),
        ("How do I register a death?", "bereavement", "practical"),
        ("Ik kan de huur niet betalen", "debt", "acute"),
        ("Ik heb schulden en de deurwaarder staat morgen voor de deur", "debt", "acute"),
        ("I can't pay my rent this month", "debt", "acute"),
        ("Kan ik een betalingsregeling treffen?", "debt", "practical"),
        ("Ik word bedreigd door mijn ex", "violence", "acute"),
        ("My partner hits me", "violence", "acute"),
        ("Waar kan ik huiselijk geweld melden?", "violence", "practical"),
        ("Mijn vrouw heeft kanker en ligt in het ziekenhuis", "illness", "acute"),
        ("I'm terminally ill and need to sort out my affairs", "illness", "acute"),
        ("Ik wil een formele klacht indienen over uw medewerker", "complaint", "acute"),
        ("This is a formal complaint about your staff", "complaint", "acute"),
        ("Waar kan ik een klacht indienen?", "complaint", "practical"),
        ("Waar vind ik het klachtenformulier?", "complaint", "practical"),
        ("Ik werd aan de balie gediscrimineerd vanwege mijn hoofddoek", "discrimination", "acute"),
        ("I was discriminated against because of my accent", "discrimination", "acute"),
        ("Waar kan ik discriminatie melden?", "discrimination", "practical"),
    ],
)
def test_topics_and_their_severity(text, topic, severity):
    found = _topics(text)
    assert found.get(topic) == severity, found
    cue = next(f["cue"] for f in find_sensitive(text) if f["topic"] == topic)
    assert cue.lower() in text.lower(), "the cue is the customer's own words"


def test_a_supposition_is_practical():
    assert _topics("Wat moet ik doen als ik de huur niet kan betalen?") == {"debt": "practical"}
    assert _topics("What happens if I can't pay the bill?") == {"debt": "practical"}


@pytest.mark.parametrize(
    "text",
    [
        "Ik heb geen schulden, ik wil alleen mijn adres wijzigen",
        "Ik word niet bedreigd, maar mijn buurman maakt veel lawaai",
        "I'm not in debt, I just want to change my bank details",
    ],
)
def test_negated_topics_do_not_count(text):
    found = _topics(text)
    assert "debt" not in found or found["debt"] != "acute"
    assert "violence" not in found


@pytest.mark.parametrize(
    "text",
    [
        "Het is doodgewoon een vraag over afval",
        "Ik ben doodmoe van het wachten",
        "Wanneer wordt het afval opgehaald?",
        "The battery of my bin sensor is dead",
        "My phone died, can you call me back?",
        "Hoe maak ik bezwaar tegen mijn WOZ-waarde?",
        "Hoe kom ik met de bus bij het ziekenhuis?",
        "Ik word met een boete bedreigd terwijl ik betaald heb",
        "They threatened me with a late fee",
        "Ik heb een automatische incasso ingesteld",
        "Is het jullie schuld dat mijn pakket weg is?",
        "Waar is de bushalte bij de terminal?",
        "Ik wil mijn nieuwe adres doorgeven",
    ],
)
def test_everyday_words_are_not_sensitive(text):
    assert find_sensitive(text) == []


def test_each_topic_is_reported_once_at_its_most_severe():
    found = find_sensitive("Mijn vader is overleden. Hoe doe ik aangifte van overlijden? En ik heb schulden.")
    assert [(f["topic"], f["severity"]) for f in found] == [("bereavement", "acute"), ("debt", "acute")]
