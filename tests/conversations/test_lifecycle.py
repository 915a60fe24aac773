from __future__ import annotations

import itertools

import pytest

from samenspel.conversations.lifecycle import ALLOWED, can_transition, check_transition
from samenspel.errors import InvalidTransition

STATUSES = ["assistant", "waiting", "assigned", "closed"]
EXPECTED = {
    ("assistant", "waiting"),
    ("assistant", "assigned"),
    ("assistant", "closed"),
    ("waiting", "assigned"),
    ("waiting", "closed"),
    ("assigned", "assigned"),
    ("assigned", "waiting"),
    ("assigned", "closed"),
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(STATUSES, STATUSES)))
def test_only_the_lifecycle_moves_are_allowed(current, target):
    assert can_transition(current, target) == ((current, target) in EXPECTED)
    if (current, target) in EXPECTED:
        check_transition(current, target)
    else:
        with pytest.raises(InvalidTransition) as caught:
            check_transition(current, target)
        assert current in caught.value.message or "closed" in caught.value.message


def test_closed_is_final_and_says_what_to_do():
    assert ALLOWED["closed"] == frozenset()
    with pytest.raises(InvalidTransition, match="start a new conversation"):
        check_transition("closed", "assigned")
