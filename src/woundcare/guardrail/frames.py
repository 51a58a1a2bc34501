"""Speech frames that make a sentence about advice *not* advice: who says it, and to whom.

A sentence that reports what someone said or did ("The patient reports taking four units of
insulin"), documents what a clinician recorded ("Clinician recorded: venous leg ulcer"), or
asks about a past fact ("Was the patient advised to elevate the leg?") does not address the
reader with an instruction, a diagnosis or a forecast, whatever clinical words it carries.
These frames veto the rules (:func:`vetoed`); they are deliberately narrow: the frame must
open the sentence (or close it, for "(recorded)"), so advice that merely mentions a record
("Record that you applied a foam dressing, and apply one daily") is still judged.
"""

from __future__ import annotations

import re

from woundcare.guardrail import lexicon as lx
from woundcare.guardrail.analysis import SentenceView

_CONDITION_WORDS = re.compile(lx.words(lx.CONDITIONS + "|" + lx.WOUND_TYPES))
_CLINICAL_WORDS = re.compile(lx.words(lx.CLINICAL_OBJECTS))

_RELATION = (
    r"(?:patient|pt|client|resident|carer|caregiver|wife|husband|partner|son|daughter|mother|"
    r"father|mum|dad|family|relative|friend|neighbour|neighbor|sister|brother|niece|nephew|"
    r"grandson|granddaughter|landlady|landlord|home help|support worker|"
    # any person who asks or tells (round 19: "Teenager asked if ...")
    r"teenager|child|boy|girl|man|woman|lady|gentleman|visitor|student|parent|guardian|"
    r"young person|"
    # the people of a care home who report what they saw (round 18)
    r"(?:care home |nursing home |night |day |ward |care )?staff|home manager|care home|"
    # a ward or practice that asks or reports ("Ward 7 have asked for a TVN review slot")
    r"ward(?: \d+| [a-z]+ ward)?|nursing home|the home|gp surgery|surgery|practice)"
)
# A reporter may be owned by someone ("the resident's son", "Mr Testcase's daughter").
_OWNER = r"(?:(?:the |our |her |his |their |a |an )?(?:(?:mr|mrs|ms|miss|dr)\.? )?[a-z'-]+'s )"
_REPORTER = (
    rf"(?:(?:the |our |her |his |their |a )?{_OWNER}?{_RELATION}|he|she|they|"
    r"(?:mr|mrs|ms|miss|mx)\.? [a-z'-]+(?: [a-z'-]+)?)"
)
_REPORT_VERB = (
    r"(?:reports?|reported|says?|said|states?|stated|mentions?|mentioned|describes?|"
    r"described|told (?:the |us|me|the nurse|staff)?\s*|tells|complains?(?: of)?|"
    r"asked (?:if|whether|about|how|when|why|what|for)|asks (?:if|whether|about|for)|"
    # asked someone whether ... ("He asked the pharmacist whether he should ...", round 19)
    r"ask(?:ed|s) (?:(?:the|her|his|their|a|an|our|my)\s+)?(?!you\b|yourself\b)"
    r"(?:[a-z'-]+\s+){1,3}?(?:if|whether|how|when|why|what|which)\b|"
    r"wondered|wonders|wanted to know|wants to know|would like|"
    # "She wants seeing by vascular" is a dialect passive (she needs to be seen), not a wish
    r"wants(?!\s+[a-z]+ing\b)|wanted(?!\s+[a-z]+ing\b)|requested|"
    r"requests|is asking for|"
    r"complained(?: of)?|denies|denied|recalls?|recalled|explains?|explained|admits|"
    r"admitted|confirms?|confirmed|believes|thinks|feels|notes|noted|"
    # a worry reported ("The family are worried the ulcer is getting bigger", round 18)
    r"(?:is|are|was|were|seems?|seemed)\s+(?:very\s+|quite\s+|a bit\s+)?(?:worried|"
    r"concerned|anxious|unsure|upset|convinced))"
)
REPORTED = re.compile(
    rf"^(?:{_REPORTER}\s+(?:has\s+|have\s+|had\s+)?(?:also\s+|now\s+|still\s+)?"
    rf"{_REPORT_VERB}|"
    r"(?:says|states|reports|reported|denies|mentions|complains of)\b"
    r"(?!\s+(?:suggest|show|indicate|say|state|claim|recommend)\w*\b)|"
    rf"according to (?:the |her |his |their )?{_OWNER}?{_RELATION})\b"
)
# Past advice someone else gave, told as history ("Her neighbour had suggested using honey",
# "The GP prescribed compression last month"): a report, not the system advising. The
# speaker is a third party (never "I", "we" or "you") and the verb is in the past.
_THIRD_PARTY = (
    rf"(?:(?:the |our |her |his |their |a |an )?{_OWNER}?(?:{_RELATION}|gp|doctor|nurse|"
    r"district nurse|practice nurse|podiatrist|surgeon|consultant|pharmacist|physio|"
    r"dietitian|podiatry|tissue viability nurse|"
    r"team|(?:vascular|surgical|wound|diabetic foot|tissue viability) (?:team|"
    r"clinic|service|nurse)|hospital|ward|clinic|specialist)|he|she|they)"
)
PAST_ADVICE = re.compile(
    rf"^(?:(?:last|earlier|previously|in) [a-z]+,? )?{_THIRD_PARTY}\s+(?:had\s+|has\s+|"
    r"previously\s+|once\s+|also\s+|already\s+)*(?:suggested|recommended|advised|prescribed|"
    r"told|instructed|started|tried|gave|applied|ordered|arranged|referred|removed|changed|"
    r"put|fitted|used|said to|said (?:she|he|they|we) (?:should|could|must))\b"
)
# What a document says ("The GP's note says to continue the cream", "The discharge letter
# states ..."): read back from the record.
DOCUMENT_SAYS = re.compile(
    rf"^(?:the |her |his |their )?{_OWNER}?(?:[a-z]+ )?(?:note|notes|letter|summary|"
    r"referral|record|chart|care plan|plan|prescription|report)\s+(?:says|said|states|stated|"
    r"reads|read|mentions|mentioned|records|recorded|lists|listed|notes|noted|shows|showed|"
    r"indicates?|indicated|confirms?|confirmed|recommends?|recommended|advises?|advised|"
    r"suggests?|suggested)\b"
)
_RECORDER = (
    r"(?:the |a |our )?(?:clinician|clinician's|nurse|nurse's|doctor|doctor's|gp|gp's|"
    r"district nurse|podiatrist|surgeon|consultant|team|dr\.? [a-z'-]+|"
    r"(?:clinic|practice|district|specialist) nurse|"
    # every other profession that writes in the record (round 18)
    r"pharmacist|dietitian|dietician|physio(?:therapist)?|occupational therapist|"
    r"tissue viability(?: nurse| team)?|tvn|radiologist|radiographer|registrar|"
    r"(?:ward|care home|home) staff|healthcare assistant|hca|microbiologist|lab|laboratory)"
)
_RECORD_VERB = r"(?:recorded|documented|noted|entered|charted|wrote|logged|measured)"
DOCUMENTED = re.compile(
    # "Clinician recorded: ...", "The clinician documented that ...", "The nurse noted ..."
    rf"^{_RECORDER}\s+(?:has\s+|had\s+)?{_RECORD_VERB}\b|"
    # "Recorded: ...", "Recorded by the clinician: ...", "Documented: ..."
    rf"^(?:{_RECORD_VERB}|as recorded|as documented|as entered)(?:\s+by\s+{_RECORDER})?"
    r"(?:\s+(?:today|at this visit|on [^:]{1,20}))?\s*:|"
    # "Diagnosis entered by Dr X: ...", "Plan documented by the clinician: ...",
    # "Care plan as entered by the nurse: ...", "Previous diagnosis on file: ..."
    rf"^[a-z' -]{{1,40}}?\s(?:as\s+)?{_RECORD_VERB}(?:\s+by\s+{_RECORDER})?\s*:|"
    r"^[a-z' -]{1,40}?\s(?:on file|on record)\s*:|"
    # "..., (recorded)." / "... (as recorded by the nurse)."
    rf"\((?:as\s+)?{_RECORD_VERB}(?:\s+by\s+{_RECORDER})?\)\s*[.]?$|"
    # "... as per the plan", "Per the GP's letter, ...", "(recorded plan)"
    r"\b(?:as )?per (?:the )?(?:recorded |agreed |documented )?(?:plan|care plan|letter|"
    r"gp's letter|referral|prescription|notes)\b|\((?:recorded|documented|agreed) plan\)|"
    # "The nurse will redress the wound on Friday": a clinician's planned act
    rf"^{_RECORDER}\s+(?:will|is to|is going to|plans to|is due to)\s+[a-z-]+|"
    r"^the (?:podiatrist|district nurse|practice nurse|nurse|gp|clinician|surgeon|"
    r"consultant|team|tvn|dietitian|physio) (?:will|is to|is going to|plans to|is due to)\s+|"
        # "The recorded wound type is ...", "The documented plan was ..."
    rf"^the (?:{_RECORD_VERB}|clinician's|nurse's|doctor's) [a-z' -]{{1,40}}?\s(?:is|was|"
    r"are|were|reads|says)\b"
)
# "Please confirm the recommended follow-up date entered by the clinician.": a form
# instruction (a data verb) about a value someone recorded.
ADMINISTRATIVE = re.compile(
    r"^(?:please\s+)?(?:confirm|check|review|verify|enter|select|choose|record|mark|"
    r"fill in|complete|update|correct|re-?enter|look at)\s+(?:that\s+)?(?:the\s+|each\s+|"
    r"every\s+|all\s+)?[a-z' -]{0,60}?\b(?:entered|recorded|documented|as entered|on file|"
    r"on record|field|section|as agreed with the clinician|as written)\b|"
    # "The record shows a recommended review date set by the clinician."
    rf"\b(?:the|a) recommended [a-z -]{{1,30}}?\s(?:entered|set|recorded|documented|chosen|"
    rf"given|agreed)\s+(?:by|with)\s+{_RECORDER}\b"
)
# "Lift the heel slightly so the whole wound is in view", "Remove the dressing before taking
# the photo": positioning for the photo, not care.
PHOTO_PREPARATION = re.compile(
    r"^(?:please\s+)?(?:lift|move|turn|hold|position|remove|take off|uncover|expose|raise|"
    r"roll up|pull up|lower|tilt|rotate)\b[^,;]*?\b(?:before (?:taking|you take) the "
    r"(?:photo|picture|image)|for the (?:photo|picture|image)|so (?:that )?(?:the )?"
    r"(?:whole |entire )?(?:wound|ulcer|heel|foot|leg|area|edge|label|ruler)\s+(?:\w+\s+)?"
    r"(?:is|are) (?:in view|visible|in the frame|in the photo|in the picture|in shot))\b"
    r"[^,;]*[.!]?$"
)
# "Was the patient advised ...?", "Did the GP recommend compression?", "Has the wound been
# debrided in the past?": questions about what happened, not suggestions. Suggestion frames
# ("Have you considered ...", "Has anyone thought about ...") stay with the rules.
PAST_QUESTION = re.compile(
    # "Did the patient keep the leg elevated as advised?": any verb after did + a subject
    r"^did\s+(?!you\b|we\b|the team\b|the care team\b)(?:the|a|an|his|her|their|"
    r"anyone|someone|he|she|they|[a-z]+'s)\b|"
    r"^(?:was|were|did|had|has|have|is|are|does|do)\s+"
    r"(?!you\b|we\b|the team\b|the care team\b)"
    r"(?:(?:the|a|an|this|that|his|her|their|any|anyone|someone)\s+)?(?:[a-z'-]+\s+){0,3}?"
    r"(?:been\s+)?(?:advised|told|recommended|prescribed|given|started|stopped|instructed|"
    r"asked|offered|referred|seen|debrided|swabbed|treated|taking|taken|using|used|wearing|"
    r"worn|applied|changed|elevated|recommend|prescribe|start|stop|refer|advise|suggest|"
    r"suggested|tell|give|apply|change|take|use|wear)\b"
)
# Quoted speech: 'She said, "The nurse told me to keep it dry."', 'Patient quote: "..."'.
QUOTED = re.compile(
    r"^(?:[a-z' .-]{0,40}?\b(?:said|says|asked|asks|wrote|writes|told (?:me|us|the nurse|"
    r"staff)|in (?:his|her|their|the patient's) (?:own )?words|quote[sd]?|quoting)\b"
    r"[^\"]{0,25}?[:,]?\s*\"|(?:patient|pt|carer|family)?\s*(?:quote|verbatim)\s*:)"
)
# Photo instructions beyond positioning: 'Make sure the whole wound and the scale sticker are
# in frame', 'Keep the patient's face out of the photograph', 'Avoid shadows over the wound
# when taking the photo'. The sentence is an instruction, names the photo, and has no care
# verb, product, medicine or condition in it.
_PHOTO_WORDS = re.compile(
    r"\b(?:photo(?:graph)?s?|photographing|picture|pictures|images?|camera|(?:in|out of|into) "
    r"(?:the )?(?:frame|shot)|(?:in|out of|into) (?:full )?view|flash|lens|scale stickers?|"
    r"rulers?|glare|shadows?|lighting|"
    r"zoom|blurr(?:ed|y)|(?:in|out of) focus|close-?ups?|close up)\b"
)
_PHOTO_OPENING = re.compile(
    r"^(?:please\s+)?(?:make sure|ensure|check|keep|hold|avoid|turn|take|retake|re-take|place|"
    r"put|position|move|lift|remove|use|switch|include|centre|center|align|tilt|step|stand|"
    r"frame|try|wipe|do not|don't|let|get|open|close)\b"
)
_CARE_WORDS = re.compile(
    r"\b(?:apply|applying|clean|cleanse|cleaning|wash|washing|irrigate|debride|pack|packing|"
    r"redress|re-dress|bandage|bandaging|elevat\w*|raise|raised|soak|rub|massage|moisturi[sz]e|"
    r"treat|treatment|offload\w*|compress\w*|swab|drain|cut|trim|give|start|stop|continue|"
    r"increase|reduce|rest|walk|wear|sleep|drink|eat|cream|ointment|gel|powder|spray|"
    r"antibiotics?|tablets?|medicines?|medication|dose|infect\w*|urgent\w*|heal\w*)\b|"
    r"\b(?:dressings?|bandages?|pads?)\s+(?:is\s+|are\s+|be\s+|gets?\s+)?(?:changed|replaced|"
    r"renewed|redone)\b|\bchang\w*\s+(?:the\s+)?(?:dressings?|bandages?|pads?)\b"
)
_SERVICE_WORDS = re.compile(
    r"\b(?:doctor|hospital|a ?& ?e|emergency|ambulance|today|tonight|now)\b"
)
_KIT_PHRASE = re.compile(
    r"\b(?:apply|put|place|stick|use)\s+(?:the\s+|a\s+)?(?:scale\s+)?(?:sticker|ruler|label|"
    r"marker|scale)s?\b"
)
# Form work: 'Please add the GP practice to the contact details.'
_FORM_VERB = re.compile(
    r"^(?:please\s+)?(?:add|enter|update|correct|fill in|complete|confirm|check|verify|"
    r"select|type|attach|upload|save|sign|tick|click|tap|re-?enter|spell|record|choose|"
    r"write down|note down)\b"
)
_FORM_WORDS = re.compile(
    r"\b(?:details|contact|address|phone|telephone|email|e-mail|surname|first name|names?|"
    r"date of birth|dob|nhs number|mrn|hospital number|record|form|fields?|letter|practice|"
    r"profile|consent|box|button|tab|screen|spelling|identifier|next of kin|signature|pin|"
    r"language|interpreter|referrer|referring|clinician|gp surgery|ward|bed number)\b"
)
_SAVED_RECORD = re.compile(
    rf"\b(?:recommended|prescribed|advised|suggested|set|chosen|entered|recorded|agreed|"
    rf"planned|ordered)\s+by\s+{_RECORDER}\b.*\b(?:has been|have been|was|were|is now|"
    r"are now)\s+(?:saved|recorded|entered|stored|added|updated|attached|filed|confirmed|"
    r"copied|sent)\b"
)
# The intake itself: 'You can stop at any time.', 'Feel free to skip a question.'
_SESSION = re.compile(
    r"^(?:you can|you may|feel free to|you are free to|you're free to)\s+(?:always\s+)?"
    r"(?:stop|pause|skip|cancel|come back|go back|continue|answer|change your answers?|edit|"
    r"review|ask|take a break|leave|end|finish|return)\b"
)
_CURLY = str.maketrans({"\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
                        "\u2019": "'", "\u2018": "'"})
