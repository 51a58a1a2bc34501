"""The workflow's transition table (exactly the spec's) and the pure transition function."""

from __future__ import annotations

from typing import Final

from woundcare.domain.enums import WorkflowEvent as E
from woundcare.domain.enums import WorkflowState as S
from woundcare.domain.errors import InvalidEvent

ORDER: Final[tuple[S, ...]] = tuple(S)

FORWARD: Final[dict[S, tuple[E, S]]] = {
    S.START: (E.BEGIN, S.BIO_INTAKE),
    S.BIO_INTAKE: (E.BIO_CONFIRMED, S.WOUND_IMAGING),
    S.WOUND_IMAGING: (E.IMAGING_CONFIRMED, S.VITALS),
    S.VITALS: (E.VITALS_CAPTURED, S.TIME),
    S.TIME: (E.TIME_CAPTURED, S.FOLLOW_UP),
    S.FOLLOW_UP: (E.FOLLOW_UP_RESOLVED, S.REVIEW),
    S.REVIEW: (E.REVIEW_COMPLETED, S.ASSEMBLE_JSON),
    S.ASSEMBLE_JSON: (E.JSON_ASSEMBLED, S.LINK_TO_CLINICIAN),
    S.LINK_TO_CLINICIAN: (E.CLINICIAN_LINKED, S.STORE_SYNC),
    S.STORE_SYNC: (E.STORED, S.DONE),
}


def position(state: S) -> int:
    """Where ``state`` stands in the workflow (START is 0, DONE is 10)."""
    return ORDER.index(state)


def _table() -> dict[tuple[S, E], S]:
    table = {(state, event): target for state, (event, target) in FORWARD.items()}
    for index in range(position(S.BIO_INTAKE), position(S.DONE)):
        table[(ORDER[index], E.ROLLBACK)] = ORDER[index - 1]  # BIO_INTAKE..STORE_SYNC
    table[(S.WOUND_IMAGING, E.RESET)] = S.BIO_INTAKE
    table[(S.DONE, E.RESET)] = S.START  # of a NEW case or visit: the finished one is untouched
    return table


TRANSITIONS: Final[dict[tuple[S, E], S]] = _table()
FORWARD_EVENTS: Final[frozenset[E]] = frozenset(event for event, _ in FORWARD.values())


def next_state(state: S, event: E) -> S:
    """The state ``event`` leads to from ``state``; :class:`InvalidEvent` if there is none."""
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        raise InvalidEvent(state, event) from None


def allowed_events(state: S) -> list[E]:
    return [event for (source, event) in TRANSITIONS if source is state]


def forward_event(state: S) -> E | None:
    step = FORWARD.get(state)
    return None if step is None else step[0]


def is_forward(event: E) -> bool:
    return event in FORWARD_EVENTS
