"""Consent statements: granted or declined, per kind, only when said explicitly.

What this module finds is a *proposal*: the clinician confirms consent; no text changes the
record's consent by itself (the Bio agent never applies it). Rules:

* A kind is decided only when its own words appear ("data storage", "photos", "team board").
  General consent ("consents to everything", "I consent") decides nothing; a note asks for
  each consent to be confirmed. Team-board sharing needs the words "team board" explicitly.
* A negation stays inside its clause: clauses are cut at commas, "and", "or", "but" ...; a
  decline cue (not, declines, refuses, no … photos, "storage: no") wins over a grant cue in
  the same clause; double negatives ("don't mind", "no objection") grant; hedges ("not sure",
  "not discussed", "not yet asked", "to be discussed") decide nothing.
* Of several statements about one kind, the latest in the text is proposed (noted).
* Instruction-like text (role lines such as "system:", "### NEW TASK ###", "override",
  "admin mode", ``key=value``, ``consent.data_storage=granted``, markup comments, "ignore
  previous instructions", commands to the parser) is never read for consent; it is reported
  as ``suspicious_instruction`` with a note for the clinician.
* A question ("Do you consent to photos?") decides nothing by itself; a yes/no answer in the
  next sentence decides the kinds the question named.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from woundcare.intake.common import Findings
from woundcare.intake.models import ConsentDecision, ParsedConsent
from woundcare.messages import field_label, say

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
    r"\bnot[ \t]{1,8}(?:yet[ \t]{1,8})?(?:been[ \t]{1,8})?(?:yet[ \t]{1,8})?(?:sure|certain"
    r"|decided|recorded|asked|discussed|obtained|documented|captured|known|applicable|answered"
    r"|signed|raised|covered|addressed|mentioned|sought|gone[ \t]{1,8}through)\b"
    r"|\b(?:has|have|had|was|were|is|did|does)n['’]?t[ \t]{1,8}(?:yet[ \t]{1,8})?"
    r"(?:been[ \t]{1,8})?(?:yet[ \t]{1,8})?(?:ask(?:ed)?|discuss(?:ed)?"
    r"|decided|raised|covered|obtained|sought)\b"
    r"|\b(?:did|does|do)[ \t]{1,8}not[ \t]{1,8}(?:ask|discuss|raise|cover|obtain|seek)\b"
    r"|\b(?:yet[ \t]{1,8})?to[ \t]{1,8}be[ \t]{1,8}(?:discussed|asked|confirmed|decided"
    r"|obtained|sought|raised|clarified|agreed)\b"
    r"|\bwill[ \t]{1,8}(?:be[ \t]{1,8})?(?:ask|discuss|raise|confirm|seek)(?:ed)?\b"
    r"|\bnever[ \t]{1,8}(?:been[ \t]{1,8})?(?:asked|discussed)\b"
    r"|\bunsure\b|\bundecided\b|\bmaybe\b"
    r"|\bperhaps\b|\bthink[ \t]{1,8}about[ \t]{1,8}it\b|\bpending\b|\boutstanding\b"
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
    r"|team[ \t\-]*board(?:[ \t]{1,8}sharing)?)(?:[ \t]{1,8}consent)?)[ \t]{0,8}[:\-–][ \t]{0,8}"
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

# Instruction-like text: never read for consent, and reported (``suspicious_instruction``).
_ROLE_LINE = re.compile(
    r"^[ \t>#*\-]{0,8}[\[<(|]{0,3}[ \t]{0,8}(?:system|assistant|developer|instructions?|prompt|ai"
    r"|model|tool|admin|root|parser|user)[ \t]{0,8}[\]>)|]{0,3}[ \t]{0,8}(?::|>|$)",
    re.IGNORECASE | re.MULTILINE,
)
# Markers that open an instruction block: everything after them up to the next blank line
# is set aside ("### NEW TASK ###", "SYSTEM OVERRIDE:", "admin mode", "[INST]").
_BLOCK_MARKER = re.compile(
    r"#{2,}[^\n#]{0,40}#{2,}"
    r"|^[ \t]{0,8}#{1,6}[ \t]{0,8}(?:new[ \t]{1,8})?(?:task|instructions?|system|prompt)\b"
    r"|\b(?:admin|administrator|developer|debug|god|maintenance|root|sudo|jailbreak|dan)"
    r"[ \t]{1,8}mode\b"
    r"|\b(?:system|admin|security|safety)[ \t]{0,8}override\b|\boverrid(?:e|es|ing|den)\b"
    r"|\bnew[ \t]{1,8}(?:task|instructions?|rules|role|persona)\b"
    r"|\byou[ \t]{1,8}are[ \t]{1,8}now\b|\bfrom[ \t]{1,8}now[ \t]{1,8}on\b|\bact[ \t]{1,8}as\b"
    r"|\bjailbreak\w*|<\|[^|\n]{0,40}\|>|\[/?INST\]|\[/?SYS\]|<<\s*/?SYS\s*>>"
    r"|\b(?:ignore|disregard|forget|bypass)\b[^\n]{0,30}?\b(?:instructions?|rules|prompts?"
    r"|previous|prior|earlier|above|guardrails?|polic(?:y|ies))\b",
    re.IGNORECASE | re.MULTILINE,
)
# Markup: comments and tags are never read (a comment may hide an instruction).
_MARKUP = re.compile(
    r"<!--.*?(?:-->|$)|/\*.*?(?:\*/|$)|<[ \t]{0,8}/?[ \t]{0,8}(?:system|instructions?|prompt"
    r"|admin|assistant|user|developer|tool|sys|inst|command|script|style|iframe|meta|parser)"
    r"\b[^<>]{0,200}>|\{\{.*?\}\}|\{%.*?%\}",
    re.IGNORECASE | re.DOTALL,
)
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|bypass|skip)\b[^\n]{0,60}?\b(?:instructions?|rules|"
    r"prompts?|previous|prior|earlier|above|system|guardrails?|polic(?:y|ies)|everything)\b"
    r"|\b(?:set|change|update|mark|switch|toggle|flip|force|fill|record|treat|register|log"
    r"|enter|save|store|write|make)\b[^\n.;]{0,40}?"
    r"\b(?:consents?|fields?|status|flags?|photography|photos?|storage|team[ \t\-]*board)\b"
    r"[^\n.;]{0,30}?\b(?:to|as|=|:)[ \t]{0,8}['\"]?(?:granted|declined|given|refused|yes|no"
    r"|true|false|accepted|approved|denied|allowed|on|off|1|0)\b"
    r"|\b[\w\[\]\"']{1,40}(?:\.[\w\[\]\"']{1,40})+[ \t]{0,8}(?:=|:=|==)"
    r"|\b\w{1,40}[ \t]{0,8}(?:=|:=|==)[ \t]{0,8}['\"]?(?:granted|declined|given|refused|yes|no"
    r"|true|false|accepted|approved|denied|allowed|on|off|1|0|y|n)\b"
    r"|\w{0,40}(?:consent|photo\w*|storage|board|sharing)\w{0,40}[ \t]{0,8}[=]"
    r"|[\"']\w{0,40}(?:consent|photo\w*|storage|board|sharing)\w{0,40}[\"'][ \t]{0,8}:"
    r"|\byou[ \t]{1,8}are[ \t]{1,8}(?:now|an?)[ \t]{1,8}(?:ai|assistant|model|system|language"
    r"|parser|bot)\b"
    r"|\b(?:parser|system|model|assistant|bot|ai|llm|chatbot|computer)[ \t]{0,8}[,:][ \t]{0,8}"
    r"(?:please[ \t]{1,8})?(?:set|mark|record|change|update|treat|ignore|make|consider)\b"
    r"|\b(?:tell|instruct|instructs|order|orders|command)[ \t]{1,8}(?:the[ \t]{1,8})?"
    r"(?:parser|system|model|assistant|bot|ai|software|computer)\b"
    r"|\bthe[ \t]{1,8}(?:parser|system|model|assistant|ai|software)[ \t]{1,8}(?:must|should"
    r"|shall|will|needs[ \t]{1,8}to)\b",
    _I,
)
# Where one clause ends and the next begins inside a sentence: a negation belongs to its own
# clause ("does NOT consent to photographs, consents to storage").
_CONJUNCTION = re.compile(
    r"\b(?:but|however|although|though|except|whereas|while)\b|,|\band\b|\bor\b|\bthen\b",
    _I,
)
_TRAILING_NO = re.compile(r"\b(?:no|nope|n)[ \t]{0,8}[!.]?[ \t]{0,8}$", _I)
_ANY_CUE = re.compile(r"\b(?:no|not|n['’]t)\b", _I)
_SENTENCE = re.compile(r"(?P<body>[^\n.;!?]*)(?P<end>[.;!?]+|\n|$)")
_BLANK_LINE = re.compile(r"\n[ \t]{0,8}\n")

SUSPICIOUS_NOTE = say("notice.intake.suspicious_instruction")


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _paragraph_end(text: str, pos: int) -> int:
    block = _BLANK_LINE.search(text, pos)
    return len(text) if block is None else block.start()


def suspicious_ranges(text: str) -> list[tuple[int, int]]:
    """Ranges of ``text`` that read like instructions to a machine: role-prefixed lines (a bare
    role header takes its block), markup, and from an instruction marker ("### NEW TASK ###",
    "override", "admin mode") to the end of its paragraph."""
    ranges: list[tuple[int, int]] = []
    for m in _ROLE_LINE.finditer(text):
        line_end = text.find("\n", m.start())
        line_end = len(text) if line_end < 0 else line_end
        if not text[m.end() : line_end].strip():  # a bare header: up to the next blank line
            line_end = _paragraph_end(text, line_end)
        ranges.append((m.start(), line_end))
    for m in _MARKUP.finditer(text):
        ranges.append(m.span())
    for m in _BLOCK_MARKER.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        ranges.append((line_start, _paragraph_end(text, m.end())))
    return ranges


def is_instruction_like(text: str) -> bool:
    """Does ``text`` contain anything read as an instruction to the system?"""
    return bool(suspicious_ranges(text)) or _INJECTION.search(text) is not None


def _clauses(text: str) -> Iterator[tuple[int, list[tuple[int, str]], bool]]:
    """(sentence start, [(start, clause)], is_question) for every sentence."""
    for sentence in _SENTENCE.finditer(text):
        body = sentence.group("body")
        if not body.strip():
            continue
        question = "?" in sentence.group("end")
        cuts = [0]
        for m in _CONJUNCTION.finditer(body):
            cuts.extend((m.start(), m.end()))
        cuts.append(len(body))
        parts = [
            (sentence.start("body") + lo, body[lo:hi])
            for lo, hi in zip(cuts[::2], cuts[1::2], strict=False)
            if body[lo:hi].strip()
        ]
        if parts:
            yield sentence.start("body"), parts, question


def _topics(clause: str) -> set[str]:
    return {kind for kind, pattern in _TOPICS.items() if pattern.search(clause)}


def _polarity(clause: str, findings: Findings) -> tuple[ConsentDecision | None, bool]:
    """The clause's decision, and whether it was hedged (left open on purpose)."""
    scrubbed = _blank(_blank(clause, _DOUBLE_NEGATIVE_GRANT), _HEDGE)
    if _DECLINE.search(scrubbed) or _NO_BEFORE_TOPIC.search(scrubbed) or _TRAILING_NO.search(
        scrubbed
    ):
        return ConsentDecision.DECLINED, False
    if scrubbed != _blank(clause, _DOUBLE_NEGATIVE_GRANT):
        findings.note("A consent statement was hedged or left open; please confirm it.")
        return None, True
    if _GRANT.search(clause) or _DOUBLE_NEGATIVE_GRANT.search(clause):
        return ConsentDecision.GRANTED, False
    return None, False


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


