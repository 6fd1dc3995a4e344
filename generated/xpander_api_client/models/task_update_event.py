from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_update_event_type import TaskUpdateEventType
from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.message_identity import MessageIdentity


T = TypeVar("T", bound="TaskUpdateEvent")


@_attrs_define
class TaskUpdateEvent(Model):
    """One event of a task's stream (the JSON of an SSE `data:` line). For
    the `task_*` types `data` is the whole Task after the change; for
    `chunk` a piece of the agent's streamed output; for the others that
    event's own object.

        Attributes:
            type_ (TaskUpdateEventType): What a task event reports.
            task_id (str):
            organization_id (str):
            time (datetime.datetime):
            data (Any | Unset): The event's payload (see above): a `ToolCallRequest` for
                `tool_call_request` (and for `think` and `analyze`, the reasoning
                tool's call, its thought in `payload.input`), a `ToolCallResult`
                for `tool_call_result`, a `DeepPlanning` for `plan_updated`.
            identity (MessageIdentity | None | Unset): The display identity of the skill that produced the event; absent
                or `null` when no skill did.
    """

    type_: TaskUpdateEventType
    task_id: str
    organization_id: str
    time: datetime.datetime
    data: Any | Unset = UNSET
    identity: MessageIdentity | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        task_id = self.task_id

        organization_id = self.organization_id

        time = self.time.isoformat()

        data = self.data

        identity: dict[str, Any] | None | Unset
        if isinstance(self.identity, Unset):
            identity = UNSET
        elif isinstance(self.identity, MessageIdentity):
            identity = self.identity.to_dict()
        else:
            identity = self.identity

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "task_id": task_id,
                "organization_id": organization_id,
                "time": time,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data
        if identity is not UNSET:
            field_dict["identity"] = identity

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = TaskUpdateEventType(d.pop("type"))

        task_id = d.pop("task_id")

        organization_id = d.pop("organization_id")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        data = d.pop("data", UNSET)

        def _parse_identity(data: object) -> MessageIdentity | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                identity_type_0 = MessageIdentity.from_dict(data)

                return identity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MessageIdentity | None | Unset, data)

        identity = _parse_identity(d.pop("identity", UNSET))

        task_update_event = cls(
            type_=type_,
            task_id=task_id,
            organization_id=organization_id,
            time=time,
            data=data,
            identity=identity,
        )

        task_update_event.additional_properties = d
        return task_update_event

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


from ..models.message_identity import MessageIdentity  # noqa: E402
