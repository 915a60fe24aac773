"""The Conversational Human Voice scorer, on replies as a municipality's webcare would write them.

The replies below were written for these tests; none were used to write the lexicons' phrases.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from samenspel.replies import chv
from samenspel.replies.chv import ChvScore, Element, score

WARM_NL = (
    "Goedemiddag Fatima, dank je voor je vraag! Wat vervelend dat je pas kwijt is. Ik help je graag: "
    "je kunt een nieuwe pas aanvragen via de website, en je hebt hem binnen vijf werkdagen. "
    "Heb je nog vragen? Laat het gerust weten.\n\nGroet, Anna"
)
FORMAL_NL = (
    "Goedemorgen meneer Jansen,\n\n"
    "Hartelijk dank voor uw bericht. Ik begrijp dat u uw paspoort kwijt bent; dat is natuurlijk "
    "vervelend. U kunt een nieuw paspoort aanvragen op het stadhuis. Neem daarvoor uw oude rijbewijs mee.\n\n"
    "Heeft u nog vragen? Laat het ons gerust weten.\n\n"
    "Met vriendelijke groet,\n\nAnna de Vries\nAfdeling Burgerzaken"
)
ROBOTIC_NL = "Uw aanvraag is in behandeling. Raadpleeg de website."
WARM_EN = (
    "Hi Sarah, thanks for your question! I'm sorry to hear you've lost your pass. I'll help you: you can "
    "order a new one on our website and it arrives within five working days.\n\n"
    "Any other questions? Just let me know. Have a nice day!\n\nBest, Tom"
)
ROBOTIC_EN = "Your application is being processed. Consult the website."


def element(result: ChvScore, name: str) -> Element:
    return next(e for e in result.elements if e.name == name)


def assert_offsets_point_at_text(text: str, result: ChvScore) -> None:
    for e in result.elements:
        assert text[e.start : e.end] == e.text, e
        assert e.category == chv.CATEGORY_OF[e.name]
    assert [(e.start, e.end) for e in result.elements] == sorted((e.start, e.end) for e in result.elements)


def test_a_robotic_reply_scores_low() -> None:
    for text in (ROBOTIC_NL, ROBOTIC_EN):
        result = score(text)
        assert result.score < 0.25
        assert result.found() <= {"direct_address"}
        assert result.invitational == 0.0


def test_a_warm_dutch_reply_scores_high_with_its_elements_in_place() -> None:
    result = score(WARM_NL)
    assert result.language == "nl"
    assert result.score > 0.7
    assert result.found() >= {
        "greeting",
        "name",
        "organisation_pronoun",
        "signature",
        "direct_address",
        "thanks",
        "sympathy",
        "invitation",
        "informal_pronoun",
        "exclamation",
    }
    assert not result.found() & {"apology", "emoji"}
    assert (element(result, "greeting").start, element(result, "greeting").text) == (0, "Goedemiddag")
    assert (element(result, "name").start, element(result, "name").text) == (12, "Fatima")
    assert element(result, "thanks").text == "dank je"
    assert element(result, "sympathy").start == WARM_NL.index("Wat vervelend")
    assert element(result, "exclamation").start == WARM_NL.index("!")
    invitations = [e.text for e in result.elements if e.name == "invitation"]
    assert invitations == ["Heb je nog vragen?", "Laat het gerust weten"]
    signature = element(result, "signature")
    assert signature.start == WARM_NL.rindex("Groet")
    assert signature.text.endswith("Anna")
    assert_offsets_point_at_text(WARM_NL, result)


def test_a_formal_reply_scores_well_where_informality_is_not_wanted() -> None:
    formal = score(FORMAL_NL, informal_allowed=False)
    assert formal.score > 0.8
    assert formal.informal == 0.0
    assert {"informal_pronoun", "exclamation", "emoji"}.isdisjoint(formal.found())
    assert element(formal, "name").text == "meneer Jansen"
    assert element(formal, "signature").text.endswith("Anna de Vries")
    assert {"thanks", "acknowledgement", "sympathy", "invitation"} <= formal.found()
    # Where informality is welcome, its absence costs the informal share (0.2) and nothing more.
    assert score(FORMAL_NL).score == pytest.approx(formal.score * 0.8)


def test_informal_elements_neither_add_nor_are_required_when_not_allowed() -> None:
    plain = WARM_NL.replace("vraag!", "vraag.")
    lively = WARM_NL + " 😊"
    results = [score(text, "nl", informal_allowed=False) for text in (plain, WARM_NL, lively)]
    assert len({r.score for r in results}) == 1
    # Still listed, so that feedback can point at them.
    assert {"exclamation", "emoji"} <= results[2].found()
    assert results[2].informal > results[0].informal


def test_english_replies() -> None:
    result = score(WARM_EN)
    assert result.language == "en"
    assert result.score > 0.7
    assert result.found() >= {
        "greeting",
        "name",
        "thanks",
        "sympathy",
        "invitation",
        "well_wishing",
        "contraction",
        "signature",
        "organisation_pronoun",
    }
    # "I'm sorry to hear" is sympathy, not an apology.
    assert "apology" not in result.found()
    assert element(result, "name").text == "Sarah"
    assert element(result, "signature").text == "Best, Tom"
    assert element(result, "sympathy").text == "sorry to hear"
    assert_offsets_point_at_text(WARM_EN, result)
    assert score(ROBOTIC_EN).score < 0.25


def test_the_customers_name_counts_only_when_it_is_there() -> None:
    without = "Goedemiddag, dank u voor uw vraag. Ik help u graag."
    with_name = "Goedemiddag Fatima, dank u voor uw vraag. Ik help u graag."
    assert "name" not in score(without, customer_name="Fatima Yilmaz").found()
    named = score(with_name, customer_name="Fatima Yilmaz")
    assert (element(named, "name").start, element(named, "name").text) == (12, "Fatima")
    assert named.score > score(without, customer_name="Fatima Yilmaz").score
    # When we know the customer, another name is not theirs.
    assert "name" not in score("Beste Jan, dank u voor uw vraag.", customer_name="Fatima Yilmaz").found()
    assert "name" in score("Beste Jan, dank u voor uw vraag.").found()
    # By surname, with a title.
    surname = score("Goedemiddag mevrouw Yilmaz, dank u.", customer_name="Fatima Yilmaz")
    assert element(surname, "name").text == "mevrouw Yilmaz"
    # A first name that is also a word is only a name when written as one.
    assert "name" not in score("We will call you tomorrow.", customer_name="Will Jansen").found()
    assert "name" in score("Hello Will, we will call you tomorrow.", customer_name="Will Jansen").found()
    # A signature with the customer's first name is the agent's, not the customer's.
    signed = score("Dank je voor je vraag. Groet, Anna", customer_name="Anna Bakker")
    assert "name" not in signed.found()
    assert "signature" in signed.found()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Beste Fatima,\n\nDank voor uw vraag.", "Fatima"),
        ("Dear Mr Smith, thank you for your email.", "Mr Smith"),
        ("Hoi **Sanne**, top dat je het meldt!", "Sanne"),
        ("Dear Ms. O'Brien, thanks for your email.", "Ms. O'Brien"),
    ],
)
def test_a_name_after_a_greeting_counts_without_knowing_the_customer(text: str, name: str) -> None:
    result = score(text)
    assert element(result, "name").text == name
    assert_offsets_point_at_text(text, result)


@pytest.mark.parametrize(
    "text",
    [
        "Beste klant,\n\nUw aanvraag is ontvangen.",
        "Geachte heer/mevrouw,\n\nUw aanvraag is ontvangen.",
        "Dear Customer, your request has been received.",
        "Hi there, your request has been received.",
        "Hoi allemaal, de website is weer bereikbaar.",
    ],
)
def test_a_generic_salutation_is_a_greeting_but_not_a_name(text: str) -> None:
    found = score(text).found()
    assert "greeting" in found
    assert "name" not in found


def test_over_the_top_informality_does_not_raise_the_score() -> None:
    shouting = WARM_NL.replace("vraag!", "vraag!!!!!") + " 😀😀😀😀😀"
    assert score(shouting).score < score(WARM_NL).score
    assert score(shouting).informal < score(WARM_NL).informal

    a_little = ROBOTIC_NL + " Top! 🙂"
    too_much = ROBOTIC_NL + " Top!!! Super!!! Yes!!! 🙂🙂🙂🙂"
    assert score(a_little).score > score(ROBOTIC_NL).score
    assert score(too_much).score < score(a_little).score


def test_markdown_links_and_code_do_not_count() -> None:
    text = (
        "**Hoi Fatima**,\n\n"
        "Zo vraag je een nieuwe pas aan:\n\n"
        "1. Ga naar [de aanvraagpagina](https://www.samenstad.nl/ik-wil-graag-een-pas?van=jou).\n"
        "2. Vul `je-bsn` in en mail naar <mailto:pas@samenstad.nl>.\n\n"
        "```\nBedankt! Sorry! Fijne dag!\n```\n\n"
        "Groetjes,\n**Anna**"
    )
    result = score(text)
    url_start, url_end = text.index("(https"), text.index(").") + 1
    code_start, code_end = text.index("```"), text.rindex("```") + 3
    for e in result.elements:
        assert not url_start <= e.start < url_end, e
        assert not code_start <= e.start < code_end, e
    assert {"thanks", "apology", "well_wishing", "exclamation"}.isdisjoint(result.found())
    assert element(result, "greeting").text == "Hoi"
    assert element(result, "name").text == "Fatima"
    assert element(result, "signature").text.endswith("Anna")
    assert_offsets_point_at_text(text, result)


def test_curly_apostrophes_and_emoji_keep_offsets_right() -> None:
    text = "Hey Sam 👋🏽 we’re on it – you’ll hear from us today! 🙂 Cheers, Jo"
    result = score(text)
    assert [e.text for e in result.elements if e.name == "contraction"] == ["we’re", "you’ll"]
    assert [e.text for e in result.elements if e.name == "emoji"] == ["👋🏽", "🙂"]
    assert_offsets_point_at_text(text, result)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (WARM_NL, "nl"),
        (FORMAL_NL, "nl"),
        ("Hoi!", "nl"),
        (WARM_EN, "en"),
        ("Thanks!", "en"),
        ("Vielen Dank für Ihre Frage. Wir helfen Ihnen gerne weiter, wenn Sie noch Fragen haben.", "other"),
        ("Sorunuz için teşekkür ederiz, size yardımcı olmaktan memnuniyet duyarız.", "other"),
        ("", "other"),
    ],
)
def test_the_language_is_guessed_from_function_words(text: str, language: str) -> None:
    assert score(text).language == language


def test_a_given_language_is_used_as_given() -> None:
    assert score("Goedemiddag! Hoe kan ik helpen?", "nl-NL").language == "nl"
    assert score("Hello!", "EN_gb").language == "en"
    assert score("Goedemiddag!", "tr").language == "other"


def test_other_languages_score_from_language_neutral_cues() -> None:
    warm = "Merhaba Ayşe, sorunuz için teşekkürler! Yeni kartınızı internetten alabilirsiniz 😊 ^EK"
    result = score(warm, customer_name="Ayşe Demir")
    assert result.language == "other"
    assert result.found() == {"name", "exclamation", "emoji", "signature"}
    assert result.invitational == 0.0
    assert result.score > 0.7
    bare = score("Başvurunuz işleme alındı. Web sitesine bakınız.", customer_name="Ayşe Demir")
    assert (bare.language, bare.score, bare.elements) == ("other", 0.0, [])


@pytest.mark.parametrize(
    ("text", "language", "name", "found"),
    [
        ("Goede vraag! Dat zoek ik voor je uit.", "nl", "acknowledgement", True),
        ("Wat naar om te horen. Ik kijk met je mee.", "nl", "sympathy", True),
        ("Dat snap ik. Ik kijk met je mee.", "nl", "sympathy", True),
        ("Ik kan me voorstellen dat dit lastig is.", "nl", "sympathy", True),
        ("Sorry voor het ongemak.", "nl", "apology", True),
        ("Onze excuses voor de vertraging.", "nl", "apology", True),
        ("Stel gerust je vraag.", "nl", "invitation", True),
        ("Heb je een zaaknummer voor mij?", "nl", "invitation", True),
        ("Fijne dag!", "nl", "well_wishing", True),
        ("Veel succes ermee.", "nl", "well_wishing", True),
        ("Oké, dan zoek ik het voor je uit.", "nl", "interjection", True),
        ("Ik kijk er ff naar.", "nl", "colloquial", True),
        ("Bedankt voor je melding.", "nl", "thanks", True),
        ("Beste optie is om online aan te vragen.", "nl", "greeting", False),
        ("Dag en nacht bereikbaar via de website.", "nl", "greeting", False),
        ("Ik wens je een fijne dag!", "nl", "greeting", False),
        ("Dat vind ik top.", "nl", "interjection", False),
        ("Het beste is om online aan te vragen.", "nl", "well_wishing", False),
        ("Het succesvolle project loopt door.", "nl", "well_wishing", False),
        ("De aanvraag is bedankbrief-vrij.", "nl", "thanks", False),
        ("U ontvangt binnen vijf werkdagen bericht.", "nl", "informal_pronoun", False),
        ("Dat regelen we.\n\nGroetjes, Mark van team Webcare", "nl", "signature", True),
        ("Dat regelen we.\n\nMet vriendelijke groet,\n\nGemeente Samenstad", "nl", "signature", False),
        ("Hoi, ik ben Gem, de digitale assistent van de gemeente.", "nl", "signature", True),
        ("Good question! Let me check.", "en", "acknowledgement", True),
        ("That must be really frustrating.", "en", "sympathy", True),
        ("We apologise for the delay.", "en", "apology", True),
        ("Sorry to hear that.", "en", "apology", False),
        ("Feel free to reply here.", "en", "invitation", True),
        ("Do you have a case number for me?", "en", "invitation", True),
        ("Good luck with the move!", "en", "well_wishing", True),
        ("Oops, that link was wrong.", "en", "interjection", True),
        ("The office does not open on Sundays.", "en", "contraction", False),
        ("Thanks, Anna! We'll send it today.", "en", "signature", False),
        ("Thanks, Anna! We'll send it today.", "en", "thanks", True),
    ],
)
def test_phrases(text: str, language: str, name: str, found: bool) -> None:
    result = score(text, language)
    assert (name in result.found()) is found, result.elements
    assert_offsets_point_at_text(text, result)


SAMPLES = [
    WARM_NL,
    FORMAL_NL,
    WARM_EN,
    "ÉÉN vraag: Hé, Oké! Één moment, ’t komt goed. Ijsbaan? IJmuiden. Ça va? Ÿ. 'n Fijne dag!",
    "SORRY!! WAT VERVELEND. DANK JE WEL. HEB JE NOG VRAGEN? LAAT HET GERUST WETEN. FIJN WEEKEND",
    "THANK YOU, we're SORRY TO HEAR. Let US know! Any Other Questions? HAVE A GREAT DAY. Ok, bye.",
]


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_word_index_misses_nothing_a_full_search_finds(text: str, language: str) -> None:
    # Patterns are tried only at words they can start with; a full search must find nothing more.
    lexicon = chv._lexicon(language)
    indexed = {(name, start) for name, start, _ in chv._lexicon_spans(text, lexicon, [])}
    for name, pattern in lexicon.dispatched:
        for m in pattern.finditer(text):
            assert (name, m.start()) in indexed, (name, m.group())


@pytest.fixture
def own_lexicons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for path in chv._LEXICONS.glob("chv_*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(chv, "_LEXICONS", tmp_path)
    chv._lexicon.cache_clear()
    yield tmp_path
    chv._lexicon.cache_clear()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_organisation_can_add_its_own_phrasing(own_lexicons: Path) -> None:
    assert "well_wishing" not in score("Houdoe!", "nl").found()
    edit(
        own_lexicons / "chv_nl.yaml",
        "  well_wishing:\n    anywhere:\n",
        "  well_wishing:\n    anywhere:\n      - 'houdoe'\n",
    )
    chv._lexicon.cache_clear()
    assert element(score("Houdoe!", "nl"), "well_wishing").text == "Houdoe"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      - 'sorry'\n", "      - 'sorry('\n", r"chv_nl\.yaml: bad pattern under apology\.anywhere"),
        ("      - 'sorry'\n", "      - yes\n", r"chv_nl\.yaml: quote these entries under apology\.anywhere"),
        ("  apology:\n", "  apologies:\n", r"chv_nl\.yaml: unknown element 'apologies'"),
    ],
)
def test_a_broken_lexicon_is_refused_with_its_place(own_lexicons: Path, old: str, new: str, message: str) -> None:
    edit(own_lexicons / "chv_nl.yaml", old, new)
    with pytest.raises(ValueError, match=message):
        score("Sorry!", "nl")


def test_the_score_is_the_documented_combination() -> None:
    # One of four personalisation slots, one of the three invitational elements that make it full, one of
    # the two informal kinds that make it full.
    result = score("Thanks for your question. You can order a new pass online!", "en")
    assert result.found() == {"direct_address", "thanks", "exclamation"}
    assert (result.personalisation, result.invitational, result.informal) == (0.25, 0.3333, 0.5)
    assert result.score == pytest.approx(0.4 * 0.25 + 0.4 / 3 + 0.2 * 0.5, abs=1e-4)
    formal = score("Thanks for your question. You can order a new pass online!", "en", informal_allowed=False)
    assert formal.score == pytest.approx(0.5 * 0.25 + 0.5 / 3, abs=1e-4)
