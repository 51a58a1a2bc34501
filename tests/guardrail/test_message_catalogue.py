"""Every catalogued template, rendered with representative slot values, passes the guardrail;
slot values are typed; rendered text is identified as its template."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from woundcare.guardrail import NEUTRAL_POINTER, check_text
from woundcare.messages import (
    CATALOGUE,
    FIELD_LABELS,
    TEMPLATES,
    MessageError,
    SlotKind,
    Template,
    identify,
    say,
)

_SAMPLES: dict[SlotKind, tuple[object, ...]] = {
    SlotKind.COUNT: (0, 1, 3, 12),
    SlotKind.NUMBER: (0, 35, 37.5, 100, 113),
    SlotKind.LABEL: tuple(sorted(FIELD_LABELS)),
    SlotKind.LABELS: (*((label,) for label in sorted(FIELD_LABELS)),
                      ("Heart rate", "Temperature"), ("sex", "photography", "data storage")),
    SlotKind.CODE: ("BIO_INTAKE", "FOLLOW_UP", "bio_confirmed", "vitals", "team_board"),
    SlotKind.CODES: (("clinic_system",), ("team_board", "clinic_system"),
                     ("male", "female", "intersex")),
    SlotKind.UNIT: ("C", "F"),
}


def renderings(template: Template) -> Iterator[str]:
    names = list(template.slots)
    pools = [_SAMPLES[template.slots[n]] for n in names]
    for combo in itertools.product(*pools):
        yield say(template.id, **dict(zip(names, combo, strict=True)))


def test_every_template_rendered_every_way_passes_the_guardrail() -> None:
    flagged: list[str] = []
    count = 0
    for template in TEMPLATES:
        for text in renderings(template):
            count += 1
            verdict = check_text(text)
            if not verdict.allowed:
                flagged.append(f"{template.id}: {text!r} {[f.rule for f in verdict.findings]}")
    assert count > len(TEMPLATES)
    assert not flagged, "\n".join(flagged)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_rendered_text_is_identified_as_its_template(template: Template) -> None:
    for text in itertools.islice(renderings(template), 20):
        assert identify(text) is not None
        assert CATALOGUE.templates[identify(text) or ""].pattern.match(text)


def test_the_neutral_pointer_is_catalogued() -> None:
    assert say("notice.neutral_pointer") == NEUTRAL_POINTER


def test_free_text_is_not_a_message() -> None:
    assert identify("Apply a silver dressing.") is None
    assert identify("This is a venous ulcer.") is None


@pytest.mark.parametrize(
    ("template_id", "values"),
    [
        ("blocker.vital.missing", {"label": "Apply a silver dressing"}),
        ("blocker.vital.missing", {"label": 3}),
        ("agent.follow_up.still_open", {"count": -1}),
        ("agent.follow_up.still_open", {"count": "three"}),
        ("agent.follow_up.still_open", {"count": True}),
        ("agent.follow_up.still_open", {}),
        ("agent.follow_up.still_open", {"count": 1, "extra": 2}),
        ("agent.export.exported", {"destinations": "team board; apply honey"}),
        ("agent.export.exported", {"destinations": ["apply honey daily"]}),
        ("agent.bio.still_to_complete", {"labels": []}),
        ("no.such.template", {}),
    ],
)
def test_slots_refuse_values_that_do_not_fit(template_id: str, values: dict[str, object]) -> None:
    with pytest.raises(MessageError):
        say(template_id, **values)


def test_template_ids_are_unique_and_slots_match_the_text() -> None:
    ids = [t.id for t in TEMPLATES]
    assert len(ids) == len(set(ids))
    with pytest.raises(MessageError):
        Template("x.bad", "Count {count}.", {})
