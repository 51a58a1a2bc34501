"""Patient names: "Name: John Doe", "Doe, John", "Mr. John Doe", "Patient: Jane Q. Roe",
"My name is john doe", "I'm Jane", "preferred name Jay", "goes by Jay".

Names are kept exactly as written (no re-capitalisation: "McTestface", "van der Example" and
all-caps OCR would all be mangled by a guess). Lower-case names are accepted only after an
explicit cue ("my name is", "name:", "goes by") because transcribed speech is lower-case;
"I'm <x>" and "call me <x>" need a capitalised word ("I'm fine" is not a name). Titles never
feed the sex field, and names preceded by "doctor", "emergency contact", "my wife" ... in the
same clause are taken to be someone else's.
"""

from __future__ import annotations

import re

from woundcare.intake.common import SEP_LINE, Findings, third_party_context

FIRST, LAST, PREFERRED = "patient.first_name", "patient.last_name", "patient.preferred_name"

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*")
_GAP = re.compile(r"[ \t]{1,8}")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_PARTICLES = _wordset(
    """
    van von de der den del della dei degli da di du la le les los las dos das ter ten het
    vom zum zu op bin binti bint ibn al el ap ab st ste saint ó ní nic mac mc ua uí te
    """
)
# Words that end a name even when capitalised (labels, titles, function words).
_STOP = _wordset(
    """
    a about after age aged ago also am an and any are as at be because been before being
    born but by call called can cell consent consents contact could date day daughter
    declines did do does dob d0b email e-mail family female first for from gender given go
    goes going had has have he her here hi his hello hospital i i'm id if im in intersex is
    it its just know known last like male man me middle miss mobile month mr mrs mrn ms mx
    my name no nok not now number of ok okay old on or patient phone please preferred
    prefers record sex she so surname tel telephone thank thanks that the them then there
    they this to today uh um we was were what when where which who will with woman year
    years yes you your sir madam dear dr doctor nurse details information info sheet
    summary notes history form label letter referral identifier demographics review
    assessment profile particulars data today yesterday attached above below enclosed
    clinic unit wound care plan team service nursing community centre center department
    practice monday tuesday wednesday thursday friday saturday sunday prof professor rev revd
    reverend
    """
)
# Extra words after "I'm"/"I am" that are states, not names.
_NOT_AFTER_IM = _wordset(
    """
    afraid allergic back better busy diabetic done feeling fine glad good great happy here
    hurting in not okay ok on pregnant ready retired scared single sore sorry still sure
    tired unsure very well worried married widowed divorced over under
    """
)

# "patient", also as OCR and line breaks leave it: "Pat1ent", "Patlent", "Pati-\nent".
_PATIENT_WORD = r"pat(?:i|1|l|-[ \t]{0,8}\n[ \t]{0,8}i|i-[ \t]{0,8}\n[ \t]{0,8})ent"
_LABEL = re.compile(
    r"(?<![^\W\d_])(?:(?P<q>preferred[ \t]{1,8}|first[ \t]{1,8}|given[ \t]{1,8}|last[ \t]{1,8}"
    r"|family[ \t]{1,8}|sur|fore"
    r"|middle[ \t]{1,8}|full[ \t]{1,8}|nick[ \t]{0,8}|my[ \t]{1,8}"
    r"|(?:" + _PATIENT_WORD + r"|pt|client)'?s?\.?[ \t]{1,8}(?:full[ \t]{1,8})?)?(?:name|narne)s?"
    r"(?:[ \t]{1,8}of[ \t]{1,8}(?:the[ \t]{1,8})?(?:patient|client))?"
    r"(?:[ \t]{0,8}\((?:last|surname|family)[ \t]{0,8},[ \t]{0,8}(?:first|given|fore)"
    r"(?:[ \t]{0,8}names?)?\))?"
    r"(?:" + SEP_LINE + r"|[ \t]{0,8}(?:[:=\-–]|[.…_]{2,12})[ \t]{0,8}|[ \t]{1,8}is[ \t]{1,8}"
    r"|'s[ \t]{1,8}"
    r"|[ \t]{1,8})"
    r"|(?P<patient>" + _PATIENT_WORD + r"|pt|client|resident|re)\.?[ \t]{0,8}[:\-–][ \t]{0,8})",
    re.IGNORECASE,
)
# "Patient Alma Testcase", "Patient\nAlma Testcase": a patient label without a colon takes
# two or more capitalised words.
_PATIENT_BARE = re.compile(
    r"(?<![^\W\d_])(?:patient|pt|client)\.?(?:" + SEP_LINE + r"|[ \t]{1,8})(?=[^\W\d_])",
    re.IGNORECASE,
)
# "I saw Thea Testcase today", "Thank you for seeing Alma Testcase": a visit verb then two
# or more capitalised words.
_SAW = re.compile(
    r"(?<![^\W\d_])(?:(?:i|we)[ \t]{1,8}(?:saw|visited|reviewed|assessed|examined|met)"
    r"|for[ \t]{1,8}(?:seeing|reviewing|assessing)|(?:could|please|kindly)[ \t]{1,8}(?:see|review"
    r"|assess))[ \t]{1,8}",
    re.IGNORECASE,
)
# A name label is someone else's when the same line names another role before it
# ("Contact name:", "Clinician name:", "Written by:").
_OTHER_ROLE = re.compile(
    r"\b(?:contact|informant|interpreter|author|sender|cc|by|translator|witness|staff"
    r"|practitioner|referrer|provider|relative|carer|caregiver|kin|gp|doctor|clinician|nurse)\b[^\n]{0,20}$",
    re.IGNORECASE,
)
# A title right after a patient or name label is the patient's ("Patient: Dr Jo Roe",
# "Name: Rev Ann Doe"); elsewhere "Dr" and "Prof." usually name someone else.
_LEAD_TITLE = re.compile(
    r"(?:mr|mrs|ms|miss|mx|sir|dame|lady|lord|rev|revd|reverend|(?P<doc>dr|doctor|prof"
    r"|professor))\.?[ \t]{1,8}(?=[^\W\d_])",
    re.IGNORECASE,
)
_PATIENT_IN_LABEL = re.compile(r"^(?:" + _PATIENT_WORD + r"|pt\b|client|resident)",
                               re.IGNORECASE)
