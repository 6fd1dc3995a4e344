from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agent_execution_status import AgentExecutionStatus
from ..models.conversation_kind import ConversationKind
from ..models.llm_reasoning_effort import LLMReasoningEffort
from ..models.output_format import OutputFormat
from ..models.think_mode import ThinkMode
from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.agent_execution_input import AgentExecutionInput
    from ..models.deep_planning import DeepPlanning
    from ..models.human_in_the_loop_request import HumanInTheLoopRequest
    from ..models.mcp_server_details import MCPServerDetails
    from ..models.pending_eca_request import PendingECARequest
    from ..models.task_output_schema_type_0 import TaskOutputSchemaType0
    from ..models.task_payload_extension_type_0 import TaskPayloadExtensionType0
    from ..models.task_user_tokens_type_0 import TaskUserTokensType0
    from ..models.tokens import Tokens


T = TypeVar("T", bound="Task")


@_attrs_define
class Task(Model):
    """A task: what an agent was asked to do, and where its run stands. An
    answer carries every field, `null` where unset; fields the platform
    adds later are kept by clients.

        Attributes:
            id (str): The task's id.
            agent_id (str): The agent that runs the task.
            organization_id (str): The organization that owns the task.
            input_ (AgentExecutionInput): What the agent is asked to do.
            created_at (datetime.datetime):
            status (AgentExecutionStatus | None | Unset):
            internal_status (None | str | Unset): The caller's own progress note (free text).
            last_executed_node_id (None | str | Unset):
            agent_version (None | str | Unset):
            started_at (datetime.datetime | None | Unset):
            paused_at (datetime.datetime | None | Unset):
            finished_at (datetime.datetime | None | Unset):
            result (None | str | Unset): The agent's answer, once it has one.
            parent_execution (None | str | Unset): The task this one is a sub-task of.
            sub_executions (list[str] | None | Unset): Ids of this task's sub-tasks.
            is_manually_stopped (bool | None | Unset): True when the task was stopped by a request.
            payload_extension (None | TaskPayloadExtensionType0 | Unset):
            hitl_request (HumanInTheLoopRequest | None | Unset):
            pending_eca_request (None | PendingECARequest | Unset):
            source (None | str | Unset):
            voice_id (None | str | Unset):
            output_format (None | OutputFormat | Unset):
            output_schema (None | TaskOutputSchemaType0 | Unset):
            events_streaming (bool | None | Unset):
            is_orchestration (bool | None | Unset):
            additional_context (None | str | Unset):
            instructions_override (None | str | Unset):
            test_run_node_id (None | str | Unset):
            user_oidc_token (None | str | Unset): Secret.
            expected_output (None | str | Unset):
            mcp_servers (list[MCPServerDetails] | None | Unset):
            triggering_agent_id (None | str | Unset):
            title (None | str | Unset):
            think_mode (None | ThinkMode | Unset):
            disable_attachment_injection (bool | None | Unset):
            user_tokens (None | TaskUserTokensType0 | Unset): Secret.
            deep_planning (DeepPlanning | None | Unset):
            execution_attempts (int | None | Unset):
            return_metrics (bool | None | Unset):
            tokens (None | Tokens | Unset):
            used_tools (list[str] | None | Unset):
            duration (float | None | Unset): How long the run took, in seconds.
            conversation_id (None | str | Unset): The conversation this task is one turn of (the session its history keys
                on).
            conversation_kind (ConversationKind | None | Unset): On a conversation head, its shape; `null` on a turn.
            should_update_parent (bool | None | Unset): Whether the task's outcome is passed up to its parent execution.
            execution_kind (None | str | Unset): `resident` for a long-lived harness process that stays in progress
                until the agent finishes it; `null` for a plain turn.
            is_gateway (bool | None | Unset): Legacy marker, true on every conversation head (`conversation_kind` says which
                shape).
            is_app (bool | None | Unset): Whether the task came from an app.
            background_auth_eligible (bool | None | Unset): Whether the run may authorize connectors in the background. The
                platform always sends a boolean (the published SDK refuses `null`
                here), `false` by default.
                 Default: False.
            tool_call_limit (int | None | Unset): The most tool calls this task may make; overrides the agent's setting.
            must_deep_plan (bool | None | Unset): Whether the agent must make a deep plan before it acts.
            llm_model_provider (None | str | Unset): The per-task language-model provider override.
            llm_model_name (None | str | Unset): The per-task model override.
            llm_reasoning_effort (LLMReasoningEffort | None | Unset): The per-task reasoning-effort override.
            harness_cli (None | str | Unset): Harness agents only: the CLI this conversation runs on, fixed by its
                first task. A string, not an enumeration, so a client still reads a
                task that names a CLI it does not know.
            permission_mode (None | str | Unset): Harness agents only, the conversation's permission mode (`full`, `gated`,
                …).
    """

    id: str
    agent_id: str
    organization_id: str
    input_: AgentExecutionInput
    created_at: datetime.datetime
    status: AgentExecutionStatus | None | Unset = UNSET
    internal_status: None | str | Unset = UNSET
    last_executed_node_id: None | str | Unset = UNSET
    agent_version: None | str | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    paused_at: datetime.datetime | None | Unset = UNSET
    finished_at: datetime.datetime | None | Unset = UNSET
    result: None | str | Unset = UNSET
    parent_execution: None | str | Unset = UNSET
    sub_executions: list[str] | None | Unset = UNSET
    is_manually_stopped: bool | None | Unset = UNSET
    payload_extension: None | TaskPayloadExtensionType0 | Unset = UNSET
    hitl_request: HumanInTheLoopRequest | None | Unset = UNSET
    pending_eca_request: None | PendingECARequest | Unset = UNSET
    source: None | str | Unset = UNSET
    voice_id: None | str | Unset = UNSET
    output_format: None | OutputFormat | Unset = UNSET
    output_schema: None | TaskOutputSchemaType0 | Unset = UNSET
    events_streaming: bool | None | Unset = UNSET
    is_orchestration: bool | None | Unset = UNSET
    additional_context: None | str | Unset = UNSET
    instructions_override: None | str | Unset = UNSET
    test_run_node_id: None | str | Unset = UNSET
    user_oidc_token: None | str | Unset = UNSET
    expected_output: None | str | Unset = UNSET
    mcp_servers: list[MCPServerDetails] | None | Unset = UNSET
    triggering_agent_id: None | str | Unset = UNSET
    title: None | str | Unset = UNSET
    think_mode: None | ThinkMode | Unset = UNSET
    disable_attachment_injection: bool | None | Unset = UNSET
    user_tokens: None | TaskUserTokensType0 | Unset = UNSET
    deep_planning: DeepPlanning | None | Unset = UNSET
    execution_attempts: int | None | Unset = UNSET
    return_metrics: bool | None | Unset = UNSET
    tokens: None | Tokens | Unset = UNSET
    used_tools: list[str] | None | Unset = UNSET
    duration: float | None | Unset = UNSET
    conversation_id: None | str | Unset = UNSET
    conversation_kind: ConversationKind | None | Unset = UNSET
    should_update_parent: bool | None | Unset = UNSET
    execution_kind: None | str | Unset = UNSET
    is_gateway: bool | None | Unset = UNSET
    is_app: bool | None | Unset = UNSET
    background_auth_eligible: bool | None | Unset = False
    tool_call_limit: int | None | Unset = UNSET
    must_deep_plan: bool | None | Unset = UNSET
    llm_model_provider: None | str | Unset = UNSET
    llm_model_name: None | str | Unset = UNSET
    llm_reasoning_effort: LLMReasoningEffort | None | Unset = UNSET
    harness_cli: None | str | Unset = UNSET
    permission_mode: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        agent_id = self.agent_id

        organization_id = self.organization_id

        input_ = self.input_.to_dict()

        created_at = self.created_at.isoformat()

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, AgentExecutionStatus):
            status = self.status.value
        else:
            status = self.status

        internal_status: None | str | Unset
        if isinstance(self.internal_status, Unset):
            internal_status = UNSET
        else:
            internal_status = self.internal_status

        last_executed_node_id: None | str | Unset
        if isinstance(self.last_executed_node_id, Unset):
            last_executed_node_id = UNSET
        else:
            last_executed_node_id = self.last_executed_node_id

        agent_version: None | str | Unset
        if isinstance(self.agent_version, Unset):
            agent_version = UNSET
        else:
            agent_version = self.agent_version

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        paused_at: None | str | Unset
        if isinstance(self.paused_at, Unset):
            paused_at = UNSET
        elif isinstance(self.paused_at, datetime.datetime):
            paused_at = self.paused_at.isoformat()
        else:
            paused_at = self.paused_at

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        elif isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        result: None | str | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        else:
            result = self.result

        parent_execution: None | str | Unset
        if isinstance(self.parent_execution, Unset):
            parent_execution = UNSET
        else:
            parent_execution = self.parent_execution

        sub_executions: list[str] | None | Unset
        if isinstance(self.sub_executions, Unset):
            sub_executions = UNSET
        elif isinstance(self.sub_executions, list):
            sub_executions = self.sub_executions

        else:
            sub_executions = self.sub_executions

        is_manually_stopped: bool | None | Unset
        if isinstance(self.is_manually_stopped, Unset):
            is_manually_stopped = UNSET
        else:
            is_manually_stopped = self.is_manually_stopped

        payload_extension: dict[str, Any] | None | Unset
        if isinstance(self.payload_extension, Unset):
            payload_extension = UNSET
        elif isinstance(self.payload_extension, TaskPayloadExtensionType0):
            payload_extension = self.payload_extension.to_dict()
        else:
            payload_extension = self.payload_extension

        hitl_request: dict[str, Any] | None | Unset
        if isinstance(self.hitl_request, Unset):
            hitl_request = UNSET
        elif isinstance(self.hitl_request, HumanInTheLoopRequest):
            hitl_request = self.hitl_request.to_dict()
        else:
            hitl_request = self.hitl_request

        pending_eca_request: dict[str, Any] | None | Unset
        if isinstance(self.pending_eca_request, Unset):
            pending_eca_request = UNSET
        elif isinstance(self.pending_eca_request, PendingECARequest):
            pending_eca_request = self.pending_eca_request.to_dict()
        else:
            pending_eca_request = self.pending_eca_request

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        voice_id: None | str | Unset
        if isinstance(self.voice_id, Unset):
            voice_id = UNSET
        else:
            voice_id = self.voice_id

        output_format: None | str | Unset
        if isinstance(self.output_format, Unset):
            output_format = UNSET
        elif isinstance(self.output_format, OutputFormat):
            output_format = self.output_format.value
        else:
            output_format = self.output_format

        output_schema: dict[str, Any] | None | Unset
        if isinstance(self.output_schema, Unset):
            output_schema = UNSET
        elif isinstance(self.output_schema, TaskOutputSchemaType0):
            output_schema = self.output_schema.to_dict()
        else:
            output_schema = self.output_schema

        events_streaming: bool | None | Unset
        if isinstance(self.events_streaming, Unset):
            events_streaming = UNSET
        else:
            events_streaming = self.events_streaming

        is_orchestration: bool | None | Unset
        if isinstance(self.is_orchestration, Unset):
            is_orchestration = UNSET
        else:
            is_orchestration = self.is_orchestration

        additional_context: None | str | Unset
        if isinstance(self.additional_context, Unset):
            additional_context = UNSET
        else:
            additional_context = self.additional_context

        instructions_override: None | str | Unset
        if isinstance(self.instructions_override, Unset):
            instructions_override = UNSET
        else:
            instructions_override = self.instructions_override

        test_run_node_id: None | str | Unset
        if isinstance(self.test_run_node_id, Unset):
            test_run_node_id = UNSET
        else:
            test_run_node_id = self.test_run_node_id

        user_oidc_token: None | str | Unset
        if isinstance(self.user_oidc_token, Unset):
            user_oidc_token = UNSET
        else:
            user_oidc_token = self.user_oidc_token

        expected_output: None | str | Unset
        if isinstance(self.expected_output, Unset):
            expected_output = UNSET
        else:
            expected_output = self.expected_output

        mcp_servers: list[dict[str, Any]] | None | Unset
        if isinstance(self.mcp_servers, Unset):
            mcp_servers = UNSET
        elif isinstance(self.mcp_servers, list):
            mcp_servers = []
            for mcp_servers_type_0_item_data in self.mcp_servers:
                mcp_servers_type_0_item = mcp_servers_type_0_item_data.to_dict()
                mcp_servers.append(mcp_servers_type_0_item)

        else:
            mcp_servers = self.mcp_servers

        triggering_agent_id: None | str | Unset
        if isinstance(self.triggering_agent_id, Unset):
            triggering_agent_id = UNSET
        else:
            triggering_agent_id = self.triggering_agent_id

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        think_mode: None | str | Unset
        if isinstance(self.think_mode, Unset):
            think_mode = UNSET
        elif isinstance(self.think_mode, ThinkMode):
            think_mode = self.think_mode.value
        else:
            think_mode = self.think_mode

        disable_attachment_injection: bool | None | Unset
        if isinstance(self.disable_attachment_injection, Unset):
            disable_attachment_injection = UNSET
        else:
            disable_attachment_injection = self.disable_attachment_injection

        user_tokens: dict[str, Any] | None | Unset
        if isinstance(self.user_tokens, Unset):
            user_tokens = UNSET
        elif isinstance(self.user_tokens, TaskUserTokensType0):
            user_tokens = self.user_tokens.to_dict()
        else:
            user_tokens = self.user_tokens

        deep_planning: dict[str, Any] | None | Unset
        if isinstance(self.deep_planning, Unset):
            deep_planning = UNSET
        elif isinstance(self.deep_planning, DeepPlanning):
            deep_planning = self.deep_planning.to_dict()
        else:
            deep_planning = self.deep_planning

        execution_attempts: int | None | Unset
        if isinstance(self.execution_attempts, Unset):
            execution_attempts = UNSET
        else:
            execution_attempts = self.execution_attempts

        return_metrics: bool | None | Unset
        if isinstance(self.return_metrics, Unset):
            return_metrics = UNSET
        else:
            return_metrics = self.return_metrics

        tokens: dict[str, Any] | None | Unset
        if isinstance(self.tokens, Unset):
            tokens = UNSET
        elif isinstance(self.tokens, Tokens):
            tokens = self.tokens.to_dict()
        else:
            tokens = self.tokens

        used_tools: list[str] | None | Unset
        if isinstance(self.used_tools, Unset):
            used_tools = UNSET
        elif isinstance(self.used_tools, list):
            used_tools = self.used_tools

        else:
            used_tools = self.used_tools

        duration: float | None | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        else:
            duration = self.duration

        conversation_id: None | str | Unset
        if isinstance(self.conversation_id, Unset):
            conversation_id = UNSET
        else:
            conversation_id = self.conversation_id

        conversation_kind: None | str | Unset
        if isinstance(self.conversation_kind, Unset):
            conversation_kind = UNSET
        elif isinstance(self.conversation_kind, ConversationKind):
            conversation_kind = self.conversation_kind.value
        else:
            conversation_kind = self.conversation_kind

        should_update_parent: bool | None | Unset
        if isinstance(self.should_update_parent, Unset):
            should_update_parent = UNSET
        else:
            should_update_parent = self.should_update_parent

        execution_kind: None | str | Unset
        if isinstance(self.execution_kind, Unset):
            execution_kind = UNSET
        else:
            execution_kind = self.execution_kind

        is_gateway: bool | None | Unset
        if isinstance(self.is_gateway, Unset):
            is_gateway = UNSET
        else:
            is_gateway = self.is_gateway

        is_app: bool | None | Unset
        if isinstance(self.is_app, Unset):
            is_app = UNSET
        else:
            is_app = self.is_app

        background_auth_eligible: bool | None | Unset
        if isinstance(self.background_auth_eligible, Unset):
            background_auth_eligible = UNSET
        else:
            background_auth_eligible = self.background_auth_eligible

        tool_call_limit: int | None | Unset
        if isinstance(self.tool_call_limit, Unset):
            tool_call_limit = UNSET
        else:
            tool_call_limit = self.tool_call_limit

        must_deep_plan: bool | None | Unset
        if isinstance(self.must_deep_plan, Unset):
            must_deep_plan = UNSET
        else:
            must_deep_plan = self.must_deep_plan

        llm_model_provider: None | str | Unset
        if isinstance(self.llm_model_provider, Unset):
            llm_model_provider = UNSET
        else:
            llm_model_provider = self.llm_model_provider

        llm_model_name: None | str | Unset
        if isinstance(self.llm_model_name, Unset):
            llm_model_name = UNSET
        else:
            llm_model_name = self.llm_model_name

        llm_reasoning_effort: None | str | Unset
        if isinstance(self.llm_reasoning_effort, Unset):
            llm_reasoning_effort = UNSET
        elif isinstance(self.llm_reasoning_effort, LLMReasoningEffort):
            llm_reasoning_effort = self.llm_reasoning_effort.value
        else:
            llm_reasoning_effort = self.llm_reasoning_effort

        harness_cli: None | str | Unset
        if isinstance(self.harness_cli, Unset):
            harness_cli = UNSET
        else:
            harness_cli = self.harness_cli

        permission_mode: None | str | Unset
        if isinstance(self.permission_mode, Unset):
            permission_mode = UNSET
        else:
            permission_mode = self.permission_mode

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "agent_id": agent_id,
                "organization_id": organization_id,
                "input": input_,
                "created_at": created_at,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if internal_status is not UNSET:
            field_dict["internal_status"] = internal_status
        if last_executed_node_id is not UNSET:
            field_dict["last_executed_node_id"] = last_executed_node_id
        if agent_version is not UNSET:
            field_dict["agent_version"] = agent_version
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if paused_at is not UNSET:
            field_dict["paused_at"] = paused_at
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at
        if result is not UNSET:
            field_dict["result"] = result
        if parent_execution is not UNSET:
            field_dict["parent_execution"] = parent_execution
        if sub_executions is not UNSET:
            field_dict["sub_executions"] = sub_executions
        if is_manually_stopped is not UNSET:
            field_dict["is_manually_stopped"] = is_manually_stopped
        if payload_extension is not UNSET:
            field_dict["payload_extension"] = payload_extension
        if hitl_request is not UNSET:
            field_dict["hitl_request"] = hitl_request
        if pending_eca_request is not UNSET:
            field_dict["pending_eca_request"] = pending_eca_request
        if source is not UNSET:
            field_dict["source"] = source
        if voice_id is not UNSET:
            field_dict["voice_id"] = voice_id
        if output_format is not UNSET:
            field_dict["output_format"] = output_format
        if output_schema is not UNSET:
            field_dict["output_schema"] = output_schema
        if events_streaming is not UNSET:
            field_dict["events_streaming"] = events_streaming
        if is_orchestration is not UNSET:
            field_dict["is_orchestration"] = is_orchestration
        if additional_context is not UNSET:
            field_dict["additional_context"] = additional_context
        if instructions_override is not UNSET:
            field_dict["instructions_override"] = instructions_override
        if test_run_node_id is not UNSET:
            field_dict["test_run_node_id"] = test_run_node_id
        if user_oidc_token is not UNSET:
            field_dict["user_oidc_token"] = user_oidc_token
        if expected_output is not UNSET:
            field_dict["expected_output"] = expected_output
        if mcp_servers is not UNSET:
            field_dict["mcp_servers"] = mcp_servers
        if triggering_agent_id is not UNSET:
            field_dict["triggering_agent_id"] = triggering_agent_id
        if title is not UNSET:
            field_dict["title"] = title
        if think_mode is not UNSET:
            field_dict["think_mode"] = think_mode
        if disable_attachment_injection is not UNSET:
            field_dict["disable_attachment_injection"] = disable_attachment_injection
        if user_tokens is not UNSET:
            field_dict["user_tokens"] = user_tokens
        if deep_planning is not UNSET:
            field_dict["deep_planning"] = deep_planning
        if execution_attempts is not UNSET:
            field_dict["execution_attempts"] = execution_attempts
        if return_metrics is not UNSET:
            field_dict["return_metrics"] = return_metrics
        if tokens is not UNSET:
            field_dict["tokens"] = tokens
        if used_tools is not UNSET:
            field_dict["used_tools"] = used_tools
        if duration is not UNSET:
            field_dict["duration"] = duration
        if conversation_id is not UNSET:
            field_dict["conversation_id"] = conversation_id
        if conversation_kind is not UNSET:
            field_dict["conversation_kind"] = conversation_kind
        if should_update_parent is not UNSET:
            field_dict["should_update_parent"] = should_update_parent
        if execution_kind is not UNSET:
            field_dict["execution_kind"] = execution_kind
        if is_gateway is not UNSET:
            field_dict["is_gateway"] = is_gateway
        if is_app is not UNSET:
            field_dict["is_app"] = is_app
        if background_auth_eligible is not UNSET:
            field_dict["background_auth_eligible"] = background_auth_eligible
        if tool_call_limit is not UNSET:
            field_dict["tool_call_limit"] = tool_call_limit
        if must_deep_plan is not UNSET:
            field_dict["must_deep_plan"] = must_deep_plan
        if llm_model_provider is not UNSET:
            field_dict["llm_model_provider"] = llm_model_provider
        if llm_model_name is not UNSET:
            field_dict["llm_model_name"] = llm_model_name
        if llm_reasoning_effort is not UNSET:
            field_dict["llm_reasoning_effort"] = llm_reasoning_effort
        if harness_cli is not UNSET:
            field_dict["harness_cli"] = harness_cli
        if permission_mode is not UNSET:
            field_dict["permission_mode"] = permission_mode

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        agent_id = d.pop("agent_id")

        organization_id = d.pop("organization_id")

        input_ = AgentExecutionInput.from_dict(d.pop("input"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_status(data: object) -> AgentExecutionStatus | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = AgentExecutionStatus(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgentExecutionStatus | None | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        internal_status: None | str | Unset = d.pop("internal_status", UNSET)

        last_executed_node_id: None | str | Unset = d.pop(
            "last_executed_node_id", UNSET
        )

        agent_version: None | str | Unset = d.pop("agent_version", UNSET)

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_paused_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                paused_at_type_0 = datetime.datetime.fromisoformat(data)

                return paused_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        paused_at = _parse_paused_at(d.pop("paused_at", UNSET))

        def _parse_finished_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))

        result: None | str | Unset = d.pop("result", UNSET)

        parent_execution: None | str | Unset = d.pop("parent_execution", UNSET)

        def _parse_sub_executions(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                sub_executions_type_0 = cast(list[str], data)

                return sub_executions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        sub_executions = _parse_sub_executions(d.pop("sub_executions", UNSET))

        is_manually_stopped: bool | None | Unset = d.pop("is_manually_stopped", UNSET)

        def _parse_payload_extension(
            data: object,
        ) -> None | TaskPayloadExtensionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payload_extension_type_0 = TaskPayloadExtensionType0.from_dict(data)

                return payload_extension_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskPayloadExtensionType0 | Unset, data)

        payload_extension = _parse_payload_extension(d.pop("payload_extension", UNSET))

        def _parse_hitl_request(data: object) -> HumanInTheLoopRequest | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                hitl_request_type_0 = HumanInTheLoopRequest.from_dict(data)

                return hitl_request_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(HumanInTheLoopRequest | None | Unset, data)

        hitl_request = _parse_hitl_request(d.pop("hitl_request", UNSET))

        def _parse_pending_eca_request(
            data: object,
        ) -> None | PendingECARequest | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                pending_eca_request_type_0 = PendingECARequest.from_dict(data)

                return pending_eca_request_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PendingECARequest | Unset, data)

        pending_eca_request = _parse_pending_eca_request(
            d.pop("pending_eca_request", UNSET)
        )

        source: None | str | Unset = d.pop("source", UNSET)

        voice_id: None | str | Unset = d.pop("voice_id", UNSET)

        def _parse_output_format(data: object) -> None | OutputFormat | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                output_format_type_0 = OutputFormat(data)

                return output_format_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OutputFormat | Unset, data)

        output_format = _parse_output_format(d.pop("output_format", UNSET))

        def _parse_output_schema(data: object) -> None | TaskOutputSchemaType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_schema_type_0 = TaskOutputSchemaType0.from_dict(data)

                return output_schema_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskOutputSchemaType0 | Unset, data)

        output_schema = _parse_output_schema(d.pop("output_schema", UNSET))

        events_streaming: bool | None | Unset = d.pop("events_streaming", UNSET)

        is_orchestration: bool | None | Unset = d.pop("is_orchestration", UNSET)

        additional_context: None | str | Unset = d.pop("additional_context", UNSET)

        instructions_override: None | str | Unset = d.pop(
            "instructions_override", UNSET
        )

        test_run_node_id: None | str | Unset = d.pop("test_run_node_id", UNSET)

        user_oidc_token: None | str | Unset = d.pop("user_oidc_token", UNSET)

        expected_output: None | str | Unset = d.pop("expected_output", UNSET)

        def _parse_mcp_servers(data: object) -> list[MCPServerDetails] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                mcp_servers_type_0 = []
                _mcp_servers_type_0 = data
                for mcp_servers_type_0_item_data in _mcp_servers_type_0:
                    mcp_servers_type_0_item = MCPServerDetails.from_dict(
                        mcp_servers_type_0_item_data
                    )

                    mcp_servers_type_0.append(mcp_servers_type_0_item)

                return mcp_servers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[MCPServerDetails] | None | Unset, data)

        mcp_servers = _parse_mcp_servers(d.pop("mcp_servers", UNSET))

        triggering_agent_id: None | str | Unset = d.pop("triggering_agent_id", UNSET)

        title: None | str | Unset = d.pop("title", UNSET)

        def _parse_think_mode(data: object) -> None | ThinkMode | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                think_mode_type_0 = ThinkMode(data)

                return think_mode_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ThinkMode | Unset, data)

        think_mode = _parse_think_mode(d.pop("think_mode", UNSET))

        disable_attachment_injection: bool | None | Unset = d.pop(
            "disable_attachment_injection", UNSET
        )

        def _parse_user_tokens(data: object) -> None | TaskUserTokensType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                user_tokens_type_0 = TaskUserTokensType0.from_dict(data)

                return user_tokens_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskUserTokensType0 | Unset, data)

        user_tokens = _parse_user_tokens(d.pop("user_tokens", UNSET))

        def _parse_deep_planning(data: object) -> DeepPlanning | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                deep_planning_type_0 = DeepPlanning.from_dict(data)

                return deep_planning_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeepPlanning | None | Unset, data)

        deep_planning = _parse_deep_planning(d.pop("deep_planning", UNSET))

        execution_attempts: int | None | Unset = d.pop("execution_attempts", UNSET)

        return_metrics: bool | None | Unset = d.pop("return_metrics", UNSET)

        def _parse_tokens(data: object) -> None | Tokens | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tokens_type_0 = Tokens.from_dict(data)

                return tokens_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Tokens | Unset, data)

        tokens = _parse_tokens(d.pop("tokens", UNSET))

        def _parse_used_tools(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                used_tools_type_0 = cast(list[str], data)

                return used_tools_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        used_tools = _parse_used_tools(d.pop("used_tools", UNSET))

        duration: float | None | Unset = d.pop("duration", UNSET)

        conversation_id: None | str | Unset = d.pop("conversation_id", UNSET)

        def _parse_conversation_kind(data: object) -> ConversationKind | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                conversation_kind_type_0 = ConversationKind(data)

                return conversation_kind_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConversationKind | None | Unset, data)

        conversation_kind = _parse_conversation_kind(d.pop("conversation_kind", UNSET))

        should_update_parent: bool | None | Unset = d.pop("should_update_parent", UNSET)

        execution_kind: None | str | Unset = d.pop("execution_kind", UNSET)

        is_gateway: bool | None | Unset = d.pop("is_gateway", UNSET)

        is_app: bool | None | Unset = d.pop("is_app", UNSET)

        background_auth_eligible: bool | None | Unset = d.pop(
            "background_auth_eligible", UNSET
        )

        tool_call_limit: int | None | Unset = d.pop("tool_call_limit", UNSET)

        must_deep_plan: bool | None | Unset = d.pop("must_deep_plan", UNSET)

        llm_model_provider: None | str | Unset = d.pop("llm_model_provider", UNSET)

        llm_model_name: None | str | Unset = d.pop("llm_model_name", UNSET)

        def _parse_llm_reasoning_effort(
            data: object,
        ) -> LLMReasoningEffort | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                llm_reasoning_effort_type_0 = LLMReasoningEffort(data)

                return llm_reasoning_effort_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LLMReasoningEffort | None | Unset, data)

        llm_reasoning_effort = _parse_llm_reasoning_effort(
            d.pop("llm_reasoning_effort", UNSET)
        )

        harness_cli: None | str | Unset = d.pop("harness_cli", UNSET)

        permission_mode: None | str | Unset = d.pop("permission_mode", UNSET)

        task = cls(
            id=id,
            agent_id=agent_id,
            organization_id=organization_id,
            input_=input_,
            created_at=created_at,
            status=status,
            internal_status=internal_status,
            last_executed_node_id=last_executed_node_id,
            agent_version=agent_version,
            started_at=started_at,
            paused_at=paused_at,
            finished_at=finished_at,
            result=result,
            parent_execution=parent_execution,
            sub_executions=sub_executions,
            is_manually_stopped=is_manually_stopped,
            payload_extension=payload_extension,
            hitl_request=hitl_request,
            pending_eca_request=pending_eca_request,
            source=source,
            voice_id=voice_id,
            output_format=output_format,
            output_schema=output_schema,
            events_streaming=events_streaming,
            is_orchestration=is_orchestration,
            additional_context=additional_context,
            instructions_override=instructions_override,
            test_run_node_id=test_run_node_id,
            user_oidc_token=user_oidc_token,
            expected_output=expected_output,
            mcp_servers=mcp_servers,
            triggering_agent_id=triggering_agent_id,
            title=title,
            think_mode=think_mode,
            disable_attachment_injection=disable_attachment_injection,
            user_tokens=user_tokens,
            deep_planning=deep_planning,
            execution_attempts=execution_attempts,
            return_metrics=return_metrics,
            tokens=tokens,
            used_tools=used_tools,
            duration=duration,
            conversation_id=conversation_id,
            conversation_kind=conversation_kind,
            should_update_parent=should_update_parent,
            execution_kind=execution_kind,
            is_gateway=is_gateway,
            is_app=is_app,
            background_auth_eligible=background_auth_eligible,
            tool_call_limit=tool_call_limit,
            must_deep_plan=must_deep_plan,
            llm_model_provider=llm_model_provider,
            llm_model_name=llm_model_name,
            llm_reasoning_effort=llm_reasoning_effort,
            harness_cli=harness_cli,
            permission_mode=permission_mode,
        )

        task.additional_properties = d
        return task

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


from ..models.agent_execution_input import AgentExecutionInput  # noqa: E402
from ..models.deep_planning import DeepPlanning  # noqa: E402
from ..models.human_in_the_loop_request import HumanInTheLoopRequest  # noqa: E402
from ..models.mcp_server_details import MCPServerDetails  # noqa: E402
from ..models.pending_eca_request import PendingECARequest  # noqa: E402
from ..models.task_output_schema_type_0 import TaskOutputSchemaType0  # noqa: E402
from ..models.task_payload_extension_type_0 import TaskPayloadExtensionType0  # noqa: E402
from ..models.task_user_tokens_type_0 import TaskUserTokensType0  # noqa: E402
from ..models.tokens import Tokens  # noqa: E402
