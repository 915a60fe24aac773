"""The shipped triage policy on the examples the product promises, through the real pipeline and the demo
knowledge base: what the customer reads and why a person is (or is not) asked to take over."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from samenspel.errors import InvalidInput
from samenspel.knowledge.formats import read_articles
from samenspel.knowledge.index import ArticleDoc
from samenspel.knowledge.search import KnowledgeBase, KnowledgeRetriever
from samenspel.pipeline import Outcome, Pipeline, build_pipeline
from samenspel.settings import Settings
from samenspel.triage.policy import TriagePolicy
from samenspel.understanding.signals import CustomerContext, Inbound

DEMO = Path(__file__).parents[2] / "src" / "samenspel" / "demo" / "knowledge"


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    docs = [ArticleDoc(a.id, a.group, a.title, a.language, a.body, tuple(a.tags), a.url) for a in read_articles([DEMO])]
    return build_pipeline(Settings(environment="test"), KnowledgeRetriever(KnowledgeBase(docs)))


def ask(pipeline: Pipeline, text: str, segment: str = "standard", **extra: object) -> Outcome:
    return asyncio.run(pipeline.run(Inbound(text, CustomerContext(segment=segment), **extra)))  # type: ignore[arg-type]


def test_a_calm_answerable_question_is_answered_from_its_article(pipeline):
    outcome = ask(pipeline, "Hoe lang duurt het voordat mijn nieuwe paspoort klaar is?")
    assert outcome.decision.mode == "answer"
    assert outcome.decision.sources[0].group == "paspoort-aanvragen"
    assert not outcome.verdict.soften


def test_an_upset_customer_with_an_answerable_question_gets_the_answer_with_sympathy_and_an_offer(pipeline):
    outcome = ask(pipeline, "Dit is echt vervelend, mijn container is alweer niet geleegd. Waar meld ik dat?")
    decision = outcome.decision
    assert decision.mode == "answer", decision.handoff
    assert outcome.verdict.soften
    assert decision.sources[0].group == "container-kapot-niet-geleegd"
    assert "vervelend" in decision.reply.lower() or "begrijp" in decision.reply.lower()
    assert "person" in [q["id"] for q in outcome.reply.quick_replies]


def test_strong_anger_goes_to_a_person_with_a_calm_message(pipeline):
    outcome = ask(pipeline, "IK BEN WOEDEND!!! Voor de derde keer is mijn container niet geleegd. Schandalig!")
    decision = outcome.decision
    assert decision.mode == "handoff"
    assert "negative_emotion" in decision.handoff.reasons
    assert outcome.verdict.tone == "calm"


def test_a_bereaved_customer_always_reaches_a_person_gently(pipeline):
    outcome = ask(pipeline, "Mijn man is vorige week overleden. Hoe doe ik aangifte van overlijden?")
    decision = outcome.decision
    assert decision.mode == "handoff"  # even though an article answers the practical question
    assert decision.handoff.reasons[0] == "sensitive_topic"
    assert outcome.verdict.tone == "gentle"
    assert "gecondoleerd" in decision.reply.lower() or "verlies" in decision.reply.lower()


def test_an_undertakers_practical_question_is_answered(pipeline):
    outcome = ask(
        pipeline, "Wij zijn uitvaartondernemer: binnen hoeveel dagen moet de aangifte van overlijden gedaan zijn?"
    )
    assert outcome.decision.mode == "answer", outcome.decision.handoff
    assert outcome.decision.sources[0].group == "overlijden-aangifte"


@pytest.mark.parametrize("segment", ["vip", "business"])
def test_a_high_value_customer_with_a_real_problem_goes_to_a_person(pipeline, segment):
    outcome = ask(pipeline, "Onze container is al twee weken niet geleegd en het afval ligt op straat.", segment)
    assert outcome.decision.mode == "handoff"
    assert "high_value" in outcome.decision.handoff.reasons


@pytest.mark.parametrize("segment", ["vip", "business"])
def test_a_high_value_customer_with_a_simple_question_is_answered(pipeline, segment):
    outcome = ask(pipeline, "Wat kost een paspoort?", segment)
    assert outcome.decision.mode == "answer", outcome.decision.handoff
    assert outcome.decision.sources[0].group == "paspoort-aanvragen"


def test_the_same_problem_from_a_standard_customer_is_answered(pipeline):
    outcome = ask(pipeline, "Onze container is al twee weken niet geleegd en het afval ligt op straat.")
    assert outcome.decision.mode == "answer", outcome.decision.handoff


def test_several_questions_about_different_articles_make_it_complex(pipeline):
    outcome = ask(pipeline, "Wanneer wordt het grofvuil opgehaald? En hoe vraag ik een nieuw paspoort aan?")
    assert outcome.decision.mode == "handoff"
    assert "complex" in outcome.decision.handoff.reasons
    assert len(set(outcome.signals.question_topics)) == 2


def test_a_customer_who_says_they_contacted_us_before_is_a_repeat_contact(pipeline):
    outcome = ask(pipeline, "Ik heb vorige week al gebeld over mijn afvalpas en nog steeds niks ontvangen.")
    assert "repeat_contact" in outcome.decision.handoff.reasons


def test_an_earlier_conversation_about_the_same_article_is_a_repeat_contact(pipeline):
    earlier = {"earlier": [{"conversation_id": "c1", "groups": ["milieustraat-afvalpas"], "at": "2026-11-20"}]}
    outcome = ask(pipeline, "Hoe vraag ik een nieuwe afvalpas aan?", repeat=earlier)
    assert outcome.decision.mode == "handoff"
    assert "repeat_contact" in outcome.decision.handoff.reasons
    other = ask(pipeline, "Wat kost een paspoort?", repeat=earlier)
    assert other.decision.mode == "answer"


def test_no_digid_alone_is_answered_but_with_helplessness_it_goes_to_a_person(pipeline):
    alone = ask(pipeline, "Ik heb geen DigiD, kan ik mijn verhuizing ook op papier doorgeven?")
    assert alone.decision.mode == "answer", alone.decision.handoff
    helpless = ask(
        pipeline, "Ik heb geen computer en geen DigiD en ik weet niet hoe ik mijn verhuizing moet doorgeven."
    )
    assert "vulnerable_customer" in helpless.decision.handoff.reasons


def test_every_handoff_says_why_in_one_sentence_in_dutch_and_english(pipeline):
    outcome = ask(pipeline, "Mag ik een medewerker spreken?")
    explanations = outcome.decision.handoff.explanations
    assert explanations["nl"] == "De klant vraagt zelf om een medewerker."
    assert explanations["en"] == "The customer asked for a person."


def test_the_customer_hears_the_expected_wait(pipeline):
    outcome = ask(pipeline, "Mag ik een medewerker spreken?", service={"open": True, "wait_minutes": 7})
    assert "binnen 10 minuten" in outcome.decision.reply


def test_outside_opening_hours_the_customer_hears_when_someone_answers(pipeline):
    opens = (datetime.now(UTC) + timedelta(days=3)).replace(hour=7, minute=30, second=0, microsecond=0)
    outcome = ask(pipeline, "Mag ik een medewerker spreken?", service={"open": False, "next_open": opens.isoformat()})
    reply = outcome.decision.reply
    assert "gesloten" in reply
    assert "08:30" in reply or "09:30" in reply  # 07:30 UTC in Amsterdam, winter or summer time
    assert "uw bericht blijft staan" in reply


def test_a_policy_with_an_unknown_condition_is_refused_with_its_rule_number(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text(
        "rules:\n  - reason: complex\n    when: {moon_phase: full}\n    explain: {nl: x, en: y}\n", encoding="utf-8"
    )
    with pytest.raises(InvalidInput, match="rule 1 has unknown condition 'moon_phase'"):
        TriagePolicy.load(path)


def test_an_organisation_can_hand_over_every_vip(tmp_path, pipeline):
    path = tmp_path / "policy.yaml"
    path.write_text(
        "rules:\n  - reason: high_value\n    when: {segment: [vip]}\n"
        "    explain: {nl: Elke VIP naar een mens., en: Every VIP to a person.}\n",
        encoding="utf-8",
    )
    custom = Pipeline(pipeline.understander, pipeline.retriever, TriagePolicy.load(path), pipeline.responder)
    outcome = asyncio.run(custom.run(Inbound("Wat kost een paspoort?", CustomerContext(segment="vip"))))
    assert outcome.decision.handoff.reasons == ["high_value"]
    assert outcome.decision.handoff.explanations["en"] == "Every VIP to a person."
