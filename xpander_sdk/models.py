"""The enumerations and small value objects of the Tasks API.

The enumerations carry the published SDK's member names (``Pending``,
``Completed``, ...) over the wire values the spec defines; they are ``str``
enums, so ``AgentExecutionStatus.Completed == "completed"``. A test holds their
values against the generated ones, which come from openapi.yaml.

``User``, ``Tokens`` and ``AgentExecutionInput`` are the generated models
themselves: construct them with keyword arguments, e.g.
``User(email="ada@example.com", first_name="Ada")``.
"""

from __future__ import annotations

from enum import Enum

from xpander_api_client.models import (
    AgentExecutionInput,
    DeepPlanning,
    DeepPlanningItem,
    HumanInTheLoopRequest,
    PendingECARequest,
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


class _WireEnum(str, Enum):
    def __str__(self) -> str:
        return str(self.value)


class AgentExecutionStatus(_WireEnum):
    """Where a task stands in its run."""

    Pending = "pending"
    Executing = "executing"
    Paused = "paused"
    Error = "error"
    Failed = "failed"
    Completed = "completed"
    Stopped = "stopped"

    @property
    def is_final(self) -> bool:
        """True for the statuses a run ends in: error, failed, completed, stopped."""
        return self in _FINAL


_FINAL = frozenset(
    {
        AgentExecutionStatus.Error,
        AgentExecutionStatus.Failed,
        AgentExecutionStatus.Completed,
        AgentExecutionStatus.Stopped,
    }
)


class OutputFormat(_WireEnum):
    """The form the agent gives its result in."""

    Text = "text"
    Markdown = "markdown"
    Json = "json"
    Voice = "voice"


class ThinkMode(_WireEnum):
    """How hard the agent thinks before it answers."""

    Default = "default"
    Harder = "harder"


class TaskUpdateEventType(_WireEnum):
    """What a task event reports."""

    TaskCreated = "task_created"
    TaskUpdated = "task_updated"
    TaskFinished = "task_finished"
    Chunk = "chunk"
    AuthEvent = "auth_event"
    ToolCallRequest = "tool_call_request"
    ToolCallResult = "tool_call_result"
    SubAgentTrigger = "sub_agent_trigger"
    Think = "think"
    Analyze = "analyze"
    PlanUpdated = "plan_updated"
    TaskCompactization = "task_compactization"
