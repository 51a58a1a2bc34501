"""Word lists the rules share: action verbs and their forms, clinical terms, exemptions.

Everything is lower case; the rules match against a normalised, lower-cased sentence.
The lists are deliberately domain-specific (wound care, vitals, common medicines): a
missing word is a missed detection, so new vocabulary goes here, with a corpus line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_IRREGULAR: dict[str, tuple[str, ...]] = {
    "take": ("takes", "took", "taken", "taking"),
    "give": ("gives", "gave", "given", "giving"),
    "keep": ("keeps", "kept", "keeping"),
    "put": ("puts", "putting"),
    "wear": ("wears", "wore", "worn", "wearing"),
    "leave": ("leaves", "left", "leaving"),
    "hold": ("holds", "held", "holding"),
    "begin": ("begins", "began", "begun", "beginning"),
    "see": ("sees", "saw", "seen", "seeing"),
    "go": ("goes", "went", "gone", "going"),
    "get": ("gets", "got", "gotten", "getting"),
    "seek": ("seeks", "sought", "seeking"),
    "eat": ("eats", "ate", "eaten", "eating"),
    "drink": ("drinks", "drank", "drunk", "drinking"),
    "stop": ("stops", "stopped", "stopping"),
    "cut": ("cuts", "cutting"),
    "swab": ("swabs", "swabbed", "swabbing"),
    "refer": ("refers", "referred", "referring"),
    "admit": ("admits", "admitted", "admitting"),
    "ring": ("rings", "rang", "rung", "ringing"),
    "set": ("sets", "setting"),
    "up": ("ups", "upped", "upping"),
    "double": ("doubles", "doubled", "doubling"),
    "be": ("is", "are", "was", "were", "been", "being"),
}


def forms(lemma: str) -> frozenset[str]:
    """The base form and the usual inflections of an English verb (good enough for rules)."""
    if lemma in _IRREGULAR:
        return frozenset((lemma, *_IRREGULAR[lemma]))
    if lemma.endswith("e"):
        stem = lemma[:-1]
        return frozenset({lemma, lemma + "s", stem + "ing", lemma + "d"})
    if re.search(r"[^aeiou]y$", lemma):
        stem = lemma[:-1]
        return frozenset({lemma, stem + "ies", stem + "ied", lemma + "ing"})
    plural = lemma + ("es" if re.search(r"(s|sh|ch|x|z)$", lemma) else "s")
    return frozenset({lemma, plural, lemma + "ing", lemma + "ed"})


def _all_forms(lemmas: Iterable[str]) -> frozenset[str]:
    return frozenset(f for lemma in lemmas for f in forms(lemma))


# Verbs that instruct a clinical act whatever their object ("Apply ...", "Debride ...").
STRONG_ACTION_LEMMAS = frozenset(
    {
        "apply",
        "administer",
        "prescribe",
        "debride",
        "elevate",
        "irrigate",
        "cleanse",
        "clean",
        "dress",
        "redress",
        "pack",
        "bandage",
        "compress",
        "offload",
        "inject",
        "swab",
        "refer",
        "admit",
        "amputate",
        "drain",
        "incise",
        "lance",
        "excise",
        "splint",
        "immobilise",
        "immobilize",
        "massage",
        "soak",
        "wash",
        "rinse",
        "moisturise",
        "moisturize",
        "disinfect",
        "sterilise",
        "sterilize",
        "suture",
        "stitch",
        "cauterise",
        "cauterize",
        "treat",
        "medicate",
        "dose",
        "bathe",
        "squeeze",
        "scrub",
        "seek",
        "drink",
        "eat",
        "discontinue",
        "commence",
        "titrate",
        "taper",
        "culture",
        "biopsy",
        "ice",
        "dab",
        "pop",
        "re-dress",
        "reapply",
        "re-apply",
        "unwrap",
        "rewrap",
        "wrap",
        "strap",
    }
)
# Verbs that instruct a clinical act only with a clinical object ("Keep the wound moist"
# but not "Keep the camera steady").
WEAK_ACTION_LEMMAS = frozenset(
    {
        # round 17: filling a cavity, pressing on a bleed (a clinical object needed)
        "fill",
        "press",
        "take",
        "give",
        "start",
        "stop",
        "continue",
        "use",
        "try",
        "change",
        "switch",
        "increase",
        "decrease",
        "reduce",
        "add",
        "remove",
        "resume",
        "restart",
        "hold",
        "avoid",
        "keep",
        "leave",
        "put",
        "wear",
        "begin",
        "double",
        "halve",
        "skip",
        "raise",
        "lower",
        "rest",
        "limit",
        "cover",
        "monitor",
        "watch",
        "order",
        "arrange",
        "book",
        "request",
        "get",
        "check",
        "replace",
        "cut",
        "swap",
        "adjust",
        "up",
        "trim",
        "protect",
        "pad",
        "support",
        "maintain",
        "encourage",
        "allow",
        "let",
        "expose",
        "dry",
        "moisten",
        "warm",
        "cool",
        "ensure",
        "stay",
        "sleep",
        "sit",
        "lie",
        "walk",
        "stand",
        "bear",
    }
)
# Verbs that send the person somewhere ("See a doctor", "Call 911").
REFERRAL_LEMMAS = frozenset(
    {
        "see",
        "consult",
        "visit",
        "contact",
        "call",
        "phone",
        "ring",
        "go",
        "attend",
        "seek",
        "book",
        "arrange",
        "get",
        "speak",
        "talk",
        "present",
        "head",
        "return",
    }
)
# Verbs a data-capture instruction uses; a modal before them is not advice
# ("You must enter a value or mark it unknown").
NEUTRAL_LEMMAS = frozenset(
    {
        "enter",
        "record",
        "confirm",
        "choose",
        "select",
        "pick",
        "mark",
        "retake",
        "re-take",
        "upload",
        "answer",
        "dismiss",
        "sign",
        "provide",
        "fill",
        "complete",
        "specify",
        "describe",
        "state",
        "verify",
        "attach",
        "photograph",
        "capture",
        "contain",
        "match",
        "include",
        "follow",
        "precede",
        "differ",
        "agree",
        "exceed",
        "equal",
        "fit",
        "show",
        "appear",
        "have",
        "be",
        "note",
        "list",
        "document",
        "save",
        "submit",
        "export",
        "encrypt",
        "store",
        "lock",
        "assemble",
        "link",
        "type",
        "write",
        "add up",
        "know",
        "review",
        "read",
        "reply",
        "respond",
        "name",
        "explain",
        "clarify",
        "say",
        "tell",
        "log",
        "rate",
        "score",
        "measure",
        "count",
        "estimate",
        "quantify",
        "frame",
        "centre",
        "center",
        "focus",
    }
)

# Further verbs that open an addressed instruction when the sentence is clinical or the
# object is a person ("Lose some weight", "Turn him every two hours", "Scrape away ...").
MORE_ACTION_LEMMAS = frozenset(
    {
        "lose",
        "turn",
        "reposition",
        "mobilise",
        "mobilize",
        "exercise",
        "stretch",
        "scrape",
        "paint",
        "offer",
        "wipe",
        "pat",
        "spray",
        "sprinkle",
        "shower",
        "expect",
        "send",
        "test",
        "measure",
        "feed",
        "hydrate",
        "loosen",
        "tighten",
        "unwind",
        "peel",
        "pull",
        "pick",
        "scratch",
        "rub",
        "brush",
        "file",
        "shave",
        "cool",
        "heat",
        "cushion",
        "prop",
        "lift",
        "flush",
        "fill",
        "plug",
        "tape",
        "secure",
        "fix",
        "wet",
        "sterilise",
        "lay",
        "place",
        "re-bandage",
        "rebandage",
        "re-wrap",
    }
)
STRONG_ACTIONS = _all_forms(STRONG_ACTION_LEMMAS)
WEAK_ACTIONS = _all_forms(WEAK_ACTION_LEMMAS)
REFERRAL_ACTIONS = _all_forms(REFERRAL_LEMMAS)
NEUTRAL_ACTIONS = _all_forms(NEUTRAL_LEMMAS)
STRONG_BASE = STRONG_ACTION_LEMMAS
WEAK_BASE = WEAK_ACTION_LEMMAS
REFERRAL_BASE = REFERRAL_LEMMAS
ACTION_BASE = (
    STRONG_ACTION_LEMMAS | WEAK_ACTION_LEMMAS | REFERRAL_LEMMAS | MORE_ACTION_LEMMAS
) - NEUTRAL_LEMMAS

# Base forms that double as nouns in captured fields ("Swab result: pending",
# "Change in area since last visit", "Drain present"); as a clause's first word they are an
# instruction only when not followed by one of NOUN_FOLLOWERS.
NOUN_LIKE_VERBS = frozenset(
    {
        "swab",
        "drain",
        "pack",
        "change",
        "rest",
        "start",
        "stop",
        "dose",
        "ice",
        "culture",
        "biopsy",
        "use",
        "increase",
        "decrease",
        "splint",
        "bandage",
        "massage",
        "hold",
        "cover",
        "dress",
        "wash",
        "soak",
        "stitch",
        "suture",
        "check",
        "order",
        "request",
        "support",
        "pad",
        "wrap",
        "strap",
        "double",
        "trim",
        "book",
        "call",
        "visit",
        "return",
        "present",
        "head",
        "lower",
        "raise",
        "limit",
        "protect",
        # a finding in notes ("no heat", round 19)
        "heat",
    }
)
NOUN_FOLLOWERS = (
    r"(?:is|was|are|were|has|have|had|results?|taken|sent|recorded|status|type|size|count|"
    r"level|date|time|site|present|absent|in situ|in place|in|of|since|from|details?|"
    r"reported|documented|noted|pain|score|value|number|history|unknown|yes|no|none|n/?a|"
    r"output|outputs|volume|tube|bag|fluid|removal|insertion|change|changes|placed|made|"
    r"received|raised|"
    # a noun, then the participle of a note ("Visit slot changed to pm", "Swab sent",
    # "Check done", round 18)
    r"slots?|times?|request|requested|list|lists|changed|moved|cancelled|canceled|booked|"
    r"rebooked|rescheduled|arranged|confirmed|postponed|delayed|due|done|completed|pending|"
    r"awaited|over|to date|noted|seen|observed|"
    # a noun, then what it did, ending the clause or before a particle ("Bandage slipped",
    # "Dressing leaked overnight", "Pad came off", round 19); "Bandage affected leg" (a
    # participle before a noun) is still an order
    r"found|(?:[a-z]+ed|came|fell|slid|stuck|ran|got|went)(?=$|\s+(?:off|down|up|out|again|"
    r"overnight|twice|once|through|during|since|at|in|on|with|by|and|but|so)\b)|"
    r"[:=(\-])"
)

MEDICATION_TERMS = (
    r"antibiotics?|antibacterials?|antimicrobials?|antifungals?|antivirals?|antiseptics?|"
    r"amoxicillin|amoxycillin|co-amoxiclav|augmentin|flucloxacillin|fluclox|penicillin|"
    r"doxycycline|clindamycin|cefalexin|cephalexin|ceftriaxone|cefuroxime|metronidazole|"
    r"ciprofloxacin|levofloxacin|vancomycin|gentamicin|trimethoprim|nitrofurantoin|"
    r"clarithromycin|erythromycin|azithromycin|linezolid|teicoplanin|rifampicin|"
    r"co-trimoxazole|fusidic acid|mupirocin|silver sulfadiazine|flamazine|povidone[- ]iodine|"
    r"cadexomer iodine|chlorhexidine|hydrogen peroxide|paracetamol|acetaminophen|tylenol|"
    r"ibuprofen|naproxen|diclofenac|aspirin|nsaids?|morphine|codeine|co-codamol|tramadol|"
    r"oxycodone|fentanyl|opioids?|opiates?|gabapentin|pregabalin|amitriptyline|insulin|"
    r"metformin|gliclazide|warfarin|heparin|enoxaparin|apixaban|rivaroxaban|dabigatran|"
    r"edoxaban|clopidogrel|anticoagulants?|blood thinners?|prednisolone|prednisone|"
    r"hydrocortisone|steroids?|corticosteroids?|antihistamines?|diuretics?|furosemide|"
    r"pentoxifylline|zinc|vitamin [a-z]\d*|supplements?|painkillers?|pain ?killers?|"
    r"pain relief|analgesi(?:a|cs?)|medications?|medicines?|meds|drugs?|tablets?|pills?|"
    r"capsules?|injections?|jabs?|tetanus(?: booster| shot| vaccine)?|vaccines?|"
    r"prescriptions?|creams?|ointments?|lotions?|emollients?|barrier film|"
    r"topical (?:agents?|treatments?)|"
    # medicines no list names, known by the stems of their classes (round 18): local
    # anaesthetics, penicillins and other antibiotics, azole antifungals, statins, beta
    # blockers, ACE inhibitors, gliptins, "-parin" heparins ("Topical lidocaine 5% to the
    # wound bed")
    r"[a-z]{2,}(?:caine|cillin|mycin|micin|floxacin|cycline|cef[a-z]+|azole|conazole|statin|"
    r"olol|pril|sartan|gliptin|parin|xaban|profen|oxacin|sone|olone)"
)
DOSE_TERMS = r"doses?|dosages?|dosing|loading dose|units? of insulin"
NUMBER = (
    r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|half|"
    r"a half|a couple of|a few)"
)
DOSE_QUANTITY = (
    NUMBER + r"\s*(?:mg|milligrams?|mcg|micrograms?|µg|μg|ug|g|grams?|ml|millilitres?|"
    r"milliliters?|l|litres?|liters?|units?|iu|tablets?|tabs?|capsules?|caps|pills?|puffs?|"
    r"drops?|sachets?|mmol|mg/kg|mg/day|teaspoons?|tsp|spoonfuls?)\b"
)
FREQUENCY = (
    r"\b(?:once|twice|thrice|(?:one|two|three|four|five|six|\d+) times)\s+(?:a|per|each|every)"
    r"\s+(?:day|daily|week|night|hour)\b|\b(?:once|twice) daily\b|\bevery (?:\d+(?:-\d+)?|two|"
    r"three|four|five|six|eight|twelve|other) ?(?:hours?|hrs?|h|days?)\b|\bas needed\b|"
    r"\b(?:at night|in the morning|before meals|after meals|with food)\b|"
    r"\b(?:bd|bid|tds|tid|qds|qid|prn|nocte|mane|stat|q\d+h)\b|"
    r"\b(?:for|over) (?:\d+|one|two|three|five|seven|ten|fourteen) (?:days?|weeks?)\b"
)

# Things a clinical instruction acts on; with a WEAK verb they make it an instruction.
CLINICAL_OBJECTS = (
    r"wounds?|ulcers?|sores?|lesions?|dressings?|bandages?|compression|stockings?|hosiery|"
    r"wraps?|legs?|foot|feet|heels?|ankles?|limbs?|toes?|arms?|hands?|skin|periwound|"
    r"wound bed|wound edges?|edges?|slough|eschar|necrotic tissue|granulation|blisters?|"
    r"swelling|oedema|edema|infection|bleeding|foam|alginates?|hydrocolloids?|hydrogels?|"
    r"hydrofibre|hydrofiber|silver|honey|manuka|iodine|gauze|saline|tape|plasters?|"
    r"pads?|padding|offloading|boots?|casts?|braces?|pressure|weight|standing|walking|"
    r"weight[- ]bearing|bathing|swimming|smoking|alcohol|sugar|glucose|diet|fluids?|water|"
    r"exercise|activity|bed ?rest|bed|chair|mattress|cushion|repositioning|ice|heat|debridement|"
    r"therapy|treatment|npwt|negative pressure|vac|larva[el]|maggots?|antimicrobial|"
    r"x-?rays?|mri|ct scan|ultrasound|doppler|abpi|blood tests?|bloods|cultures?|biops(?:y|ies)|"
    r"referral|surgery|operation|amputation|admission|specialist|doctor|gp|physician|"
    r"surgeon|podiatrist|vascular|tissue viability|dermatologist|hospital|clinic|"
    r"blood pressure|blood sugar|temperature|fever|pain|" + MEDICATION_TERMS + "|" + DOSE_TERMS
    + "|" + r"tissue|dead skin|callus|calluses|scabs?|crusts?|pus|exudate|wet|damp|dry out|"
    r"moist|scissors|scalpel|curette|forceps|tweezers|needles?|protein|intake|nutrition|"
    r"calories|vitamins?|fruit|vegetables|food|meals?|snacks?|sugary|drinks?|weight|"
    r"knees?|shins?|calf|calves|thighs?|hips?|sacrum|buttocks?|elbows?|"
    r"stitches|sutures|scars?|scarring|graft|maggots|superabsorbent|absorbent|zinc paste|vaseline|"
    r"petroleum jelly|cream|barrier|film|collagen|hyaluronic|larval|bed rest|elevation|"
    r"insulin|sugar levels?|circulation|blood supply|swab|cavity|undermining|sinus|"
    r"socks?|shoes?|footwear|slippers|sandals|insoles?|redness|warmth|scratch|scratching|"
    r"itch|itching|itchy|turning|swabbing|bleeding|weeping|oozing|salt|fat|carbs|"
    r"carbohydrates|"
    r"edges?|margins?|toenails?|nails?|heal|heals|healing|healed|recovery|recover|closure|"
    r"recurrence|hollow|hollows|ribbon|rope|wick|reposition|repositioned|"
    # the foot and leg as notes name them (round 18)
    r"hallux|halluces|malleol(?:us|i)|mtpj|mtp joints?|metatarsal(?: heads?)?|forefoot|"
    r"midfoot|hindfoot|dorsum|gaiter(?: area)?|lower legs?"
)
EXTRA_CLINICAL = (
    r"dressed|redressing|offloaded|compressed|refer|referring|referred|uncovered|covered|"
    r"open to air|air dry|exposed|walk|walking|breathe|stand|sit|sitting|lying|"
    # what a wound gives off and what closes or drains it (round 15)
    r"discharge|drainage|ooze|odou?r|smell|smells|smelly|rash|rashes|staples|stoma|stomas|"
    r"incision|incisions|drains?|"
    # what a wound feels like and the hardware left in or on it (round 16): a sentence about
    # them is about the body, whatever verb it uses
    r"bruis(?:e|es|ed|ing)|soreness|tenderness|numbness|tingling|throbbing|stinging|crust|"
    r"crusting|scabbing|hole|holes|cavity|cavities|crater|gap|opening|tract|rim|"
    r"clips|catheters?|cast|splints?|pump|packing|ribbon|wicks?|tubigrip|adhesives?|"
    r"(?:contact |two-|three-|four-|multi-?)layers?|layer system|(?:her|his|their|lower) back|"
    r"toenails?|stoma bag|sutures?|stitch|plantar|bony|bone|tendon|joint|dryness|cracking|"
    r"cracks|cracked|peeling|flaking|flaky|scaling|scaly|soggy|blisters?|"
    # wound-care products by name and what a home uses on a wound (round 17)
    r"aquacel(?: ag)?|k-?lite|k-?band|actico|urgo\w*|mepilex|allevyn|inadine|iodoflex|"
    r"prontosan|phmb|octenilin|activon|medihoney|algisite|kaltostat|sorbsan|duoderm|"
    r"granuflex|tegaderm|opsite|cavilon|flamazine|betadine|sudocrem|savlon|germolene|"
    r"total contact cast|(?:two|four)-layer bandage|crepe|softban|flannel|facecloth|"
    r"cling ?film|hot water bottle|ice pack|talc|tea tree|aloe vera|dettol|tcp|soaks?|"
    r"non-weight-bearing|off-?load(?:ing|ed)?|regime|regimen|hanky|hankie|handkerchief|"
    r"cotton wool|gunk|gunge|goo|muck|bleed|bleeds|bled|gels?|sprays?|powders?|pastes?|"
    r"tubifast|tubular bandage|mobilisation|mobilization|mobilising|mobility|"
    # water on the wound (round 18)
    r"soak|soaking|soaked|baths?|bathe|bathed|showers?|showering|showered|"
    # graft surgery's sites (round 19)
    r"donor sites?|graft sites?|grafts|skin grafts?"
)
# Diagnostic words known by their form (round 16): the medical suffixes and prefixes of
# conditions, so a rare term no list names still reads as one ("That's hyperkeratosis",
# "This is necrobiosis lipoidica"). Words of the same form that are not findings are left
# out (diagnosis, prognosis, stoma, aroma, academia, hyperlink, hypothesis).
MORPHOLOGICAL_CONDITIONS = (
    r"(?!diagnos|prognos|osmos|hypnos)[a-z]{3,}(?:osis|oses|itis|iasis|opathy|opathies)|"
    r"(?!academ)[a-z]{3,}(?:aemia|emia|plasia|ectasia|phylaxis|rrhoea|rrhea|rrhage|rrhagia|"
    r"algia|odynia|megaly)|[a-z]*trophy|"
    r"[a-z]{2,}(?<!st)(?<!ar)(?<!dipl)omas?|hyper(?!link)[a-z]{4,}|"
    r"hypo(?!thes|allergen)[a-z]{4,}|over-?granulation|overgrowth"
)
# Rarer names of what a wound or the skin around it is (round 16).
RARE_WOUND_TYPES = (
    r"bedsores?|epibole|tinea(?: pedis)?|athlete's foot|chilblains?|frostbite|frost ?bite|"
    r"trench foot|"
    r"pilonidal (?:sinus|abscess|disease)|pyoderma|necrobiosis|lipoidica|erythrasma|"
    r"paronychia|ingrown (?:toe)?nails?|corns?|verrucas?|warts?|scabies|urticaria|hives|boils?|"
    r"carbuncles?|seroma|rash|rashes|calciphylaxis|martorell'?s?|haemosiderin|hemosiderin|(?:irritant|"
    r"contact|allergic) (?:dermatitis|reaction|allergy)|(?:a |an )?allergy to"
)
# Impairments a finding may be read as ("points to poor arterial flow").
IMPAIRMENTS = (
    r"(?:poor|reduced|impaired|compromised|inadequate|sluggish|diminished)\s+(?:arterial\s+|"
    r"venous\s+|peripheral\s+|blood\s+|lymphatic\s+)?(?:flow|circulation|perfusion|blood "
    r"supply|supply|drainage|sensation|glycaemic control|sugar control|nutrition)"
)
# What a wound or lesion can be called; "This is a <type>" classifies it (a diagnosis).
WOUND_TYPES = (
    r"ulcers?|sores?|pressure (?:injury|injuries|damage|ulcer|sore)|skin tears?|"
    r"moisture lesions?|lesions?|burns?|scalds?|abrasions?|lacerations?|grazes?|"
    r"ha?ematomas?|bruises?|cysts?|fistulae?|dehiscence|maceration|eschar|gangrene|"
    r"callus|blisters?|intertrigo|candida|thrush|fungal infection|shingles|psoriasis|"
    r"(?:insect|dog|cat|spider) bites?|bites?|trauma|category \w+|grade \w+|stage \w+|"
    r"cat \d|mrsa|slough|(?:sugar|diabetic|diabetes|pressure|venous|arterial|bed) (?:wounds?|"
    r"sores?)|(?:arterial|venous|vascular|circulation|circulatory|nerve|"
    r"diabetic|skin|heart|kidney) (?:problems?|issues?)|" + RARE_WOUND_TYPES
)
# Causes a wound can be attributed to ("... from ischaemia", "... because of his diabetes").
WOUND_CAUSES = (
    r"biofilms?|pressure|friction|shear|moisture|incontinence|poor circulation|"
    r"circulation|too much exudate|the dressing|the bandage|the compression|bacteria|"
    r"smoking|diabetes|sugar|neuropathy|trauma|an injury|a fall|a knock|(?:a |the |his |her )?"
    r"(?:leaking |leaky |wet |tight |old |wrong )?(?:dressings?|bandages?|shoes?|footwear|"
    r"boots?|stockings?|wrap)|leaking|leakage|rubbing|too tight|too wet"
)
# Services a referral may send a person to.
SERVICES = (
    r"foot clinic|diabetic foot (?:clinic|team|service)|podiatry|vascular|"
    r"dermatology|plastics|tissue viability(?: nurse| team)?|wound clinic|"
    r"lymphoedema (?:clinic|service)|orthotics|dietitian|dietician|physio(?:therapy)?|"
    r"occupational therapy|nurses?"
)
# An object that is a person: an imperative with it addresses care ("Turn him ...").
PERSON_OBJECT = r"(?:him|her|the patient|the resident|the client|patients)\b"
# Nouns of the photo workflow: an instruction about them is not clinical
# ("Keep the camera steady", "Use a ruler next to the wound").
PHOTO_TERMS = (
    r"scale (?:stickers?|markers?|references?|cards?)|stickers?|markers?|calibration|"
    r"measuring tapes?|tape measures?|photo kit|kit|photos?|photographs?|pictures?|images?|"
    r"camera|phone|ruler|scale reference|frame|tablet (?:level|steady|still|parallel|"
    r"upright|camera|screen)|"
    r"flash|lighting|light|glare|focus|label|lens|shot|background|angle|tablet screen"
)
# Who or where a referral sends the person to.
CLINICIANS = (
    r"doctors?|gp|physicians?|surgeons?|specialists?|consultants?|dermatologists?|"
    r"podiatrists?|pharmacists?|district nurses?|practice nurses?|specialist nurses?|"
    r"tissue viability|vascular (?:team|surgeons?|service)|wound clinic|clinic|hospital|"
    r"a ?& ?e|er|emergency|urgent care|ambulance|paramedics?|911|999|112|111|nhs 111|"
    r"out[- ]of[- ]hours|walk[- ]in|medical (?:help|attention|advice|care|treatment)|"
    r"(?:immediate|urgent|emergency|professional) (?:help|attention|advice|care|treatment)"
)
# Findings the system must not assert or hint at. ACUTE ones are never stated as present
# ("The patient has cellulitis"); HISTORY ones (and wound types) may be read back as
# recorded facts ("The patient has diabetes", "Patient with a venous leg ulcer") but never
# inferred ("This looks like a venous ulcer", "This suggests diabetes").
ACUTE_CONDITIONS = (
    r"infections?|infected|cellulitis|osteomyelitis|sepsis|septic(?:aemia|emia)?|"
    r"bacteraemia|bacteremia|gangrene|gangrenous|necroti[sz]ing fasciitis|abscess(?:es)?|"
    r"biofilms?|critical(?:ly)? coloni[sz](?:ation|ed)|coloni[sz](?:ation|ed)|isch(?:a)?emi(?:a|c)|"
    r"critical limb isch(?:a)?emia|dvt|deep vein thrombosis|thrombosis|malignan(?:cy|t)|"
    r"cancer(?:ous)?|carcinoma|melanoma|marjolin'?s?(?: ulcer)?|pyoderma(?: gangrenosum)?|"
    r"vasculitis|lymphangitis|erysipelas|impetigo|necrosis|sinus tracts?|tunnell?ing|"
    r"lipodermatosclerosis|atrophie blanche|stasis dermatitis|varicose eczema|fractures?|"
    r"mrsa|pseudomonas|staph(?:ylococcus|ylococcal)?|"
    r"strep(?:tococcus|tococcal)?|allergic reactions?|contact dermatitis|fever|pyrexia|"
    r"dehydration"
)
HISTORY_CONDITIONS = (
    r"deep tissue injury|(?:venous|arterial|diabetic|neuropathic|pressure|mixed|"
    r"ischaemic|ischemic) (?:leg |foot )?(?:ulcers?|injury|injuries)|"
    r"pressure (?:sores?|injury|injuries|damage)|charcot(?: foot)?|"
    r"(?:peripheral )?(?:arterial|vascular) (?:disease|insufficiency)|pad|"
    r"venous (?:insufficiency|hypertension|disease)|allergy|dermatitis|eczema|"
    r"lymph(?:o)?edema|lymphoedema|neuropathy|diabetes|hypertension|hypotension|"
    r"tachycardia|bradycardia|hypoxia|malnutrition|anaemia|anemia|heart failure|"
    r"kidney disease|renal failure|"
    # named in notes by their initials (round 18; analysis spells them out)
    r"moisture-associated skin damage|incontinence-associated dermatitis|"
    r"surgical site infections?|chronic venous insufficiency|"
    + MORPHOLOGICAL_CONDITIONS + "|" + IMPAIRMENTS
)
CONDITIONS = ACUTE_CONDITIONS + "|" + HISTORY_CONDITIONS
# What "needs ..." / "would benefit from ..." may not be followed by.
TREATMENT_NOUNS = (
    r"debridement|compression(?: therapy| bandaging| stockings)?|offloading|referral|surgery|"
    r"amputation|dressings?(?: changes?)?|new dressing|dressing changes?|specialist review|"
    r"review by|medical review|vascular (?:review|assessment|studies)|doppler|abpi|x-?rays?|"
    r"mri|scans?|imaging|blood tests?|bloods|cultures?|swabs?|biops(?:y|ies)|admission|"
    r"hospital(?:isation|ization)?|treatment|therapy|cleaning|cleansing|irrigation|"
    r"elevation|analgesia|pain relief|medical attention|stitches|sutures|"
    r"antibiotic cover|npwt|negative pressure(?: wound therapy)?|vac|larval therapy|"
    r"a doctor|a gp|a specialist|a surgeon|a nurse|" + MEDICATION_TERMS
)
# Instructions about data entry, not about care ("Check the value you entered").
DATA_TERMS = (
    r"values?|entry|entries|entered|fields?|forms?|records?|readings?|spelling|formats?|"
    r"questions?|answers?|boxes|options?|dates?|pin|signature|consent|screen|page|step|"
    r"list|unknown|number|identifier|mrn|name|its unit|the unit|the time it|capture time|"
    r"time (?:it|they) was captured|time of capture|"
    # the software itself (round 16): "The app will close in one minute" is not a forecast
    r"app|application|session|upload|download|sync|login|log-in|software|update|connection|"
    r"device|file|export|browser|password"
)
# Words that are verbs and adjectives alike ("Dry black eschar over the toe tip" is a finding,
# "Dry the skin well" an instruction): an instruction only when an object follows.
ADJECTIVE_VERBS = frozenset({"warm", "cool", "dry", "clean", "clear", "open", "close", "free",
                             "empty", "even", "smooth", "level", "firm", "tender", "moist",
                             "wet"})
OBJECT_START = (r"(?:the|a|an|it|them|this|that|these|those|his|her|your|their|its|any|"
                r"some|all|each|every|my|our|him|off|out|up|down|gently|thoroughly|well|"
                r"carefully)")
# Measurements whose interpretation ("too high") is a clinical judgement.
VITAL_TERMS = (
    r"blood pressure|bp|systolic|diastolic|heart rate|pulse|temperature|temp|saturations?|"
    r"sats|spo2|oxygen|respiratory rate|breathing rate|glucose|blood sugar|sugar levels?|"
    r"haemoglobin|hemoglobin|hb|white cell count|wcc|crp|inr|abpi|albumin|sodium|"
    r"potassium|creatinine|lactate|readings?|vitals|observations|obs"
)
# Who an instruction is addressed to or about; a modal with such a subject is advice.
PERSONS = (
    r"you|patient|patients|he|she|they|we|i|client|resident|carer|caregiver|family|"
    r"nurse|team|staff|him|her|them"
)


def words(pattern: str) -> str:
    """``pattern`` as a whole-word alternation group."""
    return rf"\b(?:{pattern})\b"
