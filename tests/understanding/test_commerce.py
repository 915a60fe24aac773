from __future__ import annotations

import pytest

from samenspel.understanding.commerce import find_commercial


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Ik wil een abonnement afsluiten", "purchase"),
        ("I'd like to buy the premium plan", "purchase"),
        ("I'd like to upgrade my broadband", "purchase"),
        ("Hoe kan ik overstappen naar een groter pakket?", "purchase"),
        ("Ik wil mijn parkeervergunning opzeggen", "cancel"),
        ("Ik zeg hierbij mijn abonnement op per 1 maart", "cancel"),
        ("I want to cancel my contract", "cancel"),
        ("Please close my account", "cancel"),
        ("Ik stap over naar een andere energieleverancier", "switch"),
        ("We're switching to another provider", "switch"),
    ],
)
def test_commercial_intent(text, kind):
    found = find_commercial(text)
    assert [f["kind"] for f in found] == [kind]
    assert found[0]["cue"].lower() in text.lower()


@pytest.mark.parametrize(
    "text",
    [
        "Wat kost een paspoort?",
        "Ik wil een parkeervergunning aanvragen",
        "Hoe kan ik een parkeervergunning kopen?",
        "Ik wil mijn afspraak annuleren",
        "Please cancel my appointment on Tuesday",
        "Ik wil niet opzeggen, maar wel mijn adres wijzigen",
        "Ik ga over op automatische incasso",
        "Waar moet ik overstappen op de trein naar Utrecht?",
        "I want to get my money back",
        "Ik kan pas morgen stoppen met werken",
    ],
)
def test_no_commercial_intent(text):
    assert find_commercial(text) == []
