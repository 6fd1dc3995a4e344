from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.llm_reasoning_effort import LLMReasoningEffort
from ..models.output_format import OutputFormat
from ..models.think_mode import ThinkMode
from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.agent_execution_input import AgentExecutionInput
    from ..models.mcp_server_details import MCPServerDetails
    from ..models.task_create_output_schema_type_0 import TaskCreateOutputSchemaType0
    from ..models.task_create_payload_extension_type_0 import (
        TaskCreatePayloadExtensionType0,
    )
    from ..models.task_create_user_tokens_type_0 import TaskCreateUserTokensType0


T = TypeVar("T", bound="TaskCreate")


@_attrs_define
class TaskCreate(Model):
    """The body of a create. Every field is optional and accepts `null`.

    Attributes:
        id (None | str | Unset): An existing task's id, to continue that task.
        input_ (AgentExecutionInput | None | Unset):
        payload_extension (None | TaskCreatePayloadExtensionType0 | Unset): Extra data merged into the agent's tool-call
            payloads.
        source (None | str | Unset): Where the task came from (for example `sdk`, `slack`).
        worker_id (None | str | Unset): The worker that should run the task.
        output_format (None | OutputFormat | Unset):
        output_schema (None | TaskCreateOutputSchemaType0 | Unset): A JSON schema the result must follow (with
            `output_format` `json`).
        run_locally (bool | None | Unset): Run the task on the caller's own worker.
        events_streaming (bool | None | Unset): Publish the task's events on its event stream.
        additional_context (None | str | Unset): Extra context given to the agent.
        instructions_override (None | str | Unset): Instructions appended to the agent's system prompt.
        test_run_node_id (None | str | Unset): Internal; the workflow node a test run executes.
        user_oidc_token (None | str | Unset): An OIDC token for pre-authorized tools. Secret.
        expected_output (None | str | Unset): What the result should look like.
        mcp_servers (list[MCPServerDetails] | None | Unset): MCP servers the agent may use for this task.
        triggering_agent_id (None | str | Unset): The agent that triggered this task, if another agent did.
        title (None | str | Unset): A title for the task.
        think_mode (None | ThinkMode | Unset):
        disable_attachment_injection (bool | None | Unset): Keep attached files out of the agent's context window.
        user_tokens (None | TaskCreateUserTokensType0 | Unset): Tokens injected for MCP authentication. Secret.
        return_metrics (bool | None | Unset): Report the run's token use and tools on the task.
        tool_call_limit (int | None | Unset): The most tool calls this task may make; overrides the agent's setting.
        llm_model_provider (None | str | Unset): The language-model provider for this task only (for example `openai`,
            `anthropic`); the agent's setting when unset.
        llm_model_name (None | str | Unset): The model for this task only (for example `gpt-5`); the agent's setting
            when unset.
        llm_reasoning_effort (LLMReasoningEffort | None | Unset): The reasoning effort for this task only; the agent's
            setting when unset.
        harness_cli (None | str | Unset): Harness agents only: the CLI the conversation runs on (`claude-code`,
            `codex`, `opencode`, `xpander`), read on the conversation's first
            task and inherited by later ones. Sent stripped and lower-cased,
            blank as `null` (the published SDK also sends `null` for a name it
            does not know). Ignored for other frameworks.
        permission_mode (None | str | Unset): Harness agents only: `full` runs every CLI action, `gated` holds
            shell and edit calls for a person. Free text, sent stripped and
            lower-cased, blank as `null`; unset inherits the conversation's
            mode, else the agent's default.
    """

    id: None | str | Unset = UNSET
    input_: AgentExecutionInput | None | Unset = UNSET
    payload_extension: None | TaskCreatePayloadExtensionType0 | Unset = UNSET
    source: None | str | Unset = UNSET
    worker_id: None | str | Unset = UNSET
    output_format: None | OutputFormat | Unset = UNSET
    output_schema: None | TaskCreateOutputSchemaType0 | Unset = UNSET
    run_locally: bool | None | Unset = UNSET
    events_streaming: bool | None | Unset = UNSET
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
    user_tokens: None | TaskCreateUserTokensType0 | Unset = UNSET
    return_metrics: bool | None | Unset = UNSET
    tool_call_limit: int | None | Unset = UNSET
    llm_model_provider: None | str | Unset = UNSET
    llm_model_name: None | str | Unset = UNSET
    llm_reasoning_effort: LLMReasoningEffort | None | Unset = UNSET
    harness_cli: None | str | Unset = UNSET
    permission_mode: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        input_: dict[str, Any] | None | Unset
        if isinstance(self.input_, Unset):
            input_ = UNSET
        elif isinstance(self.input_, AgentExecutionInput):
            input_ = self.input_.to_dict()
        else:
            input_ = self.input_

        payload_extension: dict[str, Any] | None | Unset
        if isinstance(self.payload_extension, Unset):
            payload_extension = UNSET
        elif isinstance(self.payload_extension, TaskCreatePayloadExtensionType0):
            payload_extension = self.payload_extension.to_dict()
        else:
            payload_extension = self.payload_extension

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        worker_id: None | str | Unset
        if isinstance(self.worker_id, Unset):
            worker_id = UNSET
        else:
            worker_id = self.worker_id

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
        elif isinstance(self.output_schema, TaskCreateOutputSchemaType0):
            output_schema = self.output_schema.to_dict()
        else:
            output_schema = self.output_schema

        run_locally: bool | None | Unset
        if isinstance(self.run_locally, Unset):
            run_locally = UNSET
        else:
            run_locally = self.run_locally

        events_streaming: bool | None | Unset
        if isinstance(self.events_streaming, Unset):
            events_streaming = UNSET
        else:
            events_streaming = self.events_streaming

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
        elif isinstance(self.user_tokens, TaskCreateUserTokensType0):
            user_tokens = self.user_tokens.to_dict()
        else:
            user_tokens = self.user_tokens

        return_metrics: bool | None | Unset
        if isinstance(self.return_metrics, Unset):
            return_metrics = UNSET
        else:
            return_metrics = self.return_metrics

        tool_call_limit: int | None | Unset
        if isinstance(self.tool_call_limit, Unset):
            tool_call_limit = UNSET
        else:
            tool_call_limit = self.tool_call_limit

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
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if input_ is not UNSET:
            field_dict["input"] = input_
        if payload_extension is not UNSET:
            field_dict["payload_extension"] = payload_extension
        if source is not UNSET:
            field_dict["source"] = source
        if worker_id is not UNSET:
            field_dict["worker_id"] = worker_id
        if output_format is not UNSET:
            field_dict["output_format"] = output_format
        if output_schema is not UNSET:
            field_dict["output_schema"] = output_schema
        if run_locally is not UNSET:
            field_dict["run_locally"] = run_locally
        if events_streaming is not UNSET:
            field_dict["events_streaming"] = events_streaming
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
        if return_metrics is not UNSET:
            field_dict["return_metrics"] = return_metrics
        if tool_call_limit is not UNSET:
            field_dict["tool_call_limit"] = tool_call_limit
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
        id: None | str | Unset = d.pop("id", UNSET)

        def _parse_input_(data: object) -> AgentExecutionInput | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_0 = AgentExecutionInput.from_dict(data)

                return input_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgentExecutionInput | None | Unset, data)

        input_ = _parse_input_(d.pop("input", UNSET))

        def _parse_payload_extension(
            data: object,
        ) -> None | TaskCreatePayloadExtensionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payload_extension_type_0 = TaskCreatePayloadExtensionType0.from_dict(
                    data
                )

                return payload_extension_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskCreatePayloadExtensionType0 | Unset, data)

        payload_extension = _parse_payload_extension(d.pop("payload_extension", UNSET))

        source: None | str | Unset = d.pop("source", UNSET)

        worker_id: None | str | Unset = d.pop("worker_id", UNSET)

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

        def _parse_output_schema(
            data: object,
        ) -> None | TaskCreateOutputSchemaType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_schema_type_0 = TaskCreateOutputSchemaType0.from_dict(data)

                return output_schema_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskCreateOutputSchemaType0 | Unset, data)

        output_schema = _parse_output_schema(d.pop("output_schema", UNSET))

        run_locally: bool | None | Unset = d.pop("run_locally", UNSET)

        events_streaming: bool | None | Unset = d.pop("events_streaming", UNSET)

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

        def _parse_user_tokens(
            data: object,
        ) -> None | TaskCreateUserTokensType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                user_tokens_type_0 = TaskCreateUserTokensType0.from_dict(data)

                return user_tokens_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskCreateUserTokensType0 | Unset, data)

        user_tokens = _parse_user_tokens(d.pop("user_tokens", UNSET))

        return_metrics: bool | None | Unset = d.pop("return_metrics", UNSET)

        tool_call_limit: int | None | Unset = d.pop("tool_call_limit", UNSET)

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

        task_create = cls(
            id=id,
            input_=input_,
            payload_extension=payload_extension,
            source=source,
            worker_id=worker_id,
            output_format=output_format,
            output_schema=output_schema,
            run_locally=run_locally,
            events_streaming=events_streaming,
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
            return_metrics=return_metrics,
            tool_call_limit=tool_call_limit,
            llm_model_provider=llm_model_provider,
            llm_model_name=llm_model_name,
            llm_reasoning_effort=llm_reasoning_effort,
            harness_cli=harness_cli,
            permission_mode=permission_mode,
        )

        task_create.additional_properties = d
        return task_create

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
from ..models.mcp_server_details import MCPServerDetails  # noqa: E402
from ..models.task_create_output_schema_type_0 import TaskCreateOutputSchemaType0  # noqa: E402
from ..models.task_create_payload_extension_type_0 import (
    TaskCreatePayloadExtensionType0,  # noqa: E402
)
from ..models.task_create_user_tokens_type_0 import TaskCreateUserTokensType0  # noqa: E402
