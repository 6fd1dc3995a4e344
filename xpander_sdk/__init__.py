"""xpander-sdk: a fast, typed client for xpander.ai's Tasks API.

>>> from xpander_sdk import Tasks, AgentExecutionStatus
>>> tasks = Tasks()                     # XPANDER_API_KEY from the environment
>>> task = tasks.create(agent_id="agent123", prompt="Analyze the sales data")
>>> task.set_status(AgentExecutionStatus.Completed)
"""

from ._hooks import ResumeEvent, RetryEvent
from ._logging import configure_from_env
from ._version import __version__
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

# XPANDER_LOG=debug|info: the SDK's logger writes to stderr, with no code.
configure_from_env()
