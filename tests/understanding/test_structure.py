from __future__ import annotations

import pytest

from samenspel.understanding.structure import find_questions


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("hoe laat zijn jullie open?", 1),
        (
            "Wanneer wordt het grofvuil opgehaald en wat kost een parkeervergunning? En hoe vraag ik een paspoort aan?",
            3,
        ),
        ("Mijn paspoort is verlopen. Hoe vraag ik een nieuwe aan?", 1),
        ("Ik heb twee vragen:\n1. Wat kost een ID-kaart\n2. Hoe lang duurt het", 2),
        ("What are your opening hours? Also, can I pay by card?", 2),
        ("When is bulky waste collected and how much does a parking permit cost?", 2),
        ("Hoe vraag ik een parkeervergunning aan? Daarnaast wil ik graag weten wanneer het zwembad open is.", 2),
        ("Kan ik mijn afspraak verzetten of moet ik een nieuwe maken?", 1),
        ("Wat kost zwart en wit printen?", 1),
        ("Hallo, hoe gaat het? Wanneer is het zwembad open?", 1),
        ("mijn container is niet geleegd", 1),
        ("Is betalen met iDEAL mogelijk?\nVerder: waar staat het formulier?\nEn kan ik ook contant betalen?", 3),
    ],
)
def test_question_count(text, count):
    assert find_questions(text).count == count


def test_questions_come_back_as_searchable_texts():
    found = find_questions(
        "Wanneer wordt het grofvuil opgehaald en wat kost een parkeervergunning? En hoe vraag ik een paspoort aan?"
    )
    assert found.questions == [
        "Wanneer wordt het grofvuil opgehaald?",
        "Wat kost een parkeervergunning?",
        "Hoe vraag ik een paspoort aan?",
    ]


def test_a_repeated_question_counts_once():
    assert find_questions("Wanneer is het zwembad open? wanneer is het zwembad open?").count == 1


def test_an_empty_message_asks_nothing():
    assert find_questions("   ").count == 0


def test_a_question_without_its_own_subject_keeps_the_one_before():
    found = find_questions("hoe lang is mijn rijbewijs geldig en wat kost verlengen")
    assert found.count == 2
    assert found.questions[1] == "Hoe lang is mijn rijbewijs geldig, wat kost verlengen?"
    assert (
        find_questions("Hoe vraag ik een paspoort aan? En wat kost het?")
        .questions[1]
        .startswith("Hoe vraag ik een paspoort aan")
    )
