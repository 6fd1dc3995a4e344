"""The enumerations and small value objects of the Tasks API, as the spec defines them.

Everything here is generated from openapi.yaml: the enumerations carry the
published SDK's member names (``Pending``, ``Completed``, ...; the generator's
enum template writes them) over the spec's wire values; they are ``str``
enums, so ``AgentExecutionStatus.Completed == "completed"``.

``User``, ``Tokens`` and ``AgentExecutionInput`` are the generated models
themselves: construct them with keyword arguments, e.g.
``User(email="ada@example.com", first_name="Ada")``.
"""

from __future__ import annotations

from xpander_api_client.models import (
    AgentExecutionInput,
    AgentExecutionStatus,
    DeepPlanning,
    DeepPlanningItem,
    HumanInTheLoopRequest,
    OutputFormat,
    PendingECARequest,
    TaskUpdateEventType,
    ThinkMode,
    Tokens,
    User,
)

__all__ = [
    "AgentExecutionInput",
    "AgentExecutionStatus",
    "DeepPlanning",
    "DeepPlanningItem",
    "HumanInTheLoopRequest",
    "OutputFormat",
    "PendingECARequest",
    "TaskUpdateEventType",
    "ThinkMode",
    "Tokens",
    "User",
]