Vote = tuple[int, ConsentDecision]


def extract_consent(text: str, findings: Findings) -> ParsedConsent:
    """Consent decisions stated in ``text`` (a proposal: nothing here is ever applied)."""
    ignored = suspicious_ranges(text)
    votes: dict[str, list[Vote]] = {kind: [] for kind in _TOPICS}
    pending_question: set[str] = set()
    for start, parts, question in _clauses(text):
        sentence = " ".join(part for _, part in parts)
        end = parts[-1][0] + len(parts[-1][1])
        if any(lo < end and start < hi for lo, hi in ignored) or _INJECTION.search(
            text[start:end]
        ):
            findings.flag_suspicious(SUSPICIOUS_NOTE)
            pending_question = set()
            continue
        if _UNCHECKED.match(parts[0][1]):
            pending_question = set()
            continue
        if question:
            pending_question = _topics(sentence)
            continue
        if not _topics(sentence) and not _KEY_VALUE.search(sentence):
            if pending_question:
                answer = _SPEAKER.sub("", sentence, count=1)
                decision = (ConsentDecision.DECLINED if _NO.match(answer)
                            else ConsentDecision.GRANTED if _YES.match(answer) else None)
                if decision is not None:
                    for kind in pending_question:
                        votes[kind].append((start, decision))
            elif _GENERAL.search(sentence):
                findings.note(
                    "A general consent statement was found; it is not applied to any specific "
                    "consent. Please confirm each consent."
                )
            pending_question = set()
            continue
        pending_question = set()
        _read_sentence(parts, votes, findings)
    return ParsedConsent(**{kind: _settle(kind, v, findings) for kind, v in votes.items()})


