"""Per-sentence analysis the rules share: normalisation, clauses and action detection.

The rules never see raw text. A sentence is NFKC-normalised, stripped of invisible
characters and markdown decoration, lower-cased and whitespace-collapsed, then cut into
clauses (at ``, ; : ( ) -`` and at "and/then/or/but"). An *action clause* is a clause that
tells someone to do something clinical: an imperative ("Apply a foam dressing"), a modal
("The leg should be elevated"), a suggestion ("You could try honey"; "Have you considered
applying ...?") or a referral ("See a doctor"). Whether a verb is clinical depends on the
verb (``lexicon.STRONG_ACTIONS``) or on its object (``lexicon.WEAK_ACTIONS`` + a clinical
object, unless the clause is about the photo or the form).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from woundcare.guardrail import lexicon as lx
from woundcare.guardrail.lexicon import words


class ActionKind(StrEnum):
    IMPERATIVE = "imperative"
    MODAL = "modal"
    SUGGESTION = "suggestion"
    REFERRAL = "referral"


@dataclass(frozen=True)
class ActionClause:
    kind: ActionKind
    clause: str


_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2010": "-",
        "\u2011": "-",
    }
)
_DECORATION = re.compile(r"[\"*_#~<>\[\]{}|\\^=+@$]")
_SPACED_DASH = re.compile(r"\s-+\s|\s-+$|^-+\s")
# Contractions typed without the apostrophe ("thats", "dont", "shouldnt"); only spellings
# that are not English words themselves ("its", "wont", "cant", "id" are left alone).
_BARE_CONTRACTIONS = {
    "thats": "that's", "dont": "don't", "doesnt": "doesn't", "isnt": "isn't",
    "shouldnt": "shouldn't", "wouldnt": "wouldn't", "couldnt": "couldn't", "didnt": "didn't",
    "wasnt": "wasn't", "arent": "aren't", "werent": "weren't", "havent": "haven't",
    "hasnt": "hasn't", "im": "i'm", "ive": "i've", "youre": "you're", "theyre": "they're",
    "shes": "she's", "hes": "he's", "youll": "you'll", "theyll": "they'll", "itll": "it'll",
    "theres": "there's", "whats": "what's", "lets": "let's", "mustnt": "mustn't",
    "neednt": "needn't",
}
_BARE_CONTRACTION = re.compile(r"\b(?:" + "|".join(_BARE_CONTRACTIONS) + r")\b")
# Text-message spellings (round 16), read as the words they stand for so that every rule
# sees "please change dressing tomorrow" in "pls change dressing 2moro". Only spellings that
# are not English words themselves; "n" only between two words, "k" only at the end.
_SMS_SPELLINGS = {
    "pls": "please", "plz": "please", "plse": "please", "u": "you", "ur": "your",
    "2moro": "tomorrow", "2morrow": "tomorrow", "tmrw": "tomorrow", "tmr": "tomorrow",
    "tomoz": "tomorrow", "2day": "today", "2nite": "tonight", "b4": "before",
    "wit": "with", "wiv": "with", "gv": "give", "doc": "doctor", "docs": "doctors",
    "abx": "antibiotics", "antibio": "antibiotics", "antibios": "antibiotics",
    "antibs": "antibiotics", "til": "until", "gonna": "going to", "wanna": "want to",
    "gotta": "got to", "def": "definitely", "prob": "probably", "xray": "x-ray",
    "2x": "twice", "3x": "three times", "4x": "four times", "1x": "once", "hosp": "hospital",
    "tabs": "tablets", "meds": "medicines", "wk": "week", "wks": "weeks",
}
_SMS = re.compile(r"(?<![\w'/.-])(?:" + "|".join(map(re.escape, _SMS_SPELLINGS))
                  + r")(?![\w'/-])")
# Text-message misspellings and clinical-note shorthand (round 17), read as the words they
# stand for: "shud", "dresing"; "r/v 1/52", "c/w", "d/w", "cont.", "alt days", "2hrly",
# "?cellulitis" (a query: "possible cellulitis"). Only spellings that are not English words.
_NOTE_SPELLINGS = {
    "shud": "should", "shld": "should", "wud": "would", "cud": "could", "shudnt": "shouldn't",
    "dresing": "dressing", "stockin": "stocking", "stockins": "stockings",
    "dressin": "dressing", "dresings": "dressings", "bandge": "bandage",
    "beter": "better", "wil": "will", "sed": "said", "yest": "yesterday", "foto": "photo",
    "fotos": "photos", "pic": "photo",
    "pics": "photos", "wen": "when", "wat": "what", "cos": "because", "coz": "because",
    "r/v": "review", "rv": "review", "c/w": "consistent with", "d/w": "discuss with",
    "o/e": "on examination", "dx": "diagnosis", "ddx": "differential", "imp": "impression",
    "cont": "continue", "cont.": "continue", "contd": "continued", "alt": "alternate",
    "nwb": "non-weight-bearing", "tcc": "total contact cast", "4lb": "four-layer bandage",
    "2lb": "two-layer bandage", "hrly": "hourly", "tds": "three times a day",
    "qds": "four times a day", "bd": "twice a day", "od": "once a day", "prn": "as needed",
    "pt": "patient", "pts": "patients", "dfu": "diabetic foot ulcer", "appt": "appointment",
    "ooh": "out-of-hours", "asap": "as soon as possible", "tvn": "tissue viability nurse",
    # what a wound is called in notes (round 18): "Likely MASD rather than PU"
    "pu": "pressure ulcer", "vlu": "venous leg ulcer",
    "masd": "moisture-associated skin damage", "iad": "incontinence-associated dermatitis",
    "dti": "deep tissue injury", "ssi": "surgical site infection", "osteo": "osteomyelitis",
    "pvd": "peripheral vascular disease", "cvi": "chronic venous insufficiency",
}
_NOTE_KEYS = sorted(_NOTE_SPELLINGS, key=len, reverse=True)  # "cont." before "cont"
_NOTE = re.compile(r"(?<![\w'/.-])(?:" + "|".join(map(re.escape, _NOTE_KEYS))
                   + r")(?![\w'/-])")
# "1/52", "3/7": weeks and days in clinical notes (not a date: "28/11", "14/12").
_NOTE_SPAN = re.compile(r"(?<![\w/])([1-9]|1[0-4])/(52|7)(?![\w/])")
_NOTE_UNITS = {"52": "weeks", "7": "days"}
_NOTE_HOURLY = re.compile(r"(?<![\w/])(\d(?:-\d)?)(?: ?hrly| ?hourly|-hrly|-hourly)\b")
_QUERY = re.compile(r"(?:(?<=\s)|^)\?(?=[a-z])")
_SMS_AND = re.compile(r"(?<=[a-z] )n(?= [a-z])|(?<= )k$")
_LIST_MARKER = re.compile(r"^(?:[-\u2022\u25cf\u25aa\u2023>]+|\(?\d{1,2}[.)])\s+")
_CLAUSE_BREAK = re.compile(r"\s*(?:[,;:()!]|\.\s|\s-\s|->|=>|\u2192)\s*|"
                           r"\s+\b(?:and|then|or|but|otherwise)\b\s+")


_ARROW = re.compile(r"-+>|=+>|\u2192")


def normalise(sentence: str) -> str:
    """Lower-cased, NFKC, no invisible characters or decoration, single spaces."""
    text = unicodedata.normalize("NFKC", sentence)
    text = "".join(
        ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc") or ch in "\t\n"
    )
    text = text.translate(_QUOTES).lower()
    text = _ARROW.sub(" \u2192 ", text)  # "->", "=>": one arrow, kept (a clause break)
    text = _DECORATION.sub(" ", text)
    text = _SPACED_DASH.sub(" , ", f" {text} ")
    text = re.sub(r"\s+", " ", text).strip()
    text = _BARE_CONTRACTION.sub(lambda m: _BARE_CONTRACTIONS[m.group(0)], text)
    text = _SMS.sub(lambda m: _SMS_SPELLINGS[m.group(0)], text)
    text = _SMS_AND.sub(lambda m: "and" if m.group(0) == "n" else "ok", text)
    text = _NOTE_SPAN.sub(lambda m: f"{m.group(1)} {_NOTE_UNITS[m.group(2)]}", text)
    text = _NOTE_HOURLY.sub(lambda m: f"every {m.group(1)} hours", text)
    text = _NOTE.sub(lambda m: _NOTE_SPELLINGS[m.group(0)], text)
    text = _QUERY.sub("possible ", text)
    return _LIST_MARKER.sub("", text)


def _search(pattern: re.Pattern[str], text: str) -> bool:
    return pattern.search(text) is not None


_CLINICAL = re.compile(words(lx.CLINICAL_OBJECTS))
_NON_CLINICAL = re.compile(words(lx.PHOTO_TERMS + "|" + lx.DATA_TERMS))
_CLINICIAN = re.compile(words(lx.CLINICIANS))
_PERSON = re.compile(words(lx.PERSONS))
_NOUN_FOLLOWER = re.compile(rf"^{lx.NOUN_FOLLOWERS}(?:\s|$)")
_PRONOUN = re.compile(r"\b(?:it|them|this|that|these|those|one)\b")


_PREPOSITION = frozenset(
    {"after", "before", "to", "next", "on", "in", "with", "from", "for", "below", "above",
     "beside", "under", "over", "near", "at", "into", "onto", "by", "and", "or", "so", "then",
     "while", "until", "if", "when", "because"}
)
_LEADING = re.compile(r"^(?:(?:at least|at most|off|up|out|away|back|down|in)\s+)+")


def object_phrase(rest: str) -> str:
    """The noun phrase a verb acts on: the words after it up to a preposition (at most 6)."""
    head: list[str] = []
    for word in _LEADING.sub("", rest).split()[:6]:
        if word in _PREPOSITION:
            break
        head.append(word)
    return " ".join(head)


def is_kit(rest: str) -> bool:
    """The verb's object is the photo kit or the form ("the scale sticker next to ...")."""
    return _search(_NON_CLINICAL, object_phrase(rest))


