"""A small second opinion: logistic regression over hashed word and character n-grams.

The rules (:mod:`.rules`) are precise but only as general as their word lists; this model
scores the *shape* of a sentence (addressed instructions, modal verbs, hedges, clinical
objects, broken word order) and catches advice the rules were never written for. It only
ever adds a block: a sentence a rule blocks stays blocked, and a sentence a speech frame
(:mod:`.frames`: reports, records, questions about past facts, administrative and photo
lines) vetoes is never blocked by the model (the rules veto the model).

The weights are a small file shipped inside the package (``guardrail/model/weights.npy``,
float16, :data:`DIMENSIONS` buckets); nothing is downloaded at run time. They are trained
by ``scripts/train_guardrail_classifier.py`` on the development part of the corpus, the
legacy regression corpus and the message catalogue's renderings, never on the held-out part.
Inference is pure Python over the hashed feature ids (stable CRC-32 hashing, not Python's
salted ``hash``), a few tens of microseconds a sentence.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import zlib
from functools import cache
from importlib.resources import files

from woundcare.guardrail import lexicon as lx
from woundcare.guardrail.analysis import SentenceView, normalise
from woundcare.guardrail.frames import vetoed
from woundcare.messages import identify

DIMENSIONS = 1 << 16
"""Number of hash buckets (a power of two)."""

_TOKEN = re.compile(r"[a-zà-ÿß]+(?:'[a-z]+)?|\d+(?:[.,]\d+)?|[?!]")


def tokens(sentence: str) -> list[str]:
    """Lower-cased word tokens; numbers become ``<num>``; ``?`` and ``!`` are kept."""
    out = []
    for tok in _TOKEN.findall(sentence.casefold().replace("’", "'")):
        out.append("<num>" if tok[0].isdigit() else tok)
    return out


def feature_strings(sentence: str) -> list[str]:
    """The named features of one sentence (before hashing)."""
    toks = tokens(sentence)
    feats = ["bias"]
    if not toks:
        return feats
    padded = ["<s>", *toks, "</s>"]
    feats.extend(f"w:{t}" for t in toks)
    feats.extend(f"b:{a} {b}" for a, b in itertools.pairwise(padded))
    feats.extend(f"t:{a} {b} {c}" for a, b, c in zip(padded, padded[1:], padded[2:],
                                                     strict=False))
    feats.append(f"first:{toks[0]}")
    if len(toks) > 1:
        feats.append(f"first2:{toks[0]} {toks[1]}")
    for t in toks:
        if len(t) > 3 and t.isalpha():
            word = f"#{t}#"
            feats.extend(f"c:{word[i:i + 4]}" for i in range(len(word) - 3))
    feats.append(f"len:{min(len(toks), 20) // 4}")
    feats.extend(class_features(sentence))
    return feats


# Round 18: word classes from the guardrail's lexicon, so that a medicine, body part, clinician
# or admin word the training data never spelled still counts as one ("Topical lidocaine ...",
# "Hoist service due ..."), and the note shapes (numbers, participles, a verb first).
_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("med", re.compile(lx.words(lx.MEDICATION_TERMS))),
    ("cond", re.compile(lx.words(lx.CONDITIONS + "|" + lx.WOUND_TYPES))),
    ("body", re.compile(lx.words(lx.CLINICAL_OBJECTS))),
    ("clinician", re.compile(lx.words(lx.CLINICIANS + "|" + lx.SERVICES))),
    ("treat", re.compile(lx.words(lx.TREATMENT_NOUNS))),
    ("kit", re.compile(lx.words(lx.PHOTO_TERMS + "|" + lx.DATA_TERMS))),
    ("admin", re.compile(
        r"\b(?:rotas?|shifts?|leave|study day|training|meetings?|mdt|huddle|handover|rooms?|"
        r"students?|caseload|supervision|office|hub|bleep|diary|audit|e-?mails?|letters?|"
        r"appointments?|slots?|booked|rebooked|rescheduled|cancelled|moved|delivery|"
        r"delivered|stock|ordered|faxed|sent|chased|awaiting|pending|tbc)\b")),
    ("time", re.compile(
        r"\b\d{1,2}(?:[:.]\d\d)?\s?(?:am|pm)\b|\b\d{1,2}:\d\d\b|\b(?:mon|tues?|weds?|"
        r"thurs?|fri|sat|sun)(?:day)?\b")),
    ("modal", re.compile(
        r"\b(?:should|shouldn't|must|mustn't|need to|needs to|needs|have to|has to|ought|"
        r"better|best|got to)\b")),
    ("hedge", re.compile(
        r"\b(?:might|maybe|perhaps|could|consider|worth|probably|likely|possibly|suspect|"
        r"query)\b")),
    ("future", re.compile(r"\b(?:will|'ll|going to|expect|should be|won't)\b")),
    ("report", re.compile(
        r"\b(?:reports?|reported|says|said|states?|stated|told|asked|wants to know|noted|"
        r"recorded|documented)\b")),
    ("result", re.compile(
        r"\b(?:neg|negative|pos|positive|growth|sensitive|resistant|awaited|results?|"
        r"palpable|triphasic|biphasic|monophasic|absent|present|intact)\b")),
    ("participle", re.compile(
        r"\b[a-z]{3,}(?:ed)\b(?<!\bneed)(?<!\bneeded)")),
)


def class_features(sentence: str) -> list[str]:
    text = normalise(sentence)
    found = [name for name, pattern in _CLASSES if pattern.search(text)]
    feats = [f"cls:{name}" for name in found]
    feats.extend(f"cls2:{a}+{b}" for a, b in itertools.combinations(found, 2))
    numbers = len(re.findall(r"\d+(?:[.,/]\d+)?", text))
    feats.append(f"nums:{min(numbers, 3)}")
    first = text.split(" ", 1)[0] if text else ""
    if first in lx.ACTION_BASE:
        feats.append("first:verb")
    if ":" in text[:30]:
        feats.append("label:")
    return feats


def bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & (DIMENSIONS - 1)


def features(sentence: str) -> tuple[list[int], float]:
    """The hashed feature ids of one sentence and the value each carries (1/sqrt(n))."""
    ids = [bucket(f) for f in feature_strings(sentence)]
    return ids, 1.0 / math.sqrt(len(ids))


@cache
def _model() -> tuple[list[float], float]:
    import numpy as np  # only for reading the shipped file

    root = files("woundcare.guardrail").joinpath("model")
    with root.joinpath("weights.npy").open("rb") as handle:
        weights = np.load(handle).astype(float).tolist()
    meta = json.loads(root.joinpath("meta.json").read_text("utf-8"))
    if len(weights) != DIMENSIONS:
        raise ValueError("guardrail model has the wrong size")
    return weights, float(meta["threshold"])


def advice_probability(sentence: str) -> float:
    """The model's probability that ``sentence`` should be blocked."""
    weights, _ = _model()
    ids, value = features(sentence)
    z = value * sum(weights[i] for i in ids)
    if z < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def threshold() -> float:
    """The decision threshold chosen by cross-validation on the development data."""
    return _model()[1]


