"""The pipeline's shape: understand → retrieve → decide → respond, each stage replaceable."""

from __future__ import annotations

import asyncio

from samenspel.knowledge.search import Hit
from samenspel.pipeline import Pipeline, build_pipeline
from samenspel.replies.compose import TemplateResponder
from samenspel.settings import Settings
from samenspel.triage.policy import TriagePolicy
from samenspel.types import HANDOFF_REASONS
from samenspel.understanding.signals import CustomerContext, EmbeddedUnderstanding, Inbound, Turn


class OneArticle:
    def retrieve(self, inbound, signals):
        return [
            Hit(
                id="afvalpas",
                group="afvalpas",
                title="Afvalpas aanvragen",
                score=0.9,
                passage="U vraagt een nieuwe afvalpas aan via Mijn Gemeente.",
                url="https://samenstad.example/kb/afvalpas",
            )
        ]


def run(pipeline, inbound):
    return asyncio.run(pipeline.run(inbound))


def test_default_pipeline_hands_over_when_no_knowledge_exists():
    outcome = run(build_pipeline(Settings(environment="test")), Inbound("Hoe vraag ik een nieuwe afvalpas aan?"))
    decision = outcome.decision
    assert decision.mode == "handoff"
    assert decision.handoff.reasons == ["low_confidence"]
    assert set(decision.handoff.reasons) <= set(HANDOFF_REASONS)
    assert decision.handoff.explanations.keys() == {"nl", "en"}
    assert decision.language == "nl"
    assert decision.reply_language == "nl"
    assert "medewerker" in decision.reply
    assert outcome.elapsed_ms >= 0


def test_non_dutch_non_english_customers_get_the_kind_message_in_english():
    decision = run(build_pipeline(Settings(environment="test")), Inbound("Guten Tag, ich habe eine Frage")).decision
    assert decision.language == "de"
    assert decision.reply_language == "en"
    assert "colleague" in decision.reply


def test_a_retriever_that_finds_an_answer_changes_the_decision_not_the_shape():
    pipeline = Pipeline(EmbeddedUnderstanding(), OneArticle(), TriagePolicy.load(), TemplateResponder())
    outcome = run(pipeline, Inbound("afvalpas kwijt", CustomerContext(name="Joke Visser")))
    decision = outcome.decision
    assert decision.mode == "answer"
    assert decision.handoff.needed is False
    assert decision.sources[0].id == "afvalpas"
    assert decision.sources[0].url == "https://samenstad.example/kb/afvalpas"
    assert "U vraagt een nieuwe afvalpas aan via Mijn Gemeente." in decision.reply
    assert "Bron: Afvalpas aanvragen (https://samenstad.example/kb/afvalpas)" in decision.reply
    assert "Joke!" in decision.reply.split("\n")[0]
    assert [q["id"] for q in outcome.reply.quick_replies] == ["helped", "person"]


def test_later_turns_do_not_greet_again():
    pipeline = Pipeline(EmbeddedUnderstanding(), OneArticle(), TriagePolicy.load(), TemplateResponder())
    history = (Turn("customer", "hallo"), Turn("assistant", "Goedemiddag! Waarmee kan ik helpen?"))
    decision = run(pipeline, Inbound("afvalpas kwijt", CustomerContext(name="Joke Visser"), history=history)).decision
    first_line = decision.reply.split("\n")[0]
    assert not first_line.startswith(("Goedemorgen", "Goedemiddag", "Goedenavond"))
    assert "Joke" in first_line


def test_asking_for_a_person_wins_over_a_good_answer():
    pipeline = Pipeline(EmbeddedUnderstanding(), OneArticle(), TriagePolicy.load(), TemplateResponder("informal"))
    decision = run(pipeline, Inbound("afvalpas kwijt, ik wil een medewerker spreken")).decision
    assert decision.mode == "handoff"
    assert decision.handoff.reasons == ["customer_request"]
    assert "je" in decision.reply.split()
