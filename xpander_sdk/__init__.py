"""xpander-sdk: a fast, typed client for xpander.ai's Tasks API.

>>> from xpander_sdk import Tasks, AgentExecutionStatus
>>> tasks = Tasks()                     # XPANDER_API_KEY from the environment
>>> task = tasks.create(agent_id="agent123", prompt="Analyze the sales data")
>>> task.set_status(AgentExecutionStatus.Completed)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._logging import configure_from_env
from ._owner import set_default_owner_factory
from ._version import __version__

if TYPE_CHECKING:
    from ._hooks import ResumeEvent, RetryEvent
    from ._owner import TaskOwner
    from .configuration import Configuration
    from .errors import (
        APIConnectionError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ConfigurationError,
        ConflictError,
        MalformedResponseError,
        ModuleException,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        ServerError,
        StreamError,
        TaskWaitTimeout,
        ValidationError,
    )
    from .events import TaskUpdateEvent
    from .models import (
        AgentExecutionInput,
        AgentExecutionStatus,
        AttachmentKind,
        AttachmentRef,
        ConversationKind,
        DeepPlanning,
        DeepPlanningItem,
        ExecutionMetricsReport,
        ExecutionTokens,
        LLMReasoningEffort,
        MessageIdentity,
        OutputFormat,
        PlanFollowingStatus,
        Principal,
        PrincipalKind,
        TaskUpdateEventType,
        ThinkMode,
        Tokens,
        User,
    )
    from .task import Task, TasksListItem
    from .tasks import Tasks

# Where each public name lives: its module is imported when the name is first used
# (PEP 562), so `import xpander_sdk` costs little more than `import httpx`.
_WHERE = {
    **dict.fromkeys(("ResumeEvent", "RetryEvent"), "._hooks"),
    "Configuration": ".configuration",
    **dict.fromkeys(
        (
            "APIConnectionError",
            "APIStatusError",
            "APITimeoutError",
            "AuthenticationError",
            "BadRequestError",
            "ConfigurationError",
            "ConflictError",
            "MalformedResponseError",
            "ModuleException",
            "NotFoundError",
            "PermissionDeniedError",
            "RateLimitError",
            "ServerError",
            "StreamError",
            "TaskWaitTimeout",
            "ValidationError",
        ),
        ".errors",
    ),
    "TaskUpdateEvent": ".events",
    **dict.fromkeys(
        (
            "AgentExecutionInput",
            "AgentExecutionStatus",
            "AttachmentKind",
            "AttachmentRef",
            "ConversationKind",
            "DeepPlanning",
            "DeepPlanningItem",
            "ExecutionMetricsReport",
            "ExecutionTokens",
            "LLMReasoningEffort",
            "MessageIdentity",
            "OutputFormat",
            "PlanFollowingStatus",
            "Principal",
            "PrincipalKind",
            "TaskUpdateEventType",
            "ThinkMode",
            "Tokens",
            "User",
        ),
        ".models",
    ),
    **dict.fromkeys(("Task", "TasksListItem"), ".task"),
    "Tasks": ".tasks",
}

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AgentExecutionInput",
    "AgentExecutionStatus",
    "AttachmentKind",
    "AttachmentRef",
    "AuthenticationError",
    "BadRequestError",
    "Configuration",
    "ConfigurationError",
    "ConflictError",
    "ConversationKind",
    "DeepPlanning",
    "DeepPlanningItem",
    "ExecutionMetricsReport",
    "ExecutionTokens",
    "LLMReasoningEffort",
    "MalformedResponseError",
    "MessageIdentity",
    "ModuleException",
    "NotFoundError",
    "OutputFormat",
    "PermissionDeniedError",
    "PlanFollowingStatus",
    "Principal",
    "PrincipalKind",
    "RateLimitError",
    "ResumeEvent",
    "RetryEvent",
    "ServerError",
    "StreamError",
    "Task",
    "TaskUpdateEvent",
    "TaskUpdateEventType",
    "TaskWaitTimeout",
    "Tasks",
    "TasksListItem",
    "ThinkMode",
    "Tokens",
    "User",
    "ValidationError",
    "__version__",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # found here from now on, without this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def _shared_owner(configuration: Configuration | None) -> TaskOwner:
    # Task.load and the other class-level entry points may come before anything loaded
    # Tasks (`from xpander_sdk.task import Task`): load it now; it registers itself.
    from .tasks import Tasks

    return Tasks.shared(configuration)


set_default_owner_factory(_shared_owner)


# XPANDER_LOG=debug|info: the SDK's logger writes to stderr, with no code.
configure_from_env()
