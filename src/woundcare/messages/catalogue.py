"""The machinery of the message catalogue: templates with typed slots, rendering, matching.

A :class:`Template` is an id, a fixed English sentence and named slots, each of a
:class:`SlotKind`. :func:`say` renders a template after checking every value against its
slot's kind (a count is a non-negative integer, a label one of the catalogued field labels,
a code a lower-case identifier ...): a value that does not fit raises
:class:`MessageError`, so no slot can smuggle a sentence in. :func:`identify` goes the other
way — which template produced this text? — so tests (and the orchestrator's log) can tell a
catalogued message from anything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class MessageError(ValueError):
    """A template id that does not exist, or a slot value that does not fit its kind."""


class SlotKind(StrEnum):
    COUNT = "count"  # a non-negative whole number
    NUMBER = "number"  # a number (int or float), printed compactly
    LABEL = "label"  # one catalogued field label
    LABELS = "labels"  # a non-empty list of catalogued field labels, comma-separated
    CODE = "code"  # an identifier from the code: enum value, destination, step name
    CODES = "codes"  # a non-empty list of codes, comma-separated
    UNIT = "unit"  # a unit symbol (C, F, MB)


_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.+/-]{0,63}$")
_UNIT = re.compile(r"^[A-Za-z%/°]{1,12}$")
_SLOT = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Template:
    """One sentence the system may show, with its slots and their kinds."""

    id: str
    text: str
    slots: Mapping[str, SlotKind] = field(default_factory=dict)
    audience: str = "clinician"  # who reads it: clinician, operator, anyone

    def __post_init__(self) -> None:
        named = set(_SLOT.findall(self.text))
        if named != set(self.slots):
            raise MessageError(f"template {self.id}: slots {sorted(named)} vs "
                               f"{sorted(self.slots)}")

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """What this template renders to, whatever the slot values (compiled when first
        asked, not when the catalogue is imported: a server start does not need it)."""
        return _pattern(self.text, self.slots)

    def render(self, values: Mapping[str, object], labels: frozenset[str]) -> str:
        missing = set(self.slots) - set(values)
        extra = set(values) - set(self.slots)
        if missing or extra:
            raise MessageError(f"template {self.id}: missing {sorted(missing)}, "
                               f"unexpected {sorted(extra)}")
        rendered = {name: _format(self.id, name, kind, values[name], labels)
                    for name, kind in self.slots.items()}
        return _SLOT.sub(lambda m: rendered[m.group(1)], self.text)


def _format(template: str, name: str, kind: SlotKind, value: object,
            labels: frozenset[str]) -> str:
    def bad() -> MessageError:
        return MessageError(f"template {template}: slot {name} ({kind.value}) does not accept "
                            f"a {type(value).__name__}")

    if kind is SlotKind.COUNT:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise bad()
        return str(value)
    if kind is SlotKind.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad()
        return f"{value:g}"
    if kind is SlotKind.LABEL:
        if not isinstance(value, str) or value not in labels:
            raise bad()
        return value
    if kind is SlotKind.LABELS:
        items = _sequence(value)
        if not items or not all(isinstance(v, str) and v in labels for v in items):
            raise bad()
        return ", ".join(str(v) for v in items)
    if kind is SlotKind.CODE:
        if not isinstance(value, str) or not _CODE.match(value):
            raise bad()
        return value
    if kind is SlotKind.CODES:
        items = _sequence(value)
        if not items or not all(isinstance(v, str) and _CODE.match(v) for v in items):
            raise bad()
        return ", ".join(str(v) for v in items)
    if kind is SlotKind.UNIT:
        if not isinstance(value, str) or not _UNIT.match(value):
            raise bad()
        return value
    raise bad()  # pragma: no cover - every kind is handled above


def _sequence(value: object) -> Sequence[object]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return ()
    return tuple(value)


_SLOT_PATTERNS: dict[SlotKind, str] = {
    SlotKind.COUNT: r"\d+",
    SlotKind.NUMBER: r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?",
    SlotKind.LABEL: r"[A-Za-z][A-Za-z0-9 ()'/-]*",
    SlotKind.LABELS: r"[A-Za-z][A-Za-z0-9 ()'/,-]*",
    SlotKind.CODE: r"[A-Za-z][A-Za-z0-9_.+/-]*",
    SlotKind.CODES: r"[A-Za-z][A-Za-z0-9_.+/, -]*",
    SlotKind.UNIT: r"[A-Za-z%/°]{1,12}",
}


def _pattern(text: str, slots: Mapping[str, SlotKind]) -> re.Pattern[str]:
    out, last = [], 0
    for match in _SLOT.finditer(text):
        out.append(re.escape(text[last:match.start()]))
        out.append(f"(?:{_SLOT_PATTERNS[slots[match.group(1)]]})")
        last = match.end()
    out.append(re.escape(text[last:]))
    return re.compile("^" + "".join(out) + "$")


class Catalogue:
    """Every template, by id, plus the closed vocabulary of field labels."""

    def __init__(self, templates: Iterable[Template], labels: Iterable[str]) -> None:
        self.templates: dict[str, Template] = {}
        for template in templates:
            if template.id in self.templates:
                raise MessageError(f"duplicate template id {template.id}")
            self.templates[template.id] = template
        self.labels = frozenset(labels)

    def say(self, template_id: str, /, **values: object) -> str:
        try:
            template = self.templates[template_id]
        except KeyError:
            raise MessageError(f"no template {template_id}") from None
        return template.render(values, self.labels)

    def identify(self, text: str) -> str | None:
        """The id of the template that renders ``text`` (slot values included), or None."""
        for template in self.templates.values():
            if template.pattern.match(text):
                return template.id
        return None
