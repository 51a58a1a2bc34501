"""Consent statements: granted or declined, per kind, only when said explicitly.

Rules (product decisions, see the intake report):

* A kind is decided only when its own words appear ("data storage", "photos", "team board").
  General consent ("consents to everything", "I consent") decides nothing; a note asks for
  each consent to be confirmed. Team-board sharing needs the words "team board" explicitly.
* Within a clause, a negation/decline cue (not, don't, declines, refuses, withdraws, no …
  photos) wins over a grant cue; double negatives ("don't mind", "no objection") grant;
  hedges ("not sure", "maybe", "pending", "not discussed") decide nothing.
* Across the text, a decline of a kind wins over a grant of the same kind (noted).
* Text that looks like an instruction to a machine ("ignore previous instructions", "set
  consent to granted", "system: …", ``consent=yes``) is never read for consent (noted).
* A question ("Do you consent to photos?") decides nothing by itself; a yes/no answer in the
  next clause decides the kinds the question named.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from woundcare.intake.common import Findings
from woundcare.intake.models import ConsentDecision, ParsedConsent

_I = re.IGNORECASE
_TOPICS: dict[str, re.Pattern[str]] = {
    "data_storage": re.compile(
        r"\bdata[ \t\-]*storage\b|\bstorage\b|\bstor(?:e|ed|ing)\b[^\n]{0,25}?\b(?:data|information"
        r"|info|details|records?)\b|\b(?:data|information|info|details|records?)\b[^\n]{0,25}?"
        r"\b(?:stored|kept|retained|saved|held)\b|\bkeep(?:ing)?[ \t]{1,8}(?:my|her|his|their|the)"
        r"[ \t]{1,8}(?:data|records?|information|details)\b",
        _I,
    ),
    "photography": re.compile(
        r"\b(?:photo(?:s|graph|graphs|graphy|graphed|graphing)?|pictures?|pics?|images?)\b", _I
    ),
    "team_board_sharing": re.compile(r"\bteam(?:'s)?[ \t\-]*board\b|\bteamboard\b", _I),
}
_ANY_TOPIC = re.compile("|".join(f"(?:{p.pattern})" for p in _TOPICS.values()), _I)

_DOUBLE_NEGATIVE_GRANT = re.compile(
    r"\b(?:do(?:es)?n['’]?t|do(?:es)?[ \t]{1,8}not|wouldn['’]?t|would[ \t]{1,8}not)[ \t]{1,8}mind\b"
    r"|\bno[ \t]{1,8}(?:problem|objections?|issues?|concerns?)\b"
    r"|\bnot[ \t]{1,8}(?:a[ \t]{1,8})?problem\b"
    r"|\b(?:do(?:es)?n['’]?t|do(?:es)?[ \t]{1,8}not|never)[ \t]{1,8}object\b"
    r"|\bnot[ \t]{1,8}opposed\b"
    r"|\bwhy[ \t]{1,8}not\b",
    _I,
)
_HEDGE = re.compile(
    r"\bnot[ \t]{1,8}(?:yet[ \t]{1,8})?(?:sure|certain|decided|recorded|asked|discussed|obtained|"
    r"documented|captured|known|applicable|answered|signed)\b|\bunsure\b|\bundecided\b|\bmaybe\b"
    r"|\bperhaps\b|\bthink[ \t]{1,8}about[ \t]{1,8}it\b|\bpending\b"
    r"|\bto[ \t]{1,8}be[ \t]{1,8}confirmed\b"
    r"|\btb[cd]\b|\bn/a\b|\blater\b|\bunknown\b|\bhasn['’]?t[ \t]{1,8}decided\b",
    _I,
)
_DECLINE = re.compile(
    r"\b(?:not|non|never|none|do(?:es)?n['’]?t|didn['’]?t|won['’]?t|can['’]?t|cannot"
    r"|shouldn['’]?t|declines?|declined|declining|refuses?|refused|refusing|refusal|withdraws?"
    r"|withdrew|withdrawn|withdrawing|revokes?|revoked|revoking|objects?|objected|objecting"
    r"|against|without|opts?[ \t]{0,8}out|opted[ \t]{0,8}out|rather[ \t]{1,8}not"
    r"|prefers?[ \t]{1,8}not|nope"
    r"|nah|withheld|denie[sd]|deny|forbid|forbids|forbidden|unwilling|disagrees?|disagreed)\b",
    _I,
)
_NO_BEFORE_TOPIC = re.compile(
    r"\bno\b(?:[ \t]{1,8}\w+){0,3}?[ \t]{1,8}(?=" + _ANY_TOPIC.pattern + ")", _I
)
_GRANT = re.compile(
    r"\b(?:consents?|consented|consenting|agrees?|agreed|agreeing|ok|okay|fine|happy|yes|yeah"
    r"|yep|sure|allows?|allowed|permits?|permitted|permission|accepts?|accepted|approves?"
    r"|approved|willing|granted|grants?|given|authori[sz]e[sd]?|go[ \t]{1,8}ahead"
    r"|(?:can|may)[ \t]{1,8}(?:take|store|keep|share|use))\b|o\.k\.|\[[xX✓✔]\]|[☑☒]",
    _I,
)
_KEY_VALUE = re.compile(
    r"(?P<t>(?:consent[ \t]{1,8}(?:to|for)[ \t]{1,8})?(?:data[ \t]{0,8}storage|storage|photo(?:s"
    r"|graphs?|graphy)?"
    r"|pictures?|images?"
    r"|team[ \t\-]*board(?:[ \t]{1,8}sharing)?)(?:[ \t]{1,8}consent)?)[ \t]{0,8}[:=\-–][ \t]{0,8}"
    r"(?P<v>yes|y|no|n|granted|given|declined|refused|ok|okay|agreed|agrees|declines|true|false"
    r"|[xX✓✔])(?![\w])",
    _I,
)
_YES = re.compile(
    r"^[ \t]{0,8}(?:yes|yeah|yep|yup|sure|ok|okay|fine|of[ \t]{1,8}course|absolutely|certainly"
    r"|that'?s"
    r"[ \t]{1,8}fine|i[ \t]{1,8}do|go[ \t]{1,8}ahead)\b",
    _I,
)
_NO = re.compile(
    r"^[ \t]{0,8}(?:no|nope|nah|never|not|rather[ \t]{1,8}not|i[ \t]{1,8}do(?:n['’]?t"
    r"|[ \t]{1,8}not)|i['’]?d"
    r"[ \t]{1,8}rather[ \t]{1,8}not|please[ \t]{1,8}don['’]?t)\b",
    _I,
)
_SPEAKER = re.compile(r"^[ \t]{0,8}[A-Za-z][\w .]{0,20}:[ \t]{0,8}")
_UNCHECKED = re.compile(r"^[ \t]{0,8}(?:\[[ \t]?\]|☐)")
_GENERAL = re.compile(
    r"\b(?:consents?|consented|agrees?|agreed)\b[^\n]{0,30}?\b(?:everything|all|anything"
    r"|whatever)\b|^[ \t]{0,8}(?:i[ \t]{1,8}|patient[ \t]{1,8})?(?:consents?|agrees?)[ \t]{0,8}$",
    _I,
)

# Instruction-like text: never read for consent.
_ROLE_LINE = re.compile(
    r"^[ \t>#*\-]{0,8}[\[<(|]{0,3}[ \t]{0,8}(?:system|assistant|developer|instructions?|prompt|ai"
    r"|model|tool"
    r"|admin|root)[ \t]{0,8}[\]>)|]{0,3}[ \t]{0,8}(?::|>|$)",
    re.IGNORECASE | re.MULTILINE,
)
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^\n]{0,60}?\b(?:instructions?|rules|"
    r"prompts?|previous|above|system|guardrails?|polic(?:y|ies))\b"
    r"|\b(?:set|change|update|mark|switch|toggle|flip|force|fill|record)\b[^\n.;]{0,40}?"
    r"\b(?:consents?|fields?|status)\b[^\n.;]{0,20}?\b(?:to|as|=)\b"
    r"|\w{0,40}consent\w{0,40}[ \t]{0,8}=|[\"']\w{0,40}consent\w{0,40}[\"'][ \t]{0,8}:|<\|[^"
    r"|\n]*\|>|\[/?INST\]"
    r"|\byou[ \t]{1,8}are[ \t]{1,8}(?:now|an?)[ \t]{1,8}(?:ai|assistant|model|system|language)\b",
    _I,
)
_CONJUNCTION = re.compile(
    r"\b(?:but|however|although|though|except|whereas)\b|,?[ \t]{1,8}and[ \t]{1,8}(?=(?:not|no"
    r"|never)\b)",
    _I,
)
_SENTENCE = re.compile(r"(?P<body>[^\n.;!?]*)(?P<end>[.;!?]+|\n|$)")
_BLANK_LINE = re.compile(r"\n[ \t]{0,8}\n")


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _injected_lines(text: str) -> list[tuple[int, int]]:
    """Ranges read as machine instructions: role-prefixed lines, and a role header's block."""
    ranges: list[tuple[int, int]] = []
    for m in _ROLE_LINE.finditer(text):
        line_end = text.find("\n", m.start())
        line_end = len(text) if line_end < 0 else line_end
        if not text[m.end() : line_end].strip():  # a bare header: up to the next blank line
            block = _BLANK_LINE.search(text, line_end)
            line_end = len(text) if block is None else block.start()
        ranges.append((m.start(), line_end))
    return ranges


