"""Domain errors: each carries a stable code and a sentence a clinician understands."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from woundcare.domain.blockers import Blocker
from woundcare.domain.enums import WorkflowEvent, WorkflowState
from woundcare.domain.problems import FieldProblem


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidEvent(DomainError):
    code = "invalid_event"

    def __init__(self, state: WorkflowState, event: WorkflowEvent | str) -> None:
        name = event.value if isinstance(event, WorkflowEvent) else event
        super().__init__(f"The event {name} is not allowed while the case is in {state.value}.")
        self.state = state
        self.event = event


class GuardFailed(DomainError):
    code = "guard_failed"

    def __init__(self, event: WorkflowEvent, blockers: Sequence[Blocker]) -> None:
        super().__init__(f"{event.value} is blocked: {len(blockers)} item(s) need attention.")
        self.event = event
        self.blockers = list(blockers)


class WrongStep(DomainError):
    code = "wrong_step"

    def __init__(self, state: WorkflowState, step: str) -> None:
        super().__init__(
            f"The case is in {state.value}; {step} input is not accepted in this step."
        )
        self.state = state
        self.step = step


class RecordLocked(DomainError):
    code = "record_locked"

    def __init__(self) -> None:
        super().__init__(
            "This record is finished and locked; start a new visit to record new information."
        )


class InputRejected(DomainError):
    code = "validation_failed"

    def __init__(self, problems: Sequence[FieldProblem], message: str | None = None) -> None:
        super().__init__(message or "Some fields need attention.")
        self.problems = list(problems)


class VersionConflict(DomainError):
    code = "version_conflict"

    def __init__(self, case_id: UUID, expected: int, actual: int | None) -> None:
        super().__init__(
            "The case was changed by someone else (or another device); "
            "reload it and continue from the current version."
        )
        self.case_id = case_id
        self.expected = expected
        self.actual = actual


class CaseNotFound(DomainError):
    code = "case_not_found"

    def __init__(self, case_id: UUID) -> None:
        super().__init__("No such case.")
        self.case_id = case_id


class PinRejected(DomainError):
    code = "pin_rejected"

    def __init__(self, message: str = "The PIN was not accepted.") -> None:
        super().__init__(message)
