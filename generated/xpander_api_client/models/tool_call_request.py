from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.tool_call_request_reasoning import ToolCallRequestReasoning


T = TypeVar("T", bound="ToolCallRequest")


@_attrs_define
class ToolCallRequest(Model):
    """The data of a `tool_call_request` event (and of `think` and
    `analyze`, the reasoning tools' calls): the published SDK's
    `ToolCallRequest`.

        Attributes:
            request_id (str): The call's id; its result carries the same one.
            operation_id (str): The tool's id on the platform.
            tool_call_id (None | str | Unset): The model's own id of the call.
            graph_node_id (None | str | Unset): The agent graph's node that made the call.
            tool_name (None | str | Unset): The tool's name.
            payload (Any | Unset): The call's arguments (for a reasoning tool, `{"input": {...}}`, the thought).
            reasoning (None | ToolCallRequestReasoning | Unset): Why the agent made the call.
            plan_task_id (None | str | Unset): The deep plan's item the call works on.
    """

    request_id: str
    operation_id: str
    tool_call_id: None | str | Unset = UNSET
    graph_node_id: None | str | Unset = UNSET
    tool_name: None | str | Unset = UNSET
    payload: Any | Unset = UNSET
    reasoning: None | ToolCallRequestReasoning | Unset = UNSET
    plan_task_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_id = self.request_id

        operation_id = self.operation_id

        tool_call_id: None | str | Unset
        if isinstance(self.tool_call_id, Unset):
            tool_call_id = UNSET
        else:
            tool_call_id = self.tool_call_id

        graph_node_id: None | str | Unset
        if isinstance(self.graph_node_id, Unset):
            graph_node_id = UNSET
        else:
            graph_node_id = self.graph_node_id

        tool_name: None | str | Unset
        if isinstance(self.tool_name, Unset):
            tool_name = UNSET
        else:
            tool_name = self.tool_name

        payload = self.payload

        reasoning: dict[str, Any] | None | Unset
        if isinstance(self.reasoning, Unset):
            reasoning = UNSET
        elif isinstance(self.reasoning, ToolCallRequestReasoning):
            reasoning = self.reasoning.to_dict()
        else:
            reasoning = self.reasoning

        plan_task_id: None | str | Unset
        if isinstance(self.plan_task_id, Unset):
            plan_task_id = UNSET
        else:
            plan_task_id = self.plan_task_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "request_id": request_id,
                "operation_id": operation_id,
            }
        )
        if tool_call_id is not UNSET:
            field_dict["tool_call_id"] = tool_call_id
        if graph_node_id is not UNSET:
            field_dict["graph_node_id"] = graph_node_id
        if tool_name is not UNSET:
            field_dict["tool_name"] = tool_name
        if payload is not UNSET:
            field_dict["payload"] = payload
        if reasoning is not UNSET:
            field_dict["reasoning"] = reasoning
        if plan_task_id is not UNSET:
            field_dict["plan_task_id"] = plan_task_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        request_id = d.pop("request_id")

        operation_id = d.pop("operation_id")

        tool_call_id: None | str | Unset = d.pop("tool_call_id", UNSET)

        graph_node_id: None | str | Unset = d.pop("graph_node_id", UNSET)

        tool_name: None | str | Unset = d.pop("tool_name", UNSET)

        payload = d.pop("payload", UNSET)

        def _parse_reasoning(data: object) -> None | ToolCallRequestReasoning | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reasoning_type_0 = ToolCallRequestReasoning.from_dict(data)

                return reasoning_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ToolCallRequestReasoning | Unset, data)

        reasoning = _parse_reasoning(d.pop("reasoning", UNSET))

        plan_task_id: None | str | Unset = d.pop("plan_task_id", UNSET)

        tool_call_request = cls(
            request_id=request_id,
            operation_id=operation_id,
            tool_call_id=tool_call_id,
            graph_node_id=graph_node_id,
            tool_name=tool_name,
            payload=payload,
            reasoning=reasoning,
            plan_task_id=plan_task_id,
        )

        tool_call_request.additional_properties = d
        return tool_call_request

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


from ..models.tool_call_request_reasoning import ToolCallRequestReasoning  # noqa: E402
