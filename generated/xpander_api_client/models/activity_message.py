from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.activity_message_content import ActivityMessageContent


T = TypeVar("T", bound="ActivityMessage")


@_attrs_define
class ActivityMessage(Model):
    """One entry of a task's activity thread: a message (`role` `user` or
    `agent`, with its `content`); a tool call (`tool_name`, `payload`,
    `result`, `is_error`, `reasoning`, `plan_task_id`: the published
    SDK's `AgentActivityThreadToolCall`, its `id` the call's
    `request_id`); or reasoning (`type` `think` or `analyze`, with
    `title`, `confidence` and the rest of the thought: its
    `AgentActivityThreadReasoning`). Tool calls and reasoning have no
    `role`.

        Attributes:
            id (str):
            created_at (datetime.datetime):
            role (str | Unset): Who wrote a message (`user`, `agent`); absent on a tool call or reasoning.
            content (ActivityMessageContent | None | Unset): A message's text and files (the published SDK's
                `AgentActivityThreadMessageContent`).
            tool_name (str | Unset): On a tool call, the tool's name.
            payload (Any | Unset): On a tool call, its arguments.
            result (Any | Unset): On a tool call, its result (`null` until it came).
            is_error (bool | None | Unset): On a tool call, whether it failed.
    """

    id: str
    created_at: datetime.datetime
    role: str | Unset = UNSET
    content: ActivityMessageContent | None | Unset = UNSET
    tool_name: str | Unset = UNSET
    payload: Any | Unset = UNSET
    result: Any | Unset = UNSET
    is_error: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        created_at = self.created_at.isoformat()

        role = self.role

        content: dict[str, Any] | None | Unset
        if isinstance(self.content, Unset):
            content = UNSET
        elif isinstance(self.content, ActivityMessageContent):
            content = self.content.to_dict()
        else:
            content = self.content

        tool_name = self.tool_name

        payload = self.payload

        result = self.result

        is_error: bool | None | Unset
        if isinstance(self.is_error, Unset):
            is_error = UNSET
        else:
            is_error = self.is_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "created_at": created_at,
            }
        )
        if role is not UNSET:
            field_dict["role"] = role
        if content is not UNSET:
            field_dict["content"] = content
        if tool_name is not UNSET:
            field_dict["tool_name"] = tool_name
        if payload is not UNSET:
            field_dict["payload"] = payload
        if result is not UNSET:
            field_dict["result"] = result
        if is_error is not UNSET:
            field_dict["is_error"] = is_error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        role = d.pop("role", UNSET)

        def _parse_content(data: object) -> ActivityMessageContent | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                content_type_0 = ActivityMessageContent.from_dict(data)

                return content_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ActivityMessageContent | None | Unset, data)

        content = _parse_content(d.pop("content", UNSET))

        tool_name = d.pop("tool_name", UNSET)

        payload = d.pop("payload", UNSET)

        result = d.pop("result", UNSET)

        is_error: bool | None | Unset = d.pop("is_error", UNSET)

        activity_message = cls(
            id=id,
            created_at=created_at,
            role=role,
            content=content,
            tool_name=tool_name,
            payload=payload,
            result=result,
            is_error=is_error,
        )

        activity_message.additional_properties = d
        return activity_message

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


from ..models.activity_message_content import ActivityMessageContent  # noqa: E402
