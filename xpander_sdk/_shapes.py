"""The published SDK's pydantic models, as data: each one's fields in order, with type and default.

The published xpander-sdk (2.0.537) made its tasks, events and their parts pydantic
models; what their ``model_dump`` gives (which keys, in which order, which value
when the answer lacks one) follows from these declarations, which are facts about
that SDK, copied here field for field. `_pydantic` dumps this SDK's objects by them.
``make compat`` holds each shape against the published class (names, order,
defaults, required), so a new release that changes one is seen.

A shape's ``annotation`` is what ``model_fields`` shows, written with this SDK's
classes; ``default`` is `REQUIRED` for a field without one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Dict, List, Literal, Optional

from xpander_api_client.models import MCPServerDetails

from .configuration import Configuration
from .models import (
    AgentExecutionInput,
    AgentExecutionStatus,
    AttachmentKind,
    AttachmentRef,
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

REQUIRED: Any = type("Required", (), {"__repr__": lambda self: "REQUIRED"})()
"""The default of a field that has none."""


class Field:
    """One field of a published model."""

    __slots__ = ("annotation", "default", "factory", "name")

    def __init__(
        self,
        name: str,
        annotation: Any,
        default: Any = None,
        factory: Callable[[], Any] | None = None,
    ) -> None:
        self.name = name
        self.annotation = annotation
        self.default = default
        self.factory = factory

    @property
    def required(self) -> bool:
        return self.default is REQUIRED and self.factory is None


class Shape:
    """A published model: its name, fields in order, and computed fields (name, type, how)."""

    __slots__ = ("computed", "fields", "name", "names", "normalize")

    def __init__(
        self,
        name: str,
        fields: list[Field],
        computed: tuple[tuple[str, Any, Callable[[dict[str, Any]], Any]], ...] = (),
        normalize: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.name = name
        self.fields = tuple(fields)
        self.names = tuple(f.name for f in self.fields)
        self.computed = computed
        #: What the published model's validators change in a value (applied to a dump).
        self.normalize = normalize


def _f(name: str, annotation: Any, default: Any = None) -> Field:
    return Field(name, annotation, default)


def _optional_str(*names: str) -> list[Field]:
    return [Field(name, Optional[str]) for name in names]


def _flags(*names: str) -> list[Field]:
    return [Field(name, Optional[bool], False) for name in names]


def _total_tokens(values: dict[str, Any]) -> int:
    return int((values.get("completion_tokens") or 0) + (values.get("prompt_tokens") or 0))


def _mcp_transport(values: dict[str, Any]) -> None:
    # The published model's validator: a local server talks stdio; a remote one over stdio
    # (or none) talks streamable HTTP.
    if values.get("type") == "local":
        values["transport"] = "stdio"
    elif values.get("transport") in ("stdio", None):
        values["transport"] = "streamable-http"


# fmt: off
USER = Shape("User", [
    *_optional_str("id", "first_name", "last_name"),
    _f("email", str, REQUIRED),
    _f("additional_attributes", Optional[dict]),
    _f("timezone", Optional[str]),
])
PRINCIPAL = Shape("Principal", [
    _f("kind", PrincipalKind, REQUIRED), _f("id", str, REQUIRED),
    *_optional_str("email", "display_name"),
])
ATTACHMENT_REF = Shape("AttachmentRef", [
    _f("url", str, REQUIRED),
    *_optional_str("name", "mime"),
    _f("size", Optional[int]),
    _f("kind", Optional[AttachmentKind]),
    *_optional_str("sha256", "expires_at", "source", "transcript"),
])
AGENT_EXECUTION_INPUT = Shape("AgentExecutionInput", [
    _f("text", Optional[str], ""),
    _f("files", Optional[List[str]], []),
    _f("attachments", Optional[List[AttachmentRef]], []),
    _f("user", Optional[User]),
    _f("principal", Optional[Principal]),
])
HUMAN_IN_THE_LOOP_REQUEST = Shape("HumanInTheLoopRequest", [_f("wait_node_id", str, REQUIRED)])
PENDING_ECA_REQUEST = Shape("PendingECARequest", [
    _f("connector_name", str, REQUIRED), _f("auth_url", str, REQUIRED),
])
# Its enumerations (type, transport, auth_type, sso_token) are plain strings here: the
# spec keeps an MCP server free-form (its secrets pass through untouched).
MCP_SERVER_DETAILS = Shape("MCPServerDetails", [
    _f("id", Optional[str]),
    _f("type", Optional[str], "remote"),
    *_optional_str("name", "command", "url"),
    _f("transport", Optional[str], "streamable-http"),
    _f("auth_type", Optional[str], "none"),
    _f("api_key", Optional[str]),
    _f("use_secrets_manager", Optional[bool], False),
    *_optional_str("client_id", "client_secret"),
    _f("headers", Optional[Dict], {}),
    _f("env_vars", Optional[Dict], {}),
    _f("allowed_tools", Optional[List[str]], []),
    _f("additional_scopes", Optional[List[str]], []),
    _f("share_user_token_across_other_agents", Optional[bool], True),
    _f("sso_token", Optional[str], "access"),
    _f("sso_audience", Optional[str]),
], normalize=_mcp_transport)
DEEP_PLANNING_ITEM = Shape("DeepPlanningItem", [
    _f("id", str, REQUIRED), _f("title", str, REQUIRED),
    _f("completed", Optional[bool], False),
])
DEEP_PLANNING = Shape("DeepPlanning", [
    *_flags("enabled", "enforce", "started", "question_raised"),
    _f("tasks", Optional[List[DeepPlanningItem]], []),
])
PLAN_FOLLOWING_STATUS = Shape("PlanFollowingStatus", [
    _f("can_finish", bool, REQUIRED),
    _f("uncompleted_tasks", Optional[List[DeepPlanningItem]], []),
])
TOKENS = Shape("Tokens", [
    Field(name, Optional[int], 0)
    for name in ("completion_tokens", "prompt_tokens", "cache_read_tokens", "cache_write_tokens")
], computed=(("total_tokens", int, _total_tokens),))
EXECUTION_TOKENS = Shape("ExecutionTokens", [
    Field("inner", Optional[Tokens], factory=Tokens),
    Field("worker", Optional[Tokens], factory=Tokens),
])
EXECUTION_METRICS_REPORT = Shape("ExecutionMetricsReport", [
    _f("execution_id", str, REQUIRED), _f("source", str, REQUIRED),
    _f("sub_executions", Optional[list[str]], []),
    _f("memory_thread_id", str, REQUIRED), _f("task", str, REQUIRED),
    _f("triggered_by", Optional[str], "N/A"),
    _f("skills", Optional[list[str]], []),
    _f("status", str, REQUIRED),
    _f("internal_status", Optional[str]),
    _f("duration", float, REQUIRED), _f("ai_model", str, REQUIRED),
    *_optional_str("worker", "ai_employee_id"),
    _f("api_calls_made", Optional[List[Any]]),
    _f("result", Optional[str], REQUIRED),
    Field("llm_tokens", Optional[ExecutionTokens], factory=ExecutionTokens),
])
MESSAGE_IDENTITY = Shape("MessageIdentity", [
    _f("name", str, REQUIRED), _f("icon", Optional[str]),
])
# What a task's dump holds of its client's settings: the published model's fields, less
# the API key (a secret, never dumped) and its in-memory state (excluded there too). As
# there, a value read from the environment is the default, so not "set".
CONFIGURATION = Shape("Configuration", [
    Field("base_url", Optional[str], factory=lambda: Configuration().base_url),
    _f("agent_id", Optional[str]),
    Field("organization_id", Optional[str], factory=lambda: Configuration().organization_id),
])

_CONVERSATION_KIND = Optional[Literal["direct", "gateway"]]

TASK = Shape("Task", [
    _f("configuration", Optional[Configuration]),
    _f("id", str, REQUIRED), _f("agent_id", str, REQUIRED),
    _f("organization_id", str, REQUIRED), _f("input", AgentExecutionInput, REQUIRED),
    _f("status", Optional[AgentExecutionStatus], AgentExecutionStatus.Pending),
    *_optional_str("internal_status", "last_executed_node_id", "agent_version"),
    _f("created_at", datetime, REQUIRED),
    *[Field(name, Optional[datetime]) for name in ("started_at", "paused_at", "finished_at")],
    *_optional_str("result", "parent_execution", "conversation_id"),
    _f("conversation_kind", _CONVERSATION_KIND),
    _f("sub_executions", Optional[List[str]], []),
    *_flags("should_update_parent", "is_manually_stopped"),
    _f("payload_extension", Optional[dict]),
    _f("execution_kind", Optional[str]),
    _f("hitl_request", Optional[HumanInTheLoopRequest]),
    _f("pending_eca_request", Optional[PendingECARequest]),
    *_optional_str("source", "voice_id"),
    _f("output_format", Optional[OutputFormat]),
    _f("output_schema", Optional[Dict]),
    *_flags("events_streaming", "is_orchestration", "is_gateway", "is_app"),
    _f("background_auth_eligible", bool, False),
    _f("additional_context", Optional[str]),
    _f("tool_call_limit", Optional[int]),
    *_optional_str("instructions_override", "test_run_node_id", "user_oidc_token"),
    _f("expected_output", Optional[str]),
    _f("mcp_servers", Optional[List[MCPServerDetails]], []),
    *_optional_str("triggering_agent_id", "title"),
    _f("think_mode", Optional[ThinkMode], ThinkMode.Default),
    *_flags("disable_attachment_injection"),
    _f("user_tokens", Optional[Dict]),
    Field("deep_planning", Optional[DeepPlanning], factory=DeepPlanning),
    *_flags("must_deep_plan"),
    _f("execution_attempts", Optional[int], 1),
    *_flags("return_metrics"),
    *_optional_str("llm_model_provider", "llm_model_name"),
    _f("llm_reasoning_effort", Optional[LLMReasoningEffort]),
    *_optional_str("harness_cli", "permission_mode"),
    _f("tokens", Optional[Tokens]),
    _f("used_tools", Optional[List[str]], []),
    _f("duration", Optional[float], 0),
])
TASKS_LIST_ITEM = Shape("TasksListItem", [
    _f("id", str, REQUIRED), _f("agent_id", str, REQUIRED),
    *_optional_str("user_id", "parent_task_id", "triggering_agent_id"),
    _f("organization_id", str, REQUIRED),
    _f("status", AgentExecutionStatus, REQUIRED),
    *[Field(name, Optional[datetime]) for name in ("created_at", "updated_at")],
    *_optional_str("source_node_type", "result", "title", "execution_kind"),
    _f("process", Optional[Dict[str, Any]]),
    _f("conversation_kind", _CONVERSATION_KIND),
])
TASK_UPDATE_EVENT = Shape("TaskUpdateEvent", [
    _f("type", TaskUpdateEventType, REQUIRED), _f("task_id", str, REQUIRED),
    _f("organization_id", str, REQUIRED), _f("time", datetime, REQUIRED),
    _f("data", Any, REQUIRED),
    _f("identity", Optional[MessageIdentity]),
])
# fmt: on

#: The generated models that were pydantic models in the published SDK, by class.
GENERATED: dict[type, Shape] = {
    User: USER,
    Principal: PRINCIPAL,
    AttachmentRef: ATTACHMENT_REF,
    AgentExecutionInput: AGENT_EXECUTION_INPUT,
    HumanInTheLoopRequest: HUMAN_IN_THE_LOOP_REQUEST,
    PendingECARequest: PENDING_ECA_REQUEST,
    MCPServerDetails: MCP_SERVER_DETAILS,
    DeepPlanningItem: DEEP_PLANNING_ITEM,
    DeepPlanning: DEEP_PLANNING,
    Tokens: TOKENS,
    ExecutionTokens: EXECUTION_TOKENS,
    ExecutionMetricsReport: EXECUTION_METRICS_REPORT,
    MessageIdentity: MESSAGE_IDENTITY,
}
