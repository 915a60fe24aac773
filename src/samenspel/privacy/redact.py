"""Replaces personal data with placeholders before text goes to an outside service, and puts it back in
what comes back: e-mail addresses, phone numbers, IBANs, BSNs (with the 11-test), postcodes with house
numbers, dates of birth and card numbers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}\s?(?:[A-Z0-9]{4}\s?){2,7}[A-Z0-9]{1,4}\b")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?(?:31|32|49)?[\s-]?\(?0?\d{1,3}\)?(?:[\s-]?\d){6,9}\b")
_POSTCODE_ADDRESS = re.compile(r"\b\d{4}\s?[A-Z]{2}\b(?:\s+\d{1,5}\s?[a-zA-Z]?)?")
_DATE = re.compile(r"\b(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:19|20)\d{2}\b")
_NINE_DIGITS = re.compile(r"\b\d{9}\b")
_CARD = re.compile(r"\b(?:\d[ -]?){13,19}\b")


def _is_bsn(number: str) -> bool:
    digits = [int(d) for d in number]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0 and total != 0


@dataclass
class Redacted:
    text: str
    replacements: dict[str, str] = field(default_factory=dict)

    def restore(self, text: str) -> str:
        for placeholder, original in self.replacements.items():
            text = text.replace(placeholder, original)
        return text


_RULES: list[tuple[str, re.Pattern[str], Callable[[str], bool] | None]] = [
    ("EMAIL", _EMAIL, None),
    ("IBAN", _IBAN, None),
    ("CARD", _CARD, lambda s: len(re.sub(r"\D", "", s)) >= 13),
    ("BSN", _NINE_DIGITS, _is_bsn),
    ("DATE", _DATE, None),
    ("POSTCODE", _POSTCODE_ADDRESS, None),
    ("PHONE", _PHONE, lambda s: len(re.sub(r"\D", "", s)) >= 9),
]


def redact(text: str) -> Redacted:
    result = Redacted(text)
    counter = 0
    for kind, pattern, accept in _RULES:

        def replace(match: re.Match[str], kind: str = kind, accept: Callable[[str], bool] | None = accept) -> str:
            nonlocal counter
            value = match.group(0)
            if accept is not None and not accept(value):
                return value
            counter += 1
            placeholder = f"[{kind}_{counter}]"
            result.replacements[placeholder] = value
            return placeholder

        result.text = pattern.sub(replace, result.text)
    return result
