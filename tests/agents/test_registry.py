"""One agent per working state, each with its versioned prompt file."""

from __future__ import annotations

from woundcare.agents.base import load_prompt
from woundcare.agents.registry import default_agents
from woundcare.domain.enums import WorkflowState
from woundcare.domain.inputs import StepInput  # noqa: F401 - the union must import cleanly


def test_every_state_between_start_and_done_has_its_agent() -> None:
    agents = default_agents()
    expected = set(WorkflowState) - {WorkflowState.START, WorkflowState.DONE}
    assert set(agents) == expected
    for state, agent in agents.items():
        assert agent.state is state
        assert agent.input_kinds
    assert len({a.name for a in agents.values()}) == len(agents)


def test_every_agent_has_a_non_empty_prompt_without_advice() -> None:
    for agent in default_agents().values():
        prompt = agent.prompt
        assert prompt == load_prompt(agent.name)
        assert len(prompt.strip()) > 40, agent.name
    assert "never give clinical advice" in load_prompt("bio").lower()