_RECORD_LINE = re.compile(
    # "Allergies: none known.", "Pulse 88, regular.", "Wound area 12.4 cm2."
    r"^[a-z][a-z0-9 /()'-]{0,30}:\s*(?!.*\b(?:should|must|need|needs|try|apply|use|keep|give|"
    r"take|change|start|stop|avoid|refer|see)\b)|"
    r"^(?=[^?]*\d)(?!.*\b(?:should|must|need|needs|try|apply|use|keep|give|take|change|start|"
    r"stop|avoid|refer|see|every|daily|twice|times|until|for \d|will|expect|within)\b)"
    r"(?:[^\s]+\s*){1,8}$"
)


_KIT_OR_FORM = re.compile(lx.words(lx.PHOTO_TERMS + "|" + lx.DATA_TERMS + r"|upload|export|sync"))
_CLINICAL = re.compile(lx.words(lx.CLINICAL_OBJECTS + "|" + lx.CONDITIONS + "|"
                                + lx.WOUND_TYPES))
_CONDITION = re.compile(lx.words(lx.CONDITIONS))


_CUE = re.compile(lx.words(
    lx.CLINICAL_OBJECTS + "|" + lx.CONDITIONS + "|" + lx.WOUND_TYPES + "|" + lx.CLINICIANS
    + "|" + lx.MEDICATION_TERMS + "|" + lx.SERVICES + "|" + lx.TREATMENT_NOUNS
    + r"|turns?|turned|reposition\w*|sit|sits|sitting|sleep|sleeps|lie|lies|lying|hourly|"
    r"daily|nightly|weekly|every|each|twice|once")
    + "|" + lx.FREQUENCY)
