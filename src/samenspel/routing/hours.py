"""Opening hours: when people answer. The spec reads like a shop door, in the organisation's time zone.

    mo-fr 08:30-17:00
    mo-th 08:30-12:00,13:00-17:00; fr 08:30-12:00
    mo,we,fr 09:00-17:00; sa 10:00-14:00
    mo-su 00:00-24:00

Day names are two letters (mo tu we th fr sa su; Dutch ma di wo do vr za zo too). Ranges may wrap
(``fr-mo``). A day not named is closed. A day named twice keeps every interval given for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from samenspel.errors import InvalidInput

DAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
_DUTCH = {"ma": "mo", "di": "tu", "wo": "we", "do": "th", "vr": "fr", "za": "sa", "zo": "su"}
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def _minutes(text: str, part: str) -> int:
    match = _TIME.match(text.strip())
    if not match:
        raise InvalidInput(f"expected a time such as 08:30 in opening hours part {part!r}, got {text.strip()!r}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise InvalidInput(f"{text.strip()!r} is not a time of day (00:00 to 24:00) in opening hours part {part!r}")
    return hours * 60 + minutes


def _day(text: str, part: str) -> int:
    name = _DUTCH.get(text, text)
    if name not in DAYS:
        raise InvalidInput(
            f"expected a day such as mo, tu, we, th, fr, sa, su in opening hours part {part!r}, got {text!r}"
        )
    return DAYS.index(name)


def _days(text: str, part: str) -> list[int]:
    found: list[int] = []
    for raw in text.split(","):
        item = raw.strip().lower()
        if "-" in item:
            first, _, last = item.partition("-")
            start, end = _day(first.strip(), part), _day(last.strip(), part)
            span = (end - start) % 7
            found.extend((start + i) % 7 for i in range(span + 1))
        elif item:
            found.append(_day(item, part))
    if not found:
        raise InvalidInput(f"expected days before the times in opening hours part {part!r}")
    return found


@dataclass(frozen=True)
class OpeningHours:
    intervals: tuple[tuple[tuple[int, int], ...], ...]
    """Per weekday (Monday first), the open intervals in minutes since midnight, sorted."""
    zone: ZoneInfo

    @classmethod
    def parse(cls, spec: str, timezone: str = "Europe/Amsterdam") -> OpeningHours:
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidInput(f"unknown time zone {timezone!r}; expected a name such as Europe/Amsterdam") from exc
        days: list[list[tuple[int, int]]] = [[] for _ in DAYS]
        parts = [p.strip() for p in spec.split(";") if p.strip()]
        if not parts:
            raise InvalidInput("the opening hours are empty; expected e.g. 'mo-fr 08:30-17:00'")
        for part in parts:
            pieces = part.split(None, 1)
            if len(pieces) != 2:
                raise InvalidInput(f"expected days and times such as 'mo-fr 08:30-17:00', got {part!r}")
            day_text, times_text = pieces
            spans: list[tuple[int, int]] = []
            for span in times_text.split(","):
                start_text, dash, end_text = span.partition("-")
                if not dash:
                    raise InvalidInput(f"expected a time range such as 08:30-17:00 in {part!r}, got {span.strip()!r}")
                start, end = _minutes(start_text, part), _minutes(end_text, part)
                if end <= start:
                    raise InvalidInput(f"the range {span.strip()!r} in {part!r} ends before it starts")
                spans.append((start, end))
            for day in _days(day_text, part):
                days[day].extend(spans)
        return cls(tuple(tuple(sorted(d)) for d in days), zone)

    def _local(self, when: datetime) -> datetime:
        if when.tzinfo is None:
            raise ValueError("naive datetime given; opening hours need a timezone-aware time")
        return when.astimezone(self.zone)

    def is_open(self, when: datetime) -> bool:
        local = self._local(when)
        minute = local.hour * 60 + local.minute + local.second / 60
        return any(start <= minute < end for start, end in self.intervals[local.weekday()])

    def next_open(self, when: datetime) -> datetime:
        """``when`` itself when open, else the next moment the doors open (in the organisation's zone)."""
        if self.is_open(when):
            return when
        local = self._local(when)
        minute = local.hour * 60 + local.minute + local.second / 60
        for offset in range(8):
            day: date = local.date() + timedelta(days=offset)
            for start, _end in self.intervals[day.weekday()]:
                if offset == 0 and start <= minute:
                    continue
                opening = datetime.combine(day, time(start // 60, start % 60), tzinfo=self.zone)
                # A wall-clock time skipped by a DST jump resolves to the instant after it.
                return opening.astimezone(self.zone)
        raise InvalidInput("the opening hours name no open time at all")

    def open_minutes(self, day: date) -> int:
        return sum(end - start for start, end in self.intervals[day.weekday()])
