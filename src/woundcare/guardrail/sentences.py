"""Sentence splitting that keeps offsets, so a checked text can be rebuilt byte for byte.

A sentence ends at a run of ``.``, ``!``, ``?`` or ``…`` (plus closing quotes or brackets)
that is followed by whitespace or the end of the text, and at every line break (bullet lists
and chat messages often have no final stop), and after the value of an arrow note line
("Swab → no growth") when a capitalised word follows. A full stop after a common abbreviation
("e.g.", "Dr.") or after the number of a numbered list item does not end a sentence.
Semicolons do not split: "Date of birth and age disagree; which one is correct?" is one
question.
"""

from __future__ import annotations

import re

_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\u0085\u2028\u2029]")
_TERMINATOR = re.compile(r"[.!?\u2026]+[)\]\"'\u2019\u201d\u00bb]*(?=\s|$)")
_LAST_TOKEN = re.compile(r"(\S+)$")
_NON_SPACE = re.compile(r"\S")
_WINDOW = 12
_ABBREVIATIONS = frozenset(
    {
        "e.g",
        "eg",
        "i.e",
        "ie",
        "dr",
        "mr",
        "mrs",
        "ms",
        "mx",
        "prof",
        "vs",
        "approx",
        "fig",
        "cf",
        "ca",
        "st",
        "incl",
        "resp",
        "max",
        "min",
    }
)


def _ends_sentence(line: str, start: int, punct: str) -> bool:
    if punct != ".":
        return True
    # The word before the stop; looked at through a short window so that a long line stays
    # linear (no abbreviation or list number is longer than the window).
    window_start = max(0, start - _WINDOW)
    token_match = _LAST_TOKEN.search(line, window_start, start)
    if token_match is None or token_match.start() == window_start > 0:
        return True
    token = token_match.group(1).lstrip("([\"'\u2018\u201c").lower()
    if token in _ABBREVIATIONS:
        return False
    # "1. Clean ..." at the start of a line is a list marker, not a sentence.
    return not (token.isdigit() and _NON_SPACE.search(line, 0, token_match.start()) is None)


# Round 19. A note line "test → value" has no full stop; a capitalised word after its value
# starts the next sentence ("Swab → no growth The carer asked ...", "CRP 45 → 22 Education
# given ..."). The value's first word stays with the arrow ("Swab → MRSA positive").
_ARROW_VALUE_END = re.compile(
    r"(?:->|=>|\u2192)\s*\S+(?:\s+(?![A-Z][a-z])\S+)*?(\s+)(?=[A-Z][a-z]|\d+\s+[a-z(])"
)


def _arrow_breaks(line: str) -> list[int]:
    return [match.end(1) for match in _ARROW_VALUE_END.finditer(line)
            if _TERMINATOR.search(line, match.start(), match.start(1)) is None]


def _line_spans(text: str, offset: int, end: int) -> list[tuple[int, int]]:
    line = text[offset:end]
    spans: list[tuple[int, int]] = []
    start = 0
    breaks = sorted({m.end() for m in _TERMINATOR.finditer(line)
                     if _ends_sentence(line, m.start(), m.group(0))} | set(_arrow_breaks(line)))
    for position in breaks:
        if position > start:
            spans.append((start, position))
            start = position
    spans.append((start, len(line)))
    result: list[tuple[int, int]] = []
    for a, b in spans:
        piece = line[a:b]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            result.append((offset + a + lead, offset + a + lead + len(stripped)))
    return result


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence, whitespace-trimmed, in order of appearance."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for brk in _LINE_BREAK.finditer(text):
        spans.extend(_line_spans(text, offset, brk.start()))
        offset = brk.end()
    spans.extend(_line_spans(text, offset, len(text)))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, whitespace-trimmed; blank text gives an empty list."""
    return [text[a:b] for a, b in sentence_spans(text)]