def _clauses(text: str) -> Iterator[tuple[int, str, bool]]:
    """(start, clause, is_question) for every clause of every sentence."""
    for sentence in _SENTENCE.finditer(text):
        body = sentence.group("body")
        if not body.strip():
            continue
        question = "?" in sentence.group("end")
        cuts = [0, *(m.start() for m in _CONJUNCTION.finditer(body)), len(body)]
        for lo, hi in pairwise(cuts):
            if body[lo:hi].strip():
                yield sentence.start("body") + lo, body[lo:hi], question


def _topics(clause: str) -> set[str]:
    return {kind for kind, pattern in _TOPICS.items() if pattern.search(clause)}


def _polarity(clause: str, findings: Findings) -> ConsentDecision | None:
    scrubbed = _blank(_blank(clause, _DOUBLE_NEGATIVE_GRANT), _HEDGE)
    if _DECLINE.search(scrubbed) or _NO_BEFORE_TOPIC.search(scrubbed):
        return ConsentDecision.DECLINED
    if scrubbed != _blank(clause, _DOUBLE_NEGATIVE_GRANT):
        findings.note("A consent statement was hedged or left open; please confirm it.")
        return None
    if _GRANT.search(clause) or _DOUBLE_NEGATIVE_GRANT.search(clause):
        return ConsentDecision.GRANTED
    return None


