from __future__ import annotations

import json

from samenspel.understanding.signals import EmbeddedUnderstanding, Inbound, Signals


def test_understanding_fills_every_signal_with_its_cues():
    repeat = {"earlier": [{"conversation_id": "c-1", "groups": ["afval"], "at": "2026-01-05T10:00:00+00:00"}]}
    inbound = Inbound(
        "Mijn man is vorige week overleden. Ik ben 84 en heb geen computer. "
        "Hoe zeg ik zijn abonnement op en wat kost een parkeervergunning?",
        repeat=repeat,
    )
    signals = EmbeddedUnderstanding().understand(inbound)
    assert signals.emotion.label == "sadness"
    assert signals.sensitive == [
        {"topic": "bereavement", "severity": "acute", "cue": "Mijn man is vorige week overleden"}
    ]
    assert {v["kind"] for v in signals.vulnerability} == {"age_confusion", "no_digital"}
    assert signals.question_count == 2
    assert signals.questions == ["Hoe zeg ik zijn abonnement op?", "Wat kost een parkeervergunning?"]
    assert [c["kind"] for c in signals.commercial] == ["cancel"]
    assert signals.repeat_contact == repeat
    assert signals.question_topics == []
    assert signals.intent is None
    # "geen computer" is about the customer's means, not a request for a person.
    assert not signals.asks_for_person
    data = json.loads(json.dumps(signals.as_dict()))
    assert data["emotion"]["scores"]["sadness"] == signals.emotion.intensity
    assert data["sensitive"][0]["severity"] == "acute"


def test_a_plain_question_has_quiet_signals():
    signals = EmbeddedUnderstanding().understand(Inbound("Hoe laat zijn jullie open?"))
    assert signals.emotion.label is None
    assert signals.sensitive == []
    assert signals.vulnerability == []
    assert signals.commercial == []
    assert signals.question_count == 1
    assert signals.repeat_contact is None


def test_signals_built_by_other_code_keep_their_defaults():
    signals = Signals("nl", 1.0, [("nl", 1.0)], False, [], "standard", 3)
    assert signals.question_count == 1
    assert signals.sensitive == []
    json.dumps(signals.as_dict())
