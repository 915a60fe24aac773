from __future__ import annotations

import pytest

from samenspel.understanding.cues import asks_for_person

ASKS = [
    "Mag ik een medewerker spreken?",
    "mens alsjeblieft",
    "kan ik iemand bellen",
    "MEDEWERKER!!",
    "ik wil met een echt persoon praten, niet met een robot",
    "verbind me door aub",
    "kunt u mij terugbellen?",
    "I want to talk to a human",
    "real person please",
    "Can I speak to someone?",
    "agent",
    "please call me back",
    "Ich möchte mit einem Mitarbeiter sprechen",
    "je voudrais parler à un conseiller",
    "quiero hablar con una persona",
    "bir insanla konuşmak istiyorum",
    "chcę porozmawiać z konsultantem",
]
ORDINARY = [
    "hoeveel mensen wonen er in Samenstad",
    "mijn paspoort is verlopen",
    "is de medewerker van de vuilnisdienst al langs geweest",
    "how many people live in the city",
    "my landlord's agent sent me a letter",
    "ik wil een persoon aanmelden voor de cursus",
    "wanneer kan ik mijn rijbewijs ophalen",
    "I need someone's address changed",
]


@pytest.mark.parametrize("text", ASKS)
def test_requests_for_a_person_are_recognised(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_questions_are_not_requests_for_a_person(text):
    assert asks_for_person(text) == []