_SUGGESTIVE = re.compile(
    r"\b(?:considered|thought (?:about|of)|tried|why not|how about|what about|better|"
    r"should|shouldn't|worth|instead)\b"
)


# "No signs of infection were noted by the nurse.": a finding someone recorded, and nothing
# after who recorded it but when.
NOTED_BY = re.compile(
    rf"\b(?:was|were|has been|have been|had been)\s+(?:\w+\s+)?(?:noted|recorded|documented|"
    rf"observed|reported|seen|found|measured|charted)\s+by\s+{_RECORDER}(?:\s+(?:today|"
    r"yesterday|this morning|last week|on [a-z0-9]+|at [a-z0-9: ]+))?\s*\.?$"
)


# History told in the past tense ("The patient was admitted last year with cellulitis",
# "Her previous ulcer healed in about four months"): a past-time marker, a past verb, and
# nothing that instructs, forecasts or hedges.
_PAST_TIME = re.compile(
    r"\b(?:previous|previously|last (?:year|month|week|time|winter|summer|spring|autumn)|"
    r"ago|in (?:19|20)\d\d|years back|as a child|once before|in the past|earlier this "
    r"(?:year|month))\b"
)
_PAST_VERB = re.compile(
    r"\b(?:was|were|had|healed|closed|took|got|developed|needed|admitted|treated|started|"
    r"lasted|broke down|recurred|came back|grew)\b"
)
_NOT_HISTORY = re.compile(
    r"\b(?:will|'ll|should|must|need to|needs to|ought|going to|would|could|might|may|please|"
    r"try|let's|expect|expected|likely|probably|so|now|today|again|this time|keep|avoid|"
    r"don't|do not|is|are|it's)\b"
)


