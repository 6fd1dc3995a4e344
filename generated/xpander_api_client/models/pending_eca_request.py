from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Model, Unset

T = TypeVar("T", bound="PendingECARequest")


@_attrs_define
class PendingECARequest(Model):
    """The run waits for the user to authorize a connector.

    Attributes:
        connector_name (str | Unset):
        auth_url (str | Unset):
    """

    connector_name: str | Unset = UNSET
    auth_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        connector_name = self.connector_name

        auth_url = self.auth_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if connector_name is not UNSET:
            field_dict["connector_name"] = connector_name
        if auth_url is not UNSET:
            field_dict["auth_url"] = auth_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        connector_name = d.pop("connector_name", UNSET)

        auth_url = d.pop("auth_url", UNSET)

        pending_eca_request = cls(
            connector_name=connector_name,
            auth_url=auth_url,
        )

        pending_eca_request.additional_properties = d
        return pending_eca_request

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
