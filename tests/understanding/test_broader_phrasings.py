"""Broader families of phrasings for the signals: new wordings are caught, everyday questions are not."""

from __future__ import annotations

import pytest

from samenspel.triage.policy import TriagePolicy
from samenspel.understanding.commerce import find_commercial
from samenspel.understanding.cues import asks_for_person
from samenspel.understanding.emotion import read_emotion
from samenspel.understanding.topics import find_sensitive
from samenspel.understanding.vulnerability import find_vulnerability


@pytest.mark.parametrize(
    "text",
    [
        "Kan ik teruggebeld worden over mijn aanvraag?",
        "Is er nog een collega beschikbaar voor een vraag over mijn uitkering?",
        "ik bespreek dit liever met een medewerker",
        "Wilt u mij laten terugbellen door iemand van Burgerzaken?",
        "are there any real people available? it is about my permit",
        "I'd prefer to talk to a person about this, not a bot",
        "Could somebody call me back about my application?",
    ],
)
def test_new_ways_of_asking_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is er parkeerruimte beschikbaar bij het stadhuis?",
        "ik betaal liever per post dan online",
        "Is there parking available near city hall?",
        "I'd rather pay by direct debit than by card",
    ],
)
def test_availability_and_preferences_are_no_request_for_a_person(text):
    assert not asks_for_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "Onacceptabel!!! Ik heb gewoon betaald en nu weer een boete",
        "Stelletje zakkenvullers, haal die boete direct weg",
        "This is ridiculous!! I paid and still got a fine.",
        "Fix this now. Thieves, the lot of you.",
    ],
)
def test_strong_anger_reaches_the_hand_over_level(text):
    reading = read_emotion(text)
    assert reading.label == "anger"
    assert reading.intensity >= 0.7


@pytest.mark.parametrize(
    "text",
    [
        "ik zie het echt niet meer zitten en wil er een eind aan maken",
        "sometimes I think my family would be better off without me",
    ],
)
def test_hints_of_suicide_are_strong_distress(text):
    reading = read_emotion(text)
    assert reading.label == "distress"
    assert reading.intensity >= 0.6


def test_an_everyday_dood_is_no_sadness_strong_enough_to_hand_over():
    assert read_emotion("ik wil dood graag weten hoe dat zit").intensity < 0.6


def _topics(text: str) -> dict[str, str]:
    return {t["topic"]: t["severity"] for t in find_sensitive(text)}


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("ik kan de nota van de zorgverzekeraar echt niet betalen", "debt"),
        ("We owe about 4000 euros to the energy company", "debt"),
        ("mijn vriend staat iedere nacht voor mijn deur en volgt me overal", "violence"),
        ("He won't let me go out and takes my bank card", "violence"),
        ("ons kindje is vorige week doodgeboren", "bereavement"),
        ("Bij deze dien ik een formele klacht in over de behandeling aan de balie", "complaint"),
        ("I am writing to formally complain about the way I was treated", "complaint"),
        ("mijn dochter werd afgewezen vanwege haar hoofddoek", "discrimination"),
        ("as the only black man in the queue I was singled out and searched", "discrimination"),
    ],
)
def test_broader_sensitive_phrasings_are_acute(text, topic):
    assert _topics(text).get(topic) == "acute"


@pytest.mark.parametrize(
    "text",
    [
        "hoe kan ik de aanslag van de gemeente in termijnen betalen?",
        "Hoe dien ik een klacht in over een medewerker?",
        "ik heb mijn paspoort als vermist opgegeven, mag ik het nog gebruiken?",
        "de app volgt me niet meer, wat nu",
    ],
)
def test_everyday_questions_are_not_acute(text):
    assert "acute" not in _topics(text).values()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ben 88 jaar en snap die brief niet", "age_confusion"),
        ("ik weet soms niet meer welke dag het is", "age_confusion"),
        ("I'm 91 years old and the form is online only", "age_confusion"),
        ("sorry my english not good, i am scared about this letter", "language_stress"),
    ],
)
def test_broader_vulnerability_phrasings(text, kind):
    assert kind in {v["kind"] for v in find_vulnerability(text)}


@pytest.mark.parametrize(
    "text",
    ["wij zijn 80 jaar getrouwd, krijgen we een felicitatie?", "ik ben mijn baan kwijt en de ww is op"],
)
def test_no_vulnerability_in_everyday_messages(text):
    assert not find_vulnerability(text)


def test_buying_land_is_a_purchase_but_signing_up_for_a_market_spot_is_not():
    assert [c["kind"] for c in find_commercial("Wij willen graag een stuk grond kopen van de gemeente")] == ["purchase"]
    assert not find_commercial("where do I sign up for a stall at the flea market?")
    assert not find_commercial("ik wil weten of ik een parkeervergunning online kan kopen")


def _earlier(text: str) -> bool:
    return any(p.search(text) for p in TriagePolicy.load().earlier_patterns)


@pytest.mark.parametrize(
    "text",
    [
        "Hallo, weer ik. Nog steeds een vraag over mijn paspoort.",
        "Dit is al mijn vierde bericht over de kapotte lantaarnpaal",
        "ik heb al 3x gebeld over de boom",
        "Nogmaals mijn verzoek van vorige week: wanneer wordt het opgehaald?",
        "Following up on my earlier email about the parking permit",
        "Hi, it's me again about the bin",
        "Second email about this: nobody replied",
        "I reported this a month ago and was told someone would come",
    ],
)
def test_messages_that_say_they_contacted_us_before(text):
    assert _earlier(text)


@pytest.mark.parametrize(
    "text",
    [
        "Nogmaals bedankt voor de hulp!",
        "wanneer kan ik mijn paspoort weer ophalen?",
        "hoeveel kost een tweede parkeervergunning?",
        "Does a second parking permit cost more?",
    ],
)
def test_everyday_questions_are_no_earlier_contact(text):
    assert not _earlier(text)