# Round 18. A passage of the record introduced by its source ("Discharge summary: admitted with
# an infected foot ulcer, treated with IV antibiotics", "Dietitian note: supplement prescribed
# twice daily since April", "X-ray report: no cortical erosion"): read back, not said by the
# system. Only when nothing after the label instructs, plans or forecasts.
DOCUMENT_LABEL = re.compile(
    r"^(?:[a-z0-9'&/-]+\s+){0,3}?(?:note|notes|summary|letter|report|entry|results?|"
    r"correspondence|email|e-mail|message|record|records|history|hx)\s*(?:from\s+[a-z' -]{1,30}?"
    r"\s*)?(?:\(\s*[0-9/.-]+\s*\)\s*)?:"
)
_LABEL_FORWARD = re.compile(
    r"\b(?:plan|needs?|should|must|for|to be|continue|start|stop|apply|use|give|refer|"
    r"increase|reduce|change|keep|avoid|try|review|consider|recommend\w*|advis\w+|please|"
    r"if|until|then|will|'ll|expect|likely|probably|query|possible|suspect\w*|impression|"
    r"diagnosis|differential)\b"
)


def document_label(view: SentenceView) -> bool:
    match = DOCUMENT_LABEL.search(view.text)
    if match is None or view.is_question:
        return False
    rest = view.text[match.end():]
    if _LABEL_FORWARD.search(rest) or _FORWARD.search(rest):
        return False
    # an acute finding is read back only from a result or report, or as told history
    return (_ACUTE_WORDS.search(rest) is None or _PAST_RECORD.search(rest) is not None
            or _RESULT_LABEL.search(match.group(0)) is not None)