_INSTRUCTION_CUE = re.compile(
    r"\b(?:should|shouldn't|must|need|needs|needed|try|apply|use|keep|give|take|change|start|"
    r"stop|avoid|refer|see|put|please|always|daily|every|twice|times|until|when|better|best|"
    r"no|not|never|don't|up|off|will|expect|go|get|make|let|wash|clean|rest|elevate|raise|"
    r"wear|cover|leave|do|can|could|would|might|may|want|wants|if|because|so|due|from|likely|"
    r"probably|maybe|perhaps|looks|like|seems|sign|suggests|means|typical|classic)\b"
)
_OBSERVATION = re.compile(
    r"\b(?:noticed|noted|observed|seen|found|present|absent|recorded|measured|removed|taken|"
    r"done|sent|changed|applied|reported|intact|dry|flaky|moist|red|pink|warm|cool|swollen|"
    r"macerated|healthy|clean|sloughy|rolled|thickened|fragile|shiny|hairless|pale|dusky|"
    # note-style findings (round 17)
    r"viable|pitting|blanching|non-blanching|granulating|epitheliali[sz]ing|undermined|"
    r"erythematous|indurated|oedematous|haemoserous|serous|purulent|offensive|excoriated|"
    r"attached|advancing|palpable|tender|weeping|bruised|necrotic|callused|healed|resolved|"
    r"unchanged|static|improved|reduced|epitheliali[sz]ed)\b"
)


# "No bleeding since Tuesday.", "Nil exudate noted.": a negative finding, not a prohibition.
_NEGATIVE_FINDING = re.compile(
    r"^(?:no|nil)\s+(?:[a-z-]+\s+){0,3}?(?:since|noted|reported|seen|observed|present|found|"
    r"for the (?:past|last)|overnight|at rest|on examination|o/e|so far|to date|recently|"
    r"on (?:[a-z-]+\s+)?(?:inspection|assessment|review|check|removal)|today|this (?:visit|"
    r"morning|afternoon|evening))\b"
    r"(?!.*\b(?:until|till|for the next|from now|should|must|please)\b)"
)


# "Air mattress delivered and set up.", "Callus reduced with scalpel, no bleeding.": a note
# that something was done (a noun phrase, then a past participle), with no instruction word.
_DONE_RECORD = re.compile(
    r"^(?!.*\b(?:should|must|need|needs|please|will|to be|every|daily|until|till|if|try|keep|"
    r"avoid|better|best|when|before|unless|weekly|twice|times|all times|review in|review \d+|"
    r"continue|hourly|nightly|each|for \d+|then)\b)(?:[a-z0-9'-]+\s+){0,3}(?:delivered|set up|"
    r"brought(?: in)?|reduced|applied|removed|"
    r"changed|done|completed|given|fitted|trimmed|debrided|dressed|redressed|taken|sent|"
    r"cleaned|washed|checked|inspected|seen|reviewed|measured|recorded|renewed|replaced|"
    r"collected|ordered|arrived|started|stopped|updated|signed|filed|requested|discussed|"
    r"booked|agreed|arranged)\b"
)


# "Why did they stop the compression?": a question about what happened (the rules still
# judge suggestion frames such as "Did you think about ...").
_PAST_QUESTION = re.compile(
    r"^(?:why|when|who|what|how|where|which)?\s*(?:[a-z]+\s+)?(?:did|was|were|had)\s+"
    r"(?!you\b)"
)


def _observation_fragment(view: SentenceView) -> bool:
    """A short documentation fragment ("Ulcer first noticed in August.", "Surrounding skin dry
    and flaky.", "Clean pink granulation across the base."): no instruction or hedge word, no
    condition, an observation word. A first word that is an adjective as well as a verb
    ("Clean pink ...", "Dry black eschar ...") is read as the adjective when no object
    follows it."""
    text = view.text
    first, _, rest = text.partition(" ")
    if first in lx.ADJECTIVE_VERBS and not re.match(rf"^{lx.OBJECT_START}\b", rest):
        text = rest
    return (not view.is_question and len(view.text.split()) <= 10
            and view.has(_OBSERVATION) and _INSTRUCTION_CUE.search(text) is None
            and not view.has(_CONDITION))


# "The dressing currently in place is a foam.", "Currently on flucloxacillin.": what is there
# now, with no instruction to keep or change it (round 18).
_CURRENT_STATE = re.compile(r"\b(?:currently|at present|presently|in situ|in place)\b")
_KEEP_CUE = re.compile(
    r"\b(?:should|must|need|needs|please|keep|leave|stay|stays|remain|remains|continue|until|"
    r"will|'ll|to be|if|try|better|best|change|remove|replace|stop|start|don't|do not|"
    r"never|always)\b"
)


