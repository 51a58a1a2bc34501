"""Domain errors: each carries a stable code and a sentence a clinician understands."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from woundcare.domain.blockers import Blocker
from woundcare.domain.enums import WorkflowEvent, WorkflowState
from woundcare.domain.problems import FieldProblem
from woundcare.messages import MessageError, say


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidEvent(DomainError):
    code = "invalid_event"

    def __init__(self, state: WorkflowState, event: WorkflowEvent | str) -> None:
        name = event.value if isinstance(event, WorkflowEvent) else event
        try:
            message = say("error.invalid_event", event=name, state=state.value)
        except MessageError:  # a client-chosen name that is not an identifier is not echoed
            message = say("error.invalid_event", event="unknown", state=state.value)
        super().__init__(message)
        self.state = state
        self.event = event


class GuardFailed(DomainError):
    code = "guard_failed"

    def __init__(self, event: WorkflowEvent, blockers: Sequence[Blocker]) -> None:
        super().__init__(say("error.guard_failed", event=event.value, count=len(blockers)))
        self.event = event
        self.blockers = list(blockers)


class WrongStep(DomainError):
    code = "wrong_step"

    def __init__(self, state: WorkflowState, step: str) -> None:
        super().__init__(say("error.wrong_step", state=state.value, step=step))
        self.state = state
        self.step = step


class RecordLocked(DomainError):
    code = "record_locked"

    def __init__(self) -> None:
        super().__init__(say("error.record_locked"))


class InputRejected(DomainError):
    code = "validation_failed"

    def __init__(self, problems: Sequence[FieldProblem], message: str | None = None) -> None:
        super().__init__(message or say("error.validation"))
        self.problems = list(problems)


class VersionConflict(DomainError):
    code = "version_conflict"

    def __init__(self, case_id: UUID, expected: int, actual: int | None) -> None:
        super().__init__(say("error.version_conflict"))
        self.case_id = case_id
        self.expected = expected
        self.actual = actual


class CaseNotFound(DomainError):
    code = "case_not_found"

    def __init__(self, case_id: UUID) -> None:
        super().__init__(say("error.case_not_found"))
        self.case_id = case_id


class PinRejected(DomainError):
    code = "pin_rejected"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or say("error.pin_rejected"))