_RESULT_LABEL = re.compile(r"\b(?:results?|report)\b")


# What happened, told in the record's past participles ("admitted with ..., treated with ...,
# discharged day 9"): an acute word in such a passage is history.
_PAST_RECORD = re.compile(
    r"\b(?:admitted|treated|discharged|diagnosed|seen|operated|grew|isolated|cultured|"
    r"reported|confirmed|excluded|ruled out|found|showed|shown)\b"
)
# "The patient was told by the surgeon that the toe may need amputation": what someone was
# told, reported; whatever follows "that" is the reported speech.
TOLD_THAT = re.compile(
    rf"^{_REPORTER}\s+(?:was|were|has been|have been|had been)\s+(?:told|advised|informed|"
    r"warned|reassured)\b(?:\s+(?:by|in|at|on)\s+(?:[a-z'.-]+\s+){1,4}?)?\s*(?:that|about|"
    r"of)\b"
)
# Round 18. The patient's stance, recorded ("Patient reluctant to elevate legs", "Pt declined
# compression today", "Prefers to sit in the chair"), and the advice or teaching a note says
# was given ("Advised re: leg elevation, patient verbalised understanding", "Education given
# on signs of infection"): a record of what happened at the visit.
STANCE = re.compile(
    rf"^(?:(?:{_REPORTER}\s+)?(?:is\s+|was\s+|remains\s+|still\s+)?(?:reluctant|unwilling|"
    rf"declined|declines|refuses|refused|prefers|preferred)|{_REPORTER}\s+(?:is\s+|was\s+|"
    r"remains\s+|still\s+)?(?:not keen|keen|happy|unhappy|wishes|wished|chose|chooses|"
    r"agreed|agrees|consented|consents))\s+(?:to|for|with)\b"
    r"(?!.*\b(?:should|must|needs? to|please|advise\w*|recommend\w*)\b)"
)
GIVEN_RECORD = re.compile(
    r"^(?:advised|educated|counselled|reassured|taught|shown)\s+(?:re:?|on|about|regarding|"
    r"the patient|patient|pt|her|him|them|daughter|son|wife|husband|family|carers?)\b|"
    r"^(?:education|information|advice|leaflets?|verbal and written (?:advice|information)|"
    r"written information|health promotion)\s+(?:given|provided|offered|discussed|reinforced)"
    r"\b"
)


