"""The transition table: exactly the spec's 21 transitions; every other pair is refused."""

from __future__ import annotations

import pytest

from woundcare.domain.enums import WorkflowEvent as E
from woundcare.domain.enums import WorkflowState as S
from woundcare.domain.errors import InvalidEvent
from woundcare.domain.machine import (
    TRANSITIONS,
    allowed_events,
    forward_event,
    is_forward,
    next_state,
    position,
)

# Written out from the spec's table (docs: /work/shared/spec/domain.md), not derived from code.
SPEC_TABLE: dict[tuple[S, E], S] = {
    (S.START, E.BEGIN): S.BIO_INTAKE,
    (S.BIO_INTAKE, E.BIO_CONFIRMED): S.WOUND_IMAGING,
    (S.WOUND_IMAGING, E.IMAGING_CONFIRMED): S.VITALS,
    (S.VITALS, E.VITALS_CAPTURED): S.TIME,
    (S.TIME, E.TIME_CAPTURED): S.FOLLOW_UP,
    (S.FOLLOW_UP, E.FOLLOW_UP_RESOLVED): S.REVIEW,
    (S.REVIEW, E.REVIEW_COMPLETED): S.ASSEMBLE_JSON,
    (S.ASSEMBLE_JSON, E.JSON_ASSEMBLED): S.LINK_TO_CLINICIAN,
    (S.LINK_TO_CLINICIAN, E.CLINICIAN_LINKED): S.STORE_SYNC,
    (S.STORE_SYNC, E.STORED): S.DONE,
    (S.BIO_INTAKE, E.ROLLBACK): S.START,
    (S.WOUND_IMAGING, E.ROLLBACK): S.BIO_INTAKE,
    (S.VITALS, E.ROLLBACK): S.WOUND_IMAGING,
    (S.TIME, E.ROLLBACK): S.VITALS,
    (S.FOLLOW_UP, E.ROLLBACK): S.TIME,
    (S.REVIEW, E.ROLLBACK): S.FOLLOW_UP,
    (S.ASSEMBLE_JSON, E.ROLLBACK): S.REVIEW,
    (S.LINK_TO_CLINICIAN, E.ROLLBACK): S.ASSEMBLE_JSON,
    (S.STORE_SYNC, E.ROLLBACK): S.LINK_TO_CLINICIAN,
    (S.WOUND_IMAGING, E.RESET): S.BIO_INTAKE,
    (S.DONE, E.RESET): S.START,
}
INVALID = [(s, e) for s in S for e in E if (s, e) not in SPEC_TABLE]


def test_table_has_exactly_the_spec_transitions() -> None:
    assert len(SPEC_TABLE) == 21
    assert dict(TRANSITIONS) == SPEC_TABLE
    assert len(INVALID) == 11 * 12 - 21


@pytest.mark.parametrize(("state", "event"), list(SPEC_TABLE), ids=lambda v: str(v))
def test_every_valid_transition(state: S, event: E) -> None:
    assert next_state(state, event) is SPEC_TABLE[(state, event)]
    assert event in allowed_events(state)


@pytest.mark.parametrize(("state", "event"), INVALID, ids=lambda v: str(v))
def test_every_invalid_event_is_refused_naming_state_and_event(state: S, event: E) -> None:
    with pytest.raises(InvalidEvent) as caught:
        next_state(state, event)
    assert caught.value.state is state
    assert caught.value.event is event
    assert state.value in caught.value.message
    assert event.value in caught.value.message
    assert caught.value.code == "invalid_event"
    assert event not in allowed_events(state)


def test_order_and_positions() -> None:
    assert [position(s) for s in S] == list(range(11))
    assert position(S.START) == 0
    assert position(S.DONE) == 10


def test_forward_events() -> None:
    forward = {e for (_, e), _ in SPEC_TABLE.items() if e not in (E.ROLLBACK, E.RESET)}
    assert len(forward) == 10
    for event in E:
        assert is_forward(event) is (event in forward)
    assert forward_event(S.DONE) is None
    assert forward_event(S.START) is E.BEGIN
    assert forward_event(S.STORE_SYNC) is E.STORED


def test_no_rollback_from_start_or_done() -> None:
    for state in (S.START, S.DONE):
        with pytest.raises(InvalidEvent):
            next_state(state, E.ROLLBACK)
