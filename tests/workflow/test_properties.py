"""Property-based: random sequences of events and inputs through the orchestrator never reach an
undefined state, never lose provenance, and every save carries its entries."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.workflow.harness import CLINICIAN, Harness
from woundcare.domain.enums import CaseStatus, WorkflowEvent, WorkflowState
from woundcare.domain.errors import DomainError
from woundcare.domain.inputs import BioInput, ConsentPatch, PinInput
from woundcare.domain.machine import FORWARD, TRANSITIONS, position
from woundcare.domain.provenance import verify_chain
from woundcare.domain.record import Patient

Action = Callable[[Harness], object]



def firing(event: WorkflowEvent) -> Action:
    return lambda h: h.fire(event)


ACTIONS: dict[str, Action] = {
    **{f"fire:{e.value}": firing(e) for e in WorkflowEvent},
    "fill": lambda h: h.fill(),
    "revoke": lambda h: h.consent(data_storage="declined"),
    "grant": lambda h: h.consent(data_storage="granted"),
    "wrong_pin": lambda h: h.submit(PinInput(pin="999999")),
    "bio_edit": lambda h: h.submit(BioInput(patient=Patient(preferred_name="Tes"))),
    "stale": lambda h: h.orch.update_consent(
        h.case_id, ConsentPatch(photography="declined"), CLINICIAN,
        expected_version=h.case.version - 1),
}
# Fill and the next forward event are weighted up so that sequences get deep into the workflow.
NAMES = sorted(ACTIONS)
STEPS = st.lists(st.one_of(st.sampled_from(["fill", "advance", "advance"]),
                           st.sampled_from(NAMES)), max_size=40)


def event_for(name: str, state: WorkflowState) -> WorkflowEvent | None:
    """The event an action fires ("advance": the state's forward event, or RESET at DONE)."""
    if name == "advance":
        return WorkflowEvent.RESET if state is WorkflowState.DONE else FORWARD[state][0]
    if name.startswith("fire:"):
        return WorkflowEvent(name.removeprefix("fire:"))
    return None


def check_invariants(h: Harness, case_ids: set[UUID]) -> None:
    for case_id in case_ids:
        record = h.store.load(case_id)
        assert record.state in set(WorkflowState)
        calls = [c for c in [*h.store.creates, *h.store.saves] if c.record.case_id == case_id]
        assert record.version == len(calls)
        assert all(c.drafts and len(c.entries) == len(c.drafts) for c in calls)
        entries = h.store.provenance(case_id)
        assert len(entries) == sum(len(c.drafts) for c in calls)
        report = verify_chain(record.case_id, entries, expected_count=len(entries),
                              expected_head=entries[-1].hash)
        assert report.ok, report.problems
        if record.status is CaseStatus.LOCKED:
            assert record.export is not None
            assert position(record.state) >= position(WorkflowState.STORE_SYNC)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STEPS)
def test_random_sequences_keep_state_and_provenance_sound(steps: list[str]) -> None:
    h = Harness()
    case_ids = {h.case_id}
    for name in steps:
        before = h.case
        saves = len(h.store.saves)
        event = event_for(name, before.state)
        try:
            outcome = h.fire(event) if event is not None else ACTIONS[name](h)
        except DomainError:
            assert h.case == before, name
            assert len(h.store.saves) == saves, name
            continue
        after = h.case
        if event is not None and before.state is WorkflowState.DONE:
            new_case = getattr(outcome, "new_case", None)
            assert new_case is not None
            assert after == before
            h.case_id = new_case.case_id
            case_ids.add(new_case.case_id)
        elif event is not None:
            assert after.state is TRANSITIONS[(before.state, event)]
        check_invariants(h, case_ids)
    check_invariants(h, case_ids)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(list(WorkflowEvent)), max_size=60))
def test_random_events_alone_follow_the_table(events: list[WorkflowEvent]) -> None:
    """Events without any input: each either follows the table or is refused unchanged."""
    h = Harness()
    for event in events:
        before = h.case
        try:
            h.fire(event)
        except DomainError:
            assert h.case == before
            continue
        assert h.case.state is TRANSITIONS[(before.state, event)]
    check_invariants(h, {h.case_id})