# "She has been in two-layer compression since August": how long something has been so.
_SINCE = re.compile(r"\b(?:has|have|had)\s+(?:\w+\s+)?been\b.*\bsince\b")


def _current_state(view: SentenceView) -> bool:
    return (not view.is_question and (view.has(_CURRENT_STATE) or view.has(_SINCE))
            and not view.has(_KEEP_CUE) and not view.has(_CONDITION))


_FINDING_CLAUSE = re.compile(
    r"^(?:[a-z/-]+\s+){0,3}?(?:intact|present|absent|dry|moist|pink|red|clean|healthy|"
    r"macerated|palpable|warm|cool|normal|"
    # note-style states (round 18): "R/L hallux nails thickened", "PT faint"
    r"thickened|impalpable|faint|weak|bounding|triphasic|biphasic|monophasic|pitting|"
    r"blanching|non-blanching|granulating|epitheliali[sz]ing|sloughy|indurated|"
    r"oedematous|erythematous|excoriated|callused|unchanged|static|stable|healed|"
    r"resolved|reduced|improved|flaky|shiny|hairless|pale|dusky|mottled|cold)$|"
    # how the patient is getting on, subject dropped: "Tolerating full compression"
    r"^(?:tolerating|managing|coping with|complying with|compliant with|adherent to|"
    r"self-caring|mobilising)(?:\s+[a-z0-9/-]+){0,4}$|"
    r"^(?:no|nil)\s+(?:[a-z-]+\s+){0,2}?[a-z-]+(?:ation|ness|ity|osis|itis|ema)$|"
    r"^(?:no|nil)\s+(?:[a-z-]+\s+){0,2}?(?:breakdown|redness|erythema|swelling|oedema|edema|"
    r"slough|exudate|odou?r|smell|bleeding|pain|maceration|pus|discharge|tracking|"
    r"undermining|necrosis|change|changes|signs? of [a-z]+|new [a-z]+|heat|warmth|"
    r"tenderness|blistering)(?:\s+(?:on|in|over|around|at|of|to)\s+"
    r"(?:the\s+)?(?:[a-z-]+\s+){0,2}?[a-z-]+)?$"
)


def _finding_clauses(view: SentenceView) -> bool:
    """A note made only of findings ("Skin intact, no breakdown on the heels."): every
    clause is "<part> <state>" or "no <finding> [on the <part>]", with no instruction word."""
    return (not view.is_question and len(view.clauses) > 1
            and all(_FINDING_CLAUSE.match(c) for c in view.clauses)
            and not view.has(_FINDING_INSTRUCTION))


# Round 19. What happened to something worn or put on the wound, told in the past ("Pad
# came off in the night", "Bandage slipped down to the ankle", "Dressing leaked overnight"):
# an event in the record; every clause is such an event or a past participle of the visit.
_DEVICE_EVENT = re.compile(
    r"^(?:the\s+|her\s+|his\s+)?(?:[a-z-]+\s+){0,2}?(?:dressings?|bandages?|pads?|wraps?|"
    r"foam|stockings?|hosiery|boots?|film|casts?|splints?|plasters?|tape|strips?|"
    r"steri-strips|socks?|layers?|padding|drains?|cannula|catheter)\s+(?:had\s+|has\s+)?"
    r"(?:[a-z]+ed|came|fell|slid|stuck|got|went|ran|blew|wore)\b"
)
_VISIT_PARTICIPLE = re.compile(r"^(?:[a-z-]+\s+){0,3}?[a-z]+(?:ed|en)\b")


# Round 19. A task's status, nothing else ("Compression review overdue", "Doppler booked for
# 3 May", "Care plan review due 12/04"): the schedule, not an order.
_STATUS_LINE = re.compile(
    r"^(?:[a-z0-9/&'-]+\s+){1,5}?(?:is\s+|are\s+|now\s+|still\s+)?(?:overdue|due|booked|"
    r"pending|awaited|outstanding|scheduled|done|completed|cancelled|rebooked|missed)"
    r"(?:\s+(?:today|tomorrow|since|for|on|at|by|from|in)?\s*[a-z0-9/:.-]*){0,2}\s*[.!]?$"
)
_STATUS_ORDER = re.compile(r"\b(?:should|must|need|needs|please|if|until|every|daily|could|"
                           r"would|might|may|maybe|perhaps|worth|get|getting|"
                           r"weekly|twice|keep|use|apply|start|stop)\b")


