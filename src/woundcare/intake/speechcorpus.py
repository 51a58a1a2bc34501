"""A generated corpus of spoken wound-care intake notes, the training text of the speech
recogniser's domain language model (:mod:`woundcare.intake.langmodel`).

Sentences are made from templates with slots (names, ages, spoken dates, record numbers read
digit by digit, wound sites, sizes, durations, consent wording), deterministically from a
seed. Every surname in it is obviously synthetic; first names are common given names of
varied origins. The held-out notes that measure the recogniser
(:data:`woundcare.intake.synthetic.SPOKEN_HELDOUT`) were written separately: their exact name
pairs are excluded here, and no held-out note occurs verbatim (a test checks).

Words are lower case, as the recogniser's dictionary spells them.
"""

from __future__ import annotations

import random

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
ORDINALS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
            "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]

FIRST_NAMES = """
alma oliver greta ivan noor tomasz ingrid pieter beatrix connor dorothy amelia hamish thea
agnes albert alice arthur barbara bernard carmen clara daniel david edith edward elena elsie
emma eric esther eva frank george grace hannah harold helen henry hugo irene isaac jack james
jean john joseph josef judith julia karen kenji leila lena leo lucy mabel margaret maria
marek martha mary mei michael mohammed nadia nina olga oscar patrick paul peter priya rachel
rita robert rosa ruth samuel sara sean sofia stanley susan teresa thomas vera victor walter
william yusuf zainab ahmed aisha anil chen dimitri fatima hiroshi javier kofi lars li mateo
omar ravi sanjay sven wei yuki abdul amara ana ben carlos eileen farah gloria ida joan kurt
maud nora pablo rosa stella ursula vivian winifred xavier yvonne zoe
"""
# Obviously synthetic surnames (the product's fixtures use the same style).
SURNAMES = """
testcase sampleton placeholder fakename notreal example exampleson testperson dummy
mcexample clarke whitfield testwood samplewell fakeley placeholt trialson mockett specimen
notaname demoson fictional madeup testbury sampleby
"""
# Pronunciations (CMU phone set) for words of this corpus that the CMU dictionary lacks and
# that are not compounds of its words.
PRONUNCIATIONS = {
    "exudate": "EH K S Y UW D EY T", "alginate": "AE L JH AH N EY T", "noor": "N UH R",
    "priya": "P R IY Y AH", "tomasz": "T AA M AA SH", "yuki": "Y UW K IY",
    "yusuf": "Y UW S AH F", "zainab": "Z EY N AE B", "anil": "AH N IY L",
    "mcexample": "M AH K IH G Z AE M P AH L", "mockett": "M AA K IH T",
    "madeup": "M EY D AH P", "notaname": "N AA T AH N EY M", "sampleby": "S AE M P AH L B IY",
}
# Pairs that occur in the held-out notes: never generated together.
HELD_OUT_PAIRS = {("greta", "testcase"), ("ivan", "placeholder"), ("noor", "sampleton"),
                  ("tomasz", "fakename")}

SIDES = ["left", "right"]
SITES = ["shin", "heel", "ankle", "foot", "toe", "big toe", "calf", "leg", "lower leg", "knee",
         "sacrum", "buttock", "hip", "elbow", "arm", "forearm", "hand", "back", "abdomen",
         "shoulder", "thigh", "groin", "chest", "head", "ear"]
WOUNDS = ["ulcer", "leg ulcer", "venous ulcer", "pressure injury", "pressure ulcer",
          "skin tear", "surgical wound", "diabetic foot ulcer", "burn", "laceration", "wound",
          "graze", "abscess", "blister"]
TISSUE = ["granulation tissue", "slough", "some slough", "dry skin", "redness around it",
          "a small amount of exudate", "a moderate amount of exudate", "a lot of exudate",
          "swelling", "a bad smell", "macerated edges", "healthy edges", "some bleeding",
          "no signs of infection", "yellow tissue", "black tissue"]
DRESSINGS = ["foam dressing", "silicone dressing", "alginate", "hydrocolloid", "gauze",
             "compression bandage", "film dressing", "honey dressing", "silver dressing"]