# Round 19. A question about what someone was advised, told or recorded, with the advice
# only in the embedded clause ("Has anyone documented whether the patient was advised to keep
# the leg raised?", "Did the GP say whether she should stop the antibiotics?", "Can you check
# the notes to see what the vascular team recommended?"): the reader is asked for a fact of
# the record. The embedded clause must be reported speech (a past advice verb, or a third
# party's "should" after a verb of saying); "Can you check whether the wound is infected?"
# and "Should she keep the leg raised?" are still judged.
_EMBED_OPEN = re.compile(
    r"^(?:(?:has|have|had|did|does|do|is|was|can|could|would|will)\s+)"
    r"(?:(?:anyone|anybody|someone|somebody|you|the|a|an|his|her|their|our|[a-z'-]+'s)\s+)?"
    r"(?:[a-z'-]+\s+){0,3}?"
    r"(?:documented|recorded|noted|written(?: down)?|write down|wrote down|said|say|"
    r"mentioned|mention|know|knows|remember|confirmed|confirm|check(?:ed)?|find out|look|"
    r"see|ask(?:ed)?|clarif(?:y|ied)|(?:been\s+)?(?:recorded|documented|noted|written|"
    r"stated|mentioned|known|clear))\b"
    r"(?:\s+(?:anywhere|somewhere|in (?:the )?(?:notes|record|letter|chart|care plan)))?"
    r"(?:\s+(?:the|her|his|their)\s+(?:notes|record|records|letter|chart|care plan|"
    r"referral|discharge summary))?(?:\s+(?:to see|to find out))?"
    r"\s+(?:whether|if|what|which|who|how|when)\b"
)
_IT_RECORDED = re.compile(
    r"^(?:is|was|has)\s+it\s+(?:been\s+)?(?:recorded|documented|noted|written(?: down)?|"
    r"stated|mentioned|known|clear)\b(?:\s+(?:anywhere|somewhere|in (?:the )?(?:notes|"
    r"record|letter|chart)))?\s+(?:whether|if|what|which|who|how|when)\b"
)
_EMBEDDED_REPORT = re.compile(
    r"\b(?:was|were|had been|has been|have been)\s+(?:\w+\s+)?(?:advised|told|asked|"
    r"instructed|prescribed|offered|shown|taught|given|recommended|suggested)\b|"
    r"\b(?:advised|told|recommended|suggested|said|prescribed|instructed|asked|agreed|"
    r"decided|planned|wanted|wrote|documented|recorded)\b"
)
_SAY_VERB = re.compile(r"\b(?:say|said|mention(?:ed)?|documented|recorded|written|wrote|"
                       r"stated|confirm(?:ed)?|know|remember)\b")
