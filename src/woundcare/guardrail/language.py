"""Is a sentence in the configured language? A small offline scorer, written for this project.

The guardrail's rules read English only; text in any other language cannot be judged, so it
is blocked (fail closed). The scorer needs no model and no download: it counts the function
words of English and of the languages most often met in European clinics (French, German,
Spanish, Italian, Portuguese, Dutch), plus the letters that only those languages use.

* Letters of another script (Cyrillic, Greek, Arabic, CJK, ...) make up most of the
  letters: foreign.
* Otherwise each language scores one point per function word and per distinctive letter
  (é, ß, ñ, ã ...). English wins only with strictly more points than every other language;
  a tie with points on both sides is "cannot judge".
* A sentence with no function word at all ("Swab pending.") is English when most of its
  words are in the English vocabulary the guardrail knows (its lexicon and the message
  catalogue's words) and no foreign letter appears.

Only English is supported as the configured language (:data:`SUPPORTED`).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import cache

from woundcare.guardrail import lexicon as lx

SUPPORTED = frozenset({"en"})


class LanguageVerdict(StrEnum):
    CONFIGURED = "configured"
    OTHER = "other"
    UNKNOWN = "unknown"  # cannot judge: treated like another language (blocked)
    EMPTY = "empty"  # no words at all: nothing to judge, nothing to block


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_EN = _wordset(
    """a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't cannot could couldn't did didn't do
    does doesn't doing don't down during each either every few for from further had hadn't has
    hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his
    how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's me more most
    must mustn't my myself no nor not now of off on once only or other ought our ours ourselves
    out over own per please same she she'd she'll she's should shouldn't so some such than that
    that's the their theirs them themselves then there there's these they they'd they'll they're
    they've this those through to too under until up upon very was wasn't we we'd we'll we're
    we've were weren't what what's when when's where where's which while who who's whom why
    why's will with won't would wouldn't you you'd you'll you're you've your yours yourself
    yourselves yes any anyone anything since still yet across around within without whether
    been being onto again already always never sometimes often today tomorrow yesterday tonight
    week weeks day days hour hours month months year years time times one two three four five
    six seven eight nine ten first last next new old left right"""
)
_FOREIGN: dict[str, frozenset[str]] = {
    "fr": _wordset(
        """le la les un une des du de au aux et est sont être avoir il elle ils elles nous vous
        je tu ce cette ces qui que quoi dont où pour par avec sans sur sous dans chez mais ou
        donc car ne pas plus très bien aussi faut doit doivent veuillez merci oui non son sa ses
        leur leurs mon ma mes ton ta tes notre votre été fait jambe plaie pansement jour jours
        patient patiente médecin quelle quel quelles quels naissance date
        était sera avez avons ont hier aujourd'hui demain matin soir nuit douleur médecin
        infirmière peau pied crème fois mettre changer garder"""
    ),
    "de": _wordset(
        """der die das den dem des ein eine einen einem einer eines und ist sind war waren sein
        haben hat hatte wird werden wurde nicht kein keine mit ohne für auf aus bei nach von zu
        zum zur im ins am um über unter auch noch nur sehr bitte danke ja nein sie er es wir ihr
        ich du wie wo wann warum welche welcher welches soll sollte muss müssen kann können
        jeden jede jeder täglich wunde verband bein fuß arzt patient patientin
        geburtsdatum
        heute gestern morgen abend nacht schmerzen haut creme mal immer wieder lassen halten
        wechseln soll tag tage"""
    ),
    "es": _wordset(
        """el la los las un una unos unas y es son está están ser estar de del al en con sin por
        para que qué cual cuál como cómo donde dónde cuando cuándo muy también pero o ni se su
        sus mi mis tu tus nuestro debe deben hay tiene tienen favor gracias sí no cada días día
        herida apósito pierna pie médico paciente fecha nacimiento dolor
        ayer hoy mañana noche tarde piel crema veces vez mantener cambiar poner hace fue era será
        vive hija hijo"""
    ),
    "it": _wordset(
        """il lo la i gli le un uno una e è sono essere di del della dei delle al alla con senza
        per che chi come dove quando molto anche ma o non si suo sua suoi mio mia ogni giorno
        giorni ferita medicazione gamba piede medico paziente data nascita prega qual
        ieri oggi domani sera notte dolore pelle crema volte volta tenere cambiare mettere ha
        hanno era stato stata vive solo figlia figlio bisogna deve devono destra sinistra
        destro sinistro entrambi"""
    ),
    "pt": _wordset(
        """o a os as um uma uns umas e é são está estão ser estar de do da dos das ao em no na
        nos nas com sem por para que como onde quando muito também mas ou não se seu sua seus
        meu minha cada dia dias ferida curativo perna pé médico paciente data nascimento favor
        qual
        foi era ontem hoje amanhã noite dor pele creme vezes vez manter mudar colocar tem têm vai
        deve devem foto tirada penso anos filha filho"""
    ),
    "nl": _wordset(
        """de het een en is zijn was waren niet geen met zonder voor op uit bij naar van te
        ook nog maar alleen heel graag dank ja nee u ik je jij wij hij zij wat waar wanneer
        waarom moet moeten kan kunnen elke elk dag dagen wond verband been voet arts
        patiënt
        gisteren vandaag morgen avond nacht pijn huid crème keer houden verwisselen leggen heeft
        hebben wordt werd genomen foto jaar dochter zoon"""
    ),
}
# A word both languages use ("a", "no", "die", "patient") is no evidence for the other one;
# the English vocabulary is taken out once it is known (:func:`_foreign_words`).
_LETTERS: dict[str, str] = {
    "fr": "éèêëàâçîïôûùœÿ",
    "de": "äöüß",
    "es": "ñáíóúü¿¡",
    "it": "àèéìòù",
    "pt": "ãõçáâêóôú",
    "nl": "ëïé",
}
_FOREIGN_LETTERS = frozenset("".join(_LETTERS.values()))
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_EXTRA_ENGLISH = _wordset(
    """record recorded records entered enter confirm select choose patient patients wound
    wounds photo photos picture image field fields value values unknown name names date birth
    age sex female male consent storage sharing board team clinician nurse doctor visit case
    step review sign signed signature pin export exported locked assemble assembled encrypted
    sensitive question questions answer dismiss reason pending result present absent none yes
    ok score pain scale heart rate blood pressure temperature oxygen saturation respiratory
    exudate slough granulation necrotic epithelial tissue edge undermining depth length width
    cm mm level moderate heavy light serous purulent odour odor erythema swab dressing
    dressings bandage compression leg legs foot feet heel toe ankle site anterior lateral
    posterior medial view label ruler marker sticker camera lens flash lighting frame upload
    mark missing contradiction ambiguous correct incorrect invalid expired session text
    details detail item items file files server configured available allowed required
    optional data information detail storage export known nil noted history allergies
    medication medications regular irregular intact temp hr bp rr spo2 sao2 hba1c mmol mol mg
    kg ml mmhg bpm gcs bmi inr crp wbc egfr abpi o'clock jan feb mar apr jun jul aug sep sept
    oct nov dec mon tue wed thu fri sat sun approx colour color clear low high nad obs
    handover room bay bed ward shift late early running min mins hrs today tonight tomorrow
    morning evening night mrs mr ms miss dr hi hello thanks cheers mum dad nan gran grandad
    son daughter wife husband carer carers staff home family visiting stock order ordered
    delivered pharmacy chemist appt plan impression assessment imp dx tvn podiatry dn gp
    waterlow braden norton must purpose"""
)
# Clinical-note shorthand (round 18): sides and laterality, pulses and arteries, results and
# routine abbreviations. A note made of them ("R DP not palpable, PT faint", "MRSA screen
# neg") has too few function words to be recognised otherwise, and none of them is a
# function word of another language.
_NOTE_SHORTHAND = _wordset(
    """r l rt lt bilat lat med ant post prox dist dp dpa pt pta ata pop
    fem cfa sfa gsv ssv mtpj mtp ipj dip pip neg pos ve tbc tba mod sl cm2 cms mm2 nad ix hx
    dx imp rv r/v opa opd mdt mdft dnc tvn hca hcas dns am pm wks wk mins hrs appt appts
    ra wcc hb plt neut neuts alb creat egfr hba1c bm bms cbg inr aptt esr crp ldh na k mrsa
    mssa msu xr ct mri us ecg obs news news2 avpu gcs wt ht bmi kg lbs cl ca mg po4 glu ur t
    p hr rr bp temp u&e fbc lfts tfts spo2 abpi tbpi"""
)


@cache
def _english_vocabulary() -> frozenset[str]:
    """Every word the guardrail's lexicon spells out, plus common form and record words."""
    words: set[str] = set(_EN) | _EXTRA_ENGLISH | _NOTE_SHORTHAND
    for name in dir(lx):
        value = getattr(lx, name)
        if isinstance(value, str):
            words.update(re.findall(r"[a-z]{3,}", value))
        elif isinstance(value, frozenset):
            words.update(w for w in value if isinstance(w, str) and len(w) > 2)
    return frozenset(words)


