"""Round 16: sentence shapes that generalise over wording, one table row each.

Every row of :data:`SHAPES` is the same kind of rule: a regular expression over the normalised
sentence (:attr:`.analysis.SentenceView.text`), a guard and whether it runs on questions.
The expressions describe a *shape* (a cause connective, a passive plan, a permission, an
escalation, an open-verb imperative) with open slots where the corpus had lists, so that
wording no list names is caught; the guards keep them off the photo kit, the form and the
clinician's own schedule. Guards:

* ``clinical`` — the sentence names something clinical (:func:`.structure.clinical`);
* ``care`` — it names something clinical or a clinician or service, and nothing
  administrative (the photo kit, the form, a letter, an appointment, a delivery);
* ``open`` — anything, unless the sentence is only about the photo kit, the form or
  something administrative;
* ``any`` — the shape alone is advice.

Two shapes need more than a pattern and are functions: :func:`passive_plan` (a plan for a
thing, "the drain is to stay in", "the clips are due to come out", with any verb, unless the
subject is a clinician or the thing is administrative) and :func:`open_imperative` (a
sentence that opens with a bare verb the lists never named, "Smear some jelly on the heels",
recognised by its form and its object).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from woundcare.guardrail import lexicon as lx
from woundcare.guardrail.analysis import SentenceView, is_kit
from woundcare.guardrail.lexicon import words
from woundcare.guardrail.models import AdviceCategory
from woundcare.guardrail.structure import clinical

Guard = Literal["clinical", "care", "open", "any"]


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())

_KIT_OR_FORM = re.compile(words(lx.PHOTO_TERMS + "|" + lx.DATA_TERMS))
_CLINICAL_ANY = re.compile(words(lx.CLINICAL_OBJECTS + "|" + lx.EXTRA_CLINICAL + "|"
                                 + lx.CONDITIONS + "|" + lx.WOUND_TYPES))
_DEVICE = (
    r"sutures?|stitches|clips|staples|drains?|dressings?|bandages?|cast|splint|boot|"
    r"stockings?|catheter|packing|plaster|pads?|cream|tablets|antibiotics|compression|wrap|"
    r"vac|pump|film|foam"
)
_TYPE = words(lx.WOUND_TYPES + "|" + lx.CONDITIONS)
_SETTLED_STATE = (
    r"(?:fine|better|right|healed|closed|sorted|grand|ok|okay|alright|all right|back to normal|"
    r"good as new|gone|settled|cleared|improved|smaller|healing|on the mend|mended|sealed|"
    r"scabbed over|resolved|over the worst|a lot better|much better|worse)\b"
)
_WHEN = (
    r"(?:day \d+|d\d{1,2}|tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|next week|\d+ (?:days?|weeks?)|(?:one|two|three|four|five|six|seven|ten) "
    r"(?:days?|weeks?))"
)


@dataclass(frozen=True)
class Shape:
    id: str
    category: AdviceCategory
    description: str
    pattern: re.Pattern[str]
    guard: Guard
    questions: bool = False


def _shape(rule_id: str, category: AdviceCategory, description: str, regex: str,
           guard: Guard, questions: bool = False) -> Shape:
    return Shape(rule_id, category, description, re.compile(regex), guard, questions)


D, P, T, R, TR = (AdviceCategory.DIAGNOSIS, AdviceCategory.PROGNOSIS, AdviceCategory.TRIAGE,
                  AdviceCategory.RECOMMENDATION, AdviceCategory.TREATMENT)

SHAPES: tuple[Shape, ...] = (
    # --- diagnosis: causes, explanations, depth ----------------------------------------
    _shape("diagnosis.cause_connective", D,
           "Names a cause with any cause phrase ('brought on by the oedema', 'stems from "
           "lying ...', 'triggered by the latex', 'what's making the skin break down').",
           r"\b(?:caused|brought on|triggered|set off|driven|made worse|aggravated|worsened|"
           r"provoked|started off) by\b|\b(?:stems?|stemming|results?|resulting|comes?|"
           r"coming|arises?|arising) from\b|\b(?:the|a|an) (?:result|consequence|product|"
           r"cause|source|culprit) of\b|\bwhat(?:'s| is) (?:causing|behind|driving|making|"
           r"keeping|stopping|holding|preventing)\b|\b(?:is|are) (?:what's |what is )?behind\b|"
           r"\b(?:happened|happens|started|developed|broke down|opened up) because\b|"
           r"\bto blame\b|\bthe reason (?:for|why)\b",
           "clinical"),
    _shape("diagnosis.inference_open", D,
           "A finding read as meaning something, whatever the something ('the soggy skin "
           "suggests too much moisture', 'makes me think of poor perfusion').",
           r"^(?!(?:the |a |her |his |their )?(?:patient|photo|picture|image|record|form|"
           r"letter|date|value|reading|entry)s?\b)[a-z' -]{3,60}?\b(?:suggests?|indicates?|"
           r"implies|points to|point to|signals(?!\s+(?:are|were|is|was|on|in|at|of|from|"
           r"both|bilat\w*|suggest\w*|indicate\w*|show\w*))|makes? me think|"
           r"is (?:most )?(?:consistent|compatible) with|is typical of|is in keeping with)\b",
           "clinical"),
    _shape("diagnosis.opinion_frame", D,
           "A speaker's opinion about what is going on ('My guess is that ...', 'I suspect "
           "...', 'I'd say ...').",
           r"^(?:so\s+|well\s+|honestly\s+)?(?:my (?:guess|feeling|view|sense|hunch|bet|money|"
           r"suspicion|reading|take|opinion|worry|concern) is|i (?:suspect|reckon|believe|bet|"
           r"guess|fear)|i'd (?:say|guess|bet|imagine)|"
           # "I'd call that a DTI", "I would class it as moisture damage" (round 18)
           r"i(?:'d| would) (?:call|class|classify|describe|label|grade|stage|count|"
           r"diagnose|put down)|i (?:think|feel) (?:it's|this is|that's|"
           r"the|she|he|it|this|that))\b", "care"),
    _shape("diagnosis.cause_active", D,
           "A thing said to cause a finding ('the dressing has caused a skin reaction', "
           "'the main driver of the cracking', 'is what limits the movement').",
           r"\b(?:has|have|had|is|are|must have|may have|might have|probably)\s+"
           r"(?:\w+\s+)?(?:caused|causing|triggered|triggering|led to|leading to|brought on|"
           r"provoked)\b|\bthe (?:\w+\s+)?(?:driver|cause|source|culprit|trigger|root|origin)"
           r" (?:of|for|behind)\b|\b(?:is|are) what (?:\w+\s+)?[a-z]+s\b|"
           r"\b(?:classic|typical|textbook|characteristic|hallmark)\b.{0,40}\b(?:of|for)\b",
           "clinical"),
    _shape("prognosis.base_rate", P,
           "How often an outcome happens or what it depends on ('recurrence is very common "
           "with this type', 'the outcome depends on stopping smoking').",
           r"\b(?:recurrence|healing|closure|recovery|amputation|infection|relapse|"
           r"outcome|outcomes|prognosis|breakdown|scarring)\s+(?:is|are|tends to be|seems)\s+"
           r"(?:\w+\s+)?(?:common|rare|uncommon|usual|unusual|frequent|the norm|typical|"
           r"inevitable)\b|\b(?:outcome|outcomes|healing|closure|recovery|prognosis|success)\b"
           r"(?:\s+\w+){0,2}\s+(?:depends|depend|hinges|rests|relies)\s+(?:\w+\s+)?on\b",
           "any"),
    _shape("triage.needed_by", T,
           "Something is needed by a time ('This needs a senior opinion today').",
           r"\b(?:needs?|requires?|wants?|warrants?|should have|must have|has to have)\s+"
           r"(?:an?\s+|the\s+|some\s+)?(?:\w+\s+){0,2}?(?:opinion|review|look|assessment|"
           r"input|check|visit|consult|consultation|examination|exam|eyes)\b.{0,30}\b(?:today|"
           r"tonight|now|this (?:morning|afternoon|evening|week)|tomorrow|within)\b", "open"),
    _shape("diagnosis.resemblance", D,
           "Likens a finding to a condition with any words between ('looks a lot like a "
           "fungal rash', 'has all the features of an arterial ulcer', 'is "
           "moisture-associated rather than pressure').",
           rf"\b(?:looks?|looking|seems?|sounds?|smells?|feels?)\s+(?:\w+\s+){{0,3}}?like\s+"
           rf"(?:\w+\s+){{0,4}}?{_TYPE}|\b(?:features?|hallmarks?|characteristics|makings|"
           rf"markings|signs|picture|appearance)\s+of\s+(?:an?\s+)(?:[a-z-]+\s+){{0,2}}?{_TYPE}|"
           r"\b(?:is|are|'s|looks|seems)\s+(?:\w+\s+){0,2}?[a-z]+-(?:associated|related|"
           r"induced|driven|mediated)\b", "clinical"),
    _shape("prognosis.start_to", P,
           "An outcome that will start ('should start improving in a week').",
           r"\b(?:should|will|'ll|ought to|is going to|are going to|may|might|could)\s+"
           r"(?:\w+\s+)?(?:start|begin)\s+(?:to\s+)?(?:improv\w*|heal\w*|clos\w*|settl\w*|"
           r"get(?:ting)? better|dry(?:ing)? up|shrink\w*|fad\w*|eas(?:e|ing)|recover\w*|"
           r"granulat\w*|scab\w*)\b", "any"),
    _shape("triage.routine_ok", T,
           "Someone can stay on or wait for the routine schedule ('can stay on the routine "
           "list for now').",
           r"\b(?:can|could|may|is fine to|is ok to|is okay to)\s+(?:stay|remain|wait|be kept|"
           r"be left|carry on|continue|go)\s+(?:on|for|until|till|with)\s+(?:the\s+|his\s+|"
           r"her\s+|their\s+)?(?:routine|usual|normal|planned|next|regular|standard)\b",
           "any"),
    _shape("recommendation.plan_noun", R,
           "Names the next step or plan as a thing ('The next step is a Doppler "
           "assessment', 'The priority now is getting the swelling down').",
           r"^(?:so\s+|then\s+)?(?:the\s+|our\s+|my\s+)?(?:next step|plan|way forward|"
           r"priority|first step|next thing|focus|aim|goal|main thing|key thing|first thing)"
           r"\s+(?:now\s+|here\s+|for \w+\s+)?(?:is|would be|will be|should be|has to be)\b",
           "care"),
    _shape("recommendation.broken_state_verb", R,
           "Broken English: a thing, its state, a bare verb ('dressing wet change again').",
           r"^(?:the\s+)?[a-z]+\s+(?:wet|dirty|soaked|soggy|loose|off|leaking|leaky|full|"
           r"smelly|dry|tight|red|sore|hot|swollen|bleeding)\s+(?:change|replace|redo|clean|"
           r"wash|put|take|apply|use|remove|loosen|tighten|elevate|raise|rest|cover|see|call|"
           r"go)\b", "clinical"),
    _shape("diagnosis.explanation_frame", D,
           "An explanation frame ('What's going on is ...', 'The problem here is ...', "
           "'This is exactly what happens when ...', 'The colour tells me ...').",
           r"^(?:so\s+|well\s+)?what(?:'s| is| was) (?:going on|happening|wrong|the problem|"
           r"the issue)\b|^the (?:problem|issue|trouble) (?:here |with \w+ )?is\b|"
           r"\b(?:this|that|it)(?:'s| is) (?:exactly |just |typically |classically |simply )?"
           r"what (?:happens|you get|you see|we see) (?:when|if|with)\b|"
           r"\b(?:tells?|told|shows?|says?) (?:me|us)\s+(?:that\s+)?(?:the|it|this|there|she|"
           r"he|they)\b|\bmakes? me (?:think|suspect|wonder)\b",
           "clinical"),
    _shape("recommendation.advice_label", R,
           "A label that announces advice or a plan, then care ('Tip: ...', 'Plan: "
           "four-layer compression', 'Reminder: the stockings go on ...').",
           r"^(?:top\s+)?(?:tips?|advice|recommendations?|suggestions?|plan|care plan|"
           r"management|treatment|reminder|instructions?|to do|todo|action|actions|next steps?|"
           r"nb|important)\s*(?::| ,)", "open"),
    _shape("prognosis.looking_at", P,
           "A time the healing will take, as 'looking at' ('We're probably looking at three "
           "months minimum').",
           r"\b(?:looking at|in for|talking|talking about)\s+(?:\w+\s+){0,3}?(?:days|weeks|"
           r"months|years|a long haul|the long haul|a long time|ages)\b", "open"),
    _shape("triage.inform_by", T,
           "Someone must be told by a time ('The team ought to know about this before "
           "tomorrow').",
           r"\b(?:should|ought to|must|needs? to|has to|have to)\s+(?:\w+\s+)?(?:know|be told|"
           r"hear|be informed|be made aware|be aware|be notified|be called|be phoned|"
           r"be contacted|be alerted)\b.{0,30}\b(?:today|tonight|now|before|by|within|this|"
           r"asap)\b", "open"),
    _shape("recommendation.preference", R,
           "A speaker's preference or a product's fitness ('would not be my preference', "
           "'isn't the right product here').",
           r"\bmy (?:preference|first choice|choice|go-to|pick|instinct)\b|\bi(?:'d| would) "
           r"(?:prefer|rather)\b|\b(?:is|isn't|is not|are|aren't|are not|'s|was|wasn't|"
           r"seems?|looks?)\s+(?:not\s+)?(?:the\s+|a\s+)?(?:right|wrong|best|ideal|correct|"
           r"appropriate|suitable|proper|better)\s+(?:\w+\s+)?(?:product|dressing|choice|"
           r"option|thing|treatment|cream|approach|fit|size|tape|bandage)\b",
           "open", questions=True),
    _shape("diagnosis.usually_means", D,
           "A hedged reading of a finding ('which usually means pressure is still getting "
           "through').",
           r"\b(?:usually|often|normally|typically|generally|probably|likely|almost always)\s+"
           r"(?:means?|indicates?|signals?|points to|suggests?|reflects?)\b", "clinical"),
    _shape("prognosis.size_to_come", P,
           "A size the wound will reach ('should be a fraction of the size').",
           r"\b(?:should|will|'ll|ought to|is going to|may|might)\s+be\s+(?:about\s+|only\s+)?"
           r"(?:a fraction|half|a third|a quarter|twice|double|the size)\b", "open"),
    _shape("prognosis.usual_duration", P,
           "How long such wounds usually take ('These usually take around six weeks').",
           r"\b(?:usually|normally|typically|generally|often|tend to|tends to)\s+(?:take|last|"
           r"need|heal in|close in|settle in)\s+(?:\w+\s+){0,2}?(?:days|weeks|months|years|"
           r"a while|a long time)\b", "open"),
    _shape("triage.managed_where", T,
           "Where it can be managed ('This can be managed at home for now').",
           r"\b(?:can|could|may|should|must|needs? to) be (?:managed|treated|looked after|"
           r"cared for|handled|dealt with|seen|nursed|monitored)\s+(?:safely\s+)?(?:at home|"
           r"in the community|in primary care|in hospital|by (?:the\s+)?(?:gp|district nurses?|"
           r"practice nurse|team|specialists?))\b", "any"),
    _shape("recommendation.try_not", R,
           "'Try not to knock it': an addressed prohibition with any verb.",
           r"^(?:please\s+|and\s+|just\s+)?try not to\s+[a-z]+", "open"),
    _shape("diagnosis.depth", D,
           "Says how deep a wound goes or what it involves ('tracked down to the tendon', "
           "'the bone is involved').",
           r"\b(?:bone|bones|tendon|tendons|joint|joints|muscle|fascia|capsule)\s+(?:is|are|"
           r"looks?|seems?|may be|might be|could be|must be)\s+(?:\w+\s+)?(?:involved|exposed|"
           r"affected|infected|showing)\b|\b(?:tracked|tracking|tunnell?ed|tunnell?ing|"
           r"burrowed|burrowing|gone|goes|extends|extending|probes|probing)\s+(?:\w+\s+)?"
           r"(?:to|into|through to|onto)\s+(?:the\s+)?(?:bone|tendon|joint|muscle|fascia)\b",
           "any"),
    # --- prognosis ----------------------------------------------------------------------
    _shape("prognosis.distance", P,
           "How far an outcome is ('months away from closing').",
           r"\b(?:days|weeks|months|years|a long way|some way|miles|ages)\s+(?:away\s+)?"
           r"(?:from|off)\s+(?:\w+\s+)?(?:heal\w*|clos\w*|recover\w*|being healed|being "
           r"closed|better)\b", "any"),
    _shape("prognosis.odds_any", P,
           "The risk or chance of any recurrence or outcome ('at high risk of this coming "
           "back').",
           r"\b(?:risk|chance|chances|odds|likelihood)\b(?:\s+\w+){0,4}?\s+(?:coming back|"
           r"comes back|recurring|breaking down|opening up|getting worse|getting infected|"
           r"taking|healing|closing)\b", "open"),
    _shape("prognosis.chance_it_will", P,
           "The chance that the wound will do something ('a fair chance it'll reopen').",
           r"\b(?:chance|chances|odds|risk|likelihood|possibility)\b(?:\s+\w+){0,3}?\s+"
           r"(?:it|this|that|the wound|the ulcer|the skin|she|he|they)(?:'ll| will| would| might|"
           r" may| could)\b", "open"),
    _shape("prognosis.unnoticed", P,
           "'You'll hardly notice it', 'she won't even know it was there'.",
           r"\b(?:you|she|he|they|we|it|nobody|no one)(?:'ll| will| won't| will not)\s+"
           r"(?:hardly|barely|even|not even|never|ever)?\s*(?:notice|see|know|tell)\b",
           "any"),
    _shape("prognosis.future_perfect", P,
           "A completed future ('the stitches will have dissolved').",
           r"\b(?:will|'ll|should|ought to|must)\s+have\s+(?:[a-z]+ed|healed|closed|gone|"
           r"fallen off|come out|shrunk|dropped off|settled|disappeared)\b", "clinical"),
    _shape("prognosis.ought_state", P,
           "A state the wound ought to reach ('by spring it ought to be closed').",
           r"\b(?:ought to|should|must)\s+(?:\w+\s+)?(?:be|look|feel)\s+(?:\w+\s+)?(?:closed|"
           r"healed|gone|better|smaller|dry|settled|fine|flat|resolved|clear)\b(?!\s+before\b)",
           "any"),
    _shape("prognosis.sign_of", P,
           "Reads a finding as a sign of how it goes ('a sign it's knitting together').",
           r"\b(?:is|are|it's|that's|this is)\s+(?:a|an|the)\s+(?:\w+\s+)?signs?\s+(?:that\s+)?"
           r"(?:it|it's|the|this|she|he|things|healing|infection|the wound)\b", "clinical"),
    # --- reassurance --------------------------------------------------------------------
    _shape("prognosis.nothing_to_fear", P,
           "'Nothing to fret about', 'nothing to lose sleep over'.",
           r"\bnothing (?:to|you need to|we need to)\s+(?:[a-z]+\s+){1,2}?(?:about|over)\b",
           "open"),
    # --- triage -------------------------------------------------------------------------
    _shape("triage.escalate", T,
           "Escalates or brings someone back ('escalate to ...', 'needs escalating', 'bring "
           "him back in two days', 'flag this to the surgeons').",
           r"^(?:please\s+|just\s+|so\s+)?(?:escalate|flag|fast-?track|expedite|bring\s+"
           r"(?:him|her|them|the patient)\s+(?:back|in))\b|\b(?:needs?|requires?|warrants?)\s+"
           r"(?:escalating|escalation|fast-?tracking|expediting|flagging)\b|\b(?:should|must|"
           r"needs? to|ought to) be (?:escalated|expedited|fast-?tracked|flagged|brought back|"
           r"brought in)\b", "open", questions=True),
    _shape("triage.eyes_on", T,
           "Someone must look at it by a time ('lay eyes on this before the end of the "
           "day').",
           r"\b(?:lay eyes on|eyes on|a look at|look at|cast an eye over|eyeball)\b.{0,40}"
           r"\b(?:before|by) (?:the )?end of (?:the )?(?:day|shift|week)\b|"
           r"\b(?:should|must|needs? to|has to)\s+(?:\w+\s+)?(?:lay eyes on|look at|see)\b.{0,30}"
           r"\b(?:today|tonight|before|by|within|this)\b", "open"),
    _shape("triage.safe_to", T,
           "Says waiting or staying is safe or risky ('safe to keep him at home', 'waiting "
           "until Monday is too risky').",
           r"\b(?:safe|fine|ok|okay|reasonable|alright|all right|acceptable)\s+to\s+(?:keep|"
           r"leave|manage|stay|send|discharge|wait|carry on|go home|let|stop|continue|"
           r"hold off)\b|\b(?:waiting|holding off|leaving it|leaving him|leaving her|delaying|"
           r"putting it off)\b.{0,40}\b(?:too risky|risky|unsafe|not safe|dangerous|a mistake|"
           r"a bad idea|fine|safe|ok|okay)\b", "open"),
    _shape("triage.interval", T,
           "Changes when the next review is ('the next review can be pushed back').",
           r"\b(?:review|reviews|check|checks|follow-?up|visit|visits)\b.{0,25}\b(?:can|could|"
           r"should|must|may|might) be (?:pushed back|brought forward|spaced out|stretched out|"
           r"stretched|extended|stepped down|stepped up)\b", "any"),
    _shape("triage.go_place", T,
           "Broken English: someone goes to a place of care ('she go clinic tomorrow').",
           r"\b(?:go|come)\s+(?:back\s+)?(?:hospital|clinic|gp|doctor|a&e|a & e|surgery|"
           r"emergency)\b", "any"),
    # --- permission, hedges, negation ---------------------------------------------------
    _shape("recommendation.permission", R,
           "Permission to do something clinical ('ok to stop antibiotics now', 'fine to "
           "shower').",
           r"^(?:it's\s+|it is\s+|it'd be\s+|that's\s+)?(?:ok|okay|fine|alright|all right|safe|"
           r"good|allowed)\s+(?:for\s+(?:him|her|them|you|the patient)\s+)?to\s+"
           r"(?!enter|record|upload|sign|skip|answer|continue|save|take (?:a|the) (?:photo|"
           r"picture))[a-z-]+", "clinical"),
    _shape("recommendation.inclined", R,
           "A speaker's inclination ('I'd err on the side of ...', 'I'd be inclined to ...').",
           r"\b(?:i'd|i would|we'd|we would|i'm|i am|we're|we are)\s+(?:\w+\s+)?(?:err|"
           r"inclined|tempted|minded|leaning)\b", "open", questions=True),
    _shape("recommendation.nothing_needs", R,
           "'Nothing needs to go on it.'",
           r"^nothing\s+(?:else\s+|more\s+)?(?:needs|has|should|ought|must)\s+(?:to\s+)?"
           r"(?:go|be|come)\b", "open"),
    # --- question-shaped advice ---------------------------------------------------------
    _shape("recommendation.why_still", R,
           "Questions a current treatment ('Why are we still using iodine?').",
           r"^why (?:are|is|do|does|have|has) (?:we|you|they|she|he|the patient|the team)\s+"
           r"(?:still|not|never)\b|^(?:is there\s+)?(?:a|any) (?:good\s+)?reason (?:why\s+)?"
           r"(?:we|you|they|she|he|the patient|it|this)\s+(?:isn't|aren't|hasn't|haven't|"
           r"doesn't|don't|can't|couldn't|shouldn't|wasn't|is not|are not|has not|does not)\b",
           "clinical", questions=True),
    _shape("recommendation.any_chance", R,
           "'Any chance we can get him on the podiatry list?'",
           r"^(?:is there\s+)?any chance (?:we|you|i|they|someone|anyone) (?:can|could|might)\b",
           "clinical", questions=True),
    _shape("recommendation.step_question", R,
           "A question proposing to step treatment up or down ('Could she go up to "
           "four-layer?').",
           r"^(?:could|can|should|shall|would|might) (?:we|you|she|he|they|the patient|it) "
           r"(?:not\s+)?(?:go|step|move|come|switch|swap|change) (?:up|down|over|off|back|"
           r"across|on|to)\b", "clinical", questions=True),
    _shape("recommendation.hedged_photo_plan", R,
           "A hedged plan to photograph again in order to follow a finding ('Perhaps "
           "photograph it again tomorrow to check whether the swelling has gone down'): "
           "monitoring advice, not a photo instruction.",
           r"\b(?:maybe|perhaps|possibly|might|may|could|worth|wise|sensible|a good idea)\b"
           r".{0,40}\b(?:photo\w*|re-?photograph\w*|pictures?|images?|snaps?)\b.{0,50}"
           r"\b(?:to|so (?:we|you|i|they|the team) can) (?:check|watch|monitor|compare|track|"
           r"follow|keep an eye on|judge|see (?:if|whether|how))\b", "clinical", questions=True),
    # --- broken English ------------------------------------------------------------------
    _shape("recommendation.broken_device", R,
           "Broken English about a device and a time ('sutures out day 10', 'dressing stay "
           "3 days').",
           rf"^(?:the\s+)?(?:{_DEVICE})\s+(?:out|off|in|on|stay|stays|keep|remain|change|"
           rf"removal|remove|come out|come off)\s+(?:for\s+|on\s+|at\s+|after\s+|in\s+|until\s+)?"
           rf"{_WHEN}\b", "any"),
    _shape("recommendation.body_up", R,
           "'Put the leg up / high' anywhere in the sentence.",
           r"\b(?:put|keep|have|get|lift)\s+(?:the\s+|your\s+|his\s+|her\s+)?(?:leg|legs|foot|"
           r"feet|heel|heels|arm|arms)\s+(?:up|high|higher|raised|elevated)\b", "any"),
    # --- clinical-note shorthand (round 17; the shorthand is expanded by normalise) -------
    _shape("diagnosis.note_label", D,
           "A note label that announces a reading of the wound, then a wound type or "
           "condition ('Impression: venous leg ulcer', 'Assessment - wound now colonised', "
           "'Podiatry opinion: neuropathic ulcer').",
           r"^(?:clinical\s+|working\s+|provisional\s+|initial\s+|[a-z]+\s+)?(?:impression|"
           r"diagnosis|differential|assessment|opinion|conclusion|summary of findings|"
           r"on examination|likely|probable|possible)\s*(?::| ,)\s*.*?" + _TYPE, "any"),
    _shape("triage.note_review", T,
           "A review booked as an interval in a note ('r/v 1/52', 'for TVN r/v', 'review in "
           "2 weeks, sooner if ...').",
           r"^(?!.*\b(?:booked|arranged|scheduled|made|confirmed|cancelled|date|on the rota)\b)"
           r"(?:^|.*,\s+)(?:for\s+)?(?:(?:[a-z-]+\s+){0,3})?review\b(?:\s+(?:in\s+)?(?:\d+|one|"
           r"two|three)\s+(?:days?|weeks?|months?)|\s*$|.*\bsooner if\b)", "open"),
    _shape("recommendation.continue_regime", R,
           "Continue the current care ('Continue current regime', 'Cont same dressing').",
           r"^(?:please\s+)?(?:continue|carry on|keep going|stay)\s+(?:with\s+)?(?:the\s+)?"
           r"(?:current|same|present|existing|usual|agreed|prescribed)\s+(?:regime|regimen|"
           r"treatment|plan|management|dressings?|care|routine|bandag\w*|compression)\b", "any"),
    _shape("recommendation.care_interval", R,
           "A care act with an interval of hours ('2hrly turns to continue', 'Repositioning "
           "2-4 hourly overnight').",
           r"\b(?:turns?|turning|repositioning|reposition|position changes?|pressure area care|"
           r"skin checks?|pad changes?|checks|obs|observations|fluids|drinks|sips)\b.*\bevery "
           r"[\d-]+ hours\b|\bevery [\d-]+ hours (?:turns?|turning|repositioning|position "
           r"changes?|pressure area care|skin checks?|pad changes?)\b", "any"),
    _shape("recommendation.note_regime", R,
           "A care act named as a noun with the situation it is for ('Leg elevation when "
           "seated', 'Offloading at all times', 'Heel protectors in bed').",
           r"^(?:[a-z-]+\s+)?(?:elevation|offloading|off-loading|repositioning|compression|"
           r"bed rest|protectors?|heel protectors?|pressure relief|skin care|barrier cream|"
           r"emollients?|hosiery|stockings)\s+(?:when|while|whilst|at all times|at night|"
           r"overnight|in bed|during the day|during the night|when seated|if|unless|until)\b",
           "any"),
    _shape("recommendation.request_to_staff", R,
           "A request to carers or staff to do care ('Please can the night staff reposition "
           "Mr Testcase every two hours').",
           r"^(?:please\s+)?(?:can|could|would|will)\s+(?:the\s+)?(?:[a-z-]+\s+)?(?:staff|"
           r"carers?|team|family|nurses?)\s+(?:please\s+)?(?!ring|phone|call|sign|send|let|"
           r"confirm|book|bring|email|text|come|visit|arrive|check in|update)[a-z-]+\b",
           "care", questions=True),
    _shape("recommendation.note_consequence", R,
           "A finding and the care it rules in or out, note style ('ABPI 0.6 so no full "
           "compression', 'arterial -> for vascular').",
           r"(?:\b(?:so|therefore|hence|thus)|\u2192)\s+(?:(?:no|not for|avoid|needs?|for|"
           r"requires?|start|stop|go)\s+(?:[a-z-]+\s+){0,2}?(?:" + _DEVICE + r"|[a-z-]+ing)|"
           r"(?:for|needs?|requires?)\s+(?:an?\s+|the\s+|urgent\s+)?(?:" + lx.SERVICES + r"|"
           + lx.CLINICIANS + r"))\b",
           "clinical"),
    _shape("recommendation.only", R,
           "A treatment restricted in a note ('Reduced compression only', 'Light bandaging "
           "only').",
           r"(?:^|[:;,]\s*)(?:[a-z-]+\s+){0,2}(?:" + _DEVICE + r"|bandaging|offloading|"
           r"dressings?|treatment|therapy|antibiotics?)\s+only\s*(?:[.!,;]|$)", "any"),
    _shape("treatment.conditional_order", TR,
           "A condition run into an order with no comma ('if it bleeds again press on it "
           "hard').",
           r"^(?:if|when|once|whenever)\s+(?:it|the\s+[a-z-]+|she|he|they|you|her\s+[a-z-]+|"
           r"his\s+[a-z-]+)\s+(?:[a-z'-]+\s+){1,3}?(?:" + "|".join(sorted(lx.ACTION_BASE))
           + r")\s+(?:it|them|the|a|an|some|on|off|her|him|up|down|straight|immediately|"
           r"right away)\b", "clinical"),
    _shape("recommendation.not_to", R,
           "Someone is not to do something ('Carers not to use talc on the groin').",
           r"^(?:the\s+)?(?:carers?|staff|family|residents?|patients?|client|she|he|they|mum|"
           r"dad|wife|husband|daughter|son|nan|grandad|[a-z]+)\s+(?:is\s+|are\s+)?not to\s+"
           r"(?!be\s+(?:disturbed|contacted|called|phoned))[a-z]+", "care"),
    # --- round 18: advice in note style and in other voices -----------------------------
    _shape("recommendation.means_care", R,
           "A finding said to mean a treatment or its absence ('ABPI of 0.5 means no "
           "compression', 'that means antibiotics').",
           r"\b(?:means?|meant)\s+(?:(?:no|more|less|an?|the|some|urgent|full|reduced|light|"
           r"stopping|starting|we|you|she|he|they)\s+)*(?:(?:" + lx.TREATMENT_NOUNS
           + r"|" + _DEVICE + r")\b|no\s+[a-z]+ing\b)", "clinical"),
    _shape("diagnosis.means_reading", D,
           "A finding read as meaning something about the body ('that dusky colour that "
           "means the blood isn't getting through', 'which means it's infected').",
           r"\b(?:that|which|this|it|what)\s+(?:usually\s+|often\s+|probably\s+|normally\s+)?"
           r"means?\s+(?:that\s+)?(?:[a-z']+\s+){0,4}?(?:blood|circulation|infection|infected|"
           r"bone|nerves?|oxygen|flow|supply|bacteria|dying|dead|necrotic|not healing|getting "
           r"through|" + lx.CONDITIONS + r")\b", "clinical"),
    _shape("diagnosis.judging_by", D,
           "A reading introduced by what it is judged from ('Judging by the smell there's "
           "anaerobes in there', 'By the look of it ...').",
           r"^(?:so\s+|well\s+)?(?:(?:judging (?:by|from)|going (?:by|on))\s+(?:the\s+|that\s+|"
           r"this\s+|her\s+|his\s+|your\s+|its\s+)?(?:look|looks|smell|sound|feel|colour|"
           r"color|photos?|pictures?|description|symptoms|appearance|swelling|redness|"
           r"discharge|exudate|odou?r|state)|from the (?:look|smell|sound|feel|colour|color) of "
           r"(?:it|things|that|this)|by the (?:look|smell|sound|colour|color) of (?:it|things|"
           r"that|this))\b", "clinical"),
    _shape("prognosis.subjectless_state", P,
           "A forecast of a state with the subject dropped or any subject ('Should be right "
           "as rain in a fortnight', 'Will be healed by Christmas').",
           r"^(?:so\s+|oh\s+|honestly\s+)?(?:should|will|ought to|is going to|may well|might)"
           r"\s+(?:\w+\s+)?be\s+(?:\w+\s+){0,2}?" + _SETTLED_STATE, "open"),
    _shape("prognosis.state_to_come", P,
           "The same forecast with a subject, in a sentence about something clinical ('She'll "
           "be right as rain once the swelling's down').",
           r"^(?:so\s+|oh\s+|honestly\s+)?(?:it|this|that|she|he|they|you|the\s+[a-z-]+)\s*"
           r"(?:should|will|'ll|ought to|is going to|may well|might)\s+(?:\w+\s+)?be\s+"
           r"(?:\w+\s+){0,2}?" + _SETTLED_STATE, "clinical"),
    _shape("recommendation.relay", R,
           "An instruction passed on through someone ('Tell him no more soaking it in the "
           "bath', 'Remind her to keep the leg up').",
           r"^(?:please\s+|and\s+|just\s+|so\s+)?(?:tell|remind|warn|advise|ask|get|make)\s+"
           r"(?:him|her|them|the patient|the resident|the client|(?:your |her |his )?(?:mum|"
           r"dad|wife|husband|son|daughter|nan|gran|grandad)|the carers?|the family|the staff)"
           r"\s+(?:not\s+to|to|no|never|that (?:he|she|they) (?:should|must|needs?|has to|"
           r"can't|mustn't|shouldn't))\b|"
           # a relay in a later clause ("..., and if not, tell him to", round 19)
           r"\b(?:if not|otherwise|then|and|or)\s*,?\s+(?:please\s+)?(?:tell|remind|get|ask)"
           r"\s+(?:him|her|them|the patient|the resident|the client)\s+(?:not\s+)?to\b",
           "care"),
    _shape("recommendation.counterfactual", R,
           "Advice as what the speaker would do in the reader's place ('Were it my leg I'd "
           "...', 'If I were you ...', 'In your shoes ...').",
           r"^(?:honestly\s+|personally\s+)?were (?:it|this|that|i) (?:my|mine|me|you|up to "
           r"me)\b|\bif i (?:were|was) (?:you|her|him|them|in your)\b|\bin (?:your|her|his|"
           r"their) shoes\b|\bif (?:it|this|that|she|he) (?:were|was) (?:mine|my \w+)\b",
           "care", questions=True),
    _shape("dosing.limit", TR,
           "A limit on a treatment's amount ('max 20 mmHg', 'no more than 3 tablets a day').",
           r"\b(?:max|maximum|no more than|not more than|not to exceed)\s+(?:of\s+)?"
           r"\d+(?:[.,]\d+)?(?:\s*[-–]\s*\d+(?:[.,]\d+)?)?\s*(?:mmhg|mg|g|ml|mcg|tablets?|tabs|capsules?|puffs?|doses?|"
           r"hours?|hrs?|times|units?)\b", "clinical"),
    _shape("treatment.product_to_site", TR,
           "A note-style order: a product or medicine, an amount, and where it goes ('Topical "
           "lidocaine 5% to the wound bed', 'Barrier cream to sacrum each pad change').",
           r"^(?:[a-z-]+\s+){0,2}?(?:" + lx.MEDICATION_TERMS + r"|" + _DEVICE
           + r"|barrier|gel|paste|honey|silver|iodine|alginate|hydrogel|hydrocolloid|"
           r"emollient|zinc)\s+(?:[\d.,]+\s*(?:%|mg|g|ml|mcg)\s+)?(?:to|on|onto|into|over|"
           r"around|under|between)\s+(?:the\s+|both\s+|her\s+|his\s+|all\s+|each\s+)?"
           r"(?:[a-z-]+\s+){0,2}?(?:wounds?|ulcers?|sores?|bed|edges?|margins?|skin|periwound|"
           r"sacrum|heels?|legs?|feet|foot|toes?|shins?|calf|calves|ankles?|buttocks?|groin|"
           r"area|areas|sites?|cavity|hips?|elbows?|knees?|back|bottom|creases|folds)\b"
           r"(?!.*\b(?:applied|done|given|in situ|in place|was|were|has been|had been|noted|"
           r"seen|remains?|intact)\b)", "clinical"),
    _shape("recommendation.lifelong", R,
           "A treatment for life or after healing ('Compression hosiery class 2 lifelong "
           "once healed', 'stockings long-term').",
           r"^(?!.*\b(?:has|had|was|were|been|since|previously|already)\b)"
           r"(?=.*\b(?:" + lx.TREATMENT_NOUNS + r"|" + _DEVICE + r"|hosiery|offloading|"
           r"elevation)\b).*\b(?:lifelong|life-long|for life|long[- ]term|indefinitely|"
           r"permanently|once healed|when healed|after healing|once it heals|once closed)\b",
           "clinical"),
    _shape("recommendation.schedule", R,
           "A care schedule in a note: a treatment, device or review and how often, with no "
           "word that records it as done or describes an existing arrangement ('Leg ulcer "
           "clinic weekly for 4LB', 'weekly clinic review and offloading boot').",
           r"^(?!.*\b(?:was|were|has|have|had|been|since|previously|done|completed|seen|last|"
           r"ago|reported|states?|says|said|attends?|attending|attended|goes|comes|visits|"
           r"include|includes|including|takes|taking|is on|are on|delivered|supplied|"
           r"ordered|collected|dispensed|"
           r"sees|gets|receives|changed|applied|dressed|reviewed|visited|currently|usually|"
           r"normally|already|as before|as per)\b)"
           r"(?!.*\b(?:nurses?|dns?|team|carers?|staff|podiatr\w+|she|he|they|patient|pt)\s+"
           r"(?:visit|visits|attend|attends|come|comes|go|goes|see|sees|do|does)\b)"
           r"(?=.*\b(?:" + lx.TREATMENT_NOUNS + r"|" + _DEVICE + r"|clinic|review|"
           r"four-layer bandage|two-layer bandage|redress\w*|bandaging|boots?)\b)"
           r".*\b(?:daily|weekly|fortnightly|twice (?:daily|weekly|a (?:day|week))|"
           r"(?:once|twice|three times|\d+ times) (?:a|per) (?:day|week)|alternate days|"
           r"every (?:other|second|third) day|every \d+ (?:days|weeks)|mon/wed/fri|"
           r"monday, wednesday and friday)\b", "clinical"),
    _shape("recommendation.someone_to", R,
           "A note's plan for who does what ('GP to optimise diabetes control', 'Pt to "
           "elevate legs', 'Carers to apply barrier cream'); being told, contacted or "
           "sending the post are not care.",
           r"(?:^|[,;:]\s*)(?:the\s+|her\s+|his\s+|their\s+)?(?:gp|doctor|dr|dns?|"
           r"district nurses?|"
           r"nurses?|practice nurse|podiatry|podiatrist|tvn|tissue viability(?: nurse)?|"
           r"vascular(?: team)?|dermatology|carers?|care staff|staff|family|patient|resident|"
           r"wife|husband|daughter|son|dietitian|physio|team|ot|pharmacist)\s+to\s+"
           r"(?!be\s+(?:informed|told|updated|contacted|made aware|notified|copied|invited))"
           # an appointment already set ("Patient to be seen by vascular on 12/12")
           r"(?!be\s+(?:seen|reviewed|visited|assessed)\b.*\b(?:on|at)\s+(?:\d|mon|tue|wed|"
           r"thu|fri|sat|sun))"
           r"(?!(?:ring|phone|call|email|e-mail|contact|send|post|bring|collect|book|rebook|"
           r"confirm|let|inform|update|sign|attend|visit|come|return|arrive|chase|fax|"
           r"upload|forward|text)\b)[a-z]+", "care"),
    _shape("recommendation.fit_for", R,
           "A finding read as clearing or ruling out a treatment ('ABPI 0.9 bilat - OK for "
           "full compression', 'not suitable for debridement').",
           r"\b(?:ok|okay|fine|safe|suitable|fit|cleared|good to go|unsuitable|unfit|"
           r"contraindicated)\s+(?:for|to (?:have|start|use|go ahead with|proceed with))\s+"
           r"(?:\w+\s+){0,2}?(?:" + lx.TREATMENT_NOUNS + r"|" + _DEVICE + r"|hosiery|"
           r"four-layer bandage|two-layer bandage)\b", "clinical"),
    _shape("recommendation.worth_trialling", R,
           "'Worth trialling PHMB soaks', 'a trial of silver'.",
           r"\b(?:worth|consider|suggest|recommend)\s+(?:a\s+)?(?:trialling|trialing|trial of|"
           r"trying out)\b", "open", questions=True),
)


# --- passive plans ------------------------------------------------------------------------
_PLAN = re.compile(
    r"(?:\b(?:is|are)|'s|'re)\s+(?:not\s+|also\s+|then\s+)?to\s+(?:be\s+)?(?P<a>[a-z-]+)|"
    # note style drops the verb: "Dressing to be changed alt days", "Sutures to come out"
    r"^(?:the\s+)?(?!is\b|are\b)[a-z-]+(?:\s+(?!is\b|are\b)[a-z-]+)?\s+(?:not\s+)?to\s+"
    r"(?:be\s+(?P<h>[a-z-]+)|"
    r"(?P<i>stay|remain|come|go|continue))\b|"
    r"\b(?:is|are)\s+(?:now\s+)?due\s+(?:to\s+(?!the\b|an?\b|her\b|his\b|their\b|my\b|"
    r"our\b|your\b|them\b|him\b|me\b|us\b)(?:be\s+)?(?P<b>[a-z-]+)|for\s+(?:a\s+|an\s+|"
    r"the\s+)?(?P<c>removal|change|changing|renewal|replacement|removing|taking out|"
    r"a change|redressing|review))\b|"
    r"\b(?:is|are)\s+(?:meant|supposed|required|expected)\s+to\s+(?:be\s+)?(?P<d>[a-z-]+)|"
    r"\b(?:will|'ll|would)\s+(?:also\s+|still\s+|then\s+)?need\s+(?:to\s+(?:be\s+)?)?"
    r"(?P<e>[a-z-]+)|"
    r"\b(?:needs?|has|have|has got|have got)\s+to\s+(?P<f>stay|remain|run|go|come|keep)\b|"
    r"\b(?:must|should|ought to)\s+(?:not\s+|never\s+|always\s+)?(?P<g>stay|remain|come|go|"
    r"run|keep)\b"
)
_PLAN_NEUTRAL_VERBS = lx.NEUTRAL_ACTIONS | _wordset(
    "attend arrive visit call phone ring expire open receive bring collect "
    "booked sent saved posted emailed printed exported reviewed signed filed uploaded shared "
    "completed finished answered discussed arranged scheduled rescheduled cancelled "
    "confirmed ready available done back delivered collected ordered dispensed supplied "
    "picked posted returned restocked"
)
_PLAN_ADMIN = re.compile(
    words(lx.PHOTO_TERMS + "|" + lx.DATA_TERMS + r"|appointments?|visits?|transport|letters?|"
          r"results?|reports?|files?|exports?|uploads?|session|invoices?|meetings?|(?<!on-)calls?|"
          r"documents?|summary|summaries|paperwork|taxi|ambulance booking|parking|"
          r"deliver(?:y|ies)|pharmacy|chemist|shop|parcel|post|app|login|password|it support|"
          r"computer|printer|folder|diary|bag|drawer|cupboard|fridge|packs?|supplies|stock|"
          r"audits?|rota|training|study day|competenc(?:y|ies)|formulary|caseload|"
          r"waiting list")
)
_CLINICIAN_SUBJECT = re.compile(
    words(lx.CLINICIANS + r"|nurses?|district nurse|team|clinician|podiatrist|consultant|"
          r"surgeon|dietitian|physio|carers?|staff")
)


_NOTE_SUBJECT = re.compile(
    r"^(?:the\s+)?(?:[a-z-]+\s+)?" + words(_DEVICE + "|" + lx.CLINICAL_OBJECTS + "|"
                                         + lx.EXTRA_CLINICAL) + r"\s+(?:not\s+)?to\b"
)
_MOVE_VERBS = frozenset({"come", "go", "arrive", "attend", "stay", "return"})
_PERSON_SUBJECT = re.compile(words(lx.PERSONS + r"|mr|mrs|ms|miss|mum|dad|wife|husband"))
_CARE_VERBS = lx.STRONG_ACTIONS | lx.WEAK_ACTIONS


def passive_plan(view: SentenceView) -> bool:
    """A plan for a thing, with any verb ("The drain is to stay in", "The clips are due to
    come out on Tuesday", "The catheter will need changing"), unless the subject is a
    clinician (their own schedule), the thing is administrative (an appointment, a letter,
    the form) or the verb is a scheduling or data verb."""
    if view.is_question or view.has(_PLAN_ADMIN):
        return False
    for match in _PLAN.finditer(view.text):
        verb = next(g for g in match.groups() if g is not None)
        if verb in _PLAN_NEUTRAL_VERBS:
            continue
        subject = view.text[: match.start()]
        if (match.group("h") or match.group("i")) and not _NOTE_SUBJECT.search(match.group(0)):
            continue  # note style needs a clinical subject: not "Log in to continue"
        if _CLINICIAN_SUBJECT.search(subject):
            continue
        if verb in _MOVE_VERBS and _PERSON_SUBJECT.search(subject):
            continue  # "The patient is due to come in on Friday": a schedule
        onto_body = view.text.startswith((" on", " off", " under", " over"), match.end())
        if clinical(view) or view.has(_CLINICAL_ANY) or verb in _CARE_VERBS or onto_body:
            return True  # "The inner layer is supposed to go on first"
    return False


# --- open-verb imperatives ----------------------------------------------------------------
# Words that open a sentence and are not verbs: function words, time and place words,
# greetings, titles. A bare word outside this list that is followed by an object is read as
# an imperative verb ("Smear some ...", "Lubricate the skin ...").
_NOT_VERBS = _wordset(
    """a an the this that these those it its it's he she they we i you me him her them us his
    their our your my mine some any all both each every no none not never also still just only
    even then now here there today tonight tomorrow yesterday since after before during while
    when whenever where wherever whether if unless until till once as because though although
    whilst despite without with within by from for to of on in at into onto upon over under
    above below behind beyond between among around across along through throughout towards
    toward near next last first second third per via plus like unlike including regarding re
    about against beside besides outside inside is are was were be been being has have had do
    does did can could will would shall should may might must ought so and or but nor yet
    thanks thank hi hello dear sorry yes okay ok well oh please kindly mr mrs ms miss dr
    patient patients mum dad wife husband son daughter carer nurse doctor gp team clinician
    wound ulcer skin leg foot heel photo photos picture record form visit appointment
    overall meanwhile however therefore also otherwise instead anyway again already
    what which who whom whose why how ask tell remind invite thank tap click scroll
    swipe open close log wait let look listen read zoom collect fetch buy order print post
    charge bring store deliver
    weight height temp temperature pulse pulses pain size area depth length width score output
    intake bloods sugar sugars glucose exudate odour odor bowels urine fluid fluids oedema
    swelling redness erythema mobility appetite sleep mood"""
)
_OPEN_IMPERATIVE = re.compile(
    r"^(?P<verb>[a-z][a-z-]{2,})(?:\s+(?:off|up|down|out|back|in|away|over|on|around|along))?"
    r"(?:\s+[a-z]+ly)?(?:\s+(?:on|onto|over|around|into|against|along|under|with|across|"
    r"behind|between|from))?"
    r"\s+(?P<rest>(?:the|a|an|some|his|her|their|your|its|this|that|these|those|it|them|him|"
    r"more|any|each|every|both|plenty of|lots of|a little|a bit of)\b.*)$"
)
_LEAD = re.compile(r"^(?:(?:please|gently|carefully|then|now|just|first|next|also|always|"
                   r"and|so|slowly|lightly)\s+)+")


def open_imperative(view: SentenceView) -> bool:
    """A clause that opens with a bare verb no list names, then an object, in a sentence about
    the body or a person, not the kit or the form: "Smear some jelly on the cracked heels",
    "Layer the dressings so the absorbent one is on top"."""
    if view.is_question:
        return False
    for index, clause in enumerate(view.clauses):
        if index and not view.text.startswith(("after ", "before ", "once ", "when ", "if ")):
            break  # later clauses only after a leading time or condition clause
        match = _OPEN_IMPERATIVE.match(_LEAD.sub("", clause))
        if match is None:
            continue
        verb, rest = match.group("verb"), match.group("rest")
        if (verb in _NOT_VERBS or verb in lx.NEUTRAL_ACTIONS
                or verb.endswith(("ed", "ing", "ly", "'s"))
                or (verb.endswith("s") and not verb.endswith("ss"))):
            continue
        if is_kit(rest) or view.has(_KIT_OR_FORM) or view.has(_PLAN_ADMIN):
            continue  # the kit, the form or logistics ("... from the pharmacy")
        if view.has(_CLINICAL_ANY) or re.match(lx.PERSON_OBJECT, rest):
            return True
    return False


Predicate = Callable[[SentenceView], bool]
# "By the next visit ...": a visit named as a time, not as the thing the sentence is about.
_VISIT_AS_TIME = re.compile(
    r"\b(?:by|at|before|after|until|till|from|for) (?:the |her |his |your |their )?(?:next |"
    r"last |following |coming )?(?:visit|appointment|review)\b"
)


def _administrative(view: SentenceView) -> bool:
    return view.has(_PLAN_ADMIN) and _PLAN_ADMIN.search(
        _VISIT_AS_TIME.sub(" ", view.text)) is not None
_CARE_PLACE = re.compile(words(lx.CLINICIANS + "|" + lx.SERVICES))


# Round 18. After a label, a statement of what has (not) been done ("Reminder: this wound has
# not been assessed in 14 days", "NB: dressing was changed yesterday") is a status line.
_STATUS_AFTER_LABEL = re.compile(
    r"^\s*(?:[a-z0-9'/-]+\s+){0,5}?(?:(?:has|have|had|was|were)\s+(?:not\s+|never\s+|now\s+|"
    r"already\s+|just\s+)?(?:been\s+)?[a-z]+(?:ed|en|wn|ne|ft)|(?:is|are)\s+(?:now\s+|still\s+)?"
    r"(?:overdue|outstanding|pending|missing|incomplete|awaiting|unsigned))\b"
)
_LABEL_INSTRUCTION = re.compile(
    r"\b(?:should|must|need|needs|please|keep|use|apply|avoid|try|to be|due|will|'ll|every|"
    r"daily|before|until|if|so|then|remember|don't|do not|never|ensure|make sure|always)\b"
)


# Round 19. An app's notice label ("Reminder:", "Alert:", "Notice:", "Task:") before a
# schedule status ("wound review for bed 4 is scheduled for 10:30", "bandage change due today",
# "swab result awaited"): the calendar speaking. The content must not open with a verb (an
# order: "Reminder: keep the dressing dry") and must carry no modal, condition or habit.
_NOTICE_LABEL = re.compile(r"^(?:reminder|alert|notice|task|notification|fyi)\s*(?::| ,)")
_SCHEDULE_STATUS = re.compile(
    r"\b(?:(?:is|are|was|were)\s+(?:now\s+)?(?:scheduled|booked|due|overdue|planned|arranged|"
    r"set|pending|outstanding|awaited|cancelled|confirmed)|scheduled for|booked for|"
    r"(?:due|overdue)(?:\s+(?:today|tomorrow|now|on|at|in|by|for|this|next|since|\d))?|"
    r"awaited|pending|outstanding|not (?:yet )?(?:done|reviewed|completed|signed|uploaded))\b"
)
_NOTICE_INSTRUCTION = re.compile(
    r"\b(?:should|must|need|needs|please|keep|use|apply|avoid|try|will|'ll|every|daily|"
    r"twice|until|if|so|remember|don't|do not|never|ensure|make sure|always|take|stop|start|"
    r"continue|go|call|ring|phone|seek)\b"
)


def _status_after_label(shape: Shape, view: SentenceView) -> bool:
    if shape.id != "recommendation.advice_label":
        return False
    match = shape.pattern.search(view.text)
    rest = view.text[match.end():] if match else ""
    if (_STATUS_AFTER_LABEL.search(rest) is not None
            and _LABEL_INSTRUCTION.search(rest) is None):
        return True
    first = rest.split()[:1]
    return (_NOTICE_LABEL.search(view.text) is not None
            and _SCHEDULE_STATUS.search(rest) is not None
            and _NOTICE_INSTRUCTION.search(rest) is None
            and not (first and first[0] in lx.ACTION_BASE))


def shape_predicate(shape: Shape) -> Predicate:
    def check(view: SentenceView) -> bool:
        if view.is_question and not shape.questions:
            return False
        if not view.has(shape.pattern) or _status_after_label(shape, view):
            return False
        if shape.guard == "clinical":
            return clinical(view) or view.has(_CLINICAL_ANY) or view.has(_CARE_PLACE)
        if shape.guard == "care":
            return ((clinical(view) or view.has(_CLINICAL_ANY) or view.has(_CARE_PLACE))
                    and not view.has(_PLAN_ADMIN))
        if shape.guard == "open":
            return not ((view.has(_KIT_OR_FORM) or _administrative(view))
                        and not view.has(_CLINICAL_ANY))
        return True

    return check