def _status_line(view: SentenceView) -> bool:
    return (not view.is_question and len(view.clauses) == 1 and view.has(_STATUS_LINE)
            and not view.has(_STATUS_ORDER) and not view.has(_CONDITION))


def _device_event(view: SentenceView) -> bool:
    clauses = view.clauses
    return (not view.is_question and bool(clauses)
            and _DEVICE_EVENT.match(clauses[0]) is not None
            and all(_DEVICE_EVENT.match(c) or _VISIT_PARTICIPLE.match(c)
                    or _FINDING_CLAUSE.match(c) for c in clauses)
            and not view.has(_FINDING_INSTRUCTION) and not view.has(_ERRAND_ALARM)
            and not view.has(_SCHEDULE))


# a care schedule ("Dressing changed twice weekly") is a plan, not an event
_SCHEDULE = re.compile(r"\b(?:daily|weekly|fortnightly|monthly|nightly|hourly|twice|"
                       r"three times|every|each|alternate|per (?:day|week)|a (?:day|week)|"
                       r"x ?\d|\d ?x)\b")


# Round 18. A test and its result ("MRSA screen neg.", "Swab result back - heavy growth
# Pseudomonas", "Bloods awaited"), or a pending item ("Awaiting vascular OPA, date TBC"):
# a record of results, with no instruction, hedge or reading of them.
_TEST = re.compile(
    r"\b(?:swabs?|screens?|screening|cultures?|bloods?|blood tests?|x-?rays?|xr|mri|ct|"
    r"duplex|doppler|abpi|tbpi|toe pressures?|biops(?:y|ies)|msu|urine dip|urinalysis|"
    r"results?|sensitivities|growth|histology|ultrasound|scan|scans|echo|ecg|mc&s|mcs|"
    r"hba1c|crp|wcc|inr|egfr|albumin|monofilament)\b"
)
_RESULT = re.compile(
    r"\b(?:neg|negative|pos|positive|growth|grew|isolated|detected|sensitive|resistant|"
    r"flora|back|awaited|awaiting|pending|tbc|tba|requested|sent|taken|done|reported|"
    r"unremarkable|nad|clear)\b|\d"
)
_PENDING = re.compile(
    r"^(?:still\s+)?(?:awaiting|pending|awaited|chasing|chased|booked|requested|tbc|tba|"
    r"due)\b"
)
_READING_CUE = re.compile(
    r"\b(?:should|must|need|needs|please|start|stop|continue|refer|give|take|use|apply|"
    r"consider|for|to be|if|will|'ll|likely|probably|possible|suggest\w*|means|mean|"
    r"indicat\w*|consistent|rather|query|treat|cover|needed|required|so)\b"
)


def _result_line(view: SentenceView) -> bool:
    return (not view.is_question and not view.has(_READING_CUE)
            and ((view.has(_TEST) and view.has(_RESULT)) or view.has(_PENDING)))


# Round 18. A line about staff, rooms, rotas, meetings and times ("Student nurse with me all
# week", "MDT moved to Thursday 2pm, room 4"): nothing clinical, no instruction.
_ADMIN = re.compile(
    r"\b(?:rotas?|shifts?|leave|study day|training|meetings?|mdt|mdft|huddle|handover|rooms?|"
    r"students?|cover|covering|caseload|supervision|office|hub|desk|bleep|parking|diary|"
    r"bank|agency|staffing|allocated|unallocated|induction|appraisal|audit|e-?mails?|"
    r"teams call|voicemail|lunch|break|rescheduled|cancelled|moved|rebooked|"
    r"all week|this week|next week|mon|tues?|weds?|thurs?|fri|sat|sun|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)\b|\b\d{1,2}(?:[:.]\d\d)?\s?(?:am|pm)\b|"
    r"\b\d{1,2}:\d\d\b"
)
_ADMIN_CUE = re.compile(
    r"\b(?:should|must|need|needs|needed|please|give|take|apply|use|keep|avoid|refer|see|"
    r"start|stop|continue|if|try|better|best|will|'ll|can|could|would|might|may)\b"
)


