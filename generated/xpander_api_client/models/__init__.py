"""Contains all the data models used in inputs/outputs.

Each model's module is imported when the model is first used (PEP 562): importing this
package loads none of them, so a program pays only for the models it touches.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .activity_message import ActivityMessage
    from .activity_message_content import ActivityMessageContent
    from .activity_thread import ActivityThread
    from .agent_execution_input import AgentExecutionInput
    from .agent_execution_status import AgentExecutionStatus
    from .attachment_kind import AttachmentKind
    from .attachment_ref import AttachmentRef
    from .conversation_kind import ConversationKind
    from .deep_planning import DeepPlanning
    from .deep_planning_item import DeepPlanningItem
    from .error import Error
    from .error_detail import ErrorDetail
    from .execution_metrics_accepted import ExecutionMetricsAccepted
    from .execution_metrics_report import ExecutionMetricsReport
    from .execution_metrics_report_api_calls_made_type_0_item_type_1 import (
        ExecutionMetricsReportApiCallsMadeType0ItemType1,
    )
    from .execution_tokens import ExecutionTokens
    from .human_in_the_loop_request import HumanInTheLoopRequest
    from .llm_reasoning_effort import LLMReasoningEffort
    from .mcp_server_details import MCPServerDetails
    from .message_identity import MessageIdentity
    from .output_format import OutputFormat
    from .pending_eca_request import PendingECARequest
    from .principal import Principal
    from .principal_kind import PrincipalKind
    from .task import Task
    from .task_create import TaskCreate
    from .task_create_output_schema_type_0 import TaskCreateOutputSchemaType0
    from .task_create_payload_extension_type_0 import TaskCreatePayloadExtensionType0
    from .task_create_user_tokens_type_0 import TaskCreateUserTokensType0
    from .task_output_schema_type_0 import TaskOutputSchemaType0
    from .task_payload_extension_type_0 import TaskPayloadExtensionType0
    from .task_report import TaskReport
    from .task_update import TaskUpdate
    from .task_update_event import TaskUpdateEvent
    from .task_update_event_type import TaskUpdateEventType
    from .task_update_output_schema_type_0 import TaskUpdateOutputSchemaType0
    from .task_update_payload_extension_type_0 import TaskUpdatePayloadExtensionType0
    from .task_update_tool_call_payload_extension_type_0 import (
        TaskUpdateToolCallPayloadExtensionType0,
    )
    from .task_user_tokens_type_0 import TaskUserTokensType0
    from .tasks_list_item import TasksListItem
    from .tasks_list_item_process_type_0 import TasksListItemProcessType0
    from .think_mode import ThinkMode
    from .tokens import Tokens
    from .tool_call_request import ToolCallRequest
    from .tool_call_request_reasoning import ToolCallRequestReasoning
    from .tool_call_result import ToolCallResult
    from .user import User
    from .user_additional_attributes_type_0 import UserAdditionalAttributesType0

# Each model's name, and the module (relative to this package) that defines it.
_MODULES = {
    "ActivityMessage": ".activity_message",
    "ActivityMessageContent": ".activity_message_content",
    "ActivityThread": ".activity_thread",
    "AgentExecutionInput": ".agent_execution_input",
    "AgentExecutionStatus": ".agent_execution_status",
    "AttachmentKind": ".attachment_kind",
    "AttachmentRef": ".attachment_ref",
    "ConversationKind": ".conversation_kind",
    "DeepPlanning": ".deep_planning",
    "DeepPlanningItem": ".deep_planning_item",
    "Error": ".error",
    "ErrorDetail": ".error_detail",
    "ExecutionMetricsAccepted": ".execution_metrics_accepted",
    "ExecutionMetricsReport": ".execution_metrics_report",
    "ExecutionMetricsReportApiCallsMadeType0ItemType1": ".execution_metrics_report_api_calls_made_type_0_item_type_1",
    "ExecutionTokens": ".execution_tokens",
    "HumanInTheLoopRequest": ".human_in_the_loop_request",
    "LLMReasoningEffort": ".llm_reasoning_effort",
    "MCPServerDetails": ".mcp_server_details",
    "MessageIdentity": ".message_identity",
    "OutputFormat": ".output_format",
    "PendingECARequest": ".pending_eca_request",
    "Principal": ".principal",
    "PrincipalKind": ".principal_kind",
    "Task": ".task",
    "TaskCreate": ".task_create",
    "TaskCreateOutputSchemaType0": ".task_create_output_schema_type_0",
    "TaskCreatePayloadExtensionType0": ".task_create_payload_extension_type_0",
    "TaskCreateUserTokensType0": ".task_create_user_tokens_type_0",
    "TaskOutputSchemaType0": ".task_output_schema_type_0",
    "TaskPayloadExtensionType0": ".task_payload_extension_type_0",
    "TaskReport": ".task_report",
    "TaskUpdate": ".task_update",
    "TaskUpdateEvent": ".task_update_event",
    "TaskUpdateEventType": ".task_update_event_type",
    "TaskUpdateOutputSchemaType0": ".task_update_output_schema_type_0",
    "TaskUpdatePayloadExtensionType0": ".task_update_payload_extension_type_0",
    "TaskUpdateToolCallPayloadExtensionType0": ".task_update_tool_call_payload_extension_type_0",
    "TaskUserTokensType0": ".task_user_tokens_type_0",
    "TasksListItem": ".tasks_list_item",
    "TasksListItemProcessType0": ".tasks_list_item_process_type_0",
    "ThinkMode": ".think_mode",
    "Tokens": ".tokens",
    "ToolCallRequest": ".tool_call_request",
    "ToolCallRequestReasoning": ".tool_call_request_reasoning",
    "ToolCallResult": ".tool_call_result",
    "User": ".user",
    "UserAdditionalAttributesType0": ".user_additional_attributes_type_0",
}

__all__ = (
    "ActivityMessage",
    "ActivityMessageContent",
    "ActivityThread",
    "AgentExecutionInput",
    "AgentExecutionStatus",
    "AttachmentKind",
    "AttachmentRef",
    "ConversationKind",
    "DeepPlanning",
    "DeepPlanningItem",
    "Error",
    "ErrorDetail",
    "ExecutionMetricsAccepted",
    "ExecutionMetricsReport",
    "ExecutionMetricsReportApiCallsMadeType0ItemType1",
    "ExecutionTokens",
    "HumanInTheLoopRequest",
    "LLMReasoningEffort",
    "MCPServerDetails",
    "MessageIdentity",
    "OutputFormat",
    "PendingECARequest",
    "Principal",
    "PrincipalKind",
    "Task",
    "TaskCreate",
    "TaskCreateOutputSchemaType0",
    "TaskCreatePayloadExtensionType0",
    "TaskCreateUserTokensType0",
    "TaskOutputSchemaType0",
    "TaskPayloadExtensionType0",
    "TaskReport",
    "TasksListItem",
    "TasksListItemProcessType0",
    "TaskUpdate",
    "TaskUpdateEvent",
    "TaskUpdateEventType",
    "TaskUpdateOutputSchemaType0",
    "TaskUpdatePayloadExtensionType0",
    "TaskUpdateToolCallPayloadExtensionType0",
    "TaskUserTokensType0",
    "ThinkMode",
    "Tokens",
    "ToolCallRequest",
    "ToolCallRequestReasoning",
    "ToolCallResult",
    "User",
    "UserAdditionalAttributesType0",
)


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # found here from now on, without this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
