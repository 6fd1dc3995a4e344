from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agent_execution_status import AgentExecutionStatus
from ..models.output_format import OutputFormat
from ..models.think_mode import ThinkMode
from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.deep_planning import DeepPlanning
    from ..models.human_in_the_loop_request import HumanInTheLoopRequest
    from ..models.pending_eca_request import PendingECARequest
    from ..models.task_update_output_schema_type_0 import TaskUpdateOutputSchemaType0
    from ..models.task_update_payload_extension_type_0 import (
        TaskUpdatePayloadExtensionType0,
    )
    from ..models.task_update_tool_call_payload_extension_type_0 import (
        TaskUpdateToolCallPayloadExtensionType0,
    )
    from ..models.tokens import Tokens


T = TypeVar("T", bound="TaskUpdate")


@_attrs_define
class TaskUpdate(Model):
    """The body of an update: any Task fields, only those sent change. A
    whole task as read is accepted; its read-only fields (`id`,
    `agent_id`, `organization_id`, `created_at`, …) are ignored.

        Attributes:
            status (AgentExecutionStatus | None | Unset):
            internal_status (None | str | Unset):
            result (None | str | Unset):
            last_executed_node_id (None | str | Unset):
            source (None | str | Unset):
            payload_extension (None | TaskUpdatePayloadExtensionType0 | Unset):
            tool_call_payload_extension (None | TaskUpdateToolCallPayloadExtensionType0 | Unset): The published SDK's name
                for `payload_extension` in an update.
            title (None | str | Unset):
            agent_version (None | str | Unset):
            started_at (datetime.datetime | None | Unset):
            paused_at (datetime.datetime | None | Unset):
            finished_at (datetime.datetime | None | Unset):
            is_manually_stopped (bool | None | Unset):
            hitl_request (HumanInTheLoopRequest | None | Unset):
            pending_eca_request (None | PendingECARequest | Unset):
            output_format (None | OutputFormat | Unset):
            output_schema (None | TaskUpdateOutputSchemaType0 | Unset):
            events_streaming (bool | None | Unset):
            additional_context (None | str | Unset):
            instructions_override (None | str | Unset):
            expected_output (None | str | Unset):
            think_mode (None | ThinkMode | Unset):
            deep_planning (DeepPlanning | None | Unset):
            execution_attempts (int | None | Unset):
            tokens (None | Tokens | Unset):
            used_tools (list[str] | None | Unset):
            duration (float | None | Unset):
    """

    status: AgentExecutionStatus | None | Unset = UNSET
    internal_status: None | str | Unset = UNSET
    result: None | str | Unset = UNSET
    last_executed_node_id: None | str | Unset = UNSET
    source: None | str | Unset = UNSET
    payload_extension: None | TaskUpdatePayloadExtensionType0 | Unset = UNSET
    tool_call_payload_extension: (
        None | TaskUpdateToolCallPayloadExtensionType0 | Unset
    ) = UNSET
    title: None | str | Unset = UNSET
    agent_version: None | str | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    paused_at: datetime.datetime | None | Unset = UNSET
    finished_at: datetime.datetime | None | Unset = UNSET
    is_manually_stopped: bool | None | Unset = UNSET
    hitl_request: HumanInTheLoopRequest | None | Unset = UNSET
    pending_eca_request: None | PendingECARequest | Unset = UNSET
    output_format: None | OutputFormat | Unset = UNSET
    output_schema: None | TaskUpdateOutputSchemaType0 | Unset = UNSET
    events_streaming: bool | None | Unset = UNSET
    additional_context: None | str | Unset = UNSET
    instructions_override: None | str | Unset = UNSET
    expected_output: None | str | Unset = UNSET
    think_mode: None | ThinkMode | Unset = UNSET
    deep_planning: DeepPlanning | None | Unset = UNSET
    execution_attempts: int | None | Unset = UNSET
    tokens: None | Tokens | Unset = UNSET
    used_tools: list[str] | None | Unset = UNSET
    duration: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
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

        result: None | str | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        else:
            result = self.result

        last_executed_node_id: None | str | Unset
        if isinstance(self.last_executed_node_id, Unset):
            last_executed_node_id = UNSET
        else:
            last_executed_node_id = self.last_executed_node_id

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        payload_extension: dict[str, Any] | None | Unset
        if isinstance(self.payload_extension, Unset):
            payload_extension = UNSET
        elif isinstance(self.payload_extension, TaskUpdatePayloadExtensionType0):
            payload_extension = self.payload_extension.to_dict()
        else:
            payload_extension = self.payload_extension

        tool_call_payload_extension: dict[str, Any] | None | Unset
        if isinstance(self.tool_call_payload_extension, Unset):
            tool_call_payload_extension = UNSET
        elif isinstance(
            self.tool_call_payload_extension, TaskUpdateToolCallPayloadExtensionType0
        ):
            tool_call_payload_extension = self.tool_call_payload_extension.to_dict()
        else:
            tool_call_payload_extension = self.tool_call_payload_extension

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

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

        is_manually_stopped: bool | None | Unset
        if isinstance(self.is_manually_stopped, Unset):
            is_manually_stopped = UNSET
        else:
            is_manually_stopped = self.is_manually_stopped

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
        elif isinstance(self.output_schema, TaskUpdateOutputSchemaType0):
            output_schema = self.output_schema.to_dict()
        else:
            output_schema = self.output_schema

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

        expected_output: None | str | Unset
        if isinstance(self.expected_output, Unset):
            expected_output = UNSET
        else:
            expected_output = self.expected_output

        think_mode: None | str | Unset
        if isinstance(self.think_mode, Unset):
            think_mode = UNSET
        elif isinstance(self.think_mode, ThinkMode):
            think_mode = self.think_mode.value
        else:
            think_mode = self.think_mode

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if status is not UNSET:
            field_dict["status"] = status
        if internal_status is not UNSET:
            field_dict["internal_status"] = internal_status
        if result is not UNSET:
            field_dict["result"] = result
        if last_executed_node_id is not UNSET:
            field_dict["last_executed_node_id"] = last_executed_node_id
        if source is not UNSET:
            field_dict["source"] = source
        if payload_extension is not UNSET:
            field_dict["payload_extension"] = payload_extension
        if tool_call_payload_extension is not UNSET:
            field_dict["tool_call_payload_extension"] = tool_call_payload_extension
        if title is not UNSET:
            field_dict["title"] = title
        if agent_version is not UNSET:
            field_dict["agent_version"] = agent_version
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if paused_at is not UNSET:
            field_dict["paused_at"] = paused_at
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at
        if is_manually_stopped is not UNSET:
            field_dict["is_manually_stopped"] = is_manually_stopped
        if hitl_request is not UNSET:
            field_dict["hitl_request"] = hitl_request
        if pending_eca_request is not UNSET:
            field_dict["pending_eca_request"] = pending_eca_request
        if output_format is not UNSET:
            field_dict["output_format"] = output_format
        if output_schema is not UNSET:
            field_dict["output_schema"] = output_schema
        if events_streaming is not UNSET:
            field_dict["events_streaming"] = events_streaming
        if additional_context is not UNSET:
            field_dict["additional_context"] = additional_context
        if instructions_override is not UNSET:
            field_dict["instructions_override"] = instructions_override
        if expected_output is not UNSET:
            field_dict["expected_output"] = expected_output
        if think_mode is not UNSET:
            field_dict["think_mode"] = think_mode
        if deep_planning is not UNSET:
            field_dict["deep_planning"] = deep_planning
        if execution_attempts is not UNSET:
            field_dict["execution_attempts"] = execution_attempts
        if tokens is not UNSET:
            field_dict["tokens"] = tokens
        if used_tools is not UNSET:
            field_dict["used_tools"] = used_tools
        if duration is not UNSET:
            field_dict["duration"] = duration

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

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

        result: None | str | Unset = d.pop("result", UNSET)

        last_executed_node_id: None | str | Unset = d.pop(
            "last_executed_node_id", UNSET
        )

        source: None | str | Unset = d.pop("source", UNSET)

        def _parse_payload_extension(
            data: object,
        ) -> None | TaskUpdatePayloadExtensionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payload_extension_type_0 = TaskUpdatePayloadExtensionType0.from_dict(
                    data
                )

                return payload_extension_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskUpdatePayloadExtensionType0 | Unset, data)

        payload_extension = _parse_payload_extension(d.pop("payload_extension", UNSET))

        def _parse_tool_call_payload_extension(
            data: object,
        ) -> None | TaskUpdateToolCallPayloadExtensionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tool_call_payload_extension_type_0 = (
                    TaskUpdateToolCallPayloadExtensionType0.from_dict(data)
                )

                return tool_call_payload_extension_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskUpdateToolCallPayloadExtensionType0 | Unset, data)

        tool_call_payload_extension = _parse_tool_call_payload_extension(
            d.pop("tool_call_payload_extension", UNSET)
        )

        title: None | str | Unset = d.pop("title", UNSET)

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

        is_manually_stopped: bool | None | Unset = d.pop("is_manually_stopped", UNSET)

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
        ) -> None | TaskUpdateOutputSchemaType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_schema_type_0 = TaskUpdateOutputSchemaType0.from_dict(data)

                return output_schema_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskUpdateOutputSchemaType0 | Unset, data)

        output_schema = _parse_output_schema(d.pop("output_schema", UNSET))

        events_streaming: bool | None | Unset = d.pop("events_streaming", UNSET)

        additional_context: None | str | Unset = d.pop("additional_context", UNSET)

        instructions_override: None | str | Unset = d.pop(
            "instructions_override", UNSET
        )

        expected_output: None | str | Unset = d.pop("expected_output", UNSET)

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

        task_update = cls(
            status=status,
            internal_status=internal_status,
            result=result,
            last_executed_node_id=last_executed_node_id,
            source=source,
            payload_extension=payload_extension,
            tool_call_payload_extension=tool_call_payload_extension,
            title=title,
            agent_version=agent_version,
            started_at=started_at,
            paused_at=paused_at,
            finished_at=finished_at,
            is_manually_stopped=is_manually_stopped,
            hitl_request=hitl_request,
            pending_eca_request=pending_eca_request,
            output_format=output_format,
            output_schema=output_schema,
            events_streaming=events_streaming,
            additional_context=additional_context,
            instructions_override=instructions_override,
            expected_output=expected_output,
            think_mode=think_mode,
            deep_planning=deep_planning,
            execution_attempts=execution_attempts,
            tokens=tokens,
            used_tools=used_tools,
            duration=duration,
        )

        task_update.additional_properties = d
        return task_update

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


from ..models.deep_planning import DeepPlanning  # noqa: E402
from ..models.human_in_the_loop_request import HumanInTheLoopRequest  # noqa: E402
from ..models.pending_eca_request import PendingECARequest  # noqa: E402
from ..models.task_update_output_schema_type_0 import TaskUpdateOutputSchemaType0  # noqa: E402
from ..models.task_update_payload_extension_type_0 import (
    TaskUpdatePayloadExtensionType0,  # noqa: E402
)
from ..models.task_update_tool_call_payload_extension_type_0 import (
    TaskUpdateToolCallPayloadExtensionType0,  # noqa: E402
)
from ..models.tokens import Tokens  # noqa: E402
