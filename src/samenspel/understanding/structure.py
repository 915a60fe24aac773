"""How many questions one message asks, and which: "hoe laat zijn jullie open?" is one; "Wanneer wordt het
grofvuil opgehaald en wat kost een parkeervergunning? En hoe vraag ik een paspoort aan?" is three.

A message is cut at question marks, sentence ends, line breaks and list items, and a sentence again where a
joining word ("en", "en ook", "daarnaast", "verder", "also", "and") starts a new question. A part counts as a
question when it ends in "?", opens with a question word or an inverted verb ("kan ik", "do you"), or says it
wants to know ("ik wil graag weten", "I was wondering"). The pipeline searches each question on its own to see
whether they are about different articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUESTION_WORDS = (
    r"hoe|wat|wanneer|waar|waarom|wie|welke?|hoeveel|hoelang|waarvoor|waarmee|waarheen|vanaf wanneer|tot wanneer|"
    r"how|what|when|where|why|who|which|whom|whose"
)
_INVERTED = (
    r"(?:kan|kun|kunt|kunnen|mag|mogen|moet|moeten|heb|hebt|heeft|hebben|is|zijn|ben|bent|wordt|worden|word|"
    r"zou|zouden|wil|wilt|gaat|gaan|ga|doe|doet|klopt|krijg|krijgt|geldt|staat|ligt|valt|komt|raak|raakt|hoef|hoeft|"
    r"blijf|blijft|betaal|betaalt|verlies|verliest|zit|zitten|sta|telt|tellen|vervalt|verandert|kost|kosten)"
    r" (?:ik|je|jij|u|we|wij|jullie|het|er|dit|dat|deze|die|de|een|mijn|hij|zij|ze|men)\b|"
    r"(?:can|could|may|might|do|does|did|is|are|was|were|will|would|should|shall|have|has|am)"
    r" (?:i|you|we|they|it|there|this|that|these|those|the|a|an|my|he|she|someone|anyone)\b"
)
# After "en" or a comma only a pronoun subject makes a question: "en heb de vergunning niet meer nodig" goes on
# the statement, "en kan ik ..." starts a question.
# "en wil er ook geen" goes on the statement too: "er" after a joining word is rarely a question's subject.
_INVERTED_AFTER_JOIN = (
    _INVERTED.replace("|dit|dat|deze|die|de|een|mijn|", "|")
    .replace("|these|those|the|a|an|my|", "|")
    .replace("|het|er|", "|het|")
)
_WANTS_TO_KNOW = (
    r"(?:ik )?(?:wil|zou) (?:graag )?(?:weten|horen|informatie)|ik vroeg me af|graag (?:informatie|uitleg|weten)|"
    r"(?:kunt|kun|kan) (?:u|je|jij|jullie) (?:me |mij )?(?:vertellen|uitleggen|laten weten)|weet (?:u|jij|je|iemand)|"
    r"i(?:'d| would) like to know|i (?:was|am|'m) wondering|(?:can|could) you (?:tell|explain|let)|"
    r"do you know|i want to know|please (?:tell|explain|let me know)"
)
_LEAD = re.compile(
    rf"^\s*(?:(?:en|maar|ook|verder|daarnaast|dan|and|but|also|plus|then|oh|ok|oké|en ook)\s+)*"
    rf"(?:(?:{_QUESTION_WORDS})\b|{_INVERTED}|{_WANTS_TO_KNOW})",
    re.IGNORECASE,
)
# Where one sentence starts a second question: a joining word followed by a question word or an inverted verb.
_JOIN = re.compile(
    rf"(?:,\s*|\s+)(?:en ook|en verder|en daarnaast|en|daarnaast|verder|ook|and also|and|also|plus)\s+"
    rf"(?=(?:{_QUESTION_WORDS})\b|{_INVERTED_AFTER_JOIN})",
    re.IGNORECASE,
)
# A comma that opens a new question by itself: "wat gebeurt er met zijn jeugdhulp, kan hij wmo krijgen".
_COMMA_JOIN = re.compile(rf",\s*(?=(?:{_QUESTION_WORDS})\b|{_INVERTED_AFTER_JOIN})", re.IGNORECASE)
_OPENER = re.compile(
    r"^(?:(?:en ook|en|maar|ook|verder|daarnaast|and also|and|but|also|plus)\b[\s,:]*)+", re.IGNORECASE
)
_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•·]|[a-e][.)])\s+")
# A list written on one line: "3 vragen: 1) wanneer ... 2) hoe ...".
_INLINE_ITEM = re.compile(r"(?:^|\s)(?:\(?\d{1,2}\)|\d{1,2}[.:]\s|[a-e]\))\s*")
_PIECE = re.compile(r"[^.?!]+(?:[.?!]+|$)")
# Both sides of a joining word need this many words: "zwart en wit" is no place to cut.
_MIN_WORDS = 2


# Questions that are manners or checking someone is there, not something to answer from the knowledge base.
_SMALL_TALK = re.compile(
    r"^(?:(?:hallo|hoi|hey|hi|hello|goedemorgen|goedemiddag|goedenavond|dag)\W*)?(?:hoe gaat het(?: met (?:u|je|jou))?|"
    r"alles goed|is (?:daar|er) (?:nog )?iemand|hallo+|how are you(?: doing)?|are you there|is any(?:one|body) there|"
    r"hello+|you there|ben je daar|bent u daar|mag ik (?:u|je|jullie) (?:iets|wat) vragen|"
    r"can i ask (?:you )?(?:something|a question))\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Questions:
    count: int
    questions: list[str]


def _pieces(text: str) -> list[str]:
    parts: list[str] = []
    for raw in text.splitlines():
        line = _ITEM.sub("", raw).strip()
        items = _INLINE_ITEM.split(line) if len(_INLINE_ITEM.findall(line)) >= 2 else [line]
        for item in items:
            parts.extend(p.strip() for p in _PIECE.findall(item) if p.strip())
    return parts


def _split_joined(piece: str) -> list[str]:
    parts: list[str] = []
    start = 0
    joins = sorted([*_JOIN.finditer(piece), *_COMMA_JOIN.finditer(piece)], key=lambda m: m.start())
    for match in joins:
        if match.start() < start:
            continue
        left = piece[start : match.start()]
        if len(left.split()) >= _MIN_WORDS and len(piece[match.end() :].split()) >= _MIN_WORDS:
            parts.append(left)
            start = match.end()
    parts.append(piece[start:])
    return [p.strip(" ,;") for p in parts if p.strip(" ,;")]


def _is_question(part: str, *, ends_in_question_mark: bool) -> bool:
    if _SMALL_TALK.match(part.strip()):
        return False
    return ends_in_question_mark or bool(_LEAD.match(part))


# A question names its own subject when it has a determiner before a word ("wat kost een parkeervergunning");
# "wat kost verlengen" or "en wat kost het?" lean on the question before it.
_OWN_SUBJECT = re.compile(
    r"\b(?:de|een|mijn|m'n|uw|jullie|zijn|haar|onze|ons|hun|deze|the|a|an|my|your|our|their|his|her)\s+\w{3,}"
    r"|\bhet\s+(?!kosten\b|duren\b|doen\b)\w{3,}\s+\w",
    re.IGNORECASE,
)


def _tidy(part: str) -> str:
    question = _OPENER.sub("", part).rstrip(" .!")
    question = question[:1].upper() + question[1:]
    return question if question.endswith("?") else question + "?"


def find_questions(text: str) -> Questions:
    """The distinct questions of a message; a message with none still asks one thing (itself)."""
    found: list[str] = []
    for piece in _pieces(text):
        asks = piece.rstrip().endswith("?")
        parts = _split_joined(piece) if asks or _LEAD.match(piece) else [piece]
        context = ""
        for i, part in enumerate(parts):
            # A part split off a question-mark sentence carries its question mark in meaning.
            last = i == len(parts) - 1
            if not _is_question(part, ends_in_question_mark=asks and (last or bool(_LEAD.match(part)))):
                # "Als ik verhuis, wat moet ik dan doen?": the condition belongs to the question after it.
                context = part
                continue
            question = _tidy(f"{context}, {part[:1].lower()}{part[1:]}" if context else part)
            context = ""
            if found and not _OWN_SUBJECT.search(question):
                # Searched on its own, "Wat kost verlengen?" finds anything; with the question before it, the
                # article that question is about.
                question = f"{found[-1].rstrip('?')}, {question[:1].lower()}{question[1:]}"
            if question.lower() not in (q.lower() for q in found):
                found.append(question)
    if not found:
        stripped = " ".join(text.split())
        return Questions(1 if stripped else 0, [stripped] if stripped else [])
    return Questions(len(found), found)
