"""The agent of each workflow state."""

from __future__ import annotations

from woundcare.agents.base import Agent
from woundcare.agents.bio import BioAgent
from woundcare.agents.export import ExportAgent
from woundcare.agents.follow_up import FollowUpAgent
from woundcare.agents.imaging import WoundImagingAgent
from woundcare.agents.review import ReviewAgent
from woundcare.agents.security import SecurityAgent
from woundcare.agents.steward import DataStewardAgent
from woundcare.agents.time_assessment import TimeAgent
from woundcare.agents.vitals import VitalsAgent
from woundcare.domain.enums import WorkflowState


def default_agents() -> dict[WorkflowState, Agent]:
    agents: list[Agent] = [BioAgent(), WoundImagingAgent(), VitalsAgent(), TimeAgent(),
                           FollowUpAgent(), ReviewAgent(), DataStewardAgent(), SecurityAgent(),
                           ExportAgent()]
    return {agent.state: agent for agent in agents}
