"""How much a reply speaks in a Conversational Human Voice (CHV), and where.

CHV (Kelleher & Miller 2006; Kelleher 2009) is the engaging, personal style that makes webcare work. We
find its linguistic elements in the three categories used to code Dutch webcare by van Hooijdonk &
Liebrecht (2018) and Liebrecht & van Hooijdonk (2020):

- personalisation: greeting, the customer's ``name``, the organisation as a person (``signature`` or
  ``organisation_pronoun``), ``direct_address``;
- invitational rhetoric: ``acknowledgement``, ``sympathy``, ``thanks``, ``apology``, ``invitation``,
  ``well_wishing``;
- informal speech: ``informal_pronoun`` (Dutch je/jij), ``exclamation``, ``emoji``, ``interjection``,
  ``contraction`` (English), ``colloquial``.

Phrases come from ``lexicons/chv_<language>.yaml``, which an organisation can read and extend; names,
signatures, exclamation marks and emoji are found by the code below.

The score, explained
    Each category scores the share of its slots that the reply fills, and is full at a set number:
    personalisation has four slots (greeting, name, the organisation as a person, direct address) and is
    full at four; invitational rhetoric is full at three of its six elements (nobody apologises, thanks,
    sympathises and wishes well in one reply); informal speech is full at two of its kinds. Informal
    speech overdone (a run like "!!", or more exclamation marks, emoji or interjections than
    ``2 + words // 100``) halves the informal score for each kind overdone, so too much never scores
    higher than a little. The score is ``0.4 personalisation + 0.4 invitational + 0.2 informal``; with
    ``informal_allowed=False`` informal speech neither adds nor is required, and the score is
    ``0.5 personalisation + 0.5 invitational``. Informal elements are still listed, and the informal
    category still reported, so feedback can point at them.

    Languages without a lexicon (``language="other"``) are scored from the cues that need none: the
    customer's name (when given), a "^AB" signature, exclamation marks and emoji. Categories are then
    scored over the slots that can be seen and the weights renormalised over the categories that can be
    seen; invitational rhetoric reads 0.0 there because it cannot be seen, not because it is absent.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_LEXICONS = Path(__file__).parent / "lexicons"
LANGUAGES = ("nl", "en")

WEIGHTS = {"personalisation": 0.4, "invitational": 0.4, "informal": 0.2}
# Each slot is filled by any one of its elements.
_SLOTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "personalisation": (("greeting",), ("name",), ("organisation_pronoun", "signature"), ("direct_address",)),
    "invitational": (
        ("acknowledgement",),
        ("sympathy",),
        ("thanks",),
        ("apology",),
        ("invitation",),
        ("well_wishing",),
    ),
    "informal": (
        ("informal_pronoun",),
        ("exclamation",),
        ("emoji",),
        ("interjection",),
        ("contraction",),
        ("colloquial",),
    ),
}
_FULL_AT = {"personalisation": 4, "invitational": 3, "informal": 2}
CATEGORY_OF = {name: cat for cat, slots in _SLOTS.items() for slot in slots for name in slot}
_FOUND_BY_CODE = frozenset({"name", "signature", "exclamation", "emoji"})
_LANGUAGE_NEUTRAL = _FOUND_BY_CODE
_LEXICON_ELEMENTS = frozenset(CATEGORY_OF) - _FOUND_BY_CODE
# Informal kinds that can be overdone, each halving the informal score.
_OVERDONE_KINDS = ("exclamation", "emoji", "interjection")


@dataclass(frozen=True)
class Element:
    category: str
    name: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ChvScore:
    score: float
    personalisation: float
    invitational: float
    informal: float
    elements: list[Element]
    language: str

    def found(self) -> set[str]:
        return {e.name for e in self.elements}


# --- text preparation ------------------------------------------------------------------------------

# Same-length replacements, so offsets into the prepared text are offsets into the original.
_SAME_LENGTH = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00a0": " ", "\u202f": " ", "\u2007": " "})
# Markdown and markup whose words are not the reply's voice: code, link targets, URLs, addresses, tags.
_MASKED = re.compile(
    r"```.*?(?:```|\Z)"
    r"|`[^`\n]*`"
    r"|\]\([^)\n]*\)"
    r"|<(?:https?://|mailto:)[^<>\s]*>"
    r"|</?[A-Za-z][^<>\n]*>"
    r"|(?:https?://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+\.[\w.-]+",
    re.DOTALL,
)
_NOT_NEWLINE = re.compile(r"[^\n]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def _prepare(text: str) -> str:
    plain = text.translate(_SAME_LENGTH)
    return _MASKED.sub(lambda m: _NOT_NEWLINE.sub(" ", m.group()), plain)


# Where sentences (and lines) start: after a boundary, past spaces and Markdown marks, at a word. An emoji
# before a word ("👋 Hoi") also opens a new line of thought.
_SENTENCE_START = re.compile(r"(?:\A|[\n.!?:;]|[^\x00-\x7f\w])[\s*_#>~`\"'(\[+|\u201c\u201e-]*(?=[\w'])")


def _sentence_starts(text: str) -> list[int]:
    return [m.end() for m in _SENTENCE_START.finditer(text)]


# --- lexicons --------------------------------------------------------------------------------------


_Patterns = tuple[tuple[str, re.Pattern[str]], ...]


@dataclass(frozen=True)
class _Lexicon:
    language: str
    # "anywhere" patterns are tried only at word starts whose first character they can begin with
    # (a few per word instead of every pattern at every character: most of the speed).
    by_first: dict[str, _Patterns]  # key: a lower-case ASCII character
    dispatched: _Patterns  # all patterns in by_first, tried at words that start outside ASCII
    scanned: _Patterns  # patterns whose first character we cannot tell: searched through the text
    sentence_start: dict[str, re.Pattern[str]]
    closings: re.Pattern[str] | None
    introductions: re.Pattern[str] | None
    titles: str | None
    not_a_name: frozenset[str]
    not_a_signer: frozenset[str]
    function_words: frozenset[str]
    measurable: frozenset[str]


def _strings(path: Path, where: str, value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{path.name}: expected a list of phrases under {where}, got {type(value).__name__}")
    odd = [v for v in value if not isinstance(v, str)]
    if odd:  # YAML reads bare yes/no/on/off as booleans and bare numbers as numbers
        raise ValueError(f"{path.name}: quote these entries under {where}: {odd}")
    return value


def _alternation(path: Path, where: str, patterns: list[str]) -> str:
    # Longer entries first, so that "dank je wel" wins over "dank".
    alternation = "|".join(f"(?:{p})" for p in sorted(patterns, key=len, reverse=True))
    try:
        re.compile(alternation, re.IGNORECASE)
    except re.error:
        for p in patterns:  # name the entry at fault
            try:
                re.compile(p, re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"{path.name}: bad pattern under {where}: {p!r}: {exc}") from exc
        raise ValueError(f"{path.name}: the patterns under {where} do not combine") from None
    return alternation


def _whole_words(alternation: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


# The standard library's own regular-expression parser, to read which characters a pattern can start with.
_sre: Any = importlib.import_module("re._parser")
_ASCII_WORD_CHARS = tuple(c for c in map(chr, range(128)) if re.fullmatch(r"[\w']", c))
_MAX_RANGE = 1000


def _first_codepoints(items: Any) -> tuple[set[int], bool] | None:
    """Code points a match of parsed ``items`` can start with, and whether it can be empty; None: unknown."""
    out: set[int] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            out.add(av)
            return out, False
        if op is _sre.IN:
            for kind, value in av:
                if kind is _sre.LITERAL:
                    out.add(value)
                elif kind is _sre.RANGE and value[1] - value[0] <= _MAX_RANGE:
                    out.update(range(value[0], value[1] + 1))
                else:
                    return None
            return out, False
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue
        if op is _sre.BRANCH:
            alternatives, optional = av[1], False
        elif op is _sre.SUBPATTERN:
            alternatives, optional = [av[3]], False
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            alternatives, optional = [av[2]], av[0] == 0
        elif op is _sre.ATOMIC_GROUP:
            alternatives, optional = [av], False
        else:
            return None
        for alternative in alternatives:
            found = _first_codepoints(alternative)
            if found is None:
                return None
            out |= found[0]
            optional = optional or found[1]
        if not optional:
            return out, False
    return out, True


def _start_keys(pattern: str) -> frozenset[str] | None:
    """The lower-case ASCII characters a case-insensitive match of ``pattern`` can start with.

    None when a match may start with something other than a word character or an apostrophe, or when the
    pattern is too unusual to tell; such patterns are searched through the whole text instead.
    """
    try:
        found = _first_codepoints(_sre.parse(pattern, re.IGNORECASE))
    except Exception:  # an unfamiliar parser: fall back to searching
        return None
    if found is None or found[1]:
        return None
    chars = [chr(c) for c in found[0]]
    if not all(re.fullmatch(r"[\w']", c) for c in chars):
        return None
    one_of = re.compile("[" + "".join(map(re.escape, chars)) + "]", re.IGNORECASE)
    return frozenset(a.lower() for a in _ASCII_WORD_CHARS if one_of.fullmatch(a))


def _section(path: Path, data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise ValueError(f"{path.name}: expected a mapping under {key}, got {type(value).__name__}")
    return value


_YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=4)
def _lexicon(language: str) -> _Lexicon:
    path = _LEXICONS / f"chv_{language}.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping with 'elements' at the top")
    by_first: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    dispatched: list[tuple[str, re.Pattern[str]]] = []
    scanned: list[tuple[str, re.Pattern[str]]] = []
    sentence_start: dict[str, re.Pattern[str]] = {}
    for name, spec in _section(path, data, "elements").items():
        if name not in _LEXICON_ELEMENTS:
            known = ", ".join(sorted(_LEXICON_ELEMENTS))
            raise ValueError(f"{path.name}: unknown element {name!r}; expected one of {known}")
        if not isinstance(spec, dict) or not set(spec) <= {"anywhere", "sentence_start"}:
            raise ValueError(f"{path.name}: expected 'anywhere:' and/or 'sentence_start:' under {name}")
        patterns = _strings(path, f"{name}.sentence_start", spec.get("sentence_start"))
        if patterns:
            sentence_start[name] = _whole_words(_alternation(path, f"{name}.sentence_start", patterns))
        patterns = _strings(path, f"{name}.anywhere", spec.get("anywhere"))
        if not patterns:
            continue
        alternation = _alternation(path, f"{name}.anywhere", patterns)
        entry = (name, _whole_words(alternation))
        keys = _start_keys(alternation)
        if keys is None:
            scanned.append(entry)
            continue
        dispatched.append(entry)
        for key in keys:
            by_first.setdefault(key, []).append(entry)
    signature = _section(path, data, "signature")
    names = _section(path, data, "names")
    closings = _strings(path, "signature.closings", signature.get("closings"))
    introductions = _strings(path, "signature.introductions", signature.get("introductions"))
    titles = _strings(path, "names.titles", names.get("titles"))
    not_a_name = frozenset(w.casefold() for w in _strings(path, "names.not_a_name", names.get("not_a_name")))
    return _Lexicon(
        language=language,
        by_first={key: tuple(entries) for key, entries in by_first.items()},
        dispatched=tuple(dispatched),
        scanned=tuple(scanned),
        sentence_start=sentence_start,
        closings=_whole_words(_alternation(path, "signature.closings", closings)) if closings else None,
        introductions=(
            _whole_words(_alternation(path, "signature.introductions", introductions)) if introductions else None
        ),
        titles=_alternation(path, "names.titles", titles) if titles else None,
        not_a_name=not_a_name,
        not_a_signer=not_a_name
        | {w.casefold() for w in _strings(path, "signature.not_a_person", signature.get("not_a_person"))},
        function_words=frozenset(w.casefold() for w in _strings(path, "function_words", data.get("function_words"))),
        measurable=frozenset(name for name, _ in dispatched + scanned) | frozenset(sentence_start) | _FOUND_BY_CODE,
    )


# --- language --------------------------------------------------------------------------------------

# Share of a message's words that must be function words of a language before we call it that language.
_MIN_FUNCTION_SHARE = 0.15


def _resolve_language(language: str | None, words: list[str]) -> str:
    if language:
        primary = language.strip().lower().replace("_", "-").split("-")[0]
        return primary if primary in LANGUAGES else "other"
    folded = [w.casefold() for w in words]
    hits = {lang: sum(map(_lexicon(lang).function_words.__contains__, folded)) for lang in LANGUAGES}
    best = max(LANGUAGES, key=lambda lang: hits[lang])  # ties go to Dutch, the first language
    if hits[best] == 0 or hits[best] < _MIN_FUNCTION_SHARE * len(folded):
        return "other"
    return best


# --- finding elements ------------------------------------------------------------------------------

# While searching, an element is (name, start, end); it becomes an Element once, at the end.
_Span = tuple[str, int, int]

_WORD_START = re.compile(r"(?<!\w)[\w']")
_NAME_WORD = r"[^\W\d_][\w'-]*"
_PARTICLES = r"(?:van|de|der|den|het|ten|ter|te|in|'t|von|di|da|du|le|la|el|al|bin|ben|op)"
_SURNAME = rf"(?:{_PARTICLES}[ \t]+)*{_NAME_WORD}"
_EXCLAMATION = re.compile(r"!+(?!\[)")
_INITIALS = re.compile(r"(?<![\w^])\^(?:[A-Z]{1,3}|[A-Z][a-z]+)(?!\w)")
_PICTO = (
    "\U0001f300-\U0001f6ff\U0001f900-\U0001f9ff\U0001fa70-\U0001faff"
    "\u2600\u2614\u2615\u263a\u2639\u2728\u2b50\u270c\u270b\u261d\u2764\u2705\u26a1"
)
_ONE_EMOJI = rf"[{_PICTO}](?:[\U0001f3fb-\U0001f3ff]|\ufe0f)*"
_EMOJI = re.compile(
    rf"{_ONE_EMOJI}(?:\u200d{_ONE_EMOJI})*"
    r"|[\U0001f1e6-\U0001f1ff]{2}"
    r"|(?<!\S)(?:[:;=][-'^o]?[)(DPp\]\[/|*3]|[xX]D|\^_?\^|<3)(?=[\s.,!?]|$)"
)
_AFTER_CLOSING = re.compile(
    rf"[ \t]*[,:\-\u2013\u2014]?[ \t*_]*(?:\n[ \t*_]*){{0,2}}(?P<first>{_NAME_WORD})"
    rf"(?:[ \t]+(?P<rest>{_SURNAME}))?"
)
# A signed name ends its line ("Groet, Anna", "Anna :)") or goes on with where the signer works ("Anna van
# team Webcare", "Tom | Customer Service"), unlike "Thanks, Anna! We'll send it today."
_SIGNED_LINE_END = re.compile(
    r"(?:[^\w\n!?]*|[ \t]*(?:[(/|@\-\u2013\u2014]|(?:van|namens|from|of|at)\b)[^\n!?]*)(?:\n|\Z)",
    re.IGNORECASE,
)
# ... and closes the message: after it comes at most a short block (function, organisation, phone).
_SIGNATURE_TAIL = 200
_AFTER_INTRODUCTION = re.compile(rf"[ \t]+(?P<first>{_NAME_WORD})")


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


@lru_cache(maxsize=8)
def _after_greeting(titles: str | None) -> re.Pattern[str]:
    titled = rf"(?P<title>{titles})\.?[ \t]+(?P<surname>{_SURNAME})|" if titles else ""
    return re.compile(rf"[ \t*_]+(?:{titled}(?P<first>{_NAME_WORD}))", re.IGNORECASE)


@lru_cache(maxsize=256)
def _customer_name_pattern(customer_name: str, titles: str | None) -> re.Pattern[str] | None:
    parts = customer_name.split()
    if titles and parts and re.fullmatch(rf"(?:{titles})\.?", parts[0], re.IGNORECASE):
        parts = parts[1:]  # "Dhr. Jansen": the title is not his first name
    if not parts:
        return None
    first = parts[0] if len(parts[0].strip(".")) > 1 and _capitalised(parts[0]) else None
    surname = parts[1:] if first else parts
    options = [r"[ \t]+".join(map(re.escape, parts))]
    if titles and surname:
        options.append(rf"(?:{titles})\.?[ \t]+" + r"[ \t]+".join(map(re.escape, surname)))
    if first:
        options.append(re.escape(first))
    return re.compile(rf"(?<!\w)(?:{'|'.join(options)})(?!\w)", re.IGNORECASE)


def _lexicon_spans(text: str, lexicon: _Lexicon, starts: list[int]) -> list[_Span]:
    found = [
        (name, m.start(), m.end())
        for name, pattern in lexicon.scanned
        for m in pattern.finditer(text)
        if m.end() > m.start()
    ]
    for word in _WORD_START.finditer(text):
        pos, ch = word.start(), word.group()
        for name, pattern in lexicon.by_first.get(ch.lower(), ()) if ch.isascii() else lexicon.dispatched:
            m = pattern.match(text, pos)
            if m and m.end() > pos:
                found.append((name, pos, m.end()))
    for name, pattern in lexicon.sentence_start.items():
        for pos in starts:
            m = pattern.match(text, pos)
            if m and m.end() > pos:
                found.append((name, pos, m.end()))
    return found


def _name_spans(text: str, lexicon: _Lexicon | None, customer_name: str | None, greetings: list[_Span]) -> list[_Span]:
    titles = lexicon.titles if lexicon else None
    given = customer_name.strip() if customer_name else ""
    pattern = _customer_name_pattern(given, titles) if given else None
    if pattern is not None:
        return [
            ("name", m.start(), m.end())
            for m in pattern.finditer(text)
            # "Will" the customer is not "we will"; a name written as the customer wrote it always counts.
            if any(c.isupper() for c in m.group()) or m.group() == given
        ]
    if lexicon is None:
        return []
    found = []
    after = _after_greeting(titles)
    for _, _, greeting_end in greetings:
        m = after.match(text, greeting_end)
        if not m:
            continue
        if m.group("first"):
            word, start = m.group("first"), m.start("first")
            if not _capitalised(word) or word.casefold() in lexicon.not_a_name:
                continue
        elif _capitalised(m.group("surname").split()[-1]):
            start = m.start("title")
        else:
            continue
        found.append(("name", start, m.end()))
    return found


def _signature_spans(text: str, lexicon: _Lexicon | None, starts: list[int]) -> list[_Span]:
    found = [("signature", m.start(), m.end()) for m in _INITIALS.finditer(text)]
    if lexicon is None:
        return found
    not_a_person = lexicon.not_a_signer
    if lexicon.closings is not None:
        for pos in starts:
            closing = lexicon.closings.match(text, pos)
            m = _AFTER_CLOSING.match(text, closing.end()) if closing else None
            if not m or not _capitalised(m.group("first")) or m.group("first").casefold() in not_a_person:
                continue
            end = m.end("first")
            last = m.group("rest").split()[-1] if m.group("rest") else ""
            if _capitalised(last) and last.casefold() not in not_a_person:
                end = m.end("rest")
            if _SIGNED_LINE_END.match(text, end) and len(text) - end <= _SIGNATURE_TAIL:
                found.append(("signature", pos, end))
    if lexicon.introductions is not None:
        for intro in lexicon.introductions.finditer(text):
            m = _AFTER_INTRODUCTION.match(text, intro.end())
            if m and _capitalised(m.group("first")) and m.group("first").casefold() not in not_a_person:
                found.append(("signature", intro.start(), m.end()))
    return found


def _overlaps(span: _Span, others: list[_Span]) -> bool:
    return any(span[1] < o[2] and o[1] < span[2] for o in others)


def _without_overlaps(spans: list[_Span]) -> list[_Span]:
    """Per element name, keep the longest of overlapping matches (one phrase, one element)."""
    by_name: dict[str, list[_Span]] = {}
    for span in spans:
        by_name.setdefault(span[0], []).append(span)
    kept: list[_Span] = []
    for group in by_name.values():
        group.sort(key=lambda s: s[1])
        cluster: list[_Span] = []
        for span in group:
            if cluster and span[1] >= max(s[2] for s in cluster):
                kept += _longest_first(cluster)
                cluster = []
            cluster.append(span)
        kept += _longest_first(cluster)
    return sorted(kept, key=lambda s: (s[1], s[2], s[0]))


def _longest_first(cluster: list[_Span]) -> list[_Span]:
    if len(cluster) == 1:
        return cluster
    chosen: list[_Span] = []
    for span in sorted(cluster, key=lambda s: (s[1] - s[2], s[1])):
        if not _overlaps(span, chosen):
            chosen.append(span)
    return chosen


# --- scoring ---------------------------------------------------------------------------------------


def _overdone(spans: list[_Span], words: int) -> int:
    allowed = 2 + words // 100
    counts = dict.fromkeys(_OVERDONE_KINDS, 0)
    run = False
    for name, start, end in spans:
        if name == "exclamation":
            counts[name] += end - start
            run = run or end - start > 1
        elif name in counts:
            counts[name] += 1
    return sum(1 for kind, n in counts.items() if n > allowed or (kind == "exclamation" and run))


def score(
    text: str,
    language: str | None = None,
    *,
    customer_name: str | None = None,
    informal_allowed: bool = True,
) -> ChvScore:
    """Find the CHV elements in a reply and score it 0–1; see the module docstring for the formula.

    ``language`` is "nl", "en" or anything else ("other"); ``None`` guesses nl/en/other from function
    words. When ``customer_name`` is given only that name counts as addressing the customer by name;
    without it a capitalised word after a greeting does ("Beste Fatima", "Dear Mr Smith").
    """
    prepared = _prepare(text)
    words = _WORD.findall(prepared)
    lang = _resolve_language(language, words)
    lexicon = _lexicon(lang) if lang in LANGUAGES else None
    starts = _sentence_starts(prepared)

    spans = _lexicon_spans(prepared, lexicon, starts) if lexicon else []
    signatures = _signature_spans(prepared, lexicon, starts)
    greetings = [s for s in spans if s[0] == "greeting"]
    spans += signatures
    spans += [s for s in _name_spans(prepared, lexicon, customer_name, greetings) if not _overlaps(s, signatures)]
    spans += [("exclamation", m.start(), m.end()) for m in _EXCLAMATION.finditer(prepared)]
    spans += [("emoji", m.start(), m.end()) for m in _EMOJI.finditer(prepared)]
    spans = _without_overlaps(spans)
    elements = [Element(CATEGORY_OF[name], name, text[start:end], start, end) for name, start, end in spans]

    found = {name for name, _, _ in spans}
    measurable = lexicon.measurable if lexicon else _LANGUAGE_NEUTRAL
    categories: dict[str, float] = {}
    weights: dict[str, float] = {}
    for category, slots in _SLOTS.items():
        usable = [slot for slot in slots if any(n in measurable for n in slot)]
        if not usable:
            categories[category] = 0.0
            continue
        filled = sum(1 for slot in usable if any(n in found for n in slot))
        value = min(1.0, filled / min(_FULL_AT[category], len(usable)))
        if category == "informal":
            value *= 0.5 ** _overdone(spans, len(words))
        categories[category] = value
        if category != "informal" or informal_allowed:
            weights[category] = WEIGHTS[category]
    total = sum(weights[c] * categories[c] for c in weights) / sum(weights.values()) if weights else 0.0
    return ChvScore(
        score=round(total, 4),
        personalisation=round(categories["personalisation"], 4),
        invitational=round(categories["invitational"], 4),
        informal=round(categories["informal"], 4),
        elements=elements,
        language=lang,
    )