UNITS = ["days", "weeks", "months", "years"]
RELATIONS = ["daughter", "son", "wife", "husband", "partner", "carer", "neighbour", "sister"]
MRN_LABELS = ["record number", "hospital number", "m r n", "unit number", "patient number",
              "medical record number", "patient i d", "u r number", "n h s number"]


def number_words(n: int) -> str:
    """0-9999 in words, as spoken in a note ("seventy nine", "one hundred and two")."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + number_words(rest))
    thousands, rest = divmod(n, 1000)
    tail = "" if rest == 0 else (" and " if rest < 100 else " ") + number_words(rest)
    return number_words(thousands) + " thousand" + tail


def ordinal_words(n: int) -> str:
    if n <= 20:
        return ORDINALS[n]
    tens, ones = divmod(n, 10)
    if ones == 0:
        return TENS[tens][:-1] + "ieth"
    return TENS[tens] + " " + ORDINALS[ones]


def year_words(year: int) -> str:
    """1944 → "nineteen forty four"; 1905 → "nineteen oh five"; 2003 → "two thousand and
    three"."""
    if 2000 <= year < 2010:
        return "two thousand" + ("" if year == 2000 else " and " + ONES[year - 2000])
    high, low = divmod(year, 100)
    if low == 0:
        return number_words(high) + " hundred"
    return number_words(high) + " " + (("oh " + ONES[low]) if low < 10 else number_words(low))


def digits_words(digits: str, rng: random.Random) -> str:
    return " ".join(("oh" if rng.random() < 0.2 else "zero") if d == "0" else ONES[int(d)]
                    for d in digits)


class _Slots:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.first_names = FIRST_NAMES.split()
        self.surnames = SURNAMES.split()

    def pick(self, items: list[str]) -> str:
        return self.rng.choice(items)

    def name(self) -> tuple[str, str]:
        while True:
            pair = (self.pick(self.first_names), self.pick(self.surnames))
            if pair not in HELD_OUT_PAIRS:
                return pair

    def age(self) -> str:
        return number_words(self.rng.randint(18, 102))

    def date(self) -> str:
        day, month = self.rng.randint(1, 28), self.pick(MONTHS)
        year = year_words(self.rng.randint(1920, 2006))
        form = self.rng.random()
        if form < 0.5:
            return f"the {ordinal_words(day)} of {month} {year}"
        if form < 0.75:
            return f"{month} the {ordinal_words(day)} {year}"
        if form < 0.9:
            return f"{ordinal_words(day)} of {month} {year}"
        return f"{month} {ordinal_words(day)} {year}"

    def mrn(self) -> str:
        length = self.rng.choice([6, 6, 7, 7, 8, 10])
        return digits_words("".join(str(self.rng.randint(0, 9)) for _ in range(length)),
                            self.rng)

    def site(self) -> str:
        return f"{self.pick(SIDES)} {self.pick(SITES)}"

    def size(self) -> str:
        a, b = self.rng.randint(1, 12), self.rng.randint(1, 12)
        unit = self.pick(["centimetres", "centimetres", "centimeters", "millimetres", "c m"])
        if self.rng.random() < 0.3:
            tenth = ONES[self.rng.randint(0, 9)]
            return f"{number_words(a)} point {tenth} by {number_words(b)} {unit}"
        return f"{number_words(a)} by {number_words(b)} {unit}"

    def duration(self) -> str:
        n = self.rng.randint(1, 12)
        unit = self.pick(UNITS)
        return f"{'one' if n == 1 else number_words(n)} {unit[:-1] if n == 1 else unit}"


