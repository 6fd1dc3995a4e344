from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Model, Unset

T = TypeVar("T", bound="HumanInTheLoopRequest")


@_attrs_define
class HumanInTheLoopRequest(Model):
    """The run waits for a person at this node.

    Attributes:
        wait_node_id (str | Unset):
    """

    wait_node_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        wait_node_id = self.wait_node_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if wait_node_id is not UNSET:
            field_dict["wait_node_id"] = wait_node_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        wait_node_id = d.pop("wait_node_id", UNSET)

        human_in_the_loop_request = cls(
            wait_node_id=wait_node_id,
        )

        human_in_the_loop_request.additional_properties = d
        return human_in_the_loop_request

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