_READER_SUBJECT = re.compile(r"^\w+\s+(?:you|we)\b")
# "Which dressing was he advised to use at the last clinic?": what someone was told, asked.
WH_PASSIVE_QUESTION = re.compile(
    r"^(?:which|what|who|when|how|where)\b(?:\s+[a-z'-]+){0,3}?\s+(?:was|were|had|has|have)"
    rf"\s+(?:{_REPORTER})\s+(?:been\s+)?(?:advised|told|asked|prescribed|instructed|"
    r"offered|shown|taught|recommended|given)\b|"
    # "Who advised her to stop the stockings?": who gave past advice
    r"^who\s+(?:had\s+|has\s+|first\s+|originally\s+)?(?:advised|told|recommended|suggested|"
    r"prescribed|instructed|started|stopped|changed|referred)\b"
)


_JOINED = re.compile(r"\b(?:and|then|also|,)\s+(?:please\s+|also\s+|then\s+)?([a-z-]+)")
_IF_SO = re.compile(r"\b(?:if so|if not|if yes|if they did|if he did|if she did|otherwise)\b")


def embedded_fact_question(view: SentenceView) -> bool:
    if not view.is_question:
        return False
    if view.has(WH_PASSIVE_QUESTION):
        return True
    match = _EMBED_OPEN.search(view.text) or _IT_RECORDED.search(view.text)
    if match is None:
        return False
    rest = view.text[match.end():]
    # an order joined on ("... whether the GP recommended antibiotics and start them if so")
    if _IF_SO.search(rest) or any(j.group(1) in lx.ACTION_BASE for j in _JOINED.finditer(rest)):
        return False
    if _EMBEDDED_REPORT.search(rest):
        return True
    # "Did the GP say whether she should stop ...": a third party's words, reported
    opening = view.text[:match.end()]
    return (_SAY_VERB.search(opening) is not None
            and _READER_SUBJECT.search(opening) is None)


# Round 19. Office work asked politely ("Please file the consent form in the paper notes",
# "Could you scan the referral letter and upload it", "Please book the clinic room for
# Thursday", "Please reschedule the visit to next week as he is away"): an office verb whose
# object is paper, a room, stock or an appointment slot, and nothing clinical, urgent or
# conditional in the sentence.
_OFFICE = re.compile(
    r"^(?:(?:please|kindly|could you|can you|would you|could someone|can someone|"
    r"could somebody|can somebody|could anyone|can anyone|remember to|don't forget to|"
    r"do not forget to|do)\s+(?:please\s+)?)?"
    r"(?:file|refile|scan|photocopy|copy|print|reprint|post|fax|e-?mail|forward|send|book|"
    r"rebook|re-book|reschedule|re-schedule|cancel|move|restock|re-stock|top up|order|"
    r"reorder|re-order|sign|countersign|upload|shred|laminate|label|tidy|archive|chase|"
    r"update|log|collate|staple|photograph|put away|count|check in|date-stamp|stamp|put|"
    r"place|return|drop off|take back)\b"
)
_OFFICE_OBJECT = re.compile(
    r"\b(?:letters?|forms?|charts?|notes|records?|cop(?:y|ies)|rooms?|slots?|trolley|"
    r"cupboards?|stock|stock book|photos?|inbox|requests?|consent|visits?|appointments?|"
    r"rota|diary|transport|interpreter|log|folders?|files?|paperwork|invoices?|orders?|"
    r"boxes|delivery|deliveries|summary|summaries|results? letter|list|clinic list|"
    r"printouts?|labels?|sheets?|book|calendar|minutes|audit|spreadsheet|envelopes?|"
    r"supplies|catalogue|packs?|stores?|equipment|loan|pigeonhole|tray|filing|office)\b"
)
_OFFICE_STOP = re.compile(
    r"\b(?:urgent\w*|asap|immediately|straight away|right away|same day|emergency|refer|"
    r"referral to|tonight|sooner|earlier|worse|worsening|infect\w*|pain\w*|bleed\w*|if|"
    r"unless|until|should|must|need to|needs to|in case|so that|apply|use|start|stop|"
    r"continue|give|increase|reduce|elevat\w*|rest)\b"
)


