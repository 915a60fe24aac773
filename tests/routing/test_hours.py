"""Opening hours in the organisation's time zone: open or closed, and when the doors open next."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from samenspel.errors import InvalidInput
from samenspel.routing.hours import OpeningHours

AMS = ZoneInfo("Europe/Amsterdam")
WEEKDAYS = OpeningHours.parse("mo-fr 08:30-17:00", "Europe/Amsterdam")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


@pytest.mark.parametrize(
    ("when", "is_open"),
    [
        (local(2026, 11, 23, 8, 29), False),  # Monday, a minute early
        (local(2026, 11, 23, 8, 30), True),
        (local(2026, 11, 23, 16, 59, 59), True),
        (local(2026, 11, 23, 17, 0), False),  # closing time itself is closed
        (local(2026, 11, 28, 11, 0), False),  # Saturday
        (local(2026, 11, 29, 11, 0), False),  # Sunday
    ],
)
def test_open_on_weekdays_during_the_day(when, is_open):
    assert WEEKDAYS.is_open(when) is is_open


def test_the_time_zone_is_the_organisations_not_utc():
    # 08:00 UTC in winter is 09:00 in Amsterdam: open. 16:30 UTC is 17:30 there: closed.
    assert WEEKDAYS.is_open(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
    assert not WEEKDAYS.is_open(datetime(2026, 11, 23, 16, 30, tzinfo=UTC))
    # In summer the offset is two hours: 06:45 UTC is 08:45 in Amsterdam.
    assert WEEKDAYS.is_open(datetime(2026, 6, 15, 6, 45, tzinfo=UTC))


def test_next_opening_over_the_weekend_and_overnight():
    friday_evening = local(2026, 11, 27, 17, 30)
    assert WEEKDAYS.next_open(friday_evening) == local(2026, 11, 30, 8, 30)  # Monday morning
    saturday = local(2026, 11, 28, 12, 0)
    assert WEEKDAYS.next_open(saturday) == local(2026, 11, 30, 8, 30)
    tuesday_early = local(2026, 11, 24, 6, 0)
    assert WEEKDAYS.next_open(tuesday_early) == local(2026, 11, 24, 8, 30)
    # Asked in UTC, answered in the organisation's zone.
    opens = WEEKDAYS.next_open(datetime(2026, 11, 24, 20, 0, tzinfo=UTC))
    assert opens == local(2026, 11, 25, 8, 30)
    assert opens.utcoffset() is not None
    assert opens.utcoffset().total_seconds() == 3600
    # Already open: now.
    now = local(2026, 11, 24, 10, 0)
    assert WEEKDAYS.next_open(now) == now


def test_a_lunch_break_a_short_friday_and_a_saturday_morning():
    hours = OpeningHours.parse("ma-do 08:30-12:00,13:00-17:00; vr 08:30-12:00; sa 10:00-14:00")
    assert not hours.is_open(local(2026, 11, 23, 12, 30))
    assert hours.next_open(local(2026, 11, 23, 12, 30)) == local(2026, 11, 23, 13, 0)
    assert not hours.is_open(local(2026, 11, 27, 14, 0))  # Friday afternoon
    assert hours.next_open(local(2026, 11, 27, 14, 0)) == local(2026, 11, 28, 10, 0)  # Saturday
    assert hours.next_open(local(2026, 11, 28, 15, 0)) == local(2026, 11, 30, 8, 30)  # Sunday closed
    assert hours.open_minutes(local(2026, 11, 23, 0, 0).date()) == 7 * 60 + 30


def test_round_the_clock_and_a_range_over_the_weekend():
    always = OpeningHours.parse("mo-su 00:00-24:00")
    assert always.is_open(local(2026, 11, 29, 3, 0))
    assert always.is_open(local(2026, 11, 29, 23, 59, 59))
    weekend = OpeningHours.parse("fr-mo 10:00-16:00")
    assert weekend.is_open(local(2026, 11, 29, 11, 0))  # Sunday
    assert not weekend.is_open(local(2026, 11, 25, 11, 0))  # Wednesday


def test_the_day_the_clocks_go_forward():
    hours = OpeningHours.parse("su 02:30-04:00")
    # 29 March 2026: 02:00 jumps to 03:00 in Amsterdam; 02:30 does not exist and resolves past the jump.
    opens = hours.next_open(local(2026, 3, 29, 1, 0))
    assert opens.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty"),
        ("monday 08:00-17:00", "expected a day"),
        ("mo 8-17", "expected a time"),
        ("mo 17:00-08:00", "ends before it starts"),
        ("mo 08:00-25:00", "not a time of day"),
        ("mo-fr", "expected days and times"),
    ],
)
def test_a_wrong_spec_says_what_was_expected(spec, message):
    with pytest.raises(InvalidInput, match=message):
        OpeningHours.parse(spec)


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(InvalidInput, match="unknown time zone"):
        OpeningHours.parse("mo-fr 08:30-17:00", "Europe/Samenstad")


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        WEEKDAYS.is_open(datetime(2026, 11, 23, 10, 0))
