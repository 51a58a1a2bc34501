"""Bio agent: merges demographics and consent, parses free text, lists what is missing."""

from __future__ import annotations

from typing import Any, ClassVar

from woundcare.agents.base import Agent, AgentContext, AgentResult, merge_patch, reject, revalidate
from woundcare.domain.consent import apply_consent
from woundcare.domain.enums import ConsentKind, ConsentStatus, FollowUpReason, WorkflowState
from woundcare.domain.inputs import BioInput, ConsentPatch
from woundcare.domain.record import CaseRecord, FollowUp, Patient
from woundcare.intake.models import Ambiguity, ConsentDecision, ParsedIntake
from woundcare.messages import field_label, identify, say

_CONSENT = {ConsentDecision.GRANTED: ConsentStatus.GRANTED,
            ConsentDecision.DECLINED: ConsentStatus.DECLINED}


class BioAgent(Agent):
    name: ClassVar[str] = "bio"
    state: ClassVar[WorkflowState] = WorkflowState.BIO_INTAKE
    input_kinds: ClassVar[tuple[str, ...]] = ("bio",)

    def run(self, record: CaseRecord, step_input: Any, ctx: AgentContext) -> AgentResult:
        assert isinstance(step_input, BioInput)
        source = step_input.source_artifact_id
        if source is not None and record.artifact(source) is None:  # only this case's own
            raise reject("source_artifact_id", say("error.source_not_in_case"),
                         "artifact_not_in_case")
        messages: list[str] = []
        from_text = step_input.free_text is not None
        if step_input.free_text is not None:
            if ctx.services.intake_parser is None:
                raise reject("free_text", say("error.free_text_unavailable"))
            parsed = ctx.services.intake_parser(step_input.free_text)
            record, messages = self._merge_parsed(record, parsed, ctx)
        if step_input.patient is not None:
            data = record.model_dump(mode="json")
            data["patient"] = merge_patch(data["patient"], step_input.patient)
            record = revalidate(data)
        if step_input.consent is not None:
            record = apply_consent(
                record, step_input.consent, actor_id=ctx.actor.clinician_id, now=ctx.now
            )
        missing = self.missing(record)
        if missing:
            messages.append(say("agent.bio.still_to_complete", labels=[_label(p) for p in missing]))
        return AgentResult(
            record=revalidate(record.model_dump(mode="json")),
            messages=tuple(messages),
            source_artifact_id=step_input.source_artifact_id,
            attributed_to_agent=from_text and step_input.patient is None,
        )

    def _merge_parsed(
        self, record: CaseRecord, parsed: ParsedIntake, ctx: AgentContext
    ) -> tuple[CaseRecord, list[str]]:
        """Fill empty fields from parsed text; a value that disagrees with one already
        entered becomes a follow-up question, never an overwrite."""
        data = record.model_dump(mode="json")
        follow_ups = list(record.follow_ups)
        filled = 0
        for item in parsed.fields:
            parts = item.path.split(".")
            current = _get(data, parts)
            value = item.value.isoformat() if hasattr(item.value, "isoformat") else item.value
            if current is None:
                _set(data, parts, value)
                filled += 1
            elif current != value:
                follow_ups.append(self._question(
                    ctx, item.path, FollowUpReason.CONTRADICTION,
                    say("question.text_differs", label=_label(item.path)),
                ))
        for ambiguity in parsed.ambiguities:
            follow_ups.append(self._question(
                ctx, ambiguity.path, FollowUpReason.AMBIGUOUS, _catalogued_question(ambiguity)
            ))
        decisions: dict[str, ConsentStatus] = {}
        for kind, decision in parsed.consent.model_dump().items():
            if decision is None:
                continue
            current = record.consent.status_of(ConsentKind(kind))
            if current is ConsentStatus.NOT_RECORDED:
                decisions[kind] = _CONSENT[decision]
            elif current is not _CONSENT[decision]:
                follow_ups.append(self._question(
                    ctx, f"consent.{kind}", FollowUpReason.CONTRADICTION,
                    say("question.consent_differs", label=_label(f"consent.{kind}")),
                ))
        # The same text sent twice must not ask the same open question twice.
        open_keys = {(f.field_path, f.question) for f in record.pending_follow_ups()}
        fresh = follow_ups[len(record.follow_ups):]
        kept = [f for f in fresh if (f.field_path, f.question) not in open_keys]
        unique = list({(f.field_path, f.question): f for f in kept}.values())
        data["follow_ups"] = [f.model_dump(mode="json")
                              for f in [*record.follow_ups, *unique]]
        updated = revalidate(data)
        if decisions:
            updated = apply_consent(
                updated, ConsentPatch(**decisions), actor_id=ctx.actor.clinician_id, now=ctx.now
            )
        messages = [say("agent.bio.filled_from_text", count=filled)]
        if parsed.ambiguities:
            messages.append(say("agent.bio.unclear_values", count=len(parsed.ambiguities)))
        return updated, messages

    @staticmethod
    def _question(ctx: AgentContext, path: str, reason: FollowUpReason, text: str) -> FollowUp:
        return FollowUp(follow_up_id=ctx.new_id(), question=text, field_path=path,
                        reason=reason, created_at=ctx.now)

    def missing(self, record: CaseRecord) -> list[str]:
        patient: Patient = record.patient
        missing = []
        if not (patient.first_name or patient.preferred_name):
            missing.append("patient.first_name")
        if patient.date_of_birth is None and patient.age is None:
            missing.append("patient.date_of_birth")
        if patient.sex is None:
            missing.append("patient.sex")
        for kind in ("data_storage", "photography", "team_board_sharing"):
            if getattr(record.consent, kind) is ConsentStatus.NOT_RECORDED:
                missing.append(f"consent.{kind}")
        return missing


def _label(path: str) -> str:
    return field_label(path)


def _catalogued_question(ambiguity: Ambiguity) -> str:
    """The parser's question if it is a catalogued sentence, else the catalogue's own."""
    if identify(ambiguity.question) is not None:
        return ambiguity.question
    return say("question.undecided", label=field_label(ambiguity.path))


def _get(data: dict[str, Any], parts: list[str]) -> Any:
    node: Any = data
    for part in parts:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _set(data: dict[str, Any], parts: list[str], value: Any) -> None:
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