# A booking of care ("Book her in with tissue viability", "Book a review for tomorrow",
# "Please book a Doppler appointment") is triage, not office work.
_PERSON_FIRST = re.compile(
    r"^(?:him|her|them|the patient|the resident)\b|^(?:mr|mrs|ms|miss)\.?\s+[a-z-]+\b(?!')"
)
_BOOKING = re.compile(r"^(?:[a-z ]+\s)?(?:book|rebook|re-book|reschedule|re-schedule|order|"
                      r"reorder|re-order|move)$")
_BOOKED_CARE = re.compile(
    r"\b(?:review|reviews|assessment|doppler|abpi|x-?ray|mri|ct|bloods|blood tests?|swab|"
    r"debridement|"
    r"consultation|seen|see)\b|\bwith (?:the |a |an )?" + lx.words(lx.CLINICIANS + "|"
                                                               + lx.SERVICES)
)


def office_request(view: SentenceView) -> bool:
    match = _OFFICE.search(view.text)
    if match is None:
        return False
    rest = view.text[match.end():].strip()
    if _PERSON_FIRST.search(rest) or (_BOOKING.search(match.group(0))
                                      and _BOOKED_CARE.search(rest)):
        return False
    # a second order joined on ("Please file the letter and put foam on the heel")
    for joined in _JOINED.finditer(rest):
        if joined.group(1) in lx.ACTION_BASE and _OFFICE.match(joined.group(1)) is None:
            return False
    return (_OFFICE_OBJECT.search(rest) is not None and not view.has(_OFFICE_STOP)
            and not view.has(_CONDITION_WORDS))


def history(view: SentenceView) -> bool:
    return (not view.is_question and view.has(_PAST_TIME) and view.has(_PAST_VERB)
            and not view.has(_NOT_HISTORY))


def reported(view: SentenceView) -> bool:
    return view.has(REPORTED)


def documented(view: SentenceView) -> bool:
    return view.has(DOCUMENTED)


def past_fact_question(view: SentenceView) -> bool:
    return view.is_question and view.has(PAST_QUESTION) and not view.has(_SUGGESTIVE)


def quoted(view: SentenceView) -> bool:
    """The sentence is a speaker's frame and a quotation that runs to its end (nothing said
    after the closing quote mark)."""
    text = view.original.casefold().translate(_CURLY)
    match = QUOTED.search(text)
    if match is None:
        return False
    rest = text[match.end():]
    return _QUOTE_TAIL.fullmatch(rest) is not None


_QUOTE_TAIL = re.compile(r'[^"]*(?:"[\s.!?)]*)?')


# Round 19. The tablet the photos are taken with ("Hold the tablet in landscape orientation
# for leg photographs"), named with a device's words, is not a medicine.
_DEVICE_TABLET = re.compile(r"\b(?:the|your|a|this|that|our)\s+tablet\b(?!s)")
_DEVICE_CONTEXT = re.compile(
    r"\b(?:landscape|portrait|orientation|screen|app|camera|charg\w*|battery|wifi|wi-fi|"
    r"signal|upload\w*|photo\w*|pictures?|images?|lens|flash|zoom|tap|swipe)\b"
)


def photo_instruction(view: SentenceView) -> bool:
    text = view.text
    if not (view.has(_PHOTO_OPENING) and view.has(_PHOTO_WORDS)):
        return False
    rest = _KIT_PHRASE.sub(" ", text)
    if view.has(_DEVICE_CONTEXT):
        rest = _DEVICE_TABLET.sub(" ", rest)
    return (_CARE_WORDS.search(rest) is None and not view.has(_CONDITION_WORDS)
            and not view.has(_SERVICE_WORDS))


def form_instruction(view: SentenceView) -> bool:
    return (view.has(_FORM_VERB) and view.has(_FORM_WORDS) and not view.has(_CARE_WORDS)
            and not view.has(_CONDITION_WORDS) and not view.is_question)