def is_clinical_clause(clause: str, context: str = "") -> bool:
    """Mentions something clinical and is not about the photo or the form.

    ``context`` (the whole sentence) stands in when the clause only has a pronoun: in "If
    the dressing is wet, change it." the clause "change it" is about the dressing.
    """
    if _search(_NON_CLINICAL, clause):
        return False
    if _search(_CLINICAL, clause):
        return True
    return (
        bool(context)
        and _search(_PRONOUN, clause)
        and _search(_CLINICAL, context)
        and not _search(_NON_CLINICAL, context)
    )


def classify_verb(
    verb: str, clause: str, *, person: bool = False, context: str = ""
) -> ActionKind | None:
    """Whether ``verb`` (any form) instructs a clinical act within ``clause``.

    A strong verb is clinical unless the clause is only about the photo or the form ("Clean
    the camera lens"); a weak verb needs a clinical object; a referral verb needs a clinician.

    ``person``: the clause is addressed to or about a person ("you", "the patient"), which
    makes an otherwise vague verb ("rest", "avoid") advice.
    """
    if verb in lx.STRONG_ACTIONS and (
        _search(_CLINICAL, clause) or not _search(_NON_CLINICAL, clause)
    ):
        return ActionKind.IMPERATIVE
    if verb in lx.REFERRAL_ACTIONS and _search(_CLINICIAN, clause):
        return ActionKind.REFERRAL
    if verb in lx.WEAK_ACTIONS and (
        is_clinical_clause(clause, context) or (person and not _search(_NON_CLINICAL, clause))
    ):
        return ActionKind.IMPERATIVE
    return None


