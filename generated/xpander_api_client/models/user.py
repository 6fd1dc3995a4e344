from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.user_additional_attributes_type_0 import UserAdditionalAttributesType0


T = TypeVar("T", bound="User")


@_attrs_define
class User(Model):
    """The person a task runs on behalf of.

    Attributes:
        email (str): The user's email address.
        id (None | str | Unset): The user's id; tasks can be listed by it.
        first_name (None | str | Unset):
        last_name (None | str | Unset):
        additional_attributes (None | Unset | UserAdditionalAttributesType0): Any further attributes of the user.
        timezone (None | str | Unset): The user's time zone, for example `Europe/Berlin`.
    """

    email: str
    id: None | str | Unset = UNSET
    first_name: None | str | Unset = UNSET
    last_name: None | str | Unset = UNSET
    additional_attributes: None | Unset | UserAdditionalAttributesType0 = UNSET
    timezone: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        first_name: None | str | Unset
        if isinstance(self.first_name, Unset):
            first_name = UNSET
        else:
            first_name = self.first_name

        last_name: None | str | Unset
        if isinstance(self.last_name, Unset):
            last_name = UNSET
        else:
            last_name = self.last_name

        additional_attributes: dict[str, Any] | None | Unset
        if isinstance(self.additional_attributes, Unset):
            additional_attributes = UNSET
        elif isinstance(self.additional_attributes, UserAdditionalAttributesType0):
            additional_attributes = self.additional_attributes.to_dict()
        else:
            additional_attributes = self.additional_attributes

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "email": email,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if first_name is not UNSET:
            field_dict["first_name"] = first_name
        if last_name is not UNSET:
            field_dict["last_name"] = last_name
        if additional_attributes is not UNSET:
            field_dict["additional_attributes"] = additional_attributes
        if timezone is not UNSET:
            field_dict["timezone"] = timezone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        id: None | str | Unset = d.pop("id", UNSET)

        first_name: None | str | Unset = d.pop("first_name", UNSET)

        last_name: None | str | Unset = d.pop("last_name", UNSET)

        def _parse_additional_attributes(
            data: object,
        ) -> None | Unset | UserAdditionalAttributesType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                additional_attributes_type_0 = UserAdditionalAttributesType0.from_dict(
                    data
                )

                return additional_attributes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UserAdditionalAttributesType0, data)

        additional_attributes = _parse_additional_attributes(
            d.pop("additional_attributes", UNSET)
        )

        timezone: None | str | Unset = d.pop("timezone", UNSET)

        user = cls(
            email=email,
            id=id,
            first_name=first_name,
            last_name=last_name,
            additional_attributes=additional_attributes,
            timezone=timezone,
        )

        user.additional_properties = d
        return user

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


from ..models.user_additional_attributes_type_0 import UserAdditionalAttributesType0  # noqa: E402