# Round 17. A visit or advice told in the passive, note style ("Seen by podiatry today,
# callus debrided", "He was advised by podiatry to wear the boot at night"): a record of what
# a clinician did or said, not the system advising.
PASSIVE_RECORD = re.compile(
    rf"^(?:(?:the\s+)?(?:patient|resident|client)\s+|{_REPORTER}\s+|she\s+|he\s+|they\s+|"
    r"(?:mr|mrs|ms|miss)\.? [a-z'-]+\s+)?(?:was\s+|were\s+|has been\s+|had been\s+)?"
    r"(?:seen|reviewed|assessed|visited|examined|advised|told|instructed|shown|taught|"
    r"prescribed|given|referred|dressed|treated)\s+(?:in\s+\w+\s+)?by\s+(?:the\s+|a\s+)?"
    r"(?:[a-z-]+\s+)?(?:podiatry|podiatrist|gp|doctor|nurses?|district nurse|team|"
    r"tissue viability(?: nurse)?|vascular|clinic|hospital|surgeon|consultant|physio|"
    r"dietitian|pharmacist|ward staff|staff|dr\.? [a-z'-]+)\b"
)
# Supplies moved, ordered or left somewhere ("Order more compression bandages from the
# pharmacy", "Leave the old dressing in the bag by the door for the nurse"): logistics.
LOGISTICS = re.compile(
    r"^(?:please\s+)?(?:order|re-?order|restock|collect|pick up|fetch|bring|drop off|return|"
    r"leave|put|store|keep|bin|throw away|dispose of)\b(?:(?! and | then )[^,;])*?\b(?:from|"
    r"to|in|into|by|at|inside|next to|near)\s+(?:the\s+|a\s+|her\s+|his\s+)?(?:pharmacy|"
    r"chemist|"
    r"bag|bin|box|drawer|cupboard|fridge|door|key ?safe|porch|hallway|car|stock ?room|"
    r"store ?room|sharps bin|clinical waste)\b(?:\s+(?:by|for|on|at|next to|near|in)\s+"
    r"(?:the\s+|a\s+|her\s+|his\s+)?[a-z-]+(?:\s+[a-z-]+)?)*\s*[.!]?$"
)
# "That photo is blurry, take another one so we can see the wound edges": the photo again.
_RETAKE = re.compile(
    r"\b(?:take|send|retake|re-take|snap|get|do)\s+(?:another|a new|a better|a clearer|"
    r"one more|a second|a sharper)\s+(?:one|photo|picture|pic|shot|image)\b(?:,?\s+(?:so|so "
    r"that|then)\s+(?:we|i|you|the nurse|the team|they|the clinician) can (?:see|check|look "
    r"at|view|make out)\b[^,;]*)?"
)


_FORWARD = re.compile(
    r"\b(?:will|'ll|should|must|need to|needs to|ought|going to|could|might|may|likely|"
    r"probably|expect|if|unless|until|sooner)\b"
)


# "Put the leg up on the pouffe by the door", "Keep the boot on in the car": the body or
# something worn, not supplies.
_WORN = re.compile(
    r"\b(?:legs?|foot|feet|heels?|arms?|toes?|hands?|sacrum|skin|wound|ulcer|him|her)\b|"
    r"\b(?:on|up|off|raised|elevated)\s+(?:in|at|by|on|near|next to|inside)\b"
)
# After a passive record, a further clause must add no care ("Seen by the GP, needs
# antibiotics", "Reviewed by TVN: continue silver" are still judged).
_TAIL_CARE = re.compile(
    r"\b(?:needs?|needed|for|should|must|continue|cont|start|stop|apply|use|give|refer|"
    r"increase|reduce|change|keep|avoid|try|plan|review)\b"
)


_ACUTE_WORDS = re.compile(lx.words(lx.ACUTE_CONDITIONS))


def passive_record(view: SentenceView) -> bool:
    match = PASSIVE_RECORD.search(view.text)
    if match is None or view.is_question or view.has(_FORWARD):
        return False
    tail = view.text[match.end():]
    cut = re.search(r"[,;:]", tail)
    tail = tail[cut.end():] if cut else ""
    return (_TAIL_CARE.search(tail) is None and _CARE_WORDS.search(tail) is None
            and _ACUTE_WORDS.search(tail) is None)


def photo_retake(view: SentenceView) -> bool:
    if not (view.has(_PHOTO_WORDS) or "another one" in view.text) or not view.has(_RETAKE):
        return False
    rest = _RETAKE.sub(" ", view.text)
    return (_CARE_WORDS.search(rest) is None and _CONDITION_WORDS.search(rest) is None
            and _PHOTO_WORDS.search(view.text) is not None)


def vetoed(view: SentenceView) -> str | None:
    """The name of the frame that makes this sentence a report, a record or a fact question."""
    if reported(view) or view.has(TOLD_THAT):
        return "reported"
    if document_label(view):
        return "documented"
    if not view.is_question and (view.has(STANCE) or view.has(GIVEN_RECORD)):
        return "documented"
    if documented(view) or view.has(DOCUMENT_SAYS) or view.has(NOTED_BY):
        return "documented"
    if view.has(PAST_ADVICE) and not view.is_question:
        return "reported"
    if past_fact_question(view) or embedded_fact_question(view):
        return "fact_question"
    if history(view):
        return "history"
    if view.has(ADMINISTRATIVE):
        return "administrative"
    if view.has(PHOTO_PREPARATION) and " and " not in view.text:
        return "photo_preparation"
    if view.has(_SESSION) and not view.has(_CONDITION_WORDS) and not view.has(_CLINICAL_WORDS):
        return "session"
    if quoted(view):
        return "quoted"
    if view.has(_SAVED_RECORD):
        return "documented"
    if photo_instruction(view):
        return "photo_instruction"
    if photo_retake(view):
        return "photo_instruction"
    if passive_record(view):
        return "documented"
    if (view.has(LOGISTICS) and not view.has(_CONDITION_WORDS)
            and not view.has(_FORWARD) and not view.has(_WORN)):
        return "administrative"
    if form_instruction(view):
        return "form_instruction"
    if office_request(view):
        return "administrative"
    return None