def _read_sentence(
    parts: list[tuple[int, str]], votes: dict[str, list[Vote]], findings: Findings
) -> None:
    """Each clause decides its own topics; a clause with topics and no cue of its own takes
    the previous clause's decision ("declines photos, storage and team board"); a clause with
    a cue and no topic decides the previous clause's undecided topics ("photos were
    discussed and she declined"). A hedged clause decides nothing and passes nothing on."""
    carried: ConsentDecision | None = None
    undecided: set[str] = set()
    for start, clause in parts:
        rest, pairs = _key_value(clause)
        for kind, decision in pairs:
            votes[kind].append((start, decision))
        topics = _topics(rest)
        polarity, hedged = _polarity(rest, findings)
        if hedged:
            carried, undecided = None, set()
            continue
        if topics and polarity is not None:
            for kind in topics:
                votes[kind].append((start, polarity))
            carried, undecided = polarity, set()
        elif topics:
            if carried is not None and not _ANY_CUE.search(rest) and not pairs:
                for kind in topics:
                    votes[kind].append((start, carried))
            else:
                undecided = topics
        elif polarity is not None:
            for kind in undecided:
                votes[kind].append((start, polarity))
            carried, undecided = polarity, set()
        elif pairs:
            carried = pairs[-1][1]


def _settle(kind: str, votes: list[Vote], findings: Findings) -> ConsentDecision | None:
    """Of several statements about one kind, the latest in the text is proposed."""
    if not votes:
        return None
    if len({decision for _, decision in votes}) > 1:
        findings.note(say("notice.intake.consent_mixed", label=field_label(f"consent.{kind}")))
    return max(votes, key=lambda vote: vote[0])[1]