_TITLE = re.compile(r"(?<![^\W\d_])(?:mr|mrs|ms|miss|mx)\.?[ \t]{1,8}", re.IGNORECASE)
_IM = re.compile(
    r"(?<![^\W\d_])(?:i'm|i’m|i[ \t]{1,8}am|this[ \t]{1,8}is)[ \t]{1,8}", re.IGNORECASE
)
_PREFERRED = re.compile(
    r"(?<![^\W\d_])(?P<cue>goes[ \t]{1,8}by|go[ \t]{1,8}by"
    r"|prefers?[ \t]{1,8}to[ \t]{1,8}be[ \t]{1,8}called"
    r"|likes?[ \t]{1,8}to[ \t]{1,8}be[ \t]{1,8}called|known[ \t]{1,8}as|calls?[ \t]{1,8}me"
    r"|preferred[ \t]{1,8}name)"
    r"(?:[ \t]{0,8}[:\-–][ \t]{0,8}|[ \t]{1,8}is[ \t]{1,8}|[ \t]{1,8})",
    re.IGNORECASE,
)
_LAST_COMMA_FIRST_LINE = re.compile(r"^[ \t]{0,8}(?=\S)", re.MULTILINE)

Token = tuple[str, int, int, str]  # text, start, end, kind: cap|initial|particle|low


def _tokens(text: str, pos: int, *, lower_ok: bool, limit: int = 5) -> list[Token]:
    out: list[Token] = []
    i = pos
    while len(out) < limit:
        m = _WORD.match(text, i)
        if m is None:
            break
        word, start, end = m.group(), m.start(), m.end()
        dotted = len(word) == 1 and text[end : end + 1] == "."
        low = word.lower()
        if dotted and word.isupper():
            out.append((word + ".", start, end + 1, "initial"))
            end += 1
        elif low in _STOP:
            break
        elif low in _PARTICLES and out:
            out.append((word, start, end, "particle"))
        elif word[0].isupper():
            out.append((word, start, end, "initial" if len(word) == 1 else "cap"))
        elif lower_ok and len(word) > 1:
            out.append((word, start, end, "low"))
        else:
            break
        gap = _GAP.match(text, end)
        if gap is None:
            break
        i = gap.end()
    while out and out[-1][3] == "particle":
        out.pop()
    return out


def _add_full(text: str, tokens: list[Token], findings: Findings, *, single_is_last: bool) -> None:
    """First token → first name; last token (with particles before it) → last name."""
    if not tokens:
        return
    if len(tokens) == 1:
        word, start, end, kind = tokens[0]
        if kind != "initial":
            findings.add(LAST if single_is_last else FIRST, word, start, end)
        return
    first = tokens[0]
    if first[3] != "initial":
        findings.add(FIRST, first[0], first[1], first[2])
    last_i = len(tokens) - 1
    if tokens[last_i][3] == "initial":
        return
    begin = last_i
    while begin - 1 > 0 and tokens[begin - 1][3] == "particle":
        begin -= 1
    # "Ines da Silva Fingida", "Luisa de la Cruz Ficticia": a particle after the given name
    # starts the surname, which runs to the end.
    particles = [i for i in range(1, last_i) if tokens[i][3] == "particle"]
    if particles and particles[0] < begin:
        begin = particles[0]
    start, end = tokens[begin][1], tokens[last_i][2]
    findings.add(LAST, text[start:end], start, end)


def _add_whole(text: str, tokens: list[Token], path: str, findings: Findings) -> None:
    if tokens and tokens[0][3] != "initial":
        start, end = tokens[0][1], tokens[-1][2]
        findings.add(path, text[start:end], start, end)


def _comma_form(text: str, tokens: list[Token], *, lower_ok: bool) -> list[Token] | None:
    """ "Doe, John [Q.]": one surname token directly followed by a comma and given names."""
    if len(tokens) != 1:
        return None
    m = re.compile(r"[ \t]{0,8},[ \t]{0,8}").match(text, tokens[0][2])
    if m is None:
        return None
    given = _tokens(text, m.end(), lower_ok=lower_ok, limit=3)
    if not given or given[0][3] == "initial":
        return None
    return given


