"""Rules that read a sentence's structure rather than a fixed phrase.

Each rule asks one question about the sentence as a speech act:

* **classification** — does it say what the wound *is* (copula + a wound type, a condition
  or a causal attribution)?
* **forecast** — does it say what *will* happen (a future or an expectation + an outcome)?
* **triage** — does it say *when* someone must be seen, or that it can wait?
* **obligation** — is something important, needed or to be done (impersonal or passive),
  whatever the verb?
* **negated advice** — "no need to", "doesn't need", "don't bother", "no point" ...
* **hedged advice** — an option, a choice, an idea, "might be the way forward", "wouldn't
  hurt", "go with"; or a treatment said to do something (efficacy).
* **question-shaped advice** — "what about a referral?", "would a foam not work better?"
* **addressed imperative** — a clause opening with an action verb addressed to the reader,
  with any object, unless the object is the photo kit or the form.

Vocabulary lives in :mod:`.lexicon`; what is about the photo or the form is never clinical.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from woundcare.guardrail import lexicon as lx
from woundcare.guardrail.analysis import SentenceView, is_kit
from woundcare.guardrail.lexicon import words

_AETIOLOGY = (
    r"neuropathic|arterial|venous|isch(?:a)?emic|traumatic|diabetic|malignant|infective|"
    r"inflammatory|vasculitic|macerated|sloughy|necrotic|gangrenous|cellulitic|infected|"
    r"fungal|bacterial|viral|allergic|autoimmune|precancerous|cancerous"
)
_CLINICAL = re.compile(words(lx.CLINICAL_OBJECTS + "|" + lx.EXTRA_CLINICAL + "|"
                             + lx.WOUND_TYPES + "|" + lx.CONDITIONS + "|" + _AETIOLOGY))
_NON_CLINICAL = re.compile(words(lx.PHOTO_TERMS + "|" + lx.DATA_TERMS))
_WOUND_TYPE = words(lx.WOUND_TYPES + "|" + lx.CONDITIONS)
_PRONOUN_COPULA = (
    r"(?:this|that|it|these|those|here|which|what you(?:'re| are) seeing|what we(?:'re| are) "
    r"seeing|what we have|this one|that one)(?:\s+(?:is|are|was|were|looks|seems|appears)|'s)"
)
_NOUN_COPULA = (
    r"(?:the|this|that|these|those|his|her|their) [a-z-]+(?: [a-z-]+){0,3}\s+"
    r"(?:is|are|was|were|looks|seems|appears)"
)


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


def clinical(view: SentenceView) -> bool:
    return view.has(_CLINICAL)


MEANS = re.compile(
    r"(?:\b(?:means?|meaning|equals|so it's|so its|so this is|that's why it's|says?|"
    r"tells? me|screams|shouts)|=|->|→)\s+"
    r"(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?" + _WOUND_TYPE + "|"
    r"\b(?:i'd|i would|we'd|we would|i'll|i) (?:call|class|classify|grade|stage|label|"
    r"describe|put) (?:this|it|that|the \w+)(?: as| down as| at)?\s+(?:an?\s+)?"
    r"(?:\w+\s+){0,2}?" + _WOUND_TYPE
)


def means_condition(view: SentenceView) -> bool:
    """"red and hot = infection", "those streaks mean lymphangitis" (the original text: the
    normalised one drops '=')."""
    text = view.original.lower().replace("->", " -> ").replace("=", " = ")
    return MEANS.search(text) is not None


CLASSIFICATION = re.compile(
    rf"(?:^|\b)(?:{_PRONOUN_COPULA}|{_NOUN_COPULA})\s+(?:like\s+|to be\s+)?"
    r"(?:(?!recorded|documented|entered|on\b|in\b|at\b|under\b|over\b|near\b)"
    r"[a-z0-9'-]+\s+){0,4}?"
    + _WOUND_TYPE
    # note style, no determiner (round 19): "Sacral wound is a category 3 pressure ulcer"
    + r"|^(?:[a-z-]+\s+){0,2}(?:wound|ulcer|lesion|area|sore|site|spot|patch|break|blister)"
    r"\s+(?:is|are|looks|seems|appears)\s+(?:like\s+|to be\s+)?(?:an?\s+)?"
    r"(?:(?!recorded|documented|entered|on\b|in\b|at\b|under\b|over\b|near\b)"
    r"[a-z0-9'-]+\s+){0,4}?" + _WOUND_TYPE
    + r"|\b(?:is|are|'s)\s+(?:\w+\s+){0,2}?(?:neuropathic|arterial|venous|isch(?:a)?emic|"
    r"traumatic|diabetic|malignant|infective|inflammatory|vasculitic|macerated|"
    r"sloughy|necrotic|gangrenous|cellulitic|infected|fungal|bacterial|viral)\b(?!\s+(?:ulcer|wound)s?\s+"
    r"(?:clinic|service|team|pathway))"
    + r"|^(?:classic|typical|definitely|probably|clearly|likely|obviously|pretty sure|"
    r"sure|looks like|smells like|sounds like)\b(?:\s+\w+){0,4}\s+" + _WOUND_TYPE + "|"
    r"^(?:classic(?:ally)?|typical(?:ly)?|definitely|probably|clearly|likely|obviously|"
    r"certainly|surely|most likely|almost certainly)\s+(?:not\s+)?(?:" + _AETIOLOGY + r")\b|"
    r"\b(?:has|have|'s got|has got|have got|got)\s+(?:an?\s+)?(?:full[- ]thickness|unstageable|"
    r"partial[- ]thickness|deep|infected|category \w+|grade \w+|stage \w+)\s+(?:\w+\s+)?"
    + _WOUND_TYPE + "|"
    r"\b(?:'s got|has got|have got|got)\s+(?:an?\s+)?(?:\w+\s+)?(?:" + lx.ACUTE_CONDITIONS + r")\b"
    + r"|\b(?:from|because of|because|due to|caused by|result of|as a result of)\s+"
    r"(?:\w+\s+){0,4}?(?:" + lx.CONDITIONS + r"|" + lx.WOUND_CAUSES + r")\b"
)
FORECAST = re.compile(
    r"\b(?:expect|expecting|anticipate|predict)\b(?:\s+\w+){0,4}?\s+"
    r"(?:heal|healing|closure|close|recovery|recover|improvement|improve|resolve|"
    r"resolution|settle|to settle|shrink|progress|deteriorat\w*|worsen\w*|scar\w*|"
    r"recurrence|swelling|pain|bruising|discharge|infection|amputation|bleeding|weeping|"
    r"oozing|itching|discomfort|soreness|redness|smell|odour)\b|"
    r"\b(?:might|may|will|'ll|could|should)\s+(?:notice|see|find|feel)\s+(?:\w+\s+){0,3}?"
    r"(?:weeping|bleeding|oozing|swelling|itching|pain|redness|discharge|smell|odour|"
    r"improvement|a difference)\b|"
    r"\b(?:will|'ll|won't|wont|is going to|are going to|going to|should|would|may|might|"
    r"could|likely to|unlikely to)\s+(?:\w+\s+){0,2}?(?:make a (?:full |good |quick )?"
    r"recovery|recover|fade|settle|come back|return|recur|come together|close up|close|"
    r"heal|clear|clear up|disappear|go away|subside|improve|get better|get worse|worsen|"
    r"deteriorate|lose|need (?:an? )?(?:amputation|surgery|graft)|scar|be (?:healed|closed|"
    r"gone|fine|ok|better|worse|back to normal|normal|able to walk)|walk(?: again)?|"
    r"(?:be|get|go|come) back to normal|return to normal|stall|stop healing|slow down|"
    r"break down|get infected|become infected|spread|be back on (?:his|her|their|your) feet|"
    r"be up and about|granulate|epitheliali[sz]e|fill in|fill up|dry up|contract|heal over|"
    r"scab over|keep (?:breaking down|getting worse|coming back|recurring|leaking|bleeding|"
    r"growing))\b|\bin no time\b|"
    # Broken English: "wound no heal", "leg not get better"
    r"\b(?:no|not|never|won't|wont|cannot|can't)\s+(?:heal|close|get better|improve|"
    r"recover)\b|"
    r"\b(?:full|complete|quick|slow|poor|good) (?:recovery|healing|closure)\b|"
    # Broken English: "ulcer heal in one month", "two week finish"
    r"\b(?:heal\w*|clos\w*|finish\w*|better|gone|recover\w*)\b(?:\s+\w+){0,3}?\s+"
    r"(?:days?|weeks?|months?)\b|\b(?:days?|weeks?|months?)\s+(?:finish|heal\w*|gone|"
    r"better|close\w*|recover\w*)\b"
)
FORECAST_OUTCOME = re.compile(
    r"\b(?:will|'ll|won't|should|may|might|going to|bound to|likely to)\s+(?:\w+\s+)?"
    r"(?:heal|settle down|settle|clear up|scar|fade|recover|be gone|go away|subside|"
    r"get better|get worse|worsen|deteriorate)\b|"
    r"\bexpect(?:ing)?\s+(?:it|this|that)\s+to\s+[a-z]+\b|"
    r"\b(?:sort|resolve|clear|heal|look after|take care of|right) (?:it|them)sel(?:f|ves)"
    r"(?: out)?\b|"
    r"\b(?:will|'ll|is going to|going to)\s+be\s+(?:days|weeks|months|years|ages|a while|"
    r"some time|a long time)\s+before\b|\bgrafts? (?:will|should|'ll|is going to|may|might) "
    r"(?:not )?take\b|"
    r"\b(?:may|might|will|'ll|could|should|is going to|going to)\s+(?:\w+\s+)?(?:weep|ooze|"
    r"bleed|itch|sting|hurt|smell|leak|throb|ache|discharge|blister|leave (?:a|some) (?:mark|"
    r"scar))\b"
)
EXPECT_SUBJECT = re.compile(
    r"\bexpect(?:ing)?\s+the \w+\s+to\s+(?:be gone|go|heal|settle|close|clear|improve|get|"
    r"take|need|be)\b"
)


def forecast_outcome(view: SentenceView) -> bool:
    """"Should settle down in a day or two", "I'd expect it to be gone"; "expect the <noun>
    to ..." only when the sentence is clinical ("Expect the upload to take a few seconds" is
    not)."""
    if view.is_question:
        return False
    if view.has(FORECAST_OUTCOME):
        return True
    return view.has(EXPECT_SUBJECT) and clinical(view)
FORECAST_STATE = re.compile(
    r"\b(?:will|'ll|won't|is going to|are going to|going to|should)\s+(?:\w+\s+)?"
    r"(?:be|look|get|feel|become|seem)\s+(?:\w+\s+){0,2}?(?:better|worse|smaller|bigger|"
    r"larger|healed|closed|gone|fine|alright|all right|ok|okay|normal|back to normal|"
    r"walking|mobile|healthy|sore|painful|swollen|infected)\b|"
    r"\b(?:will|'ll|should|is going to|going to)\s+(?:\w+\s+)?(?:fall off|drop off|come off|"
    r"dry out|shrink|harden|soften|heal|scab)\b"
)


FUTURE = re.compile(
    r"\b(?:will|'ll|won't|wont|is going to|are going to|'s going to|going to|likely to|"
    r"unlikely to|expected to|bound to|certain to|sure to)\s+(?:(?:not|ever|never|probably|"
    r"definitely|fully|still|just|really|eventually|soon|all)\s+)*([a-z']+)(?:\s+([a-z']+))?"
)
_OUTCOME_VERBS = _wordset(
    "close heal develop toughen harden soften shrink grow spread fade settle ease "
    "improve worsen deteriorate recover need require lose scar break recur return "
    "clear go come stay remain keep get become turn"
)
_DURATION = re.compile(r"\btake\s+(?:\w+\s+)?(?:\w+\s+)?(?:days?|weeks?|months?|years?|ages|"
                       r"a (?:long )?(?:time|while)|forever|time)\b")
_BE_NEUTRAL = _wordset(
    "booked sent saved locked stored exported reviewed recorded signed encrypted "
    "shown added available at home away here there in on asked contacted called "
    "attached uploaded printed emailed shared deleted removed kept able delivered "
    "collected ordered dispensed supplied posted returned restocked"
)


def future_outcome(view: SentenceView) -> bool:
    """Any future of the wound or the person ("It'll take six weeks", "She's likely to
    develop another ulcer", "The new skin will toughen up"), unless the verb is about the
    form, the record or a schedule ("The record will be exported", "The patient will
    attend")."""
    if view.is_question or view.has(_NON_CLINICAL):
        return False
    is_clinical = clinical(view)
    first_scheduler = _SCHEDULER.search(view.text)
    last_by_clinician = None
    for found in _BY_CLINICIAN.finditer(view.text):
        last_by_clinician = found
    for match in FUTURE.finditer(view.text):
        verb, following = match.group(1), match.group(2) or ""
        if verb in _NOT_VERBS:
            continue  # "going to the clinic": a place, not a future
        if (first_scheduler is not None and first_scheduler.start() < match.start()) or (
            last_by_clinician is not None and last_by_clinician.start() >= match.end()
        ):
            continue  # "The GP will decide", "changed by the district nurse on Monday": a plan
        if verb == "take":
            if _DURATION.match(view.text, match.start(1)):
                return True
            continue
        if verb == "be":
            if following and following not in _BE_NEUTRAL and is_clinical:
                return True
            continue
        if verb in lx.NEUTRAL_ACTIONS or verb in _SCHEDULE_VERBS:
            continue
        if verb in _OUTCOME_VERBS or is_clinical:
            return True
    return False


_NOT_VERBS = _wordset(
    "the a an his her their my your our this that some any"
)
_SCHEDULER = re.compile(words(lx.CLINICIANS + r"|nurses?|team|clinician|podiatrist|"
                              r"consultant|surgeon|dietitian|physio"))
_BY_CLINICIAN = re.compile(r"\bby (?:the |a |her |his )?(?:" + lx.CLINICIANS + r"|nurses?|team|"
                           r"clinician|podiatrist)\b")
_SCHEDULE_VERBS = _wordset(
    "attend arrive visit come stay move call phone ring expire open receive bring "
    "collect drive travel fly sign log"
)


def forecast_state(view: SentenceView) -> bool:
    """A future state of the wound or the person ("It'll be smaller next time", "She'll be
    walking normally"), unless the sentence is about the photo or the form."""
    return view.has(FORECAST_STATE) and not view.has(_NON_CLINICAL) and not view.is_question


ODDS = re.compile(
    r"\b(?:chances?|odds|likelihood|probability|risk)\b(?:\s+\w+){0,4}?\s+"
    r"(?:heal\w*|recur\w*|come(?:s)? back|return\w*|recover\w*|amputat\w*|infect\w*|"
    r"clos\w*|improv\w*|lose|losing)\b"
)
BROKEN = re.compile(
    r"^(?:leg|legs|foot|feet|heel|heels|arm|arms)\s+(?:up|high|down)\b(?!\s+(?:on|during|at|"
    r"for|since|when (?:seen|assessed)))|"
    # "better use foam", "best you rest the foot"
    r"^(?:better|best)\s+(?:you\s+|to\s+|is\s+)?[a-z]+\b|"
    r"\b(?:better|best)\s+(?:with\s+|use\s+|to use\s+|a\s+|an\s+)?(?:"
    + lx.TREATMENT_NOUNS + r"|foam|gauze|cream|honey|silver|bandage)\b|"
    # "antibiotic need for this wound", "foot need rest", "need more water"
    r"\bneeds?\s+(?:for\b|rest\b|more\b|daily\b|every\b|(?:a\s+|some\s+|an\s+)?"
    r"(?:" + lx.TREATMENT_NOUNS + r")\b)|"
    # "need change bandage", "must put cream"
    r"\b(?:need|needs|must|should)\s+(?:to\s+)?(?:change|put|take|use|clean|wash|apply|"
    r"keep|rest|see|go|stop|start|cut|drink|eat|elevate|cover)\s+(?!the (?:photo|picture|"
    r"value|form|field|record))(?:[a-z]+)\b(?<!\bnow)|"
    # "antibiotic need", "dressing need daily"
    r"\b(?:" + lx.TREATMENT_NOUNS + r")\s+needs?\b(?!\s+(?:to be|is|was|were|are|"
    # the machine's upkeep, not care: "The Doppler needs new batteries" (round 18)
    r"(?:new\s+)?batter\w*|charging|recharging|servicing|a service|calibrat\w*|repair\w*|"
    r"fixing|a new (?:cable|lead|charger|probe)|pat testing)\b)"
)
_TIMEFRAME = (
    r"(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|week)|now|right now|"
    r"within (?:the next )?(?:\d+|a|an|one|two|few|24|48|the next few) (?:hours?|days?)|"
    r"same[- ]day|next (?:week|day|few days)|straight away|by (?:monday|tuesday|wednesday|"
    r"thursday|friday|the weekend|tomorrow)|asap|before the weekend|overnight)"
)
TRIAGE = re.compile(
    r"(?<!was )(?<!were )(?<!been )(?<!had )\b(?:be |get |is |being )?(?:seen|reviewed|"
    r"looked at|checked|assessed|examined|"
    r"looking at|review|appointment|assessment|visit|check-?up)\b(?:\s+[\w&-]+){0,6}?\s+"
    + _TIMEFRAME
    + r"\b|\b(?:same[- ]day|urgent|emergency|immediate) (?:review|appointment|assessment|"
    r"referral|visit|admission)\b|\b(?:can|could|will|may) (?:wait|sit|hold)\b|"
    r"\bno (?:rush|hurry)\b|"
    r"\bnot (?:urgent|an emergency|pressing)\b|"
    r"^(?:straight|off|right|directly|back|quick)\s+(?:off\s+)?to\s+(?:the\s+|a\s+)?(?:"
    + lx.CLINICIANS + "|" + lx.SERVICES + r")\b|"
    r"\b(?:one|a job|a case|something|a matter) for (?:the\s+)?(?:" + lx.CLINICIANS + "|"
    + lx.SERVICES + r")\b|"
    r"\b(?:needs?|requires?|warrants?|should be in|should go to|must go to|belongs in|"
    r"should be seen in)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:" + lx.CLINICIANS + "|"
    + lx.SERVICES + r"|out-of-hours|ooh)\b(?!'s)|"
    r"\b(?:call|ring|phone|contact)\s+(?:us|the (?:clinic|team|nurse|gp|doctor)|someone|"
    r"a doctor)\s+if\b|\b(?:nothing (?:more )?to do|no action (?:is )?needed|watch and wait|"
    r"wait and see|leave it be|just (?:watch|monitor|observe) it)\b|"
    r"\b(?:don't|do not|shouldn't|should not|must not|mustn't|never)\s+(?:leave|delay|"
    r"put off|wait)\b|\b(?:fine|ok|okay|safe|reasonable|alright|all right) to wait\b|"
    r"\b(?:leave|wait|delay|put off|hold off)\b(?:\s+[\w']+){0,3}?\s+(?:until|till|for)\s+"
    r"(?:the\s+)?(?:next|tomorrow|monday|tuesday|wednesday|thursday|friday|the weekend|"
    r"(?:planned|routine|usual) (?:visit|appointment|review))\b|"
    r"(?<!due to )(?<!booked to )(?<!scheduled to )(?<!arranged to )(?<!planned to )"
    r"\b(?:go|get|take \w+|send \w+|head|come)\s+"
    r"(?:in\s+|back\s+)?to\s+(?:the\s+|a\s+)?(?:a ?& ?e|er|hospital|emergency|clinic|gp|"
    r"surgery)\b"
)
_IMPORTANCE = (
    r"(?:important|essential|vital|crucial|critical|key|necessary|imperative|advisable|"
    r"best|better|wise|sensible|recommended|required|mandatory|a must|needed|"
    r"a good idea|worth)"
)
OBLIGATION = re.compile(
    r"\b(?:ought to|should|must|needs? to|has to)\s+be\s+(?:\w+\s+)?(?:tighter|better|looser|"
    r"stricter|higher|lower|more \w+|less \w+)\b(?!\s+(?:than|or equal))|"
    rf"\bit(?:'s| is| was| would be)\s+(?:\w+\s+)?{_IMPORTANCE}\s+(?:that\s+)?(?:you|she|he|"
    r"they|we|the patient|her|his|their)\b|"
    r"\b(?:must|should|needs? to|has to|have to|ought to)\s+be\s+(?:\w+\s+)?(?:provided|"
    r"maintained|given|supplied|ensured|continued|encouraged|offered|arranged|avoided|"
    r"stopped|started|increased|reduced|optimi[sz]ed|improved|considered|discussed)\b|"
    rf"\b(?:it is|it's|it would be|it will be|is|it was)\s+(?:\w+\s+)?{_IMPORTANCE}\s+"
    r"(?:that|for|to|the|if)\b|"
    r"\b(?:is|are|was|were)\s+to\s+be\s+[a-z]+\b|"
    r"\b(?:needs?|need|require|requires|want|wants)\s+(?:\w+\s+)?"
    r"(?!nothing|something|anything|during|morning|evening)(?:[a-z]+ing)\b|"
    r"\b(?:should|must|ought to|needs? to|has to|have to|shall)\s+(?:not\s+|also\s+|"
    r"really\s+|always\s+|still\s+)?(?:stay|remain|keep|be kept|be left)\s+"
    r"(?:\w+\s+)?(?:dry|moist|clean|covered|raised|up|on|off|elevated|protected|"
    r"in place|intact|closed|open)\b|"
    r"\b(?:is|are)\s+(?:now\s+|also\s+|really\s+|definitely\s+|absolutely\s+)?"
    r"(?:needed|required|necessary|essential|indicated|warranted|mandatory|a must|"
    r"advisable|recommended|the priority|key|vital|crucial)\b"
)
# "Wound assessment form incomplete: depth field is required": what the form requires.
_DATA_REQUIREMENT = re.compile(
    rf"\b(?:{lx.DATA_TERMS}|section|sections|box|tick ?box)\s+(?:is|are)\s+(?:now\s+|also\s+|"
    r"still\s+)?(?:needed|required|mandatory|necessary)\b"
)


def obligation(view: SentenceView) -> bool:
    """Impersonal or passive obligation about care; a requirement of the form is left out."""
    if view.is_question or not clinical(view) or not view.has(OBLIGATION):
        return False
    return OBLIGATION.search(_DATA_REQUIREMENT.sub(" ", view.text)) is not None


NEGATED = re.compile(
    r"\bno (?:need|point|reason|call|sense|use)\b|\b(?:doesn't|does not|don't|do not|didn't|"
    r"won't|will not|wouldn't|shouldn't|should not|needn't|need not|mustn't|must not|"
    r"isn't|is not|aren't|are not)\s+(?:\w+\s+)?(?:need|needs|needed|necessary|required|"
    r"bother|worth|have to|indicated|warranted|helpful|advisable|recommended)\b|"
    r"\b(?:don't|do not|never)\s+(?:bother|let|put|use|apply|get|give|take|leave|allow|"
    r"wear|walk|stand|remove|touch|pop|squeeze|pick|scratch|cover|wash|soak|bathe|"
    r"shower|swim|drink|eat|smoke|start|stop|change|wet|dry|elevate|raise|cut|bandage|"
    r"wrap|compress|debride|clean)\b|"
    r"\btry not to\s+[a-z]+|^no more\s+(?:" + lx.TREATMENT_NOUNS + r"|creams?|"
    r"bandages?|stockings?)\b|\b(?:" + lx.TREATMENT_NOUNS + r"|cream|creams)\s+(?:is\s+|"
    r"are\s+)?(?:not\s+|no longer\s+)(?:needed|required|necessary|indicated|warranted)\b|"
    r"^no\s+(?:[a-z-]+\s+){1,2}(?:needed|required|necessary)\b|"
    r"\bnothing (?:needs|should|has|ought) to\b|"
    r"^no\s+(?:" + lx.TREATMENT_NOUNS + r")\s+(?:for|on|until|unless|"
    r"while|today|tonight|now|please|at all|yet)\b|"
    r"\bavoid(?:s|ing)?\s+\w+ing\b|\b(?:shouldn't|should not|mustn't|must not|"
    r"ought not to)\s+(?:be\s+)?[a-z]+"
)
HEDGED = re.compile(
    r"\b(?:one|an|another|the best|the other|a good|a better|the right|a sensible|"
    r"a reasonable|an obvious|the first|a possible|best|first)\s+(?:\w+\s+)?(?:option|"
    r"choice|idea|alternative|possibility|approach|way forward|step|bet|move|plan)\b|"
    r"\b(?:might|may|could|would|will)\s+(?:\w+\s+)?be\s+(?:\w+\s+)?(?:the way forward|"
    r"an? (?:option|idea|choice|alternative|possibility|better|good|safer|step)|"
    r"worth|better|best|helpful|useful|beneficial|preferable|ideal|wise|sensible|"
    r"appropriate|the answer|kinder|gentler|safer|easier|softer|more comfortable|"
    r"more suitable|more effective|more appropriate|less painful|less irritating)\b|"
    r"\bwouldn't hurt\b|\bwon't hurt\b|\bno harm in\b|\bcan't hurt\b|"
    r"\b(?:a|the|an) (?:case|argument|place|role) for\b|\b(?:room|scope) for\b|"
    r"\b(?:the best|the right|the only|the safest) (?:thing|bet|move|option|choice|approach|"
    r"course|plan|idea)\b|\bthe way to go\b|\bthe answer\b|"
    r"\b(?:respond|responds|responding|react|reacts) (?:well |better |nicely )?to\b|"
    r"\b(?:should|would|will|might|could|may) be (?:enough|sufficient|adequate|plenty|fine|"
    r"ok|okay|all that's needed)\b|"
    r"\b(?:maybe|perhaps|possibly|probably)\s+(?:\w+\s+){0,2}?(?:needs?|requires?|"
    r"could use|should|ought)\b|"
    r"\blet (?:it|the wound|the skin|the leg|the area) (?:breathe|dry|air)\b|"
    r"\bif (?:it were|it was|i were|i was) (?:me|you|in your shoes)\b|"
    r"\bi(?:'d| would)\s+(?:probably\s+|definitely\s+|just\s+|personally\s+)?"
    r"(?:not\s+|never\s+)?(?:use|go|"
    r"try|put|start|add|apply|switch|choose|pick|give|swap|stick|recommend|suggest|refer|"
    r"get|opt|prefer)\b|"
    r"\b(?:go|going|went) (?:with|for)\b|\blean(?:ing)? (?:towards?|to)\b|"
    r"\b(?:maybe|perhaps|possibly|probably|ideally)\s+(?:a|an|the|some|use|try|go|put|"
    r"start|switch|add|apply|give|consider|think|change|swap|get|do)\b|"
    r"\bworth\s+[a-z]+ing\b|"
    r"\b(?:maybe|perhaps|possibly|probably|definitely|might be|may be|could be|would be)\s+"
    r"worth\b|\b(?:might|may|could|would) be time (?:for|to)\b|^time (?:for|to)\b|"
    r"\b(?:could|might|may|can|should|would) be (?:considered|tried|used|explored|looked into|"
    r"trialled|trialed|started|added|offered)\b|"
    r"\b(?:worth|deserves?)\s+(?:a\s+)?(?:go|try|shot|look|trial|considering|thinking|doing|"
    r"getting|checking|sending|starting|using|adding|it)\b|"
    r"\b(?:think|thinking) about\b|"
    r"\b(?:would|could|might|may|will|can|should)\s+(?:not\s+)?(?:\w+\s+)?"
    r"(?:soften|help|work|reduce|speed|prevent|control|relieve|ease|settle|clear|fight|"
    r"kill|shrink|promote|improve|absorb|manage|protect|sort|fix|stop|do the trick)"
    r"(?:\s+\w+){0,3}?\s*(?:better|best|well)?\b"
)
QUESTION_ADVICE = re.compile(
    r"^(?:what|how) about (?:a|an|some|more|less|fewer|another|[a-z]+ing)\b|"
    r"^what if (?:we|you|i|they|she|he|the patient)\b|"
    r"^any reason (?:not to|why (?:we|you) (?:can't|shouldn't|couldn't|don't))\b|"
    r"^(?:could|can|should|would|might|shall) (?:the|this|that|his|her|their) [\w-]+"
    r"(?: [\w-]+)? be (?:\w+ )?(?:left|changed|removed|applied|used|kept|put|taken|stopped|"
    r"started|increased|reduced|raised|elevated|swapped|switched|dressed|packed|offloaded|"
    r"covered|cleaned|redone|reapplied)\b|"
    r"^why (?:not|don't|do not|wouldn't|shouldn't|can't|isn't|aren't)\b|"
    r"^(?:wouldn't|couldn't|shouldn't|isn't|don't|can't|won't)\b|"
    r"^(?:would|could|can|shall|should|might)\s+(?:we|you|i|they|he|she|the patient|it)\s+"
    r"(?:not\s+)?(?:\w+\s+)?(?:switch|try|start|use|change|put|add|give|apply|move|refer|"
    r"send(?!\s+(?:me|us)\b)|book|get(?!\s+(?:me|us)\b)|swap|stop|increase|reduce|debride|"
    r"elevate|dress|pack|wrap|be better)\b|"
    r"\b(?:not|n't)\s+(?:\w+\s+)?(?:work|be|do)\s+(?:\w+\s+)?(?:better|best)\b|"
    r"\b(?:thought|think)\s+(?:about|of)\b"
)
REFERRAL = re.compile(
    r"^(?:please\s+|perhaps\s+|maybe\s+|just\s+)?(?:send|ask|get|have|book|refer|take|"
    r"bring)\s+(?:\w+\s+){0,3}?"
    r"(?:to\s+)?(?:the\s+|a\s+|an\s+)?" + words(lx.CLINICIANS + "|" + lx.SERVICES)
)
JUDGEMENT = re.compile(
    r"\b(?:is|are|looks?|seems?|sounds?)\s+(?:\w+\s+)?(?:normal|fine|expected|nothing|"
    r"reassuring|okay|ok|good|great|healthy|harmless|benign|not a concern|acceptable|"
    r"within normal limits|typical|usual)\b(?!\s+(?:to|for) (?:enter|record|upload|sign))"
)


TERSE = re.compile(
    r"^(?:" + lx.TREATMENT_NOUNS + r"|cream|honey|foam|gauze|bandage|elevation|rest)"
    r"(?:\s+(?:changes?|on|off))?\s+(?:daily|weekly|nightly|twice|three times|"
    r"(?:one|two|three) times?(?: a| per)?(?: day)?|one day (?:yes|on)|every other day|"
    r"alternate days|every (?:second|third) day|"
    r"morning and (?:night|evening)|twice (?:daily|weekly|a day|a week)|"
    r"once (?:daily|weekly|a day|a week)|every (?:day|night|morning|evening|other day|"
    r"\d+ (?:days|hours)|two days|three days))\b"
)


def terse_instruction(view: SentenceView) -> bool:
    """A one-word order ("Rest!", "Elevate.") or a treatment with a frequency and nothing
    else ("Dressing daily.")."""
    words_ = view.text.strip(" .!").split()
    if len(words_) == 1 and words_[0] in lx.ACTION_BASE:
        return True
    return view.has(TERSE)


MONITORING = re.compile(
    r"^(?:please\s+)?(?:measure|check|monitor|test|record|take|weigh|note|log)\b.*\b(?:"
    + lx.FREQUENCY.replace("\\b", "") + r"|every (?:morning|evening|night|day|week)|each "
    r"(?:morning|evening|day|week)|daily|twice a day|before (?:each |every )?meals?)\b"
)


def monitoring_regime(view: SentenceView) -> bool:
    """"Measure her temperature twice a day": a self-monitoring regime is a care plan."""
    return view.has(MONITORING) and clinical(view) and not view.has(_NON_CLINICAL)


_NEGATED_BARE = re.compile(
    r"^(?:there's |there is |there isn't |)(?:no (?:need|point|reason|call)|not worth|"
    r"no sense)\s+(?:to\s+|in\s+|for\s+)?(?:the\s+)?([a-z-]+)"
)
_BROKEN_ROUTINE = re.compile(
    r"^(?:the\s+)?(?:wound|ulcer|leg|legs|foot|feet|heel|skin|cream|bandage|dressing|"
    r"stocking|stockings|sock|socks|toe|toes)\s+([a-z]+)(?:\s+([a-z]+))?\b.*\b(?:always|daily|"
    r"every (?:day|morning|night|evening|\w+ days?)|each (?:day|morning|night)|two times?|"
    r"three times?|(?:one|two|three) time|twice|morning|night)\b"
)


def negated_bare(view: SentenceView) -> bool:
    """"No need to change it so often", "No point in swabbing": negated advice whatever the
    object, unless the verb is about the form ("No need to re-enter the date")."""
    match = _NEGATED_BARE.match(view.text)
    if match is None or view.has(_NON_CLINICAL):
        return False
    verb = match.group(1)
    stem = verb[:-3] if verb.endswith("ing") else verb
    return not ({verb, stem, stem + "e"} & (lx.NEUTRAL_ACTIONS | {"re-enter", "reenter"}))


def broken_routine(view: SentenceView) -> bool:
    """"foot keep dry always", "cream apply two time": a body part or product, a bare verb
    and a frequency."""
    match = _BROKEN_ROUTINE.match(view.text)
    if match is None or view.is_question:
        return False
    return bool({match.group(1), match.group(2)} & (lx.ACTION_BASE - lx.REFERRAL_BASE))


def broken_negative_imperative(view: SentenceView) -> bool:
    """"no walk much", "no put water on wound": no/not/never + a bare action verb."""
    for clause in view.clauses:
        words_ = _LEAD.sub("", clause).split()
        if len(words_) >= 2 and words_[0] in ("no", "not", "never") and (
            words_[1] in lx.ACTION_BASE
        ):
            rest = " ".join(words_[2:])
            if words_[1] in lx.NOUN_LIKE_VERBS and (not rest or _NOUN_FOLLOWER.match(rest)):
                continue  # "No change in size over 4 weeks": a finding (a noun), no order
            return not _object_is_kit(rest)
    return False


_object_is_kit = is_kit
_NOUN_FOLLOWER = re.compile(rf"^{lx.NOUN_FOLLOWERS}(?:\s|$)")

REASSURANCE = re.compile(
    r"\b(?:don't|do not) be (?:alarmed|worried|concerned|scared|frightened)\b|"
    r"\b(?:it'll|it will|you'll|you will|she'll|she will|he'll|he will|everything will|"
    r"everything'll|all will) be (?:alright|all right|fine|ok|okay|good)\b|"
    r"^(?:perfectly|completely|totally|quite|entirely) (?:normal|expected|fine|harmless)\b"
)
NORMALISING = re.compile(
    r"\b(?:that's|that is|this is|it's|it is|which is)\s+(?:perfectly |completely |quite |"
    r"totally |entirely )?(?:normal|expected|to be expected|nothing|usual|typical)\b"
)


def normalising(view: SentenceView) -> bool:
    """"That's expected after debridement": calling a finding normal (short sentences, or
    with something clinical in them)."""
    if view.is_question or not view.has(NORMALISING):
        return False
    return clinical(view) or len(view.text.split()) <= 6


_LEAD = re.compile(
    r"^(?:(?:please|pls|plz|kindly|now|then|also|just|simply|first|next|gently|carefully|so|and|"
    r"always|regularly|try to|make sure to|remember to|(?:do not|don't|dont|never))\s+)*"
)


# What a body-care instruction asks for when it names no clinical word ("Keep it clean and
# dry.", "Avoid hot baths.", "Rest as much as possible."): a state of the body or dressing, a
# thing to stay away from, or how often to do it.
_CARE_STATE = re.compile(
    r"\b(?:clean|dry|moist|wet|covered|uncovered|elevated|raised|up|warm|cool|cold|hot|"
    r"baths?|bathing|showers?|showering|swim(?:ming)?|soak(?:ing)?|sun|heat|weight|"
    r"as much as (?:possible|you can)|as often as (?:possible|you can)|every day|daily|"
    r"twice a day|regularly|at night|overnight|all day)\b")


# Words that are verbs and adjectives alike (lexicon.ADJECTIVE_VERBS) describe a finding
# unless an object follows ("Dry black eschar ..." vs "clean the area and dry it").
_STORAGE = re.compile(
    r"\b(?:away|in|into|on|inside|under|back in|back on)\s+(?:the\s+|a\s+|her\s+|his\s+|"
    r"their\s+)?(?:[a-z-]+\s+)?(?:cupboards?|drawers?|store ?rooms?|stock ?rooms?|fridge|"
    r"boxes|box|bags?|bins?|shelf|shelves|office|car|boot|cabinets?|lockers?|trolley|"
    r"clinic room|treatment room|stores)\b"
)
_BODY = re.compile(
    r"\b(?:legs?|foot|feet|heels?|arms?|toes?|hands?|sacrum|skin|wounds?|ulcers?|him|her|"
    r"them|patient|resident|bed|chair)\b"
)


def addressed_imperative(view: SentenceView) -> bool:
    """A clause that opens with an action verb (any object) and is not about the kit/form."""
    for clause in view.clauses:
        body = _LEAD.sub("", clause, count=1)
        verb, _, rest = body.partition(" ")
        if verb not in lx.ACTION_BASE:
            continue
        if (verb in lx.ADJECTIVE_VERBS
                and not re.match(rf"^{lx.OBJECT_START}\b", rest)):
            continue  # "red and warm to touch": a finding's adjective, not an instruction
        if verb in lx.NOUN_LIKE_VERBS and (not rest or re.match(
                rf"^{lx.NOUN_FOLLOWERS}(?:\s|$)", rest)):
            continue
        if _object_is_kit(rest) or not rest:
            continue
        if _STORAGE.search(rest) and not _BODY.search(rest):
            continue  # "put away in cupboard B": stock put away, not care
        if _CLINICAL.search(view.text) or re.match(lx.PERSON_OBJECT, rest):
            return True
        if _CARE_STATE.search(rest):
            return True
    return False


def predicate(
    pattern: re.Pattern[str], *, need_clinical: bool = True, questions: bool = False
) -> Callable[[SentenceView], bool]:
    def check(view: SentenceView) -> bool:
        if view.is_question and not questions:
            return False
        if need_clinical and not clinical(view):
            return False
        if not need_clinical and view.has(_NON_CLINICAL) and not clinical(view):
            return False  # "The referral form needs the GP's name": the form, not care
        return view.has(pattern)

    return check