# Clinical words that only name an administrative thing ("Leg ulcer clinic list full",
# "diabetic foot MDT", "compression competencies", "podiatry referral faxed"): the words before
# an administrative head noun are its modifiers.
_ADMIN_HEAD = re.compile(
    r"(?:[a-z&/-]+\s+){0,3}?(?:clinic|clinics|list|lists|mdt|mdft|meetings?|audits?|training|"
    r"competenc(?:y|ies)|deliver(?:y|ies)|stock|orders?|appointments?|study day|sessions?|"
    r"formulary|rotas?|caseload|letters?|referrals?|waiting list|slots?|service|team|"
    r"link nurse|champion|courses?|update|leads?|results?)\b"
)
_ADMIN_STATUS = re.compile(
    r"\b(?:faxed|sent|emailed|posted|booked|rebooked|confirmed|chased|delivered|collected|"
    r"moved|cancelled|canceled|rescheduled|postponed|full|awaiting|acknowledg\w+|allocated|"
    r"triaged|submitted|received|arranged|meets|runs|closed|open)\b"
)


# "... should arrive Friday": a delivery's forecast, not a care word.
_ARRIVAL = re.compile(
    r"\b(?:should|will|'ll|can|could|may|might)\s+(?:\w+\s+)?(?:arrive|come|be (?:delivered|"
    r"here|ready|back|with (?:you|us))|turn up|get here)\b"
)


def _admin_line(view: SentenceView) -> bool:
    if _ADMIN_CUE.search(_ARRIVAL.sub(" ", view.text)) or view.has(_MEDICINE_ORDER):
        return False
    if view.has(_ADMIN) and not view.has(_CLINICAL) and not view.has(_MEDICINE):
        return True
    stripped = _ADMIN_HEAD.sub(" ", view.text)
    return ((view.has(_ADMIN) or view.has(_ADMIN_STATUS)) and stripped != view.text
            and _CLINICAL.search(stripped) is None and _MEDICINE.search(stripped) is None)


# "... for antibiotics", "... re abx": a request for a treatment is not administration.
_MEDICINE_ORDER = re.compile(r"\b(?:for|re|about|needs?|start|stop)\s+(?:\w+\s+)?(?:"
                             + lx.MEDICATION_TERMS + r")\b")


_MEDICINE = re.compile(lx.words(lx.MEDICATION_TERMS + "|" + lx.TREATMENT_NOUNS))


# An errand ("Ask him to ring the surgery for his results", "Daughter to bring in his
# stockings tomorrow"): fetching, carrying or booking things, nothing conditional or urgent.
_ERRAND = re.compile(
    r"\b(?:ring|phone|call|email|e-mail|text|bring|bring in|collect|pick up|drop off|post|"
    r"book|rebook|cancel|confirm|chase|fetch|return)\b(?:\s+(?:in|up|off|back))?\s+"
    r"(?:[a-z']+\s+){0,3}?(?:results?|letters?|appointments?|prescriptions?|forms?|"
    r"paperwork|keys?|supplies|orders?|equipment|stockings|dressings|bandages|pads|"
    r"surgery|office|pharmacy|chemist|reception)\b"
)
_ERRAND_ALARM = re.compile(
    r"\b(?:if|when|unless|urgent\w*|today|tonight|now|worse|spread\w*|999|111|112|911|"
    r"ambulance|a ?& ?e|straight away|immediately|should|must|need|needs|start|stop|apply|"
    r"use|take|wear|put)\b"
)


def _errand(view: SentenceView) -> bool:
    return (not view.is_question and view.has(_ERRAND) and not view.has(_ERRAND_ALARM)
            and not view.has(_CONDITION))


_FINDING_INSTRUCTION = re.compile(
    r"\b(?:should|must|need|needs|keep|use|apply|try|avoid|until|please|leave|stop|start)\b")


def exempt(view: SentenceView) -> bool:
    """Sentences the model never judges (the rules still do): a speech frame vetoes them
    (reports, records, questions about past facts, administrative and photo lines), they
    name nothing clinical (no body part, wound word, condition, product, medicine, clinician
    or service: small talk and system lines), they are a record line (a label and a value, a
    short measurement, an observation fragment with no instruction word), they are about the
    photo or the form only, or they are a rendering of a catalogued message template (typed
    slots only)."""
    return (vetoed(view) is not None or view.has(_RECORD_LINE)
            or not view.has(_CUE)
            or (view.has(_KIT_OR_FORM) and not view.has(_CLINICAL))
            or _observation_fragment(view) or view.has(_NEGATIVE_FINDING)
            or (view.has(_DONE_RECORD) and not view.is_question)
            or (view.is_question and view.has(_PAST_QUESTION))
            or _finding_clauses(view) or _result_line(view) or _admin_line(view)
            or _current_state(view) or _errand(view) or _device_event(view)
            or _status_line(view)
            or identify(view.original) is not None)


def flags(sentence: str) -> bool:
    """Does the model say this sentence is advice?"""
    return advice_probability(sentence) >= threshold()
