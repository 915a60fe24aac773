"""The plain-language check as an editor meets it: levels, highlighted points and suggested words."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from samenspel.errors import InvalidInput
from samenspel.knowledge.readability import Issue, Report, check

LEXICONS = Path(__file__).resolve().parents[2] / "src" / "samenspel" / "knowledge" / "lexicons"

PLAIN_NL = """# Paspoort aanvragen

Wilt u een nieuw paspoort? Maak dan eerst een afspraak. Dat kan online of via de telefoon.

## Wat neemt u mee
- Uw oude paspoort of identiteitskaart.
- Een goede pasfoto van minder dan 6 maanden oud.

## Wat kost het
Een paspoort kost € 84,70. U betaalt aan de balie met uw bankpas.

## Hoe lang duurt het
Na 5 werkdagen is uw paspoort klaar. U krijgt dan een sms van ons. Daarna haalt u het paspoort op
in het stadhuis. Neem uw oude paspoort mee. Wij maken het oude paspoort dan ongeldig.
"""

OFFICIAL_NL = (
    "Indien u teneinde een vergunning te verkrijgen een aanvraag wilt doen, dient u het daartoe bestemde "
    "formulier volledig ingevuld te retourneren. De aanvraag wordt door de gemeente in behandeling genomen "
    "nadat alle benodigde stukken zijn ontvangen. Middels deze brief wordt u reeds geïnformeerd omtrent de "
    "termijn waarbinnen een besluit zal worden genomen."
)

PLAIN_EN = """# Apply for a passport

Do you need a new passport? First make an appointment. You can do this online or by phone.

Bring your old passport and a good photo. A passport costs 84 euros. You pay at the desk by card.

After five working days your passport is ready. We send you a text message. Then you collect it at
the town hall.
"""

HARD_EN = (
    "In order to obtain a permit for an event, applicants are required to submit all of the relevant "
    "documentation to the municipality prior to the commencement of the proposed activities. "
    "The application will be assessed by the municipality in accordance with the applicable regulations, "
    "and applicants will subsequently be notified of the outcome. "
    "The municipality may utilise the information for the purpose of the assessment."
)


def kinds(report: Report, kind: str) -> list[Issue]:
    return [i for i in report.issues if i.kind == kind]


def excerpts(report: Report, kind: str) -> list[str]:
    return [i.excerpt for i in kinds(report, kind)]


def test_plain_dutch_article_is_b1_with_few_points() -> None:
    report = check(PLAIN_NL, "nl")

    assert report.language == "nl"
    assert report.level == "B1 of lager"
    assert report.score >= 0.8
    assert len(report.issues) <= 2, report.issues
    assert report.average_sentence_length <= 10
    assert report.summary.startswith("Geschat niveau: B1 of lager")


def test_officialese_is_flagged_with_the_plain_word_at_the_right_place() -> None:
    report = check(OFFICIAL_NL, "nl")

    found = {(i.excerpt, i.suggestion) for i in kinds(report, "officialese")}
    expected = {
        ("Indien", "Als"),
        ("teneinde", "om"),
        ("te verkrijgen", "te krijgen"),
        ("dient", "moet"),
        ("daartoe", "daarvoor"),
        ("retourneren", "terugsturen"),
        ("in behandeling genomen", "behandeld"),
        ("benodigde", "nodige"),
        ("Middels", "Met"),
        ("reeds", "al"),
        ("omtrent", "over"),
    }
    assert expected <= found
    for issue in kinds(report, "officialese"):
        assert OFFICIAL_NL[issue.start : issue.end] == issue.excerpt
        assert issue.suggestion is not None
        assert issue.suggestion in issue.message
    teneinde = next(i for i in report.issues if i.excerpt == "teneinde")
    assert teneinde.start == OFFICIAL_NL.index("teneinde")
    assert report.level == "C1 of hoger"
    assert "ambtelijke woorden" in report.summary


def test_dient_te_as_one_phrase_and_not_as_indienen() -> None:
    report = check("U dient te betalen. U kunt bezwaar in te dienen op papier.", "nl")

    assert [(i.excerpt, i.suggestion) for i in kinds(report, "officialese")] == [("dient te", "moet")]


def test_dient_without_te_is_serving_not_must() -> None:
    report = check("Het plein dient als parkeerplaats voor bezoekers.", "nl")

    assert kinds(report, "officialese") == []


@pytest.mark.parametrize(
    ("sentence", "passive"),
    [
        ("Uw paspoort wordt binnen vijf dagen verstrekt.", "wordt binnen vijf dagen verstrekt"),
        ("Uw paspoort is op 3 mei aangevraagd.", "is op 3 mei aangevraagd"),
        ("Het grofvuil zal worden opgehaald op dinsdag.", "worden opgehaald"),
        ("Wij bellen u als het formulier verstuurd wordt.", "verstuurd wordt"),
        ("U krijgt bericht zodra de pas opgehaald kan worden.", "opgehaald kan worden"),
        ("De brieven zijn gisteren verstuurd.", "zijn gisteren verstuurd"),
        ("Het besluit is door de raad vastgesteld.", "is door de raad vastgesteld"),
        ("Zijn aanvraag is goedgekeurd.", "is goedgekeurd"),
        ("Er wordt gekeken of u recht heeft op hulp.", "wordt gekeken"),
    ],
)
def test_dutch_passives_are_flagged(sentence: str, passive: str) -> None:
    report = check(sentence, "nl")

    assert excerpts(report, "passive") == [passive]
    issue = kinds(report, "passive")[0]
    assert sentence[issue.start : issue.end] == passive


@pytest.mark.parametrize(
    "sentence",
    [
        "Het loket is gesloten op maandag.",
        "Het loket is op maandag gesloten.",
        "Mijn paspoort is verlopen.",
        "Hij is vorig jaar verhuisd naar Utrecht.",
        "U wordt lid van de bibliotheek.",
        "Het stadhuis is open van 9 tot 17 uur.",
        "Het wordt koud en de straat is gesloten.",
        "Dit formulier is bedoeld voor ondernemers.",
        "Zijn vader is gisteren overleden.",
        "Het wordt tijd om te verhuizen.",
        "Dat wordt vervelend.",
        "De weg is afgesloten door werkzaamheden.",
    ],
)
def test_adjectives_and_perfect_tense_are_not_passive(sentence: str) -> None:
    assert kinds(check(sentence, "nl"), "passive") == []


def test_long_sentence_is_flagged_as_a_whole_and_short_ones_are_not() -> None:
    long = (
        "Als u een parkeervergunning wilt aanvragen voor uw tweede auto dan moet u eerst kijken of er in uw "
        "straat nog plaats is en of u aan alle regels voldoet."
    )
    text = f"Dit is kort. {long} Dit ook."
    report = check(text, "nl")

    [issue] = kinds(report, "long_sentence")
    assert issue.excerpt == long
    assert text[issue.start : issue.end] == long
    assert "30 woorden" in issue.message
    assert report.sentences == 3


def test_headings_and_list_items_count_as_sentences() -> None:
    text = "# Paspoort aanvragen\n\n- Neem uw oude pas mee\n- Betaal aan de balie\n\nKom op tijd"
    report = check(text, "nl")

    assert report.sentences == 4
    assert report.words == 14
    assert kinds(report, "long_sentence") == []


def test_markdown_links_urls_and_code_are_not_read() -> None:
    hidden = "parkeervergunningaanvraagformulier"
    text = f"""---