def _sentence(s: _Slots) -> str:
    first, last = s.name()
    he, his, man = s.rng.choice([("he", "his", "man"), ("she", "her", "woman")])
    templates = [
        f"patient name {first} {last}",
        f"patient name {first} {last} {he} is {s.age()} years old",
        f"the patient is {first} {last}",
        f"my name is {first} {last}",
        f"my name is {first} {last} and i was born on {s.date()}",
        f"my name is {first} {last} i am {s.age()}",
        f"my name is {first} {last} and i am {s.age()} years old",
        f"name {first} {last}",
        f"surname {last} first name {first}",
        f"this is {first} {last}",
        f"i saw {first} {last} today",
        f"{first} {last} is a {s.age()} year old {man}",
        f"the patient is a {s.age()} year old {man}",
        f"the patient is a {s.age()} year old {man} with a {s.pick(WOUNDS)} on the {s.site()}",
        f"{he} is {s.age()} years old",
        f"{he} is {s.age()}",
        f"age {s.age()}",
        f"aged {s.age()}",
        f"date of birth {s.date()}",
        f"date of birth is {s.date()}",
        f"born on {s.date()}",
        f"{he} was born on {s.date()}",
        f"d o b {s.date()}",
        f"{s.pick(MRN_LABELS)} {s.mrn()}",
        f"{his} {s.pick(MRN_LABELS)} is {s.mrn()}",
        f"sex {s.pick(['male', 'female'])}",
        f"{he} is a {man}",
        f"{he} consents to photographs of the wound",
        f"{he} consents to photographs of the wound and to data storage",
        f"{he} agreed to photographs",
        f"{he} agreed to photos today",
        f"{he} does not want photos",
        f"{he} does not want photos on the team board",
        f"{he} declined photographs",
        f"{he} does not consent to photographs",
        f"{he} consents to data storage",
        f"{he} does not consent to data storage",
        "consent for photography was not discussed",
        "consent for photography given",
        "consent has not been asked yet",
        f"the wound is on the {s.site()}",
        f"the wound is on the {s.site()} and it has been there for {s.duration()}",
        f"there is a {s.pick(WOUNDS)} on the {s.site()}",
        f"{he} has a {s.pick(WOUNDS)} on {his} {s.site()}",
        f"the {s.pick(WOUNDS)} on {his} {s.site()} measures {s.size()}",
        f"the wound measures {s.size()}",
        f"it measures {s.size()} and it is {s.pick(['deep', 'shallow', 'superficial'])}",
        f"the wound has been there for {s.duration()}",
        f"it started about {s.duration()} ago",
        f"the wound bed has {s.pick(TISSUE)}",
        f"there is {s.pick(TISSUE)} and {s.pick(TISSUE)}",
        f"there is {s.pick(TISSUE)}",
        f"the dressing was changed {s.pick(['today', 'yesterday', 'this morning'])}",
        f"we used a {s.pick(DRESSINGS)}",
        f"the current dressing is a {s.pick(DRESSINGS)}",
        f"{he} says the pain is {number_words(s.rng.randint(0, 10))} out of ten",
        f"pain score {number_words(s.rng.randint(0, 10))} out of ten",
        f"{he} lives alone",
        f"{he} lives with {his} {s.pick(RELATIONS)}",
        f"{he} is diabetic",
        f"{he} has diabetes and poor circulation",
        f"{he} smokes",
        f"{he} does not smoke",
        f"the referral came from the {s.pick(['community nurse', 'g p', 'hospital', 'clinic'])}",
        f"phone number {s.mrn()}",
        f"temperature thirty {ONES[s.rng.randint(6, 9)]} point {ONES[s.rng.randint(0, 9)]}",
        "no known allergies",
        f"allergic to {s.pick(['penicillin', 'latex', 'adhesive tape', 'iodine'])}",
        f"review in {s.duration()}",
    ]
    return s.pick(templates)


def generate_corpus(count: int = 30_000, seed: int = 20261201) -> list[str]:
    """``count`` sentences; a note of several sentences is also emitted as one run-on line
    (speakers do not pause between them), about one line in four."""
    rng = random.Random(seed)
    slots = _Slots(rng)
    out: list[str] = []
    while len(out) < count:
        if rng.random() < 0.25:
            out.append(" ".join(_sentence(slots) for _ in range(rng.randint(2, 3))))
        else:
            out.append(_sentence(slots))
    return out