@cache
def _foreign_words() -> dict[str, frozenset[str]]:
    english = _english_vocabulary()
    return {lang: words - english for lang, words in _FOREIGN.items()}


_JOINED = re.compile(r"(?<![^\W\d_])[a-z]{1,3}(?:[&/][a-z]{1,3})+(?![^\W\d_])")
_LABEL_VALUE = re.compile(r"(?<![^\W\d_])([a-z]{1,6})\s*:?\s*(?=[<>]?\d)")


def _script_is_latin(letters: str) -> bool:
    latin = sum(1 for ch in letters if "LATIN" in unicodedata.name(ch, ""))
    return latin * 2 > len(letters)


def detect(sentence: str, language: str = "en") -> LanguageVerdict:
    """Whether ``sentence`` is in ``language`` (only ``"en"`` is supported)."""
    if language not in SUPPORTED:
        raise ValueError(f"unsupported guardrail language: {language!r}")
    text = unicodedata.normalize("NFC", sentence).translate(_QUOTES).lower()
    letters = "".join(ch for ch in text if ch.isalpha())
    if not letters:
        return LanguageVerdict.EMPTY
    if not _script_is_latin(letters):
        return LanguageVerdict.OTHER
    # Abbreviations joined by "&" or "/" ("u&e", "r/l", "mc&s") and a label right before its
    # value ("na 134", "k 5.1", "t 36.8") carry no language (round 18).
    text = _JOINED.sub(" ", text)
    tokens = _WORD.findall(_LABEL_VALUE.sub(
        lambda m: " " if m.group(1) in _NOTE_SHORTHAND else m.group(0), text))
    if not tokens:  # only English note labels and their values ("Temp 37.2, HR 88")
        return LanguageVerdict.CONFIGURED
    english = sum(1 for t in tokens if t in _EN)
    foreign = {
        lang: sum(1 for t in tokens if t in words)
        + sum(1 for ch in letters if ch in _LETTERS[lang])
        for lang, words in _foreign_words().items()
    }
    best_foreign = max(foreign.values())
    if english > best_foreign:
        if (english == 1 and len(tokens) >= 4 and not _mostly_known(tokens, share=0.3)
                and (best_foreign or not _mostly_known(tokens, share=0.6, dictionary=True))):
            # one English function word ("a", "no") among unknown words: "A foto foi
            # tirada ontem." is not evidence enough; a note with no foreign evidence at all
            # whose words are mostly English dictionary words ("Pedal oedema ++ bilaterally,
            # pitting to mid-shin") is English
            return LanguageVerdict.UNKNOWN
        return LanguageVerdict.CONFIGURED
    if best_foreign > english:
        return LanguageVerdict.OTHER
    if english:  # a tie with evidence on both sides
        return LanguageVerdict.UNKNOWN
    if any(ch in _FOREIGN_LETTERS for ch in letters):
        return LanguageVerdict.OTHER
    # No function word of any language ("Exudate level: low; colour: clear."): English when
    # most words are English words (the guardrail's vocabulary or the English dictionary).
    known = _mostly_known(tokens, dictionary=True)
    return LanguageVerdict.CONFIGURED if known else LanguageVerdict.UNKNOWN


