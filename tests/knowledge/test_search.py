"""Knowledge search on the demo knowledge base: the language features each do their part."""

from __future__ import annotations

import pytest

from samenspel.knowledge.formats import read_articles
from samenspel.knowledge.index import ArticleDoc, Index
from samenspel.knowledge.search import KnowledgeBase
from samenspel.knowledge.text import CompoundSplitter, analyse, fold, stem
from samenspel.knowledge.thesaurus import Thesaurus
from tests.factories import DEMO_KNOWLEDGE


@pytest.fixture(scope="module")
def kb():
    docs = [
        ArticleDoc(a.id, a.group, a.title, a.language, a.body, tuple(a.tags), f"https://samenstad.example/kb/{a.id}")
        for a in read_articles([DEMO_KNOWLEDGE])
    ]
    return KnowledgeBase(docs)


def top(kb, text, language="nl"):
    hits = kb.search(text, language)
    return hits[0] if hits else None


def test_analysis_folds_accents_stems_and_drops_stopwords():
    assert fold("Één café") == "een cafe"
    assert analyse("Ik wil graag mijn paspoorten aanvragen", "nl") == analyse("paspoort aanvraag", "nl")
    assert stem("opgehaald", "nl") == stem("ophalen", "nl")
    assert stem("verhuisd", "nl") == stem("verhuizen", "nl")
    assert stem("naturalisatie", "nl") == stem("naturaliseren", "nl")
    assert analyse("How do I renew my passport?", "en") == ["renew", "passport"]


def test_compounds_split_against_the_knowledge_bases_own_words():
    words = ["paspoort", "aanvragen", "parkeren", "vergunning", "rijbewijs"]
    splitter = CompoundSplitter(words, [stem(w, "nl") for w in words])
    assert splitter.split("paspoortaanvraag") == ["paspoort", "aanvraag"]
    assert splitter.split("parkeervergunning") == ["parkeer", "vergunning"]
    assert splitter.split("hondenbelasting") is None  # no part is a word of this knowledge base


def test_a_compound_question_finds_the_article_written_with_separate_words(kb):
    hit = top(kb, "paspoortaanvraag")
    assert hit.group == "paspoort-aanvragen"
    query = kb.index.parse("paspoortaanvraag", "nl")
    assert [s.token for s in query.slots] == ["paspoort", "aanvraag"]


def test_typos_are_corrected_to_the_knowledge_bases_words(kb):
    assert top(kb, "grofvuill ophalen").group == "grofvuil"
    query = kb.index.parse("milieustraad openingstijden", "nl")
    assert any(a.kind == "fuzzy" and a.stem == stem("milieustraat", "nl") for a in query.slots[0].alternatives)
    assert top(kb, "milieustraad openingstijden").group == "milieustraat-afvalpas"


def test_the_thesaurus_links_everyday_words_and_languages(kb):
    assert top(kb, "ik heb grof huisvuil, wat nu").group == "grofvuil"
    assert top(kb, "id bewijs kwijt").group == "reisdocument-kwijt"
    # An English question about a topic with only a Dutch article still finds it.
    hit = top(kb, "how do I get rid of bulky waste", "en")
    assert (hit.group, hit.language) == ("grofvuil", "nl")


def test_an_organisation_can_extend_the_thesaurus(tmp_path):
    extra = tmp_path / "thesaurus.yaml"
    extra.write_text("- nl: [stortplaats, vuilstort]\n  en: [dump site]\n", encoding="utf-8")
    thesaurus = Thesaurus.load(extra)
    assert len(thesaurus) == len(Thesaurus.load()) + 1
    assert {e.stem for e in thesaurus.expand(analyse("vuilstort", "nl"), "nl")} >= set(analyse("stortplaats", "nl"))


def test_title_words_weigh_more_than_words_in_passing(kb):
    index: Index = kb.index
    scored = index.score(index.parse("nooddocument", "nl"))
    best = max(range(len(index.docs)), key=lambda i: scored.scores[i])
    assert "nooddocument" in index.docs[best].title.lower()


def test_the_answer_is_the_section_that_answers_not_the_whole_article(kb):
    hit = top(kb, "wat kost een paspoort")
    assert hit.group == "paspoort-aanvragen"
    assert "kost" in hit.section.lower()
    assert "€" in hit.passage
    assert len(hit.passage) < len(next(d.body for d in kb.index.docs if d.id == hit.id))


def test_the_customers_language_version_is_preferred(kb):
    assert top(kb, "how do I apply for a passport", "en").language == "en"
    assert top(kb, "hoe vraag ik een paspoort aan", "nl").language == "nl"


def test_confidence_is_high_for_a_clear_question_and_low_out_of_scope(kb):
    clear = top(kb, "ik wil mijn paspoort verlengen, wat kost dat").score
    assert clear > 0.5
    # Nothing in the knowledge base is about these: no hit, or one far less likely.
    for question in ("wat is de uitslag van de voetbalwedstrijd", "welke tandarts neemt nieuwe patiënten aan"):
        hit = top(kb, question)
        assert hit is None or hit.score < 0.35, (question, hit)


def test_a_customers_name_is_not_part_of_the_question(kb):
    query = kb.index.parse("Hoi, mijn naam is Ahmed, ik ben verhuisd", "nl")
    tokens = [s.token for s in query.slots]
    assert "ahmed" not in tokens
    assert "verhuisd" in tokens
