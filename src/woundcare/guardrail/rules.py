"""The rule table: every named pattern that marks a sentence as clinical advice.

Each :class:`Rule` has a stable ``id`` (logged instead of the sentence), one
:class:`AdviceCategory` and a predicate over a :class:`SentenceView`. Rules with
``questions=False`` skip questions: a question about the current state ("Is the patient
taking antibiotics?", "Is the wound infected?") collects a fact, it does not assert one. Rules
that detect instructions and suggestions run on questions too, so that "Should the patient
start antibiotics?" or "Have you considered a silver dressing?" are caught.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from woundcare.guardrail import lexicon as lx
from woundcare.guardrail import shapes as sh
from woundcare.guardrail import structure as st
from woundcare.guardrail.analysis import ActionKind, SentenceView, is_clinical_clause
from woundcare.guardrail.lexicon import words
from woundcare.guardrail.models import AdviceCategory

Predicate = Callable[[SentenceView], bool]


@dataclass(frozen=True)
class Rule:
    id: str
    category: AdviceCategory
    description: str
    predicate: Predicate
    questions: bool = True

    def matches(self, view: SentenceView) -> bool:
        if view.is_question and not self.questions:
            return False
        return self.predicate(view)


def _pattern(regex: str, unless: str | None = None) -> Predicate:
    compiled = re.compile(regex)
    exempt = re.compile(unless) if unless else None

    def predicate(view: SentenceView) -> bool:
        if exempt is not None and exempt.search(view.text):
            return False
        return compiled.search(view.text) is not None

    return predicate


def _action(*kinds: ActionKind) -> Predicate:
    def predicate(view: SentenceView) -> bool:
        return any(a.kind in kinds for a in view.actions)

    return predicate


def _action_mentioning(regex: str) -> Predicate:
    """An action clause exists and the sentence mentions ``regex`` (what the action is about)."""
    compiled = re.compile(regex)

    def predicate(view: SentenceView) -> bool:
        return bool(view.actions) and compiled.search(view.text) is not None

    return predicate


_MEDICATION = words(lx.MEDICATION_TERMS)
_DOSE = rf"{words(lx.DOSE_TERMS)}|\b{lx.DOSE_QUANTITY}|{lx.FREQUENCY}"
_STRICT_DOSE_QUANTITY = (
    r"\b\d+(?:[.,]\d+)?\s*(?:mg|milligrams?|mcg|micrograms?|µg|μg|ug|iu|tablets?|tabs|"
    r"capsules?|caps|puffs?|sachets?|mmol|mg/kg|mg/day)\b"
)
_FACT_MARKERS = (
    r"\b(?:recorded|reported|documented|listed|entered|currently|usual(?:ly)?|regular(?:ly)?|"
    r"already|is taking|was taking|has been taking|takes|took|was given|were given|received|"
    r"receives|on record|history of|previously|prior to|last dose|as entered|since|"
    r"medications? include|meds include|drug history|dhx|regular medications?)\b|"
    # a medicine the person is on ("Patient is on apixaban 5 mg BD", round 18)
    r"\b(?:is|are|was|were|has been|have been|had been)\s+(?:still\s+|currently\s+|"
    r"already\s+|now\s+|also\s+)?on\b"
)
_CONDITION = words(lx.CONDITIONS)
_ACUTE = words(lx.ACUTE_CONDITIONS)
_HEDGE = (
    r"(?:likely|probably|possibly|probable|possible|suspected|suspect|suspicion of|presumed|"
    r"presumably|query|definitely|clearly|almost certainly|certainly|may|might|could|must|"
    r"would|perhaps|maybe|apparently|early|developing|an early|a developing)"
)
_ADVERBS = r"(?:(?:now|clearly|probably|likely|possibly|definitely|very|quite|badly|already|not|"
_ADVERBS += r"still|also|obviously|slightly|mildly|severely|deeply|to be|getting|becoming)\s+)*"

_EFFICACY_RE = re.compile(
    r"\b(?:works?|working|worked) (?:well|best|better|wonders|nicely)\b|"
    r"\b(?:is|are) (?:very |highly |most |more |the most |quite |really )?(?:effective|"
    r"helpful|beneficial|good|great|best|better|ideal|useful) (?:for|at|in|against)\b|"
    r"\b(?:will|would|should|can|could|may|might|helps?|to)\s+(?:help\s+)?(?:to\s+)?"
    r"(?:reduce|speed up|speed|prevent|control|relieve|ease|settle|fix|cure|treat|heal|"
    r"clear|fight|kill|shrink|promote|accelerate|improve)\s+(?:the\s+|its\s+|any\s+)?"
    r"(?:swelling|oedema|edema|infection|pain|exudate|slough|healing|bacteria|odour|odor|"
    r"wound|ulcer|bleeding|inflammation|redness|bioburden|biofilm|symptoms?)\b"
)
_FACT_RE = re.compile(_FACT_MARKERS)
_TREATMENT_RE = re.compile(words(lx.TREATMENT_NOUNS + r"|courses? of|regimen"))
_APPROPRIATE_RE = re.compile(
    r"\b(?:is|are|would be|seems?|looks?)\s+(?:\w+\s+)?(?:appropriate|suitable|reasonable|"
    r"sensible|ideal|preferred|preferable|the best option|the right choice|the way to go|"
    r"a good (?:option|choice|idea))\b"
)
_STRICT_DOSE_RE = re.compile(_STRICT_DOSE_QUANTITY)
_ANY_DOSE_RE = re.compile(rf"\b{lx.DOSE_QUANTITY}|{lx.FREQUENCY}")
_MEDICATION_RE = re.compile(_MEDICATION)
_DOSE_WORD_RE = re.compile(words(lx.DOSE_TERMS))
_VITAL_RE = re.compile(words(lx.VITAL_TERMS))
_INTERPRETATION_RE = re.compile(
    r"\b(?:too|abnormally|very|extremely|worryingly|alarmingly|concerningly|significantly|"
    r"severely|dangerously|critically|unusually|quite|rather|a bit|slightly|mildly)\s+"
    r"(?:high|low|elevated|raised|fast|slow|rapid|weak)\b|\b(?:is|are|was|were|looks?|seems?)"
    r"\s+(?:\w+\s+)?(?:normal|abnormal|elevated|raised|reassuring|stable|fine|ok|okay|"
    r"within normal limits|in the normal range|out of the normal range|borderline|"
    r"healthy|unhealthy)\b|\babnormal\b|\b(?:high|low) (?:blood pressure|bp|heart rate|"
    r"temperature|oxygen|saturations?|blood sugar|glucose)\b"
)


def _efficacy(view: SentenceView) -> bool:
    return view.has(_EFFICACY_RE) and is_clinical_clause(view.text)


# A measured value ("Blood glucose 11.2 mmol/L", "Drain output 40 ml in the last 24
# hours"): a quantity right after what was measured, with no instruction in the sentence.
_MEASURED_RE = re.compile(
    r"\b(?:output|outputs|level|levels|reading|readings|glucose|sugar|sugars|volume|loss|"
    r"measured|measures|measuring|score|drainage|intake|weight|weighs|bp|pressure|"
    r"temperature|temp|saturations?|sats|abpi|crp|wcc|hba1c|ketones|lactate|albumin|"
    r"haemoglobin|hb|potassium|sodium|creatinine|egfr|inr|urine|bloods?)\b"
    r"(?:\s+[a-z/()]+){0,2}\s+(?:of\s+|was\s+|is\s+|:\s*)?\d"
)


def _dose_quantity(view: SentenceView) -> bool:
    if view.has(_FACT_RE) or (view.has(_MEASURED_RE) and not view.actions):
        return False
    if view.has(_STRICT_DOSE_RE):
        return True
    return view.has(_ANY_DOSE_RE) and (view.has(_MEDICATION_RE) or view.has(_DOSE_WORD_RE))


def _appropriate(view: SentenceView) -> bool:
    return view.has(_TREATMENT_RE) and view.has(_APPROPRIATE_RE)


def _vital_interpretation(view: SentenceView) -> bool:
    return view.has(_VITAL_RE) and view.has(_INTERPRETATION_RE)


RULES: tuple[Rule, ...] = (
    # --- instructions -------------------------------------------------------------------
    Rule(
        "treatment.imperative",
        AdviceCategory.TREATMENT,
        "A clause that tells someone to do something to the wound or body: a strong verb "
        "(apply, debride, elevate ...) or a weak verb (keep, use, change ...) with a clinical "
        "object.",
        _action(ActionKind.IMPERATIVE),
    ),
    Rule(
        "recommendation.referral",
        AdviceCategory.RECOMMENDATION,
        "Sends the person to a clinician or service (see a doctor, go to hospital).",
        _action(ActionKind.REFERRAL),
    ),
    Rule(
        "recommendation.modal",
        AdviceCategory.RECOMMENDATION,
        "should / must / need to / ought to with a clinical act or a person as subject; "
        "'must be higher than' and 'must enter a value' are data rules, not advice.",
        _action(ActionKind.MODAL),
    ),
    Rule(
        "recommendation.suggestion",
        AdviceCategory.RECOMMENDATION,
        "Suggestion frames: you could ..., have you considered/tried ..., why not ..., "
        "would help, it is best/important to ...",
        _action(ActionKind.SUGGESTION),
    ),
    Rule(
        "recommendation.advice_words",
        AdviceCategory.RECOMMENDATION,
        "Words that only advice uses: recommend, advise, advisable, I suggest, consider.",
        _pattern(
            r"\brecommend\w*|\b(?:advis(?:e|es|ed|ing)|advisable|inadvisable)\b|"
            r"\b(?:my|our|the) advice\b|\b(?:i|we)(?:\s+would|'d)?\s+(?:strongly\s+)?suggest\b|"
            r"\b(?:my|our|the) suggestion (?:is|would be)\b|"
            r"\bsuggest(?:ed)?\s+(?:that|you|the patient|using|applying|trying|starting|taking|"
            r"to)\b|\bmy suggestion\b|\bconsider(?:ing)?\b|"
            r"\b(?:have|has|did)\s+(?:\w+\s+){0,2}considered\b",
            unless=r"\bplease advise\b|\bconsidering the (?:photo|image|lighting)\b",
        ),
    ),
    Rule(
        "recommendation.needs_treatment",
        AdviceCategory.RECOMMENDATION,
        "Says a treatment or test is needed or indicated (needs debridement, would benefit "
        "from compression, antibiotics are indicated).",
        _pattern(
            r"\b(?:needs?|needed|requires?|required|warrants?|would benefit from|benefits? from|"
            r"calls? for|candidate for|due for|ready for)\s+(?:(?:an?|the|some|urgent|"
            r"immediate|further|more|proper|specialist|new|different|stronger|oral|iv|"
            r"intravenous|topical|a course of|course of|a)\s+)*"
            # one more word of any kind ("needs the full compression", round 18)
            r"(?:[a-z-]+\s+)?"
            + words(lx.TREATMENT_NOUNS)
            + r"|\b(?:is|are|isn't|aren't|not)\s+(?:clinically\s+|now\s+|therefore\s+)?"
            r"(?:indicated|contraindicated|warranted)\b"
        ),
    ),
    Rule(
        "recommendation.treatment_needed",
        AdviceCategory.RECOMMENDATION,
        "Calls a treatment necessary or the standard (antibiotics are needed, offloading is "
        "essential, compression is the treatment of choice).",
        _pattern(
            words(lx.TREATMENT_NOUNS) + r"\s+(?:is|are|was|were|would be|will be|seems?|looks?)\s+"
            r"(?:now\s+|still\s+|also\s+|really\s+|absolutely\s+|clearly\s+|probably\s+)*"
            r"(?:needed|required|necessary|essential|vital|key|crucial|important|advisable|"
            r"warranted|indicated|the answer|the way to go|a must|mandatory|needed now)\b|"
            r"\b(?:treatment|dressing|drug|antibiotic|therapy) of choice\b|\bgold standard\b|"
            r"\bstandard of care\b|\bmainstay of (?:treatment|management)\b"
        ),
        questions=False,
    ),
    Rule(
        "recommendation.appropriate",
        AdviceCategory.RECOMMENDATION,
        "Calls a treatment appropriate or a good choice (a 7-day antibiotic course is "
        "appropriate).",
        _appropriate,
        questions=False,
    ),
    Rule(
        "recommendation.efficacy",
        AdviceCategory.RECOMMENDATION,
        "Claims a treatment works (honey works well for slough, elevation will reduce the "
        "swelling); only in sentences about something clinical.",
        _efficacy,
        questions=False,
    ),
    Rule(
        "recommendation.best_option",
        AdviceCategory.RECOMMENDATION,
        "Names a best or preferred treatment, dressing or option.",
        _pattern(
            r"\b(?:best|recommended|preferred|appropriate|ideal|optimal|first[- ]line|"
            r"most effective|most suitable)\s+(?:\w+\s+)?(?:treatment|dressings?|options?|"
            r"approach|management|antibiotics?|therapy|choice|plan|course of action|regimen|"
            r"care|products?|medications?)\b"
        ),
    ),
    Rule(
        "medication.instruction",
        AdviceCategory.MEDICATION,
        "An instruction or suggestion that is about a medicine.",
        _action_mentioning(_MEDICATION),
    ),
    # --- dosing -------------------------------------------------------------------------
    Rule(
        "dosing.instruction",
        AdviceCategory.DOSING,
        "An instruction or suggestion that carries a dose, an amount or a frequency.",
        _action_mentioning(_DOSE),
    ),
    Rule(
        "dosing.adjust",
        AdviceCategory.DOSING,
        "Changing a dose (increase the dose, halve the dosage, skip a dose).",
        _pattern(
            r"\b(?:increase|decrease|reduce|raise|lower|double|halve|adjust|titrate|taper|up|"
            r"cut|skip|miss|split|change|alter|modify|stop|hold|withhold|omit|repeat|top up)"
            r"\s+(?:the|your|his|her|their|this|that|a|one|each|next|every)?\s*(?:\w+\s+)?"
            r"(?:doses?|dosages?)\b"
        ),
        questions=False,
    ),
    Rule(
        "dosing.quantity",
        AdviceCategory.DOSING,
        "A dose amount (500 mg, 2 tablets) or a dose with a frequency, unless the sentence "
        "reads back a recorded current medication ('currently takes ...').",
        _dose_quantity,
        questions=False,
    ),
    # --- diagnosis ----------------------------------------------------------------------
    Rule(
        "diagnosis.state",
        AdviceCategory.DIAGNOSIS,
        "States that the wound or patient is infected, septic, ischaemic ...",
        _pattern(
            r"\b(?:is|are|was|were|isn't|aren't|wasn't|looks?|appears?|seems?|became|become|"
            r"becoming|gets?|"
            r"getting|got|has become|have become|is now|'s|gone|has gone|went|turned|"
            r"has turned|turning)\s+"
            + _ADVERBS
            + r"(?:infected|septic|gangrenous|isch(?:a)?emic|cellulitic|osteomyelitic|"
            r"malignant|cancerous|critically coloni[sz]ed|coloni[sz]ed|necrotising|"
            r"necrotizing|febrile|pyrexial|hypoxic|hypoxaemic|hypotensive|hypertensive|"
            r"tachycardic|bradycardic|hypothermic|hyperglycaemic|hypoglycaemic|"
            r"tachypnoeic|dehydrated|septicaemic)\b|\binfected (?:wound|ulcer|area|tissue)\b"
        ),
        questions=False,
    ),
    Rule(
        "diagnosis.has_condition",
        AdviceCategory.DIAGNOSIS,
        "Asserts an acute condition is present (has cellulitis, there is an infection, shows "
        "signs of infection).",
        _pattern(
            r"\b(?:has|have|had|with|shows?|showing|showed|develop(?:s|ed|ing)?|there is|"
            r"there's|there are|is|it's|this is|that is|presence of|evidence of|signs? of|"
            r"symptoms? of)\s+(?:(?:an?|the|some|no|clear|obvious|early|definite|deep|"
            r"spreading|local|localised|systemic|underlying|significant|mild|severe|"
            r"signs of|evidence of|a possible|possible|a likely|likely)\s+)*" + _ACUTE,
            unless=r"\bhistory of\b|\bprevious(?:ly)?\b|\brecorded\b|\bdiagnosed with\b",
        ),
        questions=False,
    ),
    Rule(
        "diagnosis.hedged",
        AdviceCategory.DIAGNOSIS,
        "A hedged or inferred diagnosis (likely has osteomyelitis, probable infection).",
        _pattern(
            rf"\b{_HEDGE}\s+(?:(?:have|has|be|is|an?|of|represent|indicate|had|been|"
            rf"developing|early|deep|underlying|spreading|the)\s+)*{_CONDITION}"
        ),
        questions=False,
    ),
    Rule(
        "diagnosis.inference",
        AdviceCategory.DIAGNOSIS,
        "Reads a condition into the findings (looks like cellulitis, consistent with "
        "ischaemia, suggests an infection, caused by diabetes); questions too, since "
        "'Does this look like cellulitis?' hints at a diagnosis.",
        _pattern(
            r"\b(?:looks? like|look(?:s|ing)? to be|appears? to be|seems? to be|seems? like|"
            r"consistent with|suggestive of|suggests?|suggesting|indicative of|indicates?|"
            r"indicating|in keeping with|compatible with|typical of|characteristic of|"
            r"points? to(?:wards)?|sounds? like|presents? as|presenting as|a case of|"
            r"due to|caused by|secondary to|result of|resembles?|reminiscent of|"
            r"classic(?:al)? (?:sign|picture|presentation) of)\s+(?:\w+\s+){0,4}?" + _CONDITION
        ),
    ),
    Rule(
        "diagnosis.hypothesis_question",
        AdviceCategory.DIAGNOSIS,
        "A question that proposes a diagnosis (Could this be cellulitis? Is this osteomyelitis?).",
        _pattern(
            r"^(?:could|might|may|would|can|is|are|isn't)\s+(?:this|it|that|these)\s+"
            r"(?:be\s+|have\s+|not\s+|possibly\s+|perhaps\s+|maybe\s+)*(?:an?\s+)?(?:\w+\s+)?"
            + _CONDITION
            + r"|\b(?:could|might|may) (?:the patient|the wound|the ulcer|he|she|they) "
            r"(?:have|be)\s+(?:\w+\s+){0,2}?" + _CONDITION
        ),
    ),
    Rule(
        "diagnosis.likelihood",
        AdviceCategory.DIAGNOSIS,
        "Rates a condition's likelihood (infection is likely, sepsis is possible, a biofilm is "
        "probably present).",
        _pattern(
            _CONDITION + r"\s+(?:is|are|seems?|looks?|appears?|remains?)\s+(?:\w+\s+)?"
            r"(?:likely|unlikely|possible|probable|suspected|present|evident|confirmed|"
            r"ruled out|excluded|a concern|a possibility|the cause|the likely cause|developing|"
            r"setting in|spreading)\b",
            unless=r"\brecorded\b|\bdocumented\b",
        ),
        questions=False,
    ),
    Rule(
        "diagnosis.judgement",
        AdviceCategory.DIAGNOSIS,
        "Judges the wound or patient as a whole (the wound is fine, the leg looks healthy).",
        _pattern(
            r"\b(?:wound|ulcer|leg|foot|skin|periwound|wound bed|everything|patient|he|she)\s+"
            r"(?:is|looks?|seems?|appears?)\s+(?:\w+\s+)?(?:fine|ok|okay|good|healthy|normal|"
            r"great|better|worse|bad|stable|unremarkable|nothing serious|in good shape)\b"
        ),
        questions=False,
    ),
    Rule(
        "diagnosis.named",
        AdviceCategory.DIAGNOSIS,
        "Offers a diagnosis or differential (the diagnosis is ..., my impression is ...); "
        "recorded history ('was diagnosed with diabetes') is a fact.",
        _pattern(
            r"\b(?:diagnos(?:is|es|e|ing)|differential|my impression|clinical impression|"
            r"working impression|aetiology|etiology)\b|\b(?:arterial|venous|neuropathic|"
            r"isch(?:a)?emic|mixed|traumatic|malignant|infective|vascular) (?:in origin|in nature|"
            r"origin|aetiology|etiology|cause)\b",
            unless=r"\b(?:was|were|been|previously|prior|previous|known|existing|"
            r"history of|date of|recorded|on record|documented|entered|listed|enter|enters|"
            r"record|records|field)\b",
        ),
        questions=False,
    ),
    Rule(
        "diagnosis.vital_interpretation",
        AdviceCategory.DIAGNOSIS,
        "Interprets a measurement (blood pressure is too high, temperature is normal).",
        _vital_interpretation,
        questions=False,
    ),
    # --- prognosis ----------------------------------------------------------------------
    Rule(
        "prognosis.outcome",
        AdviceCategory.PROGNOSIS,
        "Predicts how the wound or patient will do (will heal, won't heal, is likely to "
        "need amputation).",
        _pattern(
            r"\b(?:will|won't|wont|will not|is going to|isn't going to|going to|should|shall|"
            r"may|might|could|likely to|unlikely to|expected to|expect (?:it|the wound) to|"
            r"bound to|never|certain to|set to|about to)\s+(?:not\s+|never\s+|probably\s+|"
            r"likely\s+|definitely\s+|soon\s+|eventually\s+|fully\s+|completely\s+|quickly\s+|"
            r"slowly\s+|well\s+|still\s+)*(?:heal|close|improve|resolve|recover|get better|"
            r"get worse|worsen|deteriorate|progress|spread|scar|clear up|shrink|recur|"
            r"come back|break down|need (?:an? )?(?:amputation|surgery)|lose|die|be fine|"
            r"be ok|be okay|be alright|be all right|be healed|be cured|lead to)\b",
            unless=words(lx.PHOTO_TERMS + "|" + lx.DATA_TERMS),
        ),
        questions=False,
    ),
    Rule(
        "prognosis.course",
        AdviceCategory.PROGNOSIS,
        "Judges the course or outlook (healing well, deteriorating, poor prognosis, risk of "
        "amputation).",
        _pattern(
            r"\b(?:prognosis|outlook|life expectancy|healing time|time to heal|chances? of "
            r"(?:healing|recovery|amputation|survival)|risk of (?:amputation|death|dying|"
            r"losing|sepsis|recurrence|infection|limb loss)|on track to|healing potential)\b|"
            r"\b(?:is|are|'s|seems?|looks?|appears?)\s+(?:to be\s+)?(?:now\s+|clearly\s+|"
            r"slowly\s+|steadily\s+)?(?:healing|improving|deteriorating|worsening|"
            r"getting (?:better|worse)|progressing well|responding|on the mend|stalled|"
            r"not healing)\b|\bheal(?:s|ing)? (?:well|nicely|quickly|slowly|poorly)\b|"
            r"\bnot going to heal\b|\b(?:healing|recovery|closure|it|this)\s+(?:will|should|may|"
            r"might|could|is likely to|is expected to|is going to)\s+take\b|"
            r"\bwill take (?:\w+ )?(?:\w+ )?(?:days|weeks|months)\b|"
            r"\b(?:healing|closure|recovery|improvement|resolution)\s+(?:is|should be|would be|"
            r"will be)\s+(?:\w+\s+)?(?:expected|likely|unlikely|anticipated|possible|slow|"
            r"delayed|good|poor|quick|fast)\b",
            unless=r"\bwas reported\b|\bis recorded\b",
        ),
        questions=False,
    ),
    Rule(
        "prognosis.reassurance",
        AdviceCategory.PROGNOSIS,
        "Reassurance is an outcome judgement too (nothing to worry about, not serious).",
        _pattern(
            r"\b(?:nothing to worry about|no need to worry|(?:do not|don't|dont|not to) worry|"
            r"no cause for (?:concern|alarm)|nothing serious|not serious|harmless|benign|"
            r"nothing to be concerned about|will be (?:fine|ok|okay|alright|all right))\b"
        ),
        questions=False,
    ),
    # --- alarm --------------------------------------------------------------------------
    Rule(
        "alarm.words",
        AdviceCategory.ALARM,
        "Alarm and urgency phrasing (dangerous, critical, emergency, urgent, immediately, "
        "call 911, life-threatening); 'emergency department' and 'immediately after' are "
        "neutral.",
        _pattern(
            r"\b(?:dangerous(?:ly)?|danger|life[- ]threatening|limb[- ]threatening|"
            r"critical(?:ly)?|emergenc(?:y|ies)(?!\s+(?:department|room|ward|unit|admission|"
            r"visit|attendance|contact|number))|urgent(?:ly)?|urgency|alarming(?:ly)?|"
            r"worrying(?:ly)?|red flags?|serious(?:ly)?|immediate(?:ly)?(?!\s+(?:after|"
            r"before|prior|family))|right away|straight away|at once|without delay|"
            r"as soon as possible|asap|don't wait|do not wait|act fast|time[- ]critical)\b|"
            r"\b(?:life|limb|leg|foot)\s+(?:\w+\s+){0,2}?at risk\b|\brisk to (?:life|limb)\b|"
            r"\b(?:is|are|looks?|seems?|very|quite|most|more|deeply|really|highly)\s+"
            r"concerning\b|\bconcerning (?:signs?|findings?|features?|symptoms?|changes?)\b",
            # urgency of the office's post, not of care (round 18): "urgent queries to the
            # hub", "contact the office for anything urgent"
            unless=r"\burgent (?:queries|query|messages?|calls?|requests?|admin|matters|post|"
            r"e-?mails?|paperwork|forms?)\b|\b(?:hub|office|desk|switchboard|coordinator|"
            r"reception|admin team|duty line|team lead(?:er)?|line manager|rota)\b[^.;]{0,25}"
            r"\bfor anything urgent\b",
        ),
    ),
    Rule(
        "alarm.call_for_help",
        AdviceCategory.ALARM,
        "Tells someone to call emergency services or go to hospital.",
        _pattern(
            r"\b(?:call|dial|phone|ring)\s+(?:for\s+)?(?:911|999|112|an ambulance|ambulance|"
            r"emergency services|for help|the emergency)\b|\b(?:go|get|rush|head|take (?:him|"
            r"her|them|the patient))\s+(?:straight\s+)?to\s+(?:the\s+|a\s+)?(?:er|a ?& ?e|"
            r"hospital|emergency)\b|\bseek\s+(?:\w+\s+)?(?:care|help|attention|treatment|"
            r"advice)\b"
        ),
    ),
)


def _structural(
    rule_id: str, category: AdviceCategory, description: str, pattern: re.Pattern[str],
    *, need_clinical: bool = True, questions: bool = False,
) -> Rule:
    return Rule(rule_id, category, description,
                st.predicate(pattern, need_clinical=need_clinical, questions=questions),
                questions=questions)


STRUCTURAL_RULES: tuple[Rule, ...] = (
    _structural("diagnosis.classification", AdviceCategory.DIAGNOSIS,
                "Says what the wound is: a copula with a wound type or condition, or a cause "
                "('This is a venous ulcer', 'The slough is from a biofilm').",
                st.CLASSIFICATION),
    _structural("prognosis.forecast", AdviceCategory.PROGNOSIS,
                "Forecasts an outcome: expect/will/may + heal, recover, settle, come back; "
                "chances or odds of an outcome.", st.FORECAST),
    Rule("prognosis.outcome_verb", AdviceCategory.PROGNOSIS,
         "A forecast with a clear outcome verb, even without a subject ('Should settle down "
         "in a day or two', 'I'd expect it to be gone').", st.forecast_outcome,
         questions=False),
    Rule("diagnosis.means", AdviceCategory.DIAGNOSIS,
         "Equates findings with a condition ('red and hot = infection', 'the streaks mean "
         "lymphangitis').", st.means_condition, questions=False),
    Rule("treatment.terse", AdviceCategory.TREATMENT,
         "A one-word order ('Rest!') or a treatment with a frequency alone ('Dressing "
         "daily.').", st.terse_instruction, questions=False),
    Rule("prognosis.future_state", AdviceCategory.PROGNOSIS,
         "A future state of the wound or person (it'll be smaller, she'll be walking, the "
         "scab will fall off).", st.forecast_state, questions=False),
    _structural("prognosis.reassurance_phrase", AdviceCategory.PROGNOSIS,
                "Reassurance (don't be alarmed, it'll be alright, perfectly normal).",
                st.REASSURANCE, need_clinical=False),
    Rule("prognosis.normalising", AdviceCategory.PROGNOSIS,
         "Calling a finding normal or expected ('That's expected after debridement').",
         st.normalising, questions=False),
    Rule("prognosis.future", AdviceCategory.PROGNOSIS,
         "Any future of the wound or person (will take six weeks, likely to develop, will "
         "toughen up) unless about the form, the record or a schedule.", st.future_outcome,
         questions=False),
    Rule("treatment.monitoring", AdviceCategory.TREATMENT,
         "A monitoring regime (measure her temperature twice a day).", st.monitoring_regime,
         questions=False),
    Rule("recommendation.negated_bare", AdviceCategory.RECOMMENDATION,
         "'No need to ...', 'no point in ...', 'not worth ...' with any verb not about the "
         "form.", st.negated_bare, questions=False),
    Rule("recommendation.broken_routine", AdviceCategory.RECOMMENDATION,
         "Broken-English routine: a body part or product, a bare verb, a frequency ('foot "
         "keep dry always').", st.broken_routine, questions=False),
    _structural("prognosis.odds", AdviceCategory.PROGNOSIS,
                "The chances or odds of an outcome (a high chance it comes back).", st.ODDS,
                need_clinical=False),
    _structural("recommendation.broken_english", AdviceCategory.RECOMMENDATION,
                "Advice in broken English ('better use foam', 'antibiotic need for this "
                "wound').", st.BROKEN),
    Rule("recommendation.broken_negative", AdviceCategory.RECOMMENDATION,
         "A bare negative instruction ('no walk much', 'no put water on wound').",
         st.broken_negative_imperative, questions=False),
    _structural("triage.timeframe", AdviceCategory.TRIAGE,
                "Says when someone must be seen or that it can wait (seen today, same-day "
                "review, can wait until Monday, go to A&E).", st.TRIAGE, need_clinical=False),
    Rule("recommendation.obligation", AdviceCategory.RECOMMENDATION,
         "Impersonal or passive obligation (it is important that ..., is to be changed, "
         "needs monitoring, is required); a requirement of the form ('the depth field is "
         "required') is not care.", st.obligation, questions=False),
    _structural("recommendation.negated", AdviceCategory.RECOMMENDATION,
                "Negated advice (no need for ..., doesn't need ..., don't bother, avoid "
                "...ing, shouldn't ...).", st.NEGATED),
    _structural("recommendation.hedged", AdviceCategory.RECOMMENDATION,
                "Hedged advice (one option is ..., might be the way forward, wouldn't hurt, "
                "go with, perhaps use ..., a treatment would help).", st.HEDGED,
                questions=True),
    _structural("recommendation.question", AdviceCategory.RECOMMENDATION,
                "Advice shaped as a question (what about ...?, why not ...?, would X not "
                "work better?, could we switch ...?).", st.QUESTION_ADVICE, questions=True),
    _structural("recommendation.referral_to", AdviceCategory.RECOMMENDATION,
                "Sends or asks someone to a clinician or service (send him to the foot "
                "clinic, ask the tissue viability nurse to review).", st.REFERRAL,
                need_clinical=False, questions=True),
    _structural("prognosis.judgement", AdviceCategory.PROGNOSIS,
                "Calls a clinical finding normal, fine, expected or harmless.", st.JUDGEMENT),
    Rule("treatment.addressed_imperative", AdviceCategory.TREATMENT,
         "An action verb addressed to the reader, with any object, unless the object is the "
         "photo kit or the form.", st.addressed_imperative),
)

# Shapes added for generalisation (round 12): each is written as a general sentence shape,
# not a corpus line; objects are open (any noun) where the shape alone is advice.
_COND = words(lx.CONDITIONS + "|" + lx.WOUND_TYPES)
_KIT_OR_FORM = re.compile(words(lx.PHOTO_TERMS + "|" + lx.DATA_TERMS))


def _fits_condition(view: SentenceView) -> bool:
    return view.has(_FITS) and (view.has(_COND_RE) or view.has(_PICTURE))


_FITS = re.compile(
    r"\b(?:would fit|fits|fit with|fits with|(?:is|are|looks|seems)? ?consistent with|"
    r"in keeping with|suggestive of|typical of|points? to|pointing to|characteristic of|"
    r"classic for|textbook)\b"
)
_COND_RE = re.compile(_COND)
_PICTURE = re.compile(r"\b(?:picture|presentation|findings|appearance|symptoms|history)\b")
_ATTRIBUTION = re.compile(
    r"\b(?:most likely|more likely|probably|likely|almost certainly|presumably|i suspect|"
    r"i think|i reckon|i'd say|clearly|obviously)\b.{0,30}\b(?:from|due to|caused by|because "
    r"of|secondary to|related to|down to)\b|"
    r"\b(?:it's|it is|this is|that's|all|it was|this was)\s+(?:all\s+|just\s+|mostly\s+|"
    r"purely\s+|probably\s+)?down to\b"
)
_PROGNOSIS_PHRASE = re.compile(
    r"\b(?:past the worst|over the worst|on the mend|turned the corner|turning the corner|out "
    r"of the woods|on the way to recovery|a long road|going the right way|heading the right "
    r"way)\b|"
    r"\b(?:most|many|all|some|a lot|the majority|nearly all|plenty) of (?:these|them|those|"
    r"this kind|this type|these ulcers|these wounds)\b.{0,20}\b(?:close|closes|heal|heals|"
    r"settle|resolve|clear|get better|recur|come back|scar|take)\b"
)
_GOT_TO = re.compile(r"\b(?:have|has|'ve|'s|ve)\s+got\s+to\b|\bgotta\b")
_HEDGE_IDIOM = re.compile(
    r"\b(?:wouldn't|would not|won't|can't|cannot|couldn't) (?:go amiss|hurt|harm|do any "
    r"harm)\b|\bno harm in\b|\b(?:could|would|might|can) do with\b|\b(?:would|could|might) "
    r"benefit\b"
)
_NOTHING_TO_DO = re.compile(
    r"^(?:there's\s+|there is\s+)?nothing\s+(?:more\s+|else\s+|much\s+)?(?:to be done|to do|"
    r"needed|required|to worry about|to be worried about|we can do|that can be done)\b"
)
_WE_QUESTION = re.compile(
    r"^(?:so\s+|and\s+|then\s+)?(?:could|can|shall|should|might|may|do) we\s+(?!know\b|"
    r"have\b|see\b|confirm\b|check the (?:date|name|record|form)|record\b|save\b|"
    r"enter\b)[a-z]+\b"
)
_DIAGNOSIS_FRAME = re.compile(
    r"^(?:so\s+|well\s+)?what (?:you|he|she|they|we|the patient) (?:have|has|got|'ve got|"
    r"'s got|are looking at|'re looking at|see|are seeing) (?:here |there )?is\b|"
    r"\bthere(?:'s| is| are)\s+(?:an?\s+|some\s+|definitely\s+|clearly\s+|probably\s+)?"
    r"(?:[a-z-]+\s+)?" + _COND + r"|"
    r"\b(?:tells|told|shows|showing) (?:me|us) (?:that |it'?s |there'?s |this is )"
)
_NEEDNT = re.compile(
    r"\b(?:you|he|she|they|we|the patient|patient|it|this|that|the wound|the dressing|the "
    r"leg|the foot)\s+(?:needn't|need not|doesn't need to|does not need to|don't need to|"
    r"do not need to|won't need to|will not need to|doesn't have to|does not have to|don't "
    r"have to|do not have to)\b"
)
_LEAVE = re.compile(
    r"^(?:please\s+|just\s+|then\s+)*leave\s+(?:the\s+|it\b|them\b|her\b|his\b|those\s+|"
    r"these\s+|that\s+|this\s+)[^,;]{0,40}?\b(?:alone|in place|in situ|on|off|open|"
    r"uncovered|undisturbed|be|intact|to dry|exposed|untouched|for)\b"
)
_BROKEN_NOUN_VERB = re.compile(
    r"^(?:the\s+|some\s+|little\s+|more\s+)?(?:[a-z]+\s+)?(?:cream|creams|ointment|"
    r"antibiotics?|tablets?|"
    r"pills?|medicine|dressing|bandage|pad|powder|pillow|stockings?|socks?|shoes?|plaster|gel|"
    r"oil|salt water|water|ice|spray|lotion|foam|gauze|honey|iodine|saline|insulin|"
    r"painkillers?|paracetamol)\s+(?:put|take|apply|use|rub|give|wear|spread|wash|clean|"
    r"(?:on|under|between|over|around|onto|in)\s+(?:the\s+)?(?:[a-z]+\s+){0,2}?(?:[a-z]+)\s+"
    r"(?:when|after|before|for|every|each|daily|always|at night|two time|three time|"
    r"\d+ times?|times? (?:a )?day|morning|night)|(?:put|take|apply|use|rub|give|wear|"
    r"spread)\s+(?:if|when|after|before|every|at)\b)\b"
)
_BROKEN_BETTER = re.compile(
    r"^(?:better|best|good)\s+(?:he|she|you|they|we|patient|the patient|him|her)\s+"
    r"(?!is\b|was\b|are\b|were\b|has\b|had\b)[a-z]+\b|"
    r"\b(?:doctor|gp|nurse|hospital|specialist)\s+(?:see|look|check)\b.{0,30}\b(?:today|now|"
    r"tonight|tomorrow|soon|quick|urgent|fast)\b"
)
_ABOUT_CHANGE = re.compile(
    r"^(?:so\s+|and\s+|but\s+|then\s+)?(?:how|what) about\s+(?:more|less|fewer|extra|"
    r"another|a different|different|a course|some|a trial|an? \w+ dressing|[a-z]+ing)\b|"
    r"^(?:don't|do not|wouldn't|shouldn't|doesn't|isn't) (?:you|we|anyone) (?:think|agree|"
    r"feel|reckon)\b|^(?:have you |has anyone |did you )?ever (?:considered|thought|tried)\b"
)
_HEDGE_OPEN = re.compile(
    r"\bif (?:it|this|that) (?:were|was) (?:my|mine|me|up to me)\b|"
    r"\b(?:i'd|i would|we'd|we would)\s+(?:keep|use|go|try|put|leave|start|stop|get|add|switch|"
    r"change|give|apply|dress|wrap|refer|send|avoid|stick|recommend|suggest|advise|consider|"
    r"want|prefer|lean|opt|choose|pick|swap|elevate|raise|clean|treat|book|ask|order|do)\b|"
    r"\b(?:one|another|an|the other|a possible|a good|the best|a better|a reasonable|a "
    r"sensible) (?:option|approach|alternative|possibility|idea|way|choice|strategy|plan|"
    r"step)\b.{0,25}\b(?:is|could be|would be|might be|may be|'d be)\b|"
    r"\b(?:makes?|would make|might make|could make|may make) (?:more |good |most )?sense\b|"
    r"^(?:so\s+)?(?:maybe|perhaps|possibly|probably)\s+(?:just\s+)?(?:try|use|give|put|keep|add|"
    r"start|stop|switch|change|leave|get|go|apply|consider|think about|swap|increase|reduce|"
    r"see|book|ask|refer|send|call|ring|wrap|clean|elevate|raise)\b"
)
_COURSE = re.compile(
    r"\bcourse\b.*\b(?:should|would|will|must|needs?|enough|sufficient|required|ought)\b|"
    r"\b(?:start|give|take|prescribe|try|finish|complete|do)\s+(?:a|another|the|his|her|"
    r"your)\s+(?:\S+\s+){0,2}course\b"
)
_NO_ING_UNTIL = re.compile(
    r"^(?:and\s+)?no\s+(?:more\s+)?[a-z]+ing\b.{0,30}\b(?:for the next|for the coming|until|"
    r"till|for now|for a while|for a few|from now|after today|from today|tonight|this week)\b"
)
_BROKEN_NOT = re.compile(
    r"^(?:no\s+)?(?:water|soap|cream|ointment|powder|plaster|tape|dressing|bandage|shoes?|"
    r"socks?|weight|ice|heat|sugar|alcohol|smoking|cigarette)\s+not\s+(?:on|in|near|under|"
    r"over|touch|get|go|put|use)\b"
)
_MAKE_SURE_PERSON = re.compile(
    r"^(?:please\s+|just\s+)?(?:make sure|ensure|see that|check that|be sure)\s+(?:that\s+)?"
    r"(?:he|she|they|you|the patient|patient|him|her|the resident|mum|dad|your (?:mum|dad|"
    r"wife|husband))\b(?!\s+(?:is|are)\s+(?:comfortable|ready|happy|in (?:the )?(?:frame|"
    r"photo|picture)))"
)
_IMPORTANT_THAT = re.compile(
    r"\bit(?:'s| is| will be| would be)\s+(?:really\s+|very\s+|absolutely\s+|so\s+)?"
    r"(?:vital|crucial|essential|important|imperative|key|critical|paramount|necessary|"
    r"advisable|wise|sensible|best|better|a good idea|a must)\b"
)


def _not_kit_only(pattern: re.Pattern[str]) -> Predicate:
    def predicate(view: SentenceView) -> bool:
        if not view.has(pattern):
            return False
        return not (view.has(_KIT_OR_FORM) and not view.has(_CLINICAL_ANY))

    return predicate


_CLINICAL_ANY = re.compile(words(lx.CLINICAL_OBJECTS + "|" + lx.CONDITIONS))
_ROTA = re.compile(
    r"\b(?:rotas?|shifts?|lates?|earlies|early|nights?|long day|annual leave|leave|study day|"
    r"cover|swap|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|weds?|"
    r"thurs?|fri|sat|sun)\b"
)


def _not_rota(predicate: Predicate) -> Predicate:
    """Leaves out a sentence about shifts and days with nothing clinical in it."""
    def check(view: SentenceView) -> bool:
        if view.has(_ROTA) and not view.has(_CLINICAL_ANY):
            return False
        return predicate(view)

    return check


GENERAL_RULES: tuple[Rule, ...] = (
    Rule("diagnosis.fits", AdviceCategory.DIAGNOSIS,
         "Fits a condition to the findings ('would fit this picture', 'in keeping with "
         "cellulitis').", _fits_condition, questions=False),
    Rule("diagnosis.attribution", AdviceCategory.DIAGNOSIS,
         "Attributes a cause with a hedge ('most likely from lying on that side').",
         _not_kit_only(_ATTRIBUTION), questions=False),
    Rule("diagnosis.frame", AdviceCategory.DIAGNOSIS,
         "A diagnosis frame ('What you have there is ...', 'There's an infection ...', "
         "'The smell tells me it's ...').", _not_kit_only(_DIAGNOSIS_FRAME), questions=False),
    Rule("recommendation.needn't", AdviceCategory.RECOMMENDATION,
         "Someone needn't / doesn't have to do something.", _not_kit_only(_NEEDNT),
         questions=False),
    Rule("treatment.leave", AdviceCategory.TREATMENT,
         "'Leave the X alone / in place / open ...' with any object but the kit or form.",
         _not_kit_only(_LEAVE), questions=False),
    Rule("recommendation.broken_object_verb", AdviceCategory.RECOMMENDATION,
         "Broken English: a product then a bare verb or a place and a time ('cream put on "
         "skin after wash', 'pillow under foot when sleep').", _pattern(
             _BROKEN_NOUN_VERB.pattern), questions=False),
    Rule("recommendation.broken_better", AdviceCategory.RECOMMENDATION,
         "Broken English advice ('better she sleep on side', 'doctor see today').",
         _pattern(_BROKEN_BETTER.pattern), questions=False),
    Rule("recommendation.question_about", AdviceCategory.RECOMMENDATION,
         "A suggestion shaped as a question with any object ('How about more frequent "
         "changes?', 'Don't you think ...?', 'Ever considered ...?').",
         _not_kit_only(_ABOUT_CHANGE), questions=True),
    Rule("recommendation.hedge_open", AdviceCategory.RECOMMENDATION,
         "Hedged advice with any object ('If it were my leg ...', 'I'd keep ...', 'One "
         "approach could be ...', 'makes sense', 'Maybe try ...').",
         _not_kit_only(_HEDGE_OPEN), questions=True),
    Rule("dosing.course", AdviceCategory.DOSING,
         "A course of treatment with a modal or an order ('A 7-day course should be enough').",
         _pattern(_COURSE.pattern), questions=False),
    Rule("recommendation.no_ing_until", AdviceCategory.RECOMMENDATION,
         "'No bathing for the next week', 'no walking until ...'.",
         _pattern(_NO_ING_UNTIL.pattern), questions=False),
    Rule("prognosis.phrase", AdviceCategory.PROGNOSIS,
         "Idiomatic prognosis ('past the worst', 'on the mend', 'most of these close within "
         "...').", _pattern(_PROGNOSIS_PHRASE.pattern), questions=False),
    Rule("recommendation.got_to", AdviceCategory.RECOMMENDATION,
         "'X has got to ...' (an obligation) with any object but the kit or form.",
         _not_kit_only(_GOT_TO), questions=False),
    Rule("recommendation.hedge_idiom", AdviceCategory.RECOMMENDATION,
         "Idiomatic hedge ('wouldn't go amiss', 'could do with', 'no harm in').",
         _not_kit_only(_HEDGE_IDIOM), questions=True),
    Rule("recommendation.nothing_to_do", AdviceCategory.RECOMMENDATION,
         "'Nothing to be done / nothing more to do ...' (negated advice).",
         _pattern(_NOTHING_TO_DO.pattern), questions=False),
    Rule("recommendation.we_question", AdviceCategory.RECOMMENDATION,
         "A question proposing what 'we' do ('Could we up the frequency ...?'); not about "
         "shifts and days alone ('Can we swap my Tuesday late ...?').",
         _not_rota(_not_kit_only(_WE_QUESTION)), questions=True),
    Rule("recommendation.broken_not", AdviceCategory.RECOMMENDATION,
         "Broken-English prohibition ('water not on wound please').",
         _pattern(_BROKEN_NOT.pattern), questions=False),
    Rule("treatment.make_sure_person", AdviceCategory.TREATMENT,
         "'Make sure she turns every two hours': an instruction about what a person does.",
         _not_kit_only(_MAKE_SURE_PERSON), questions=False),
    Rule("recommendation.important_that", AdviceCategory.RECOMMENDATION,
         "Impersonal evaluation of an action ('It's vital the patient keeps ...').",
         _not_kit_only(_IMPORTANT_THAT), questions=False),
)
SHAPE_RULES: tuple[Rule, ...] = (
    *(Rule(shape.id, shape.category, shape.description, sh.shape_predicate(shape),
           questions=shape.questions) for shape in sh.SHAPES),
    Rule("recommendation.passive_plan", AdviceCategory.RECOMMENDATION,
         "A plan for a thing with any verb ('the drain is to stay in', 'the clips are due to "
         "come out'), unless a clinician's own schedule or an administrative thing.",
         sh.passive_plan, questions=False),
    Rule("treatment.open_imperative", AdviceCategory.TREATMENT,
         "A bare verb no list names, then an object, about the body or a person ('Smear "
         "some jelly on the heels').", sh.open_imperative, questions=False),
)
RULES = RULES + STRUCTURAL_RULES + GENERAL_RULES + SHAPE_RULES


def rule_ids() -> tuple[str, ...]:
    """The id of every rule, in evaluation order."""
    return tuple(rule.id for rule in RULES)
