from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.principal_kind import PrincipalKind
from ..types import UNSET, Model, Unset

T = TypeVar("T", bound="Principal")


@_attrs_define
class Principal(Model):
    """Who invoked a run, and through which door (a typed caller identity).

    Attributes:
        kind (PrincipalKind): The door a caller came through: a person (`user`), a chat platform
            (`slack`), an API key (`api_key`), a machine (`system`) or a guest
            (`anonymous`).
        id (str): The caller's id within its kind: not empty, without `:` (the
            platform's key delimiter) and without whitespace.
        email (None | str | Unset): The caller's email address.
        display_name (None | str | Unset): The caller's name as shown to people.
    """

    kind: PrincipalKind
    id: str
    email: None | str | Unset = UNSET
    display_name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        id = self.id

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        display_name: None | str | Unset
        if isinstance(self.display_name, Unset):
            display_name = UNSET
        else:
            display_name = self.display_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "id": id,
            }
        )
        if email is not UNSET:
            field_dict["email"] = email
        if display_name is not UNSET:
            field_dict["display_name"] = display_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = PrincipalKind(d.pop("kind"))

        id = d.pop("id")

        email: None | str | Unset = d.pop("email", UNSET)

        display_name: None | str | Unset = d.pop("display_name", UNSET)

        principal = cls(
            kind=kind,
            id=id,
            email=email,
            display_name=display_name,
        )

        principal.additional_properties = d
        return principal

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
