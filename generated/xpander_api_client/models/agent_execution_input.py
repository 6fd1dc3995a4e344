from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.attachment_ref import AttachmentRef
    from ..models.principal import Principal
    from ..models.user import User


T = TypeVar("T", bound="AgentExecutionInput")


@_attrs_define
class AgentExecutionInput(Model):
    """What the agent is asked to do.

    Attributes:
        text (None | str | Unset): The prompt.
        files (list[str] | None | Unset): URLs of files the agent should read.
        user (None | Unset | User): The user the task runs on behalf of.
        attachments (list[AttachmentRef] | None | Unset): Metadata of the attached files, beside `files`. The published
            SDK
            sends it only when there are attachments.
        principal (None | Principal | Unset): Who invoked the run. The published SDK sends it only when set.
    """

    text: None | str | Unset = UNSET
    files: list[str] | None | Unset = UNSET
    user: None | Unset | User = UNSET
    attachments: list[AttachmentRef] | None | Unset = UNSET
    principal: None | Principal | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text

        files: list[str] | None | Unset
        if isinstance(self.files, Unset):
            files = UNSET
        elif isinstance(self.files, list):
            files = self.files

        else:
            files = self.files

        user: dict[str, Any] | None | Unset
        if isinstance(self.user, Unset):
            user = UNSET
        elif isinstance(self.user, User):
            user = self.user.to_dict()
        else:
            user = self.user

        attachments: list[dict[str, Any]] | None | Unset
        if isinstance(self.attachments, Unset):
            attachments = UNSET
        elif isinstance(self.attachments, list):
            attachments = []
            for attachments_type_0_item_data in self.attachments:
                attachments_type_0_item = attachments_type_0_item_data.to_dict()
                attachments.append(attachments_type_0_item)

        else:
            attachments = self.attachments

        principal: dict[str, Any] | None | Unset
        if isinstance(self.principal, Unset):
            principal = UNSET
        elif isinstance(self.principal, Principal):
            principal = self.principal.to_dict()
        else:
            principal = self.principal

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if text is not UNSET:
            field_dict["text"] = text
        if files is not UNSET:
            field_dict["files"] = files
        if user is not UNSET:
            field_dict["user"] = user
        if attachments is not UNSET:
            field_dict["attachments"] = attachments
        if principal is not UNSET:
            field_dict["principal"] = principal

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        text: None | str | Unset = d.pop("text", UNSET)

        def _parse_files(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                files_type_0 = cast(list[str], data)

                return files_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        files = _parse_files(d.pop("files", UNSET))

        def _parse_user(data: object) -> None | Unset | User:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                user_type_0 = User.from_dict(data)

                return user_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | User, data)

        user = _parse_user(d.pop("user", UNSET))

        def _parse_attachments(data: object) -> list[AttachmentRef] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                attachments_type_0 = []
                _attachments_type_0 = data
                for attachments_type_0_item_data in _attachments_type_0:
                    attachments_type_0_item = AttachmentRef.from_dict(
                        attachments_type_0_item_data
                    )

                    attachments_type_0.append(attachments_type_0_item)

                return attachments_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[AttachmentRef] | None | Unset, data)

        attachments = _parse_attachments(d.pop("attachments", UNSET))

        def _parse_principal(data: object) -> None | Principal | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                principal_type_0 = Principal.from_dict(data)

                return principal_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Principal | Unset, data)

        principal = _parse_principal(d.pop("principal", UNSET))

        agent_execution_input = cls(
            text=text,
            files=files,
            user=user,
            attachments=attachments,
            principal=principal,
        )

        agent_execution_input.additional_properties = d
        return agent_execution_input

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


from ..models.attachment_ref import AttachmentRef  # noqa: E402
from ..models.principal import Principal  # noqa: E402
from ..models.user import User  # noqa: E402
