"""The enumerations and small value objects of the Tasks API, as the spec defines them.

Everything here is generated from openapi.yaml: the enumerations carry the
published SDK's member names (``Pending``, ``Completed``, ...; the generator's
enum template writes them) over the spec's wire values; they are ``str``
enums, so ``AgentExecutionStatus.Completed == "completed"``.

``User``, ``Tokens``, ``Principal``, ``AttachmentRef``, ``AgentExecutionInput``
and the rest are the generated models themselves: construct them with keyword
arguments, e.g. ``User(email="ada@example.com", first_name="Ada")`` or
``Principal(kind=PrincipalKind.user, id="U123")``.

`PlanFollowingStatus` is the one model computed here rather than sent by the
API (see `Task.get_plan_following_status`).

Each generated model is imported when first used (PEP 562), not when this module is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from xpander_api_client import models as gen

if TYPE_CHECKING:
    from xpander_api_client.models import (
        AgentExecutionInput,
        AgentExecutionStatus,
        AttachmentKind,
        AttachmentRef,
        ConversationKind,
        DeepPlanning,
        DeepPlanningItem,
        ExecutionMetricsReport,
        ExecutionTokens,
        HumanInTheLoopRequest,
        LLMReasoningEffort,
        MessageIdentity,
        OutputFormat,
        PendingECARequest,
        Principal,
        PrincipalKind,
        TaskUpdateEventType,
        ThinkMode,
        Tokens,
        User,
    )
from xpander_api_client.types import Model

__all__ = [
    "AgentExecutionInput",
    "AgentExecutionStatus",
    "AttachmentKind",
    "AttachmentRef",
    "ConversationKind",
    "DeepPlanning",
    "DeepPlanningItem",
    "ExecutionMetricsReport",
    "ExecutionTokens",
    "HumanInTheLoopRequest",
    "LLMReasoningEffort",
    "MessageIdentity",
    "OutputFormat",
    "PendingECARequest",
    "PlanFollowingStatus",
    "Principal",
    "PrincipalKind",
    "TaskUpdateEventType",
    "ThinkMode",
    "Tokens",
    "User",
]


@dataclass
class PlanFollowingStatus(Model):
    """Whether a task may finish, by its deep plan: ``can_finish``, and the items still open."""

    can_finish: bool
    uncompleted_tasks: list[DeepPlanningItem] = field(default_factory=list)


def __getattr__(name: str) -> Any:
    # The generated models are imported when first used (see xpander_api_client.models).
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(gen, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