title: {hidden}
---
Vraag de vergunning aan via [het formulier](https://www.samenstad.nl/{hidden}).
Kijk ook op https://www.samenstad.nl/{hidden}/informatievoorzieningsbeleid of samenstad.nl/{hidden}.

Typ `{hidden}` in het zoekveld. Mail naar {hidden}@samenstad.nl.

```
{hidden} = true
```
"""
    report = check(text, "nl")

    assert not [i for i in report.issues if hidden in i.excerpt or "informatievoorziening" in i.excerpt]
    assert (
        report.words == 17
    )  # "Vraag de vergunning aan via het formulier" "Kijk ook op of" "Typ in het zoekveld" "Mail naar"
    visible = check(f"Gebruik het {hidden}.", "nl")
    assert excerpts(visible, "long_word") == [hidden]


def test_offsets_highlight_exactly_the_excerpt_in_markdown() -> None:
    text = "## Let op\n\n**Indien** u *reeds* een [pas](https://x.nl/pas) heeft, wordt die verstrekt.\n"
    report = check(text, "nl")

    assert report.issues
    for issue in report.issues:
        assert text[issue.start : issue.end] == issue.excerpt
    assert {i.excerpt for i in kinds(report, "officialese")} >= {"Indien", "reeds"}
    indien = next(i for i in report.issues if i.excerpt == "Indien")
    assert indien.start == text.index("Indien")


def test_common_compounds_pass_and_long_rare_ones_do_not() -> None:
    report = check(
        "Uw parkeervergunning haalt u op in het gemeentehuis. Bel over de afvalkalender. "
        "Lees de voorwaarden van de informatievoorzieningsverordening.",
        "nl",
    )

    assert excerpts(report, "long_word") == ["informatievoorzieningsverordening"]


def test_uncommon_word_is_flagged_and_everyday_words_are_not() -> None:
    report = check("De kosten zijn exorbitant. U betaalt de kosten aan de balie.", "nl")

    assert excerpts(report, "rare_word") == ["exorbitant"]


def test_unexplained_abbreviation_gets_the_full_form() -> None:
    text = "Vul uw BSN in. Uw BSN staat op uw paspoort."
    report = check(text, "nl")

    [issue] = kinds(report, "jargon_abbreviation")
    assert issue.excerpt == "BSN"
    assert issue.start == text.index("BSN")
    assert issue.suggestion == "burgerservicenummer (BSN)"


def test_explained_abbreviation_and_postcode_are_fine() -> None:
    report = check("Vul uw burgerservicenummer (BSN) in. Stuur het naar Postbus 10, 1234 AB Samenstad.", "nl")

    assert kinds(report, "jargon_abbreviation") == []


def test_men_and_switching_between_u_and_je() -> None:
    text = "Men kan hier parkeren. U betaalt met uw pas. U krijgt een bon. Bewaar je bon goed."
    report = check(text, "nl")

    [men] = kinds(report, "impersonal")
    assert (men.excerpt, men.suggestion) == ("Men", "u")
    [switch] = kinds(report, "mixed_address")
    assert switch.excerpt == "je"
    assert switch.start == text.index(" je ") + 1


def test_long_paragraph_is_flagged_and_a_normal_one_is_not() -> None:
    paragraph = " ".join(["U kunt hier uw pas ophalen."] * 14)
    normal = " ".join(["U kunt hier uw pas ophalen."] * 9)
    report = check(f"# Kop\n\n{paragraph}\n\n{normal}", "nl")

    [issue] = kinds(report, "long_paragraph")
    assert issue.excerpt == paragraph
    assert "84 woorden" in issue.message


def test_plain_english_is_plain() -> None:
    report = check(PLAIN_EN, "en", interface_language="en")

    assert report.language == "en"
    assert report.level == "plain"
    assert len(report.issues) <= 2, report.issues
    assert report.summary.startswith("Estimated level: plain")


def test_hard_english_is_hard_with_plain_alternatives() -> None:
    report = check(HARD_EN, "en", interface_language="en")

    assert report.level == "hard"
    found = {(i.excerpt, i.suggestion) for i in kinds(report, "officialese")}
    assert {
        ("In order to", "To"),
        ("obtain", "get"),
        ("submit", "send"),
        ("prior to", "before"),
        ("commencement", "start"),
        ("in accordance with", "under"),
        ("utilise", "use"),
        ("for the purpose of", "to"),
    } <= found
    assert {"are required", "be assessed", "be notified"} <= set(excerpts(report, "passive"))
    assert all(HARD_EN[i.start : i.end] == i.excerpt for i in report.issues)
    assert kinds(report, "long_sentence")


@pytest.mark.parametrize(
    ("sentence", "passive"),
    [
        ("Your passport is issued within five days.", "is issued"),
        ("The letter was sent yesterday.", "was sent"),
        ("Bulky waste will be collected on Tuesday.", "be collected"),
        ("Your application is not always approved.", "is not always approved"),
    ],
)
def test_english_passives_are_flagged(sentence: str, passive: str) -> None:
    assert excerpts(check(sentence, "en"), "passive") == [passive]


@pytest.mark.parametrize(
    "sentence",
    ["The office is closed on Mondays.", "Are you interested in a permit?", "The town hall is located here."],
)
def test_english_adjectives_are_not_passive(sentence: str) -> None:
    assert kinds(check(sentence, "en"), "passive") == []


def test_messages_follow_the_interface_language() -> None:
    dutch_ui = check("Indien u wilt, kom dan langs.", "nl")
    english_ui = check("Indien u wilt, kom dan langs.", "nl", interface_language="en")

    assert dutch_ui.issues[0].message == "'Indien' is ambtelijke taal. Schrijf liever: 'Als'."
    assert english_ui.issues[0].message == "'Indien' is officialese. Write 'Als' instead."
    assert english_ui.summary.startswith("Estimated level: ")
    assert "the text is short" in english_ui.summary
    assert "1 officialese word" in english_ui.summary


def test_empty_text_and_regional_codes() -> None:
    report = check("", "nl-NL", interface_language="EN")

    assert (report.language, report.words, report.sentences, report.issues) == ("nl", 0, 0, [])
    assert report.summary == "There is no text to check."


def test_unsupported_language_is_refused() -> None:
    with pytest.raises(InvalidInput, match="expected language 'nl' or 'en', got 'fr'"):
        check("Bonjour", "fr")
    with pytest.raises(InvalidInput, match="interface_language"):
        check("Hallo", "nl", interface_language="de")


def test_shipped_word_lists_are_complete_and_well_formed() -> None:
    for name, minimum in (("officialese_nl.yaml", 150), ("officialese_en.yaml", 80)):
        entries = yaml.safe_load((LEXICONS / name).read_text(encoding="utf-8"))
        assert len(entries) >= minimum, name
        assert all(isinstance(e, dict) and e.get("term") and e.get("use") for e in entries), name