def _key_value(clause: str) -> tuple[str, list[tuple[str, ConsentDecision]]]:
    """ "Photos: yes, storage: no" pairs; returns the clause without them, and the decisions."""
    decisions: list[tuple[str, ConsentDecision]] = []
    for m in _KEY_VALUE.finditer(clause):
        value = m.group("v").lower()
        decision = (
            ConsentDecision.DECLINED
            if value in {"no", "n", "declined", "refused", "declines", "false"}
            else ConsentDecision.GRANTED
        )
        decisions.extend((kind, decision) for kind in _topics(m.group("t")) or _key_topic(m))
    return _blank(clause, _KEY_VALUE), decisions


def _key_topic(m: re.Match[str]) -> set[str]:
    return {"team_board_sharing"} if "board" in m.group("t").lower() else set()


def extract_consent(text: str, findings: Findings) -> ParsedConsent:
    injected = _injected_lines(text)
    votes: dict[str, set[ConsentDecision]] = {kind: set() for kind in _TOPICS}
    pending_question: set[str] = set()
    for start, clause, question in _clauses(text):
        if _UNCHECKED.match(clause):
            pending_question = set()
            continue
        if any(lo <= start < hi for lo, hi in injected) or _INJECTION.search(clause):
            findings.note("Instruction-like text was found and ignored for consent.")
            pending_question = set()
            continue
        rest, pairs = _key_value(clause)
        for kind, decision in pairs:
            votes[kind].add(decision)
        topics = _topics(rest)
        if question:
            pending_question = topics
            continue
        if not topics:
            if pending_question:
                answer = _SPEAKER.sub("", rest, count=1)
                if _NO.match(answer):
                    for kind in pending_question:
                        votes[kind].add(ConsentDecision.DECLINED)
                elif _YES.match(answer):
                    for kind in pending_question:
                        votes[kind].add(ConsentDecision.GRANTED)
            elif not pairs and _GENERAL.search(rest):
                findings.note(
                    "A general consent statement was found; it is not applied to any specific "
                    "consent. Please confirm each consent."
                )
            pending_question = set()
            continue
        pending_question = set()
        polarity = _polarity(rest, findings)
        if polarity is not None:
            for kind in topics:
                votes[kind].add(polarity)
    return ParsedConsent(**{kind: _settle(kind, v, findings) for kind, v in votes.items()})


def _settle(kind: str, votes: set[ConsentDecision], findings: Findings) -> ConsentDecision | None:
    if len(votes) > 1:
        findings.note(
            f"Both a grant and a decline of {kind.replace('_', ' ')} consent were found; "
            "the decline was kept."
        )
        return ConsentDecision.DECLINED
    return next(iter(votes), None)