_BY = re.compile(r"\b(?:by|cc|attn|c\.c\.)\b[^\n.;:]{0,25}[:]?[ \t]{0,8}$", re.IGNORECASE)


def _caps_surname_first(tokens: list[Token]) -> bool:
    """Hospital labels' "SURNAME Given [Middle]": an all-capitals word, then words that are
    capitalised but not all capitals."""
    if len(tokens) < 2 or tokens[0][3] != "cap" or not tokens[0][0].isupper():
        return False
    rest = [t for t in tokens[1:] if t[3] == "cap"]
    return bool(rest) and tokens[1][3] == "cap" and not any(t[0].isupper() for t in rest)


def _someone_else(text: str, start: int) -> bool:
    """A name after "seen by", "cc:", "doctor", "my wife" ... belongs to someone else."""
    line_start = text.rfind("\n", 0, start) + 1
    return third_party_context(text, start) or _BY.search(text, line_start, start) is not None


def extract_names(text: str, findings: Findings) -> None:
    for m in _LABEL.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if _OTHER_ROLE.search(text, line_start, m.start()):
            continue
        if m.group("patient") is None and third_party_context(text, m.start()):
            continue
        qualifier = (m.group("q") or "").strip().lower()
        title = _LEAD_TITLE.match(text, m.end())
        if title and title.group("doc") and not (
                m.group("patient") or _PATIENT_IN_LABEL.match(m.group())
                or (not qualifier and text[line_start:m.start()].strip() == "")):
            continue  # "GP name: Dr ...", "Contact name: Prof ...": not the patient
        tokens = _tokens(text, title.end() if title else m.end(), lower_ok=True)
        if qualifier in {"preferred", "nick"}:
            _add_whole(text, tokens, PREFERRED, findings)
        elif qualifier in {"first", "given", "fore"}:
            # "First names: Patricia Ann": the first of several given names
            plural = m.group().rstrip(" \t:=-–.…_\n").lower().endswith("names")
            _add_whole(text, tokens[:1] if plural else tokens, FIRST, findings)
        elif qualifier in {"last", "family", "sur"}:
            _add_whole(text, tokens, LAST, findings)
        elif qualifier != "middle":
            given = _comma_form(text, tokens, lower_ok=True)
            if given is not None:
                _add_whole(text, tokens, LAST, findings)
                _add_full(text, given[:1], findings, single_is_last=False)
            elif _caps_surname_first(tokens):  # "Name: TESTCASE Alma"
                _add_whole(text, tokens[:1], LAST, findings)
                _add_whole(text, tokens[1:2], FIRST, findings)
            else:
                _add_full(text, tokens, findings, single_is_last=False)
    for pattern in (_PATIENT_BARE, _SAW):
        for m in pattern.finditer(text):
            tokens = _tokens(text, m.end(), lower_ok=False, limit=4)
            given = _comma_form(text, tokens, lower_ok=False) if pattern is _PATIENT_BARE else None
            if given is not None and given[0][3] == "cap":  # "Patient Testcase, Alma"
                _add_whole(text, tokens, LAST, findings)
                _add_full(text, given[:1], findings, single_is_last=False)
            elif len(tokens) >= 2 and tokens[0][3] == "cap" and not (
                pattern is _SAW and _someone_else(text, m.start())
            ):
                _add_full(text, tokens, findings, single_is_last=False)
    for m in _TITLE.finditer(text):
        if not _someone_else(text, m.start()):
            _add_full(text, _tokens(text, m.end(), lower_ok=False), findings, single_is_last=True)
    for m in _IM.finditer(text):
        tokens = _tokens(text, m.end(), lower_ok=False, limit=3)
        if tokens and tokens[0][0].lower() not in _NOT_AFTER_IM:
            _add_full(text, tokens, findings, single_is_last=False)
    for m in _PREFERRED.finditer(text):
        cue = m.group("cue").lower()
        if cue == "preferred name" and m.start() > 0 and text[m.start() - 1] not in " \t\n":
            continue
        tokens = _tokens(text, m.end(), lower_ok=not cue.startswith("call"), limit=2)
        if not third_party_context(text, m.start()):
            _add_whole(text, tokens, PREFERRED, findings)
    _bare_comma_lines(text, findings)


def _bare_comma_lines(text: str, findings: Findings) -> None:
    """A line that is nothing but "Doe, John" (forms, wristband OCR)."""
    for line in _LAST_COMMA_FIRST_LINE.finditer(text):
        tokens = _tokens(text, line.end(), lower_ok=False, limit=1)
        if not tokens or tokens[0][3] != "cap":
            continue
        given = _comma_form(text, tokens, lower_ok=False)
        if given is None or given[0][3] != "cap":
            continue
        rest_end = text.find("\n", given[-1][2])
        rest = text[given[-1][2] : len(text) if rest_end < 0 else rest_end]
        if rest.strip():
            continue
        _add_whole(text, tokens, LAST, findings)
        _add_full(text, given[:1], findings, single_is_last=False)
