"""The agent contract: given the step's input and the current record, return the updated
record, messages for the clinician and what is still missing. Agents never write storage; the
orchestrator derives provenance from what changed and persists it with the record."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any, ClassVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from woundcare.domain.enums import ActorKind, WorkflowState
from woundcare.domain.errors import InputRejected
from woundcare.domain.problems import FieldProblem, problems_from_validation_error
from woundcare.domain.record import CaseRecord
from woundcare.workflow.ports import Exporter, IntakeParser, PinVerifier, Sealer


@dataclass(frozen=True)
class Actor:
    """Who asked for the step: a person (clinician id) or the system."""

    kind: ActorKind
    id: str

    @classmethod
    def clinician(cls, clinician_id: UUID) -> Actor:
        return cls(ActorKind.PERSON, str(clinician_id))

    @property
    def clinician_id(self) -> UUID:
        return UUID(self.id)


@dataclass(frozen=True)
class AgentServices:
    """The adapters agents may call (injected; none of them is required for every agent)."""

    intake_parser: IntakeParser | None = None
    pin_verifier: PinVerifier | None = None
    sealer: Sealer | None = None
    exporter: Exporter | None = None


@dataclass(frozen=True)
class AgentContext:
    actor: Actor
    now: datetime
    services: AgentServices
    new_id: Callable[[], UUID] = field(default=uuid4)


class AgentResult(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    record: CaseRecord
    messages: tuple[str, ...] = ()
    source_artifact_id: UUID | None = None
    # Who the changed fields are attributed to: the person who typed them, or the agent
    # that derived them (parsed text, computed quality, generated questions).
    attributed_to_agent: bool = False
    # Recorded as the provenance ``event`` of every change in this result (for example
    # "follow_up:<id>" when an answer to that question wrote a field).
    provenance_event: str | None = None


@cache
def load_prompt(name: str) -> str:
    return resources.files("woundcare.agents").joinpath("prompts", f"{name}.md").read_text(
        encoding="utf-8"
    )


class Agent(ABC):
    name: ClassVar[str]
    state: ClassVar[WorkflowState]
    input_kinds: ClassVar[tuple[str, ...]]

    @property
    def prompt(self) -> str:
        return load_prompt(self.name)

    @abstractmethod
    def run(self, record: CaseRecord, step_input: Any, ctx: AgentContext) -> AgentResult:
        """Apply ``step_input`` to ``record``; raise a domain error to refuse it."""

    def on_enter(self, record: CaseRecord, ctx: AgentContext) -> AgentResult | None:
        """Work done when the workflow enters this agent's state (default: none)."""
        return None

    def missing(self, record: CaseRecord) -> list[str]:
        """Dotted paths of what this step still lacks (shown in the snapshot)."""
        return []


def reject(path: str, message: str, code: str = "invalid") -> InputRejected:
    return InputRejected([FieldProblem(path=path, code=code, message=message)], message)


def merge_patch(target: dict[str, Any], patch: BaseModel) -> dict[str, Any]:
    """Deep-merge the fields that were actually sent in ``patch`` into ``target`` (JSON)."""
    merged = dict(target)
    for name in patch.model_fields_set:
        value = getattr(patch, name)
        if isinstance(value, BaseModel) and isinstance(merged.get(name), dict):
            merged[name] = merge_patch(merged[name], value)
        elif isinstance(value, BaseModel):
            merged[name] = value.model_dump(mode="json", exclude_unset=True)
        else:
            merged[name] = _ANY.dump_python(value, mode="json")
    return merged


_ANY: TypeAdapter[Any] = TypeAdapter(Any)


def revalidate(data: dict[str, Any]) -> CaseRecord:
    """Validate a whole record; a failure becomes field problems with record paths."""
    try:
        return CaseRecord.model_validate(data)
    except ValidationError as exc:
        raise InputRejected(problems_from_validation_error(exc)) from None
