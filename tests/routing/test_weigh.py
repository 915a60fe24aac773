"""How heavy a conversation is for the agent, and how soon it should be taken, from the signals."""

from __future__ import annotations

import pytest

from samenspel.routing.engine import PRIORITY_BUSINESS, PRIORITY_STANDARD, PRIORITY_VIP, PRIORITY_VULNERABLE
from samenspel.routing.weigh import emotion_intensity, heaviness_of, priority_of


def test_a_calm_practical_question_weighs_nothing():
    assert heaviness_of({"emotion": {"label": None, "intensity": 0.0}}, ["customer_request"]) == 0.0
    assert heaviness_of(None, []) == 0.0


def test_anger_weighs_its_intensity_and_gratitude_weighs_nothing():
    assert heaviness_of({"emotion": {"label": "anger", "intensity": 0.7}}, []) == pytest.approx(0.7)
    assert heaviness_of({"emotion": {"label": "gratitude", "intensity": 0.9}}, []) == 0.0
    # Scores per label count too (the strongest negative one).
    assert (
        emotion_intensity({"emotion": {"label": "gratitude", "intensity": 0.5, "scores": {"frustration": 0.6}}}) == 0.6
    )
    assert emotion_intensity({"emotion": {"label": "anger", "intensity": 3.0}}) == 1.0


def test_cues_add_up_as_independent_chances_and_never_pass_one():
    bereaved = {"sensitive": [{"topic": "bereavement", "severity": "acute"}]}
    assert heaviness_of(bereaved, []) == pytest.approx(0.8)
    both = {**bereaved, "emotion": {"label": "sadness", "intensity": 0.5}}
    assert heaviness_of(both, []) == pytest.approx(1 - 0.2 * 0.5)
    everything = {**both, "vulnerability": [{"cue": "no_digid"}]}
    assert heaviness_of(everything, ["complex", "repeat_contact"]) < 1.0
    assert heaviness_of(everything, ["complex", "repeat_contact"]) > heaviness_of(both, [])


def test_the_practical_side_of_a_sensitive_topic_weighs_less():
    practical = {"sensitive": [{"topic": "bereavement", "severity": "practical"}]}
    acute = {"sensitive": [{"topic": "bereavement", "severity": "acute"}]}
    assert heaviness_of(practical, []) == pytest.approx(0.5)
    assert heaviness_of(acute, []) == pytest.approx(0.8)
    # Triage found it sensitive enough to hand over for it: it counts in full.
    assert heaviness_of(practical, ["sensitive_topic"]) == pytest.approx(0.8)


def test_reasons_alone_weigh_when_the_signals_are_missing():
    assert heaviness_of({}, ["negative_emotion"]) == pytest.approx(0.5)
    assert heaviness_of({}, ["sensitive_topic"]) == pytest.approx(0.8)
    assert heaviness_of({}, ["vulnerable_customer"]) == pytest.approx(0.6)
    assert heaviness_of({}, ["complex"]) == pytest.approx(0.2)


def test_vulnerable_customers_first_then_vip_then_business():
    assert priority_of("standard", []) == PRIORITY_STANDARD
    assert priority_of("business", []) == PRIORITY_BUSINESS
    assert priority_of("standard", ["high_value"]) == PRIORITY_BUSINESS
    assert priority_of("vip", []) == PRIORITY_VIP
    assert priority_of("vip", ["vulnerable_customer"]) == PRIORITY_VULNERABLE
    assert priority_of(None, [], {"vulnerability": [{"cue": "elderly_confused"}]}) == PRIORITY_VULNERABLE
    assert priority_of(None, [], {"vulnerability": []}) == PRIORITY_STANDARD
