"""Language detection on short chat messages, in the languages Dutch contact centres see most.

The messages below were written for this test (everyday contact-centre phrasing); none were used to tune
the lexicon or priors.
"""

from __future__ import annotations

import pytest

from samenspel.understanding.language import detect_language

MESSAGES = {
    "nl": [
        "goedemorgen",
        "ik moet mijn rijbewijs vernieuwen",
        "waar vind ik mijn aanslag",
        "de lantaarnpaal in onze straat is kapot",
        "hebben jullie mijn formulier ontvangen?",
        "bedankt voor de hulp",
        "mijn uitkering is niet overgemaakt",
        "kunnen jullie mij terugbellen",
        "hoe lang duurt dat ongeveer",
        "wat moet ik meenemen naar de afspraak",
        "er ligt afval naast de container",
        "top, dank je",
    ],
    "en": [
        "good morning",
        "i need to renew my driving licence",
        "where can i find my tax bill",
        "the street light on our road is broken",
        "did you receive my form?",
        "thanks for your help",
        "my benefit has not been paid",
        "could you call me back",
        "how long does that take",
        "what should i bring to the appointment",
        "there is rubbish next to the bin",
        "great, thanks",
    ],
    "de": [
        "ich muss meinen Führerschein erneuern",
        "wo finde ich meinen Steuerbescheid",
        "haben Sie mein Formular bekommen?",
        "vielen Dank für die Hilfe",
        "können Sie mich zurückrufen",
        "wie lange dauert das ungefähr",
        "was muss ich zum Termin mitbringen",
        "guten Morgen, ich habe eine Frage",
    ],
    "fr": [
        "je dois renouveler mon permis de conduire",
        "où trouver mon avis d'imposition",
        "avez-vous reçu mon formulaire ?",
        "merci pour votre aide",
        "pouvez-vous me rappeler",
        "combien de temps cela prend-il",
        "que dois-je apporter au rendez-vous",
        "bonjour, j'ai une question",
    ],
    "tr": [
        "ehliyetimi yenilemem gerekiyor",
        "vergi bildirimimi nerede bulabilirim",
        "formumu aldınız mı?",
        "yardımınız için teşekkürler",
        "beni geri arayabilir misiniz",
        "bu ne kadar sürer",
        "randevuya ne getirmeliyim",
        "günaydın, bir sorum var",
    ],
    "ar": [
        "أحتاج إلى تجديد رخصة القيادة",
        "أين أجد فاتورة الضرائب",
        "هل استلمتم النموذج الخاص بي؟",
        "شكرا على مساعدتكم",
        "هل يمكنكم الاتصال بي",
        "كم من الوقت يستغرق ذلك",
        "ماذا أحضر إلى الموعد",
        "صباح الخير، عندي سؤال",
    ],
    "pl": [
        "muszę odnowić prawo jazdy",
        "gdzie znajdę decyzję podatkową",
        "czy otrzymaliście mój formularz?",
        "dziękuję za pomoc",
        "czy możecie do mnie oddzwonić",
        "jak długo to potrwa",
        "co mam zabrać na wizytę",
        "dzień dobry, mam pytanie",
    ],
    "es": [
        "tengo que renovar mi carnet de conducir",
        "dónde encuentro mi recibo de impuestos",
        "¿han recibido mi formulario?",
        "gracias por su ayuda",
        "¿pueden llamarme?",
        "cuánto tiempo tarda eso",
        "qué tengo que llevar a la cita",
        "buenos días, tengo una pregunta",
    ],
}


@pytest.mark.parametrize("language", list(MESSAGES))
def test_short_chat_messages_are_recognised(language):
    texts = MESSAGES[language]
    wrong = [(t, detect_language(t).code) for t in texts if detect_language(t).code != language]
    accuracy = 1 - len(wrong) / len(texts)
    assert accuracy >= 0.85, wrong


def test_overall_accuracy_is_high():
    pairs = [(lang, text) for lang, texts in MESSAGES.items() for text in texts]
    correct = sum(detect_language(text).code == lang for lang, text in pairs)
    assert correct / len(pairs) >= 0.93


def test_the_conversations_language_settles_one_word_replies():
    assert detect_language("ok", hint="nl").code == "nl"
    assert detect_language("ok", hint="en").code == "en"
    assert detect_language("ja", hint="nl").code == "nl"


def test_nothing_to_detect_falls_back_without_pretending_confidence():
    guess = detect_language("12345 !!!", fallback="nl")
    assert guess.code == "nl"
    assert guess.confidence == 0.0
    assert detect_language("https://example.org", hint="en").code == "en"


def test_confidence_and_candidates_are_reported():
    guess = detect_language("Ik wil graag weten wanneer het grofvuil wordt opgehaald in mijn wijk")
    assert guess.code == "nl"
    assert guess.confidence > 0.8
    assert guess.candidates[0][0] == "nl"