def _mostly_known(tokens: list[str], share: float = 0.5, *, dictionary: bool = False) -> bool:
    """At least ``share`` of the words are in the English vocabulary the guardrail knows (and,
    with ``dictionary``, in the English pronouncing dictionary)."""
    vocabulary = _english_vocabulary()
    extra = _dictionary_words() if dictionary else frozenset()
    known = sum(1 for t in tokens if t in vocabulary or t.rstrip("s") in vocabulary
                or (t.endswith("ies") and t[:-3] + "y" in vocabulary) or t in extra)
    return known >= share * len(tokens)


@cache
def _dictionary_words() -> frozenset[str]:
    """The words of the English pronouncing dictionary that ships inside the speech
    recogniser's package (CMUdict, about 130,000 words; read as a file, the recogniser is not
    loaded). Names from many languages are in it, so it is only used for sentences with no
    function word of any language, where a foreign sentence would show itself anyway. Empty
    when the package is not installed (the guardrail then fails closed, as before)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("pocketsphinx")
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / "model" / "en-us" / "cmudict-en-us.dict"
        if path.is_file():
            with path.open(encoding="utf-8", errors="replace") as lines:
                return frozenset(line.split(" ", 1)[0].split("(", 1)[0] for line in lines
                                 if line[:1].isalpha())
    return frozenset()


def is_configured_language(sentence: str, language: str = "en") -> bool:
    """True for text in ``language`` and for text with no words; False fails closed."""
    return detect(sentence, language) in (LanguageVerdict.CONFIGURED, LanguageVerdict.EMPTY)