_LEAD = re.compile(
    r"^(?:(?:babe|hun|hon|hunni|darling|sweetheart|mate|guys|folks),?\s+)?"
    r"(?:(?:please|kindly|now|then|also|just|simply|first|firstly|next|gently|carefully|"
    r"immediately|promptly|always|regularly|so|and|or|but|instead|finally|lastly|meanwhile|"
    r"again|still|today|tonight|daily|afterwards|after that|let's|lets|let us|let me|"
    r"go ahead and|make sure to|be sure to|remember to|(?:do not|don't|dont|never) "
    r"forget to|try to|try and|(?:could|can|would|will) you|you(?: can| could| may| might)?"
    r"(?: also)?(?: want to| wish to| like to| need to)?|we(?: can| could| will| would)?|"
    r"i(?: would| will| can| could)?|i'd|we'd|we'll|i'll|i'm going to|we're going to|"
    r"(?:please )?(?:do not|don't|dont|never|no longer|do)|in the meantime|for now|"
    r"as needed|if needed|if necessary|where possible|when possible)\s+)*"
)
_EMBEDDED_STRONG = re.compile(
    r"(?<!did )(?<!does )(?<!do )(?<!not )(?<!never )(?<!didn't )(?<!doesn't )(?<!to have )"
    r"\b([a-z-]+)\s+(?:a|an|the|some|it|them|this|that|his|her|their|your|my|our|any|more|"
    r"less|with)\b"
)


_MAKE_SURE = re.compile(r"^make sure (?:that )?(?!to\b)")
_OBJECT_START = re.compile(rf"^{lx.OBJECT_START}\b")


