from __future__ import annotations

import pytest

from tests.factories import CLINICIAN_ID, FIXED_NOW, sequential_ids
from woundcare.agents.base import Actor, AgentContext, AgentServices


def make_ctx(services: AgentServices | None = None) -> AgentContext:
    return AgentContext(actor=Actor.clinician(CLINICIAN_ID), now=FIXED_NOW,
                        services=services or AgentServices(), new_id=sequential_ids())


@pytest.fixture
def ctx() -> AgentContext:
    return make_ctx()
