"""Plain-language check for knowledge articles: Dutch at B1 level and plain English.

``check(text, language)`` reads a Markdown article the way a resident reads it and reports what makes it
harder than it needs to be, with character offsets into the original string so the editor can highlight
each point. Everything here is a heuristic over hand-written word lists (``lexicons/``); nothing is learned
and nothing is downloaded.

What is read. Front matter, fenced and indented code, inline code, URLs (also bare ``samenstad.nl/afval``),
e-mail addresses, link targets, images, HTML tags and Markdown markers are blanked out (replaced by spaces
in a copy of the same length, so offsets stay valid). Headings, list items and table cells are sentences
of their own; paragraphs are split on ``. ! ?`` followed by a capital, a digit or a quote, except after
known abbreviations ("bijv.", "o.a.", "e.g.") and initials.

Offsets are Python string indices (code points). A JavaScript editor counts UTF-16 units, so text with
characters outside the Basic Multilingual Plane (emoji) needs converting there.

The checks, per issue kind:

- ``long_sentence``: more than 20 words (Dutch; B1 guidance is about 15 on average) or 25 (English).
- ``long_word``: 13 or more letters in Dutch, or 4+ syllables / 13+ letters in English, unless the word
  is on the common-word list or (Dutch) is a compound of at most two common words ("parkeervergunning",
  "gemeentehuis"). Words of 20+ letters are flagged unless on the list.
- ``rare_word``: five or more letters and not on the common-word list, also not after removing inflection
  ("aanvragen", "aangevraagd", "huizen") and not as a compound of common words. Capitalised words inside
  a sentence are taken to be names and skipped.
- ``passive``: Dutch: a form of *worden* with a past participle in the same clause ("wordt verstrekt",
  "zal worden opgehaald", "dat verstrekt wordt"). A form of *zijn* counts only with a participle from a
  list of transitive verbs ("is aangevraagd", "zijn verstuurd") or with a *door*-agent, because
  *zijn* + participle is very often an adjective ("het loket is gesloten") or the perfect of a verb of
  motion or change ("hij is verhuisd", "uw paspoort is verlopen"). English: a form of *be* (skipping
  adverbs such as "not", "usually") and an -ed or irregular participle, except adjectival ones ("is
  closed", "is located", "are interested"). Precision is preferred over recall: missed passives are
  more acceptable than wrong ones.
- ``officialese``: words and phrases from ``officialese_<lang>.yaml`` with the plain alternative as the
  suggestion ("indien" -> "als", "dient ... te" -> "moet").
- ``jargon_abbreviation``: an all-capitals abbreviation that is not generally known and not explained
  in the text ("burgerservicenummer (BSN)" counts as explained); flagged at its first use.
- ``impersonal`` (Dutch): "men" instead of addressing the reader with "u".
- ``mixed_address`` (Dutch): the text addresses the reader mostly as "u" but sometimes as "je" (or the
  other way round); the minority form is flagged.
- ``long_paragraph``: a paragraph or list item of more than 80 words (at B1, three to six short
  sentences on one topic make a paragraph of 30-70 words).

Statistics. ``words`` counts words and numbers outside the blanked parts; ``sentences`` includes headings,
list items and table cells; ``long_words_share`` is the share of words of 13 or more letters (Dutch) or
three or more syllables (English, as in the Gunning fog index).

The level. The reading-ease formula is Flesch-Douma for Dutch (206.835 - 0.93 x words per sentence
- 77 x syllables per word) and Flesch Reading Ease for English (206.835 - 1.015 x words per sentence
- 84.6 x syllables per word), clamped to 0-100. Syllables are counted from vowel groups (Dutch: with
its diphthongs, "ij" and diaeresis). The issues add a second part, the density of weighted issues per
100 words (at least 30 words are counted; 0 is clean, 10 or more is the worst)::

    score = 0.6 x ease / 100 + 0.4 x (1 - min(density, 10) / 10)

Weights in the density: a long sentence 1.5; officialese and a long paragraph 1; a passive 0.75; a long
or rare word, an abbreviation and "men" 0.5; a switch between "u" and "je" 0.25.

Labels: Dutch "B1 of lager" (score >= 0.62), "B2" (>= 0.45), "C1 of hoger" (below); English "plain",
"fairly plain", "hard" at the same thresholds. Whatever the score, an average over 20 words per
sentence (Dutch) or 25 (English) is never the easiest label. This estimates; it does not certify a CEFR
level: the thresholds were set on plain and officialese sample articles, and the formula knows nothing
of meaning, structure or the reader's topic knowledge. Texts under 30 words get a rough estimate, and
the summary says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from samenspel.errors import InvalidInput

LANGUAGES = ("nl", "en")
LEVELS = {"nl": ("B1 of lager", "B2", "C1 of hoger"), "en": ("plain", "fairly plain", "hard")}

_LEXICONS = Path(__file__).parent / "lexicons"
_EASY, _MEDIUM = 0.62, 0.45
_SHORT_TEXT = 30
_SENTENCE_LIMIT = {"nl": 20, "en": 25}
_LONG_WORD_LETTERS = 13
_ALWAYS_LONG_LETTERS = 20
_PARAGRAPH_WORDS = 80
_MIN_RARE_LETTERS = 5
# How much each kind of issue weighs in the density (issues per 100 words).
_WEIGHTS = {
    "long_sentence": 1.5,
    "officialese": 1.0,
    "long_paragraph": 1.0,
    "passive": 0.75,
    "long_word": 0.5,
    "rare_word": 0.5,
    "jargon_abbreviation": 0.5,
    "impersonal": 0.5,
    "mixed_address": 0.25,
}


@dataclass(frozen=True)
class Issue:
    kind: str
    message: str
    start: int
    end: int
    excerpt: str
    suggestion: str | None


@dataclass(frozen=True)
class Report:
    language: str
    level: str
    score: float
    sentences: int
    words: int
    average_sentence_length: float
    long_words_share: float
    issues: list[Issue]
    summary: str


def check(text: str, language: str, *, interface_language: str = "nl") -> Report:
    """Check a Markdown article written in ``language`` ("nl" or "en"); messages in ``interface_language``."""
    lang = _language(language, "language")
    ui = _language(interface_language, "interface_language")
    lexicon = _lexicon(lang)
    masked, blocks = _parse(text)
    sentences = _sentences(masked, blocks)
    words = [t for s in sentences for t in s.tokens]

    issues: list[Issue] = []
    official = _officialese(text, masked, sentences, lexicon, ui)
    issues.extend(official)
    covered = [(i.start, i.end) for i in official]
    issues.extend(_long_sentences(text, sentences, lang, ui))
    issues.extend(_passives(text, masked, sentences, lang, ui))
    issues.extend(_words(text, sentences, lexicon, ui, covered))
    issues.extend(_long_paragraphs(text, sentences, blocks, ui))
    if lang == "nl":
        issues.extend(_address(text, sentences, ui))
    issues.sort(key=lambda i: (i.start, i.end, i.kind))

    letter_words = [t for t in words if not t.is_number]
    syllables = sum(_syllables(t.lower, lang) for t in letter_words)
    n_sentences = len(sentences)
    n_words = len(words)
    asl = n_words / n_sentences if n_sentences else 0.0
    asw = syllables / len(letter_words) if letter_words else 0.0
    long_share = sum(1 for t in letter_words if _is_long(t, lang)) / n_words if n_words else 0.0
    # Flesch-Douma (Dutch) and Flesch Reading Ease (English).
    ease = 206.835 - 0.93 * asl - 77 * asw if lang == "nl" else 206.835 - 1.015 * asl - 84.6 * asw
    ease = min(max(ease, 0.0), 100.0) if n_words else 100.0
    # Per 100 words, counting at least _SHORT_TEXT words so that one point cannot dominate a short text.
    density = 100 * sum(_WEIGHTS.get(i.kind, 0.5) for i in issues) / max(n_words, _SHORT_TEXT)
    score = round(0.6 * ease / 100 + 0.4 * (1 - min(density, 10.0) / 10), 3)
    labels = LEVELS[lang]
    if score >= _EASY and asl <= _SENTENCE_LIMIT[lang]:
        level = labels[0]
    elif score >= _MEDIUM:
        level = labels[1]
    else:
        level = labels[2]
    return Report(
        language=lang,
        level=level,
        score=score,
        sentences=n_sentences,
        words=n_words,
        average_sentence_length=round(asl, 1),
        long_words_share=round(long_share, 3),
        issues=issues,
        summary=_summary(level, asl, n_words, issues, ui),
    )


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _language(value: str, name: str) -> str:
    code = value.strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        raise InvalidInput(f"expected {name} 'nl' or 'en', got {value!r}", field=name)
    return code


# --- Markdown: blank out what a reader does not read, keep offsets -------------------------------------


@dataclass
class _Block:
    start: int
    end: int
    kind: str  # "paragraph", "heading", "item" or "cell"


@dataclass(frozen=True)
class _Token:
    text: str
    lower: str
    start: int
    end: int
    is_number: bool
    first: bool  # first word of its sentence


@dataclass
class _Sentence:
    start: int
    end: int
    block: int
    tokens: list[_Token] = field(default_factory=list)


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^( {0,3}#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+\[[ xX]\])?(?:[ \t]+|$)")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S+.*$")
_RULE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$")
_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")

_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_INLINE_CODE = re.compile(r"(`+)[^`\n].*?\1")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"(?<!!)\[([^\]\n]*)\](\((?:[^()\n]|\([^()\n]*\))*\)|\[[^\]\n]*\])")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:|www\.)[^>\s]*>|<[^>@\s]+@[^>\s]+>")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_URL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>()\[\]]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w@/.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:nl|com|org|net|eu|be|info|gov|uk|io|app)"
    r"(?:/[^\s<>()\[\]]*)?(?![\w-])",
    re.IGNORECASE,
)
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,6}|#x[0-9A-Fa-f]{1,6});")
_MARKUP = re.compile(r"\\(?=[^\w\s])|[*~]+|(?<!\w)_+|_+(?!\w)")


def _parse(text: str) -> tuple[str, list[_Block]]:
    """A copy of ``text`` of the same length with the unread parts blanked, and its reading blocks."""
    chars = list(text)

    def blank(a: int, b: int) -> None:
        for i in range(a, b):
            if chars[i] not in "\r\n":
                chars[i] = " "

    for m in _HTML_COMMENT.finditer(text):
        blank(m.start(), m.end())
    view = "".join(chars)

    lines: list[tuple[int, int]] = []
    pos = 0
    for raw in view.split("\n"):
        end = pos + len(raw)
        lines.append((pos, end - 1 if raw.endswith("\r") else end))
        pos = end + 1

    blocks: list[_Block] = []
    current: _Block | None = None
    first = 0
    head = view[lines[0][0] : lines[0][1]].strip() if lines else ""
    if head in ("---", "+++"):
        closers = ("---", "...") if head == "---" else ("+++",)
        for j in range(1, len(lines)):
            if view[lines[j][0] : lines[j][1]].strip() in closers:
                blank(lines[0][0], lines[j][1])
                first = j + 1
                break

    fence: str | None = None
    prev_blank = True
    in_list = False
    in_code = False
    table = False
    for index in range(first, len(lines)):
        a, b = lines[index]
        line = view[a:b]
        if fence is not None:
            blank(a, b)
            if line.strip().startswith(fence) and set(line.strip()) == {fence[0]}:
                fence = None
            continue
        fenced = _FENCE.match(line)
        if fenced:
            fence = fenced.group(1)
            blank(a, b)
            current = None
            continue
        if not line.strip():
            current = None
            prev_blank = True
            table = False
            continue
        indent = len(line) - len(line.lstrip(" \t")) + line[: len(line) - len(line.lstrip(" \t"))].count("\t") * 3
        if indent >= 4 and (in_code or (prev_blank and not in_list)):
            blank(a, b)
            in_code = True
            prev_blank = False
            continue
        in_code = False
        quoted = _QUOTE.match(line)
        if quoted:
            blank(a, a + quoted.end())
            a += quoted.end()
            line = view[a:b]
            if not line.strip():
                current = None
                prev_blank = True
                continue
        if _REF_DEF.match(line):
            blank(a, b)
            current = None
            continue
        if _RULE.match(line) or (_TABLE_SEP.match(line) and "|" in line):
            blank(a, b)
            setext = line.strip()[0] in "=-" and current is not None and current.kind == "paragraph"
            if setext and current is not None:
                current.kind = "heading"
            table = table or "|" in line
            current = None
            continue
        next_line = view[lines[index + 1][0] : lines[index + 1][1]] if index + 1 < len(lines) else ""
        if "|" in line and (table or line.lstrip().startswith("|") or _TABLE_SEP.match(next_line)):
            table = True
            current = None
            cell_start = a
            for k in range(a, b + 1):
                if k == b or (view[k] == "|" and (k == a or view[k - 1] != "\\")):
                    if k < b:
                        blank(k, k + 1)
                    if view[cell_start:k].strip():
                        blocks.append(_Block(cell_start, k, "cell"))
                    cell_start = k + 1
            prev_blank = False
            continue
        heading = _ATX.match(line)
        if heading:
            blank(a, a + heading.end())
            closing = _ATX_CLOSE.search(line)
            if closing:
                blank(a + closing.start(), b)
            blocks.append(_Block(a, b, "heading"))
            current = None
            prev_blank = False
            continue
        item = _ITEM.match(line)
        # A numbered line inside a paragraph ("2026. Dat jaar ...") is text, not a new list.
        if item and (not line.lstrip()[:1].isdigit() or current is None or in_list):
            blank(a, a + item.end())
            current = _Block(a, b, "item")
            blocks.append(current)
            in_list = True
            prev_blank = False
            continue
        if prev_blank and indent < 2:
            in_list = False
        if current is None or (prev_blank and current.kind != "item"):
            current = _Block(a, b, "paragraph")
            blocks.append(current)
        else:
            current.end = b
        prev_blank = False

    view = "".join(chars)
    for m in _INLINE_CODE.finditer(view):
        blank(m.start(), m.end())
    view = "".join(chars)
    for m in _IMAGE.finditer(view):
        blank(m.start(), m.end())
    view = "".join(chars)
    for m in _LINK.finditer(view):
        blank(m.start(), m.start() + 1)
        blank(m.end(1), m.end())
    view = "".join(chars)
    for pattern in (_AUTOLINK, _HTML_TAG, _URL, _ENTITY):
        for m in pattern.finditer(view):
            end = m.end()
            while pattern is _URL and end > m.start() and view[end - 1] in ".,;:!?'\"":
                end -= 1
            blank(m.start(), end)
        view = "".join(chars)
    for m in _MARKUP.finditer(view):
        blank(m.start(), m.end())
    return "".join(chars), blocks


# --- Sentences and words --------------------------------------------------------------------------------

_END = re.compile(r"[.!?…]+[\"'”’)\]]*")
_BEFORE_DOT = re.compile(r"[\w.]+$")
_WORD = re.compile(r"(?<![\w'’])['’][stn](?![\w'’])|[^\W\d_]+(?:[-'’/][^\W\d_]+)*|\d+(?:[.,:]\d+)*")
_ABBREVIATIONS = _set(
    """
    a.s. aanv. adv. afd. alg. art. bijv. bv. blz. bijl. ca. d.d. d.w.z. dhr. dr. drs. e.a. e.d. e.e.a.
    e.v. enz. etc. evt. excl. fa. i.c.m. i.e. e.g. i.o.m. i.p.v. i.s.m. i.v.m. incl. ing. ir. jl. jr.
    m.a.w. m.b.t. m.i.v. m.u.v. max. min. mevr. mr. mrs. ms. n.a.v. nl. nr. o.a. o.b.v. o.l.v. p.
    p.p. pag. prof. resp. sr. st. t.a.v. t.b.v. t.o.v. t.z.t. tel. vs. z.g.a.n. z.o.z. z.s.m.
    zgn. jan. feb. mrt. apr. jun. jul. aug. sep. sept. okt. nov. dec. ma. di. wo. vr. za. approx.
    dept. inc. ltd. fig.
    """
)


def _sentences(masked: str, blocks: list[_Block]) -> list[_Sentence]:
    sentences: list[_Sentence] = []
    for number, block in enumerate(blocks):
        for start, end in _split(masked, block.start, block.end):
            sentence = _Sentence(start, end, number)
            for m in _WORD.finditer(masked, start, end):
                word = m.group()
                sentence.tokens.append(
                    _Token(
                        text=word,
                        lower=word.lower(),
                        start=m.start(),
                        end=m.end(),
                        is_number=word[0].isdigit(),
                        first=not sentence.tokens,
                    )
                )
            if sentence.tokens:
                sentences.append(sentence)
    return sentences


def _split(masked: str, a: int, b: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    begin = a
    for m in _END.finditer(masked, a, b):
        after = m.end()
        if after < b and not masked[after].isspace():
            continue
        j = after
        while j < b and masked[j].isspace():
            j += 1
        if j < b and not (masked[j].isupper() or masked[j].isdigit() or masked[j] in "\"'‘“(["):
            continue
        if m.group()[0] == "." and m.group().rstrip("\"'”’)]") == ".":
            before = _BEFORE_DOT.search(masked, max(begin, m.start() - 24), m.start())
            if before:
                word = before.group().lower() + "."
                if word in _ABBREVIATIONS or (len(word) == 2 and before.group().isupper()):
                    continue
        spans.append((begin, after))
        begin = after
    spans.append((begin, b))
    trimmed = []
    for first, last in spans:
        start, end = first, last
        while start < end and masked[start].isspace():
            start += 1
        while end > start and masked[end - 1].isspace():
            end -= 1
        if start < end:
            trimmed.append((start, end))
    return trimmed


@lru_cache(maxsize=50_000)
def _letters(word: str) -> int:
    return sum(1 for c in word if c.isalpha())


_NL_NUCLEI = (
    "aai", "ooi", "oei", "ieu", "eeu", "aa", "ee", "oo", "uu", "ie", "oe", "eu", "ui", "ei", "ij", "ou", "au",
    "ai", "ey", "ay", "oy",
)  # fmt: skip
_NL_VOWELS = frozenset("aeiouyàáâäèéêëìíîïòóôöùúûü")
_DIAERESIS = frozenset("ëïöüä")
_EN_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=50_000)
def _syllables(word: str, language: str) -> int:
    word = word.lower()
    if language == "nl":
        count = 0
        i = 0
        n = len(word)
        while i < n:
            c = word[i]
            if c not in _NL_VOWELS:
                i += 1
                continue
            count += 1
            if c in _DIAERESIS:
                i += 1
                continue
            for nucleus in _NL_NUCLEI:
                if word.startswith(nucleus, i) and not any(ch in _DIAERESIS for ch in nucleus[1:]):
                    i += len(nucleus)
                    break
            else:
                i += 1
        return max(count, 1)
    letters = "".join(c for c in word if "a" <= c <= "z")
    if len(letters) <= 3:
        return 1
    if letters.endswith("e") and not letters.endswith(("le", "ee", "ye")):
        letters = letters[:-1]
    elif letters.endswith(("es", "ed")) and not letters.endswith(
        ("ted", "ded", "ses", "zes", "ces", "ges", "shes", "ches", "xes")
    ):
        letters = letters[:-2]
    return max(len(_EN_VOWEL_GROUPS.findall(letters)), 1)


def _is_long(token: _Token, language: str) -> bool:
    if language == "nl":
        return _letters(token.text) >= _LONG_WORD_LETTERS
    return _syllables(token.lower, "en") >= 3


# --- Word lists -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plain:
    term: str
    suggestion: str
    followed_by: str | None  # only when this word comes later in the same sentence ("dient ... te")


@dataclass(frozen=True)
class _Lexicon:
    language: str
    common: frozenset[str]
    phrases: dict[tuple[str, ...], tuple[str, _Plain]]  # tokens of a form -> the form and its entry
    longest: dict[str, int]  # first token -> the most tokens of a form starting with it
    well_known: frozenset[str]
    explanations: dict[str, str]


def _read_words(name: str) -> frozenset[str]:
    path = _LEXICONS / name
    words = (line.split("#", 1)[0] for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(w.lower() for line in words for w in line.split())


def _load_yaml(name: str) -> Any:
    path = _LEXICONS / name
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader


@lru_cache(maxsize=4)
def _lexicon(language: str) -> _Lexicon:
    common = _read_words(f"common_{language}.txt")
    name = f"officialese_{language}.yaml"
    phrases: dict[tuple[str, ...], tuple[str, _Plain]] = {}
    for number, entry in enumerate(_load_yaml(name) or [], start=1):
        if not isinstance(entry, dict) or not entry.get("term") or not entry.get("use"):
            raise ValueError(f"{name}: expected entry {number} to have 'term' and 'use', got {entry!r}")
        term, use, after = str(entry["term"]), str(entry["use"]), entry.get("followed_by")
        forms = entry.get("forms") or {}
        pairs = dict.fromkeys(forms, use) if isinstance(forms, list) else dict(forms)
        pairs.setdefault(term, use)
        for form, suggestion in pairs.items():
            key = " ".join(str(form).lower().split())
            plain = _Plain(term, str(suggestion), str(after) if after else None)
            phrases[tuple(_WORD.findall(key))] = (key, plain)
    longest: dict[str, int] = {}
    for tokens in phrases:
        longest[tokens[0]] = max(longest.get(tokens[0], 0), len(tokens))
    abbreviations = (_load_yaml("abbreviations.yaml") or {}).get(language, {})
    return _Lexicon(
        language=language,
        common=common,
        phrases=phrases,
        longest=longest,
        well_known=frozenset(str(a) for a in abbreviations.get("known", [])),
        explanations={str(k): str(v) for k, v in (abbreviations.get("explain") or {}).items()},
    )


_NL_PARTICLES = (
    "aan", "af", "bij", "door", "in", "mee", "na", "om", "op", "over", "terug", "toe", "uit", "voor",
    "weg", "vast", "los", "samen", "tegen", "achter", "neer", "rond", "vrij", "open", "dicht", "kwijt",
    "klaar", "thuis", "binnen", "buiten", "goed", "kennis", "terecht", "teweeg",
)  # fmt: skip
_NL_SUFFIXES = (
    "etjes", "etje", "tjes", "pjes", "tje", "pje", "jes", "je", "ingen", "ing", "heden", "heid", "isch",
    "ische", "lijke", "lijk", "bare", "baar", "sters", "ster", "ers", "er", "ere", "ste", "st", "ten",
    "den", "te", "de", "en", "es", "e", "'s", "s", "t", "d",
)  # fmt: skip
_EN_SUFFIXES = (
    "ies", "ied", "ier", "iest", "ily", "ing", "ings", "ed", "es", "s", "'s", "er", "ers", "est", "ly",
    "ment", "ments", "ness", "able", "ably", "ful", "less", "al", "ally",
)  # fmt: skip
_CVC = re.compile(r"([^aeoyj])([aeou])([^aeiouyjw])$")
_VVC = re.compile(r"([aeou])\1([^aeiouyjw])$")


def _lemmas(word: str, language: str) -> set[str]:
    """Generous guesses at the dictionary forms of an inflected or derived word."""
    bases = {word}
    if language == "nl":
        for particle in ("", *_NL_PARTICLES):
            if particle and word.startswith(particle) and len(word) - len(particle) >= 4:
                bases.add(word[len(particle) :])  # "opnemen" -> "nemen", "afsluit" -> "sluit"
            prefix = particle + "ge"
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                bases.update((particle + word[len(prefix) :], word[len(prefix) :]))
        if word.startswith("on") and len(word) >= 6:
            bases.add(word[2:])  # "onduidelijk", "onbekend"
    elif word.startswith(("un", "re", "dis", "in", "non")) and len(word) >= 6:
        bases.add(word[3:] if word.startswith(("dis", "non")) else word[2:])
    suffixes = _NL_SUFFIXES if language == "nl" else _EN_SUFFIXES
    for _ in range(2):  # two rounds: "kinderen" -> "kinder" -> "kind"
        for base in list(bases):
            for suffix in suffixes:
                if base.endswith(suffix) and len(base) - len(suffix) >= 3:
                    bases.add(base[: -len(suffix)])
    if language == "nl":
        bases.update([b.replace("ë", "e").replace("ï", "i") for b in bases if "ë" in b or "ï" in b])
    out: set[str] = set()
    for base in bases:
        out.add(base)
        last = base[-1]
        doubled = len(base) > 3 and last == base[-2] and last not in "aeiou"
        if doubled:
            out.add(base[:-1])
        if language == "en":
            out.update((base + "e", base + "y", base + "s"))
            if base.endswith("i"):
                out.add(base[:-1] + "y")
            continue
        out.update((base + "en", base + "e", base + "n"))
        stem = base[:-1] + {"z": "s", "v": "f"}.get(last, last)
        out.add(stem)
        if last in "fs":
            out.add(base[:-1] + {"f": "v", "s": "z"}[last] + "en")  # "schrijf" -> "schrijven"
        closed = _CVC.search(stem)
        if closed:
            out.add(stem[:-2] + closed.group(2) * 2 + closed.group(3))
        opened = _VVC.search(base)
        if opened:
            out.add(base[:-3] + opened.group(1) + opened.group(2) + "en")
            if opened.group(2) in "sf":
                out.add(base[:-3] + opened.group(1) + {"s": "z", "f": "v"}[opened.group(2)] + "en")
        if last not in "aeiouy" and not doubled:
            out.add(base + last + "en")
    return out


def is_common_word(word: str, language: str) -> bool:
    """Whether ``word`` (lower case) is an everyday word a resident knows, inflected or not (nl, en)."""
    return language in ("nl", "en") and _known(word, language)


@lru_cache(maxsize=200_000)
def _known(word: str, language: str) -> bool:
    common = _lexicon(language).common
    return word in common or any(lemma in common for lemma in _lemmas(word, language))


@lru_cache(maxsize=50_000)
def _compound_parts(word: str, language: str, depth: int = 0) -> int:
    """Into how many common words ``word`` splits (0: it does not); linking -s- and -e(n)- allowed."""
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if not _known(tail, language):
            continue
        heads = [head]
        if language == "nl":
            heads += [
                head[: -len(link)] for link in ("s", "e", "en", "er") if head.endswith(link) and cut - len(link) >= 3
            ]
        if any(h in _lexicon(language).common or _known(h, language) for h in heads):
            return 2
        if depth < 2:
            inner = _compound_parts(head, language, depth + 1)
            if inner:
                return inner + 1
    return 0


# --- The checks ------------------------------------------------------------------------------------------


def _issue(text: str, kind: str, start: int, end: int, message: str, suggestion: str | None = None) -> Issue:
    return Issue(kind, message, start, end, text[start:end], suggestion)


def _officialese(text: str, masked: str, sentences: list[_Sentence], lexicon: _Lexicon, ui: str) -> list[Issue]:
    issues = []
    for sentence in sentences:
        tokens = sentence.tokens
        i = 0
        while i < len(tokens):
            found = _plain_at(masked, sentence, i, lexicon)
            if found is None:
                i += 1
                continue
            entry, n, start, end = found
            suggestion = entry.suggestion
            if text[start].isupper() and i == 0:
                suggestion = suggestion[0].upper() + suggestion[1:]
            message = _text(ui, "officialese", x=text[start:end], s=suggestion)
            issues.append(_issue(text, "officialese", start, end, message, suggestion))
            i += n
    return issues


def _plain_at(masked: str, sentence: _Sentence, i: int, lexicon: _Lexicon) -> tuple[_Plain, int, int, int] | None:
    """The longest officialese phrase starting at token ``i``: entry, token count, start and end."""
    tokens = sentence.tokens
    for n in range(min(lexicon.longest.get(tokens[i].lower, 0), len(tokens) - i), 0, -1):
        found = lexicon.phrases.get(tuple(t.lower for t in tokens[i : i + n]))
        if found is None:
            continue
        form, entry = found
        start, end = tokens[i].start, tokens[i + n - 1].end
        if "." in form:
            end += masked.startswith(".", end)
            if "".join(masked[start:end].lower().split()) != form.replace(" ", ""):
                continue
        elif any(masked[tokens[k].end : tokens[k + 1].start].strip() for k in range(i, i + n - 1)):
            continue  # punctuation between the words: not the phrase
        if _in_name(sentence, start, tokens[i].text):
            continue
        if entry.followed_by:
            if i and tokens[i - 1].lower == "te":
                continue  # "in te dienen" is "indienen", not "dient ... te"
            if not any(t.lower == entry.followed_by for t in tokens[i + n :]):
                continue
        return entry, n, start, end
    return None


def _in_name(sentence: _Sentence, start: int, word: str) -> bool:
    """Part of a name: "Verklaring Omtrent het Gedrag", "Wet maatschappelijke ondersteuning"."""
    if word[0].isupper() and start != sentence.tokens[0].start and not word.isupper():
        return True
    before = [t for t in sentence.tokens if t.end <= start][-3:]
    return any(t.text == "Wet" for t in before)


def _long_sentences(text: str, sentences: list[_Sentence], language: str, ui: str) -> list[Issue]:
    limit = _SENTENCE_LIMIT[language]
    return [
        _issue(text, "long_sentence", s.start, s.end, _text(ui, "long_sentence", n=len(s.tokens), limit=limit))
        for s in sentences
        if len(s.tokens) > limit
    ]


def _long_paragraphs(text: str, sentences: list[_Sentence], blocks: list[_Block], ui: str) -> list[Issue]:
    grouped: dict[int, list[_Sentence]] = {}
    for sentence in sentences:
        if blocks[sentence.block].kind in ("paragraph", "item"):
            grouped.setdefault(sentence.block, []).append(sentence)
    issues = []
    for group in grouped.values():
        words = sum(len(s.tokens) for s in group)
        if words > _PARAGRAPH_WORDS:
            message = _text(ui, "long_paragraph", n=words, k=len(group))
            issues.append(_issue(text, "long_paragraph", group[0].start, group[-1].end, message))
    return issues


_NL_WORDEN = _set("word wordt worden werd werden geworden")
_NL_ZIJN = _set("ben bent is zijn was waren geweest")
_NL_MODALS = _set(
    "kan kunt kunnen zal zult zullen moet moeten mag mogen zou zouden kon konden moest moesten mocht mochten"
)
_NL_STOP = _set(
    """
    dat die als omdat wanneer zodat terwijl nadat voordat doordat hoewel waardoor waarna zodra totdat want
    maar dus of en te heeft hebben heb hebt had hadden wie wat waar welke
    """
)
_NL_PARTICIPLE = re.compile(
    r"^(?:" + "|".join(_NL_PARTICLES) + r")?(?:ge|be|ver|ont|her|er)[a-zà-ÿ]{2,}(?:d|t|en|aan)$"
)
_NL_NOT_PARTICIPLES = _set(
    """
    gebied gebieden gebit geduld geld gelden gezond gezicht gezichten gewicht gerecht gerechten gedicht
    geluid geluiden gebed gewest gemeenten gevolgen gesprekken gebouwen geheugen gewoonten getuigen
    gebruiken gelegenheden bericht berichten besluit besluiten bestand bestanden beleid verband verbanden
    verbod verzet bezit bedragen bezwaren verzoeken verhalen verschillen beroepen vermogen verleden
    verkeerd verder bekend gezond gemiddeld gereed bereid beroemd geschikt tevreden gewend verplicht
    bestaan verstand verwant ontbijt gerust verstandig verantwoord
    """
)
_NL_NOT_PARTICIPLE_SUFFIXES = ("heid", "teit", "ment", "ant", "iteit", "schap", "ingen")
# zijn + participle is a passive (perfect of the passive) for these transitive verbs.
_NL_TRANSITIVE = _set(
    """
    aangevraagd aangepast aangeleverd aangeschaft aangenomen aangeboden aangekondigd aangelegd aangemaakt
    aangewezen aangehouden afgegeven afgehandeld afgekeurd afgeleverd afgewezen afgesproken afgerond
    afgeschaft afgelast afgeboekt behandeld beantwoord beoordeeld besloten besproken besteld betaald
    bevestigd bepaald beslist bijgewerkt bijgevoegd doorgestuurd doorgegeven doorgezet gebracht
    gecontroleerd gedaan gegeven geïnformeerd gekozen gemaakt gemeld genomen geplaatst geregeld
    geregistreerd gestuurd getekend gevonden gewijzigd geweigerd goedgekeurd gepubliceerd gewist
    geblokkeerd gerepareerd gebouwd geschreven gelezen gezien gehoord gevraagd gecorrigeerd geannuleerd
    geïnd ingevoerd geleegd opgeruimd gestolen gestort geleverd geïnstalleerd opgeslagen bewaard
    vernietigd gemaild gebeld gewaarschuwd gestraft beboet geselecteerd benoemd gekeurd vrijgegeven
    verhuurd verkocht gekocht geleend gepland uitgesteld verplaatst ingediend ingevuld ingeleverd
    ingetrokken ingesteld ingehouden meegedeeld meegenomen ontvangen ondertekend onderzocht opgehaald
    opgestuurd opgelost opgenomen opgezegd overgemaakt overgedragen overgenomen teruggestuurd teruggestort
    teruggegeven toegekend toegestuurd toegewezen uitgegeven uitbetaald uitgevoerd uitgenodigd
    vastgesteld verleend verlengd verstrekt verstuurd verwerkt verwijderd verzonden vernieuwd verhoogd
    verlaagd vergoed verrekend verzameld opgehangen gesnoeid gekapt gemaaid gestrooid vervangen
    gecontroleerd gekoppeld ontvangen geactiveerd gedeeld gebruikt
    """
)
# Participles that after zijn are adjectives or the perfect of a verb of motion or change.
_NL_STATIVE = _set(
    """
    gesloten geopend afgesloten verplicht bezet beperkt bedoeld ingeschreven getrouwd gescheiden
    verboden toegestaan gelegen gevestigd betrokken verzekerd geboren verhuisd verlopen overleden
    gebleven gekomen gegaan gestopt gestorven vertrokken verdwenen gestegen gedaald gegroeid gevallen
    ontstaan opgegroeid aangekomen teruggekomen verschenen afgelopen gezakt geslaagd gebleken veranderd
    verbeterd bezorgd vergeten verloren beschadigd gelukt gebeurd begonnen geweest geworden ingegaan
    vervallen verstreken gewend gericht aangesloten verwacht opgehouden uitgevallen verschuldigd
    gemotiveerd geïnteresseerd opgelucht teleurgesteld gespecialiseerd
    """
)

_EN_BE = _set("am is are was were be been being isn't aren't wasn't weren't")
_EN_SKIP = _set(
    """
    not also then usually always automatically already only often never currently normally generally
    quickly sometimes still just now all both each being typically immediately directly fully partly
    properly easily rarely regularly clearly mostly mainly usually first
    """
)
_EN_IRREGULAR = _set(
    """
    sent given made taken done paid held kept built brought bought chosen drawn driven found forgotten
    got gotten known laid lost meant met put said seen sold shown shut spent spoken stolen told thought
    understood won written withdrawn sought set cut hit let hurt taught caught fed read run sung begun
    broken frozen hidden ridden risen shaken sworn torn worn woven beaten bitten blown grown thrown
    overtaken undertaken mistaken forbidden forgiven proven sewn shown struck spread split sent lent
    bound ground wound dealt felt left heard sold told
    """
)
_EN_NOT_PARTICIPLES = _set(
    """
    need indeed speed seed feed bed red hundred shed sacred naked wicked ragged rugged kindred
    embed proceed exceed succeed closed open based located situated interested married tired pleased
    concerned involved supposed used excited worried scared satisfied qualified limited disabled
    experienced dedicated detailed complicated crowded retired divorced prepared aged advanced balanced
    mixed united entitled determined convinced surprised confused bored amazed annoyed disappointed
    embarrassed frightened shocked delighted relieved exhausted finished done gone registered employed
    unemployed insured born called named known engaged dressed lost broken related
    """
)


def _nl_participle(word: str) -> bool:
    if word in _NL_TRANSITIVE:
        return True
    if word in _NL_NOT_PARTICIPLES or word.endswith(_NL_NOT_PARTICIPLE_SUFFIXES):
        return False
    if word.endswith("end") and not word.endswith(("kend", "wend")):
        return False  # a present participle: "volgend", "dringend"
    return bool(_NL_PARTICIPLE.match(word))


def _en_participle(word: str) -> bool:
    if word in _EN_NOT_PARTICIPLES:
        return False
    return word in _EN_IRREGULAR or (len(word) >= 5 and word.endswith("ed"))


def _passives(text: str, masked: str, sentences: list[_Sentence], language: str, ui: str) -> list[Issue]:
    spans: list[tuple[int, int]] = []
    for sentence in sentences:
        tokens = sentence.tokens
        if language == "nl":
            spans.extend(_nl_passives(masked, tokens))
        else:
            spans.extend(_en_passives(tokens))
    issues = []
    last_end = -1
    for start, end in sorted(spans):
        if start < last_end:
            continue
        last_end = end
        issues.append(_issue(text, "passive", start, end, _text(ui, "passive", x=text[start:end])))
    return issues


def _clause_break(masked: str, left: _Token, right: _Token) -> bool:
    return any(c in ',;:()–—"“”' for c in masked[left.end : right.start])


def _nl_passives(masked: str, tokens: list[_Token]) -> list[tuple[int, int]]:
    found = []
    for i, aux in enumerate(tokens):
        worden = aux.lower in _NL_WORDEN
        if not worden and aux.lower not in _NL_ZIJN:
            continue
        # Subordinate clause order: "dat het verstrekt wordt", "dat het opgehaald kan worden".
        before = i - 1
        if before >= 1 and tokens[before].lower in _NL_MODALS and worden:
            before -= 1
        if before >= 0 and not _clause_break(masked, tokens[before], aux):
            word = tokens[before].lower
            if (worden and _nl_participle(word)) or (not worden and word in _NL_TRANSITIVE):
                found.append((tokens[before].start, aux.end))
                continue
        agent = False
        for j in range(i + 1, min(i + 11, len(tokens))):
            token = tokens[j]
            if _clause_break(masked, tokens[j - 1], token) or token.lower in _NL_STOP:
                break
            if token.lower == "door":
                agent = True
                continue
            if token.lower in _NL_WORDEN or token.lower in _NL_ZIJN:
                break  # the next verb group: "Zijn aanvraag is goedgekeurd" starts at "is"
            if not _nl_participle(token.lower):
                continue
            if (
                worden
                or token.lower in _NL_TRANSITIVE
                or ((agent or _agent_follows(tokens, j)) and token.lower not in _NL_STATIVE)
            ):
                found.append((aux.start, token.end))
            break
    return found


def _agent_follows(tokens: list[_Token], index: int) -> bool:
    return index + 1 < len(tokens) and tokens[index + 1].lower == "door"


def _en_passives(tokens: list[_Token]) -> list[tuple[int, int]]:
    found = []
    for i, aux in enumerate(tokens):
        if aux.lower not in _EN_BE:
            continue
        j = i + 1
        skipped = 0
        while j < len(tokens) and tokens[j].lower in _EN_SKIP and skipped < 2:
            j += 1
            skipped += 1
        if j < len(tokens) and _en_participle(tokens[j].lower):
            found.append((aux.start, tokens[j].end))
    return found


_ROMAN = re.compile(r"^[IVXLCDM]+$")
_PART = re.compile(r"[^-'’/]+")
_ABBREVIATION = re.compile(r"^(?:[A-Z]{2,6}|[A-Z][a-z]?[A-Z][A-Za-z]{0,3})s?$")


def _words(
    text: str, sentences: list[_Sentence], lexicon: _Lexicon, ui: str, covered: list[tuple[int, int]]
) -> list[Issue]:
    language = lexicon.language
    names = {
        t.lower for s in sentences for t in s.tokens if not t.first and t.text[0].isupper() and not t.text.isupper()
    }
    seen: set[str] = set()
    issues = []
    for sentence in sentences:
        for index, token in enumerate(sentence.tokens):
            if token.is_number or (covered and any(a < token.end and token.start < b for a, b in covered)):
                continue
            parts = [(token.text, token.start, token.end)]
            if any(c in token.text for c in "-'’/"):
                parts = [
                    (m.group(), token.start + m.start(), token.start + m.end()) for m in _PART.finditer(token.text)
                ]
            for number, (part, start, end) in enumerate(parts):
                if _ABBREVIATION.match(part) and not _ROMAN.match(part):
                    issue = _abbreviation(text, sentence, index, part, start, end, lexicon, ui, seen)
                    if issue:
                        issues.append(issue)
                    continue
                if part[0].isupper() and (not token.first or number > 0 or part.lower() in names):
                    continue
                issue = _word(text, part, start, end, language, ui)
                if issue:
                    issues.append(issue)
    return issues


def _abbreviation(
    text: str,
    sentence: _Sentence,
    index: int,
    part: str,
    start: int,
    end: int,
    lexicon: _Lexicon,
    ui: str,
    seen: set[str],
) -> Issue | None:
    bare = part[:-1] if part.endswith("s") and part[:-1] in lexicon.explanations else part
    if bare in lexicon.well_known or bare.upper() in lexicon.well_known or bare in seen:
        return None
    neighbours = sentence.tokens[max(index - 1, 0) : index + 2]
    if sum(1 for t in neighbours if t.text.isupper() and len(t.text) > 1) > 1:
        return None  # a phrase in capitals ("LET OP"), not an abbreviation
    previous = sentence.tokens[index - 1].text if index else ""
    if len(part) == 2 and len(previous) == 4 and previous.isdigit():
        return None  # the letters of a Dutch postcode: "1234 AB"
    seen.add(bare)
    escaped = re.escape(bare)
    if re.search(rf"\(\s*{escaped}\s*[),]|(?<![\w-]){escaped}\s*\(\s*[^\W\d]", text):
        return None
    expansion = lexicon.explanations.get(bare)
    suggestion = None
    if expansion:
        suggestion = expansion if bare in expansion else f"{expansion} ({bare})"
    return _issue(text, "jargon_abbreviation", start, end, _text(ui, "jargon_abbreviation", x=part), suggestion)


def _word(text: str, word: str, start: int, end: int, language: str, ui: str) -> Issue | None:
    lower = word.lower()
    letters = _letters(word)
    if letters < _MIN_RARE_LETTERS:
        return None
    long = letters >= _LONG_WORD_LETTERS or (language == "en" and _syllables(lower, "en") >= 4)
    known = _known(lower, language)
    if long and not known:
        parts = 0 if letters >= _ALWAYS_LONG_LETTERS else _compound_parts(lower, language)
        if parts == 0 or parts > 2:
            return _issue(text, "long_word", start, end, _text(ui, "long_word", n=letters))
        return None
    if known or _compound_parts(lower, language):
        return None
    return _issue(text, "rare_word", start, end, _text(ui, "rare_word", x=word))


_U_FORMS = frozenset(("u", "uw", "uzelf"))
_JE_FORMS = frozenset(("je", "jij", "jou", "jouw", "jezelf"))


def _address(text: str, sentences: list[_Sentence], ui: str) -> list[Issue]:
    issues = []
    u_tokens, je_tokens = [], []
    for sentence in sentences:
        for token in sentence.tokens:
            if token.lower == "men":
                issues.append(_issue(text, "impersonal", token.start, token.end, _text(ui, "impersonal"), "u"))
            elif token.lower in _U_FORMS:
                u_tokens.append(token)
            elif token.lower in _JE_FORMS:
                je_tokens.append(token)
    if u_tokens and je_tokens:
        main, minority = ("u", je_tokens) if len(u_tokens) >= len(je_tokens) else ("je", u_tokens)
        for token in minority:
            message = _text(ui, "mixed_address", main=main, x=token.text)
            issues.append(_issue(text, "mixed_address", token.start, token.end, message, main))
    return issues


# --- Messages -------------------------------------------------------------------------------------------

_MESSAGES = {
    "nl": {
        "long_sentence": (
            "Lange zin: {n} woorden. Maak er twee of meer zinnen van; houd zinnen onder de {limit} woorden."
        ),
        "long_word": ("Lang woord ({n} letters). Lange woorden lezen moeilijk: kies een korter woord of splits het."),
        "rare_word": "'{x}' is geen alledaags woord. Kies een woord dat iedereen kent, of leg het uit.",
        "passive": ("Lijdende vorm: '{x}'. Zeg wie het doet: 'wij sturen' is duidelijker dan 'wordt gestuurd'."),
        "officialese": "'{x}' is ambtelijke taal. Schrijf liever: '{s}'.",
        "long_paragraph": ("Lange alinea: {n} woorden in {k} zinnen. Maak kortere alinea's, elk over één onderwerp."),
        "jargon_abbreviation": ("Afkorting '{x}' zonder uitleg. Schrijf de eerste keer voluit wat het betekent."),
        "impersonal": "'men' is afstandelijk. Spreek de lezer aan met 'u'.",
        "mixed_address": "De tekst spreekt de lezer meestal aan met '{main}', hier met '{x}'. Kies één vorm.",
    },
    "en": {
        "long_sentence": ("Long sentence: {n} words. Split it into two or more; keep sentences under {limit} words."),
        "long_word": ("Long word ({n} letters). Long words are hard to read; use a shorter word or split it up."),
        "rare_word": "'{x}' is not an everyday word. Use a word everyone knows, or explain it.",
        "passive": "Passive voice: '{x}'. Say who does it, for example 'we send' instead of 'is sent'.",
        "officialese": "'{x}' is officialese. Write '{s}' instead.",
        "long_paragraph": (
            "Long paragraph: {n} words in {k} sentences. Split it into shorter paragraphs, one topic each."
        ),
        "jargon_abbreviation": "Abbreviation '{x}' is not explained. Write it out in full the first time.",
        "impersonal": "'men' (one) is distant. Address the reader as 'u' (you).",
        "mixed_address": "The text mostly addresses the reader as '{main}', but here as '{x}'. Use one form.",
    },
}
_NAMES = {
    "nl": {
        "long_sentence": ("lange zin", "lange zinnen"),
        "long_word": ("lang woord", "lange woorden"),
        "rare_word": ("weinig bekend woord", "weinig bekende woorden"),
        "passive": ("lijdende vorm", "lijdende vormen"),
        "officialese": ("ambtelijk woord", "ambtelijke woorden"),
        "long_paragraph": ("lange alinea", "lange alinea's"),
        "jargon_abbreviation": ("onbekende afkorting", "onbekende afkortingen"),
        "impersonal": ("keer 'men'", "keer 'men'"),
        "mixed_address": ("wisseling tussen u en je", "wisselingen tussen u en je"),
    },
    "en": {
        "long_sentence": ("long sentence", "long sentences"),
        "long_word": ("long word", "long words"),
        "rare_word": ("uncommon word", "uncommon words"),
        "passive": ("passive", "passives"),
        "officialese": ("officialese word", "officialese words"),
        "long_paragraph": ("long paragraph", "long paragraphs"),
        "jargon_abbreviation": ("unexplained abbreviation", "unexplained abbreviations"),
        "impersonal": ("use of 'men'", "uses of 'men'"),
        "mixed_address": ("switch between u and je", "switches between u and je"),
    },
}


def _text(ui: str, key: str, **values: object) -> str:
    return _MESSAGES[ui][key].format(**values)


def _summary(level: str, asl: float, words: int, issues: list[Issue], ui: str) -> str:
    if words == 0:
        return "Er is geen tekst om te controleren." if ui == "nl" else "There is no text to check."
    counts: dict[str, int] = {}
    for issue in issues:
        counts[issue.kind] = counts.get(issue.kind, 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1] * _WEIGHTS.get(kv[0], 0.5), kv[0]))[:3]
    listed = ", ".join(f"{n} {_NAMES[ui][kind][0 if n == 1 else 1]}" for kind, n in top)
    average = f"{asl:.1f}".replace(".", ",") if ui == "nl" else f"{asl:.1f}"
    short = words < _SHORT_TEXT
    if ui == "nl":
        rough = " (grove schatting: de tekst is kort)" if short else ""
        first = f"Geschat niveau: {level}{rough}, met gemiddeld {average} woorden per zin."
        if not issues:
            second = "Geen aandachtspunten gevonden."
        else:
            more = " en meer" if len(counts) > 3 else ""
            second = f"{len(issues)} aandachtspunt{'en' if len(issues) != 1 else ''}: {listed}{more}."
    else:
        rough = " (a rough estimate: the text is short)" if short else ""
        first = f"Estimated level: {level}{rough}, with {average} words per sentence on average."
        if not issues:
            second = "Nothing to look at."
        else:
            more = " and more" if len(counts) > 3 else ""
            second = f"{len(issues)} point{'s' if len(issues) != 1 else ''} to look at: {listed}{more}."
    return f"{first} {second}"