def _imperative(clause: str, context: str) -> ActionKind | None:
    body = _MAKE_SURE.sub("ensure ", _LEAD.sub("", clause, count=1))
    parts = body.split(" ", 1)
    verb, rest = parts[0], parts[1] if len(parts) > 1 else ""
    if verb not in lx.STRONG_BASE | lx.WEAK_BASE | lx.REFERRAL_BASE:
        return None
    if rest and not re.search(r"[a-z0-9]", rest):
        return None  # "pop +/-": a label and its signs (popliteal pulse), no object
    if verb in lx.NOUN_LIKE_VERBS and (not rest or _NOUN_FOLLOWER.match(rest)):
        return None
    if verb in lx.ADJECTIVE_VERBS and not _OBJECT_START.match(rest):
        return None  # "Dry black eschar over the toe tip": a finding, not an order
    if is_kit(rest):
        return None  # the object is the photo kit or the form ("Apply the scale sticker")
    # "Please retake ..." never reaches here; "try using honey" / "keep the leg raised" do.
    return classify_verb(verb, body, context=context)


_MODAL = re.compile(
    r"\b(should|must|ought to|needs? to|has to|have to|had better|shall|is to|are to)\s+"
    r"((?:not|also|now|still|really|probably|definitely|only|first|always|never|ideally|"
    r"certainly|just|then|perhaps|maybe|be able to|be(?=\s+[a-z]+ing\b))\s+)*"
    r"([a-z'-]+)(?:\s+([a-z'-]+))?"
)
_INVERTED_MODAL = re.compile(
    r"^(?:should|must|shall|ought)(?:n't| not)?\s+"
    r"(?P<subject>(?:the|a|an|this|that|his|her|their|my|your|our)\s+(?:[a-z-]+\s+)?[a-z-]+|"
    r"we|i|you|he|she|they|it|one|someone|anyone|patients?|staff|nurses?)\s+"
    r"(?:not\s+|also\s+|still\s+|now\s+)*(?P<verb>[a-z'-]+)(?:\s+(?P<next>[a-z'-]+))?"
)
_PARTICIPLE = re.compile(
    r"^(?:[a-z-]+(?:ed|wn)|taken|given|seen|written|chosen|driven|broken|eaten|forgotten|"
    r"hidden|proven|shaken|spoken|swollen|woken|beaten|bitten|frozen|gotten|done|kept|put|"
    r"left|held|brought|sent|shown|begun|cut|set|fed|bound|laid|made)$"
)


def _modal_verb(verb: str, following: str, clause: str, *, person: bool, context: str) -> bool:
    """Whether "<modal> <verb> <following>" advises a clinical act."""
    if verb in ("be", "been", "get"):
        participle = following
        if not participle:
            return False
        if classify_verb(participle, clause, person=person, context=context):
            return True
        if participle in lx.NEUTRAL_ACTIONS:
            return _search(_CLINICIAN, clause)
        return bool(_PARTICIPLE.match(participle)) and (
            is_clinical_clause(clause, context) or (person and not _search(_NON_CLINICAL, clause))
        )
    if classify_verb(verb, clause, person=person, context=context):
        return True
    if verb in lx.NEUTRAL_ACTIONS or verb in ("n't", "not"):
        return False
    return is_clinical_clause(clause, context) or (
        person and not _search(_NON_CLINICAL, clause) and not _search(_ERRAND, clause))


# "Do I need to bring anything to the appointment?": an errand, not care (round 17).
_ERRAND = re.compile(
    r"\b(?:appointments?|office|reception|meeting|taxi|transport|parking|paperwork|"
    r"prescription slip|repeat slip|key ?safe)\b"
)


_VERBISH = lx.STRONG_ACTIONS | lx.WEAK_ACTIONS | lx.REFERRAL_ACTIONS | lx.NEUTRAL_ACTIONS


def _modal(clause: str, context: str) -> bool:
    inverted = _INVERTED_MODAL.match(clause)
    if inverted:
        # "Should the patient start antibiotics?" / "Must the patient stay in bed?"
        verb, following = inverted.group("verb"), inverted.group("next") or ""
        if verb not in _VERBISH and inverted.group("next") and (inverted.group("next") in _VERBISH):
            # A two-word subject the pattern read as subject + verb ("the wound care nurse").
            verb, following = following, ""
        person = _search(_PERSON, inverted.group("subject"))
        return _modal_verb(verb, following, clause, person=person, context=context)
    for match in _MODAL.finditer(clause):
        verb, following = match.group(3), match.group(4) or ""
        person = _search(_PERSON, clause[: match.start()])
        if _modal_verb(verb, following, clause, person=person, context=context):
            return True
    return False


_SUGGESTION_FRAMES = re.compile(
    r"\b(?:have|has|did)\s+(?:you|the patient|they|we|anyone|the (?:care )?team|the nurse)\s+"
    r"(?:tried|considered|thought about|thought of|looked into)\b|"
    r"\b(?:why not|how about|what about)\s+[a-z-]+ing\b|\bwhy not\b|"
    r"\bworth (?:trying|considering|using|applying|starting|adding|a try|a go)\b|"
    r"\b(?:would|could|might|may|will|can)\s+(?:(?!you\b|like\b)[a-z-]+\s+){0,3}?(?:really\s+)?"
    r"(?:help|benefit|be (?:best|better|beneficial|helpful|useful|ideal|appropriate|wise|"
    r"worth|advisable|a good idea|the best|the right|sensible))\b|"
    r"\b(?:you|we|i)\s+(?:can|could|may|might)\s+(?:also\s+)?(?:want to\s+|wish to\s+)?"
    r"([a-z-]+)"
)
_TO_FRAME = re.compile(
    r"\b(?:best|better|advisable|important|essential|vital|crucial|wise|sensible|prudent|"
    r"helpful|beneficial|a good idea|recommended|necessary|time|plan is|next step is|"
    r"next step would be|goal is|aim is|priority is|worth it|safest|safer)\s+"
    r"(?:(?:for|that)\s+(?:you|the patient|him|her|them)\s+)?to\s+(?:not\s+)?([a-z-]+)"
)


_FLOW_VERBS = frozenset({"continue", "proceed", "retry", "save", "close", "reload", "refresh",
                         "log", "come back", "return later", "go back", "undo"})


def _suggestion(clause: str) -> bool:
    for match in _SUGGESTION_FRAMES.finditer(clause):
        verb = match.group(1)
        if verb is None:
            if not _search(_NON_CLINICAL, clause):
                return True
        elif verb in _FLOW_VERBS or clause.endswith("try again"):
            continue  # "you can continue later", "you can try again": the form, not care
        elif classify_verb(verb, clause, person=True):
            return True
    for match in _TO_FRAME.finditer(clause):
        verb = match.group(1)
        if verb not in lx.NEUTRAL_ACTIONS and (
            classify_verb(verb, clause, person=True) or is_clinical_clause(clause)
        ):
            return True
    return False


def _embedded_strong(clause: str, context: str) -> bool:
    """A strong verb's base form with an object mid-clause ("If wet apply a foam dressing")."""
    return any(
        m.group(1) in lx.STRONG_BASE
        and m.group(1) not in lx.NOUN_LIKE_VERBS
        and classify_verb(m.group(1), clause, context=context) is not None
        and not is_kit(clause[m.end(1):])
        for m in _EMBEDDED_STRONG.finditer(clause)
    )


@dataclass(frozen=True)
class SentenceView:
    """One sentence as the rules see it."""

    original: str

    @cached_property
    def text(self) -> str:
        return normalise(self.original)

    @cached_property
    def is_question(self) -> bool:
        return self.text.rstrip("'\") ").endswith("?")

    @cached_property
    def clauses(self) -> tuple[str, ...]:
        parts = (p.strip(" .?!") for p in _CLAUSE_BREAK.split(self.text))
        return tuple(p for p in parts if p)

    @cached_property
    def actions(self) -> tuple[ActionClause, ...]:
        """Every clause that instructs, advises or suggests a clinical act."""
        found: list[ActionClause] = []
        for index, clause in enumerate(self.clauses):
            if index and self.is_question and " " not in clause:
                continue  # "Does the patient smoke or drink?": a coordinated verb, no order
            kind = _imperative(clause, self.text)
            if kind is None and not self.is_question and _embedded_strong(clause, self.text):
                kind = ActionKind.IMPERATIVE
            if kind is not None:
                found.append(ActionClause(kind, clause))
            if _modal(clause, self.text):
                found.append(ActionClause(ActionKind.MODAL, clause))
            if _suggestion(clause):
                found.append(ActionClause(ActionKind.SUGGESTION, clause))
        return tuple(found)

    @cached_property
    def _found(self) -> dict[int, bool]:
        return {}

    def has(self, pattern: re.Pattern[str]) -> bool:
        """Whether ``pattern`` occurs in the normalised text (remembered per pattern: many
        rules ask the same question, "is anything clinical named?")."""
        key = id(pattern)  # patterns live for the process; hashing one hashes its code
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = pattern.search(self.text) is not None
        return found
