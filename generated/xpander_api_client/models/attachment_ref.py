from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attachment_kind import AttachmentKind
from ..types import UNSET, Model, Unset

T = TypeVar("T", bound="AttachmentRef")


@_attrs_define
class AttachmentRef(Model):
    """Metadata of one attached file, captured at upload and carried beside
    the input's `files` URLs (readers prefer it to sniffing the file).

        Attributes:
            url (str): Where the file is.
            name (None | str | Unset): The file's name.
            mime (None | str | Unset): Its MIME type, for example `application/pdf`.
            size (int | None | Unset): Its size in bytes.
            kind (AttachmentKind | None | Unset): Its coarse class.
            sha256 (None | str | Unset): The SHA-256 of its bytes, in hex.
            expires_at (None | str | Unset): When `url` stops working (ISO 8601 text, kept as a string).
            source (None | str | Unset): Where the file came from.
            transcript (None | str | Unset): Text derived from the file (speech to text, OCR), stored so it is never derived
                twice.
    """

    url: str
    name: None | str | Unset = UNSET
    mime: None | str | Unset = UNSET
    size: int | None | Unset = UNSET
    kind: AttachmentKind | None | Unset = UNSET
    sha256: None | str | Unset = UNSET
    expires_at: None | str | Unset = UNSET
    source: None | str | Unset = UNSET
    transcript: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        mime: None | str | Unset
        if isinstance(self.mime, Unset):
            mime = UNSET
        else:
            mime = self.mime

        size: int | None | Unset
        if isinstance(self.size, Unset):
            size = UNSET
        else:
            size = self.size

        kind: None | str | Unset
        if isinstance(self.kind, Unset):
            kind = UNSET
        elif isinstance(self.kind, AttachmentKind):
            kind = self.kind.value
        else:
            kind = self.kind

        sha256: None | str | Unset
        if isinstance(self.sha256, Unset):
            sha256 = UNSET
        else:
            sha256 = self.sha256

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = self.expires_at

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        transcript: None | str | Unset
        if isinstance(self.transcript, Unset):
            transcript = UNSET
        else:
            transcript = self.transcript

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "url": url,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if mime is not UNSET:
            field_dict["mime"] = mime
        if size is not UNSET:
            field_dict["size"] = size
        if kind is not UNSET:
            field_dict["kind"] = kind
        if sha256 is not UNSET:
            field_dict["sha256"] = sha256
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if source is not UNSET:
            field_dict["source"] = source
        if transcript is not UNSET:
            field_dict["transcript"] = transcript

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        name: None | str | Unset = d.pop("name", UNSET)

        mime: None | str | Unset = d.pop("mime", UNSET)

        size: int | None | Unset = d.pop("size", UNSET)

        def _parse_kind(data: object) -> AttachmentKind | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                kind_type_0 = AttachmentKind(data)

                return kind_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AttachmentKind | None | Unset, data)

        kind = _parse_kind(d.pop("kind", UNSET))

        sha256: None | str | Unset = d.pop("sha256", UNSET)

        expires_at: None | str | Unset = d.pop("expires_at", UNSET)

        source: None | str | Unset = d.pop("source", UNSET)

        transcript: None | str | Unset = d.pop("transcript", UNSET)

        attachment_ref = cls(
            url=url,
            name=name,
            mime=mime,
            size=size,
            kind=kind,
            sha256=sha256,
            expires_at=expires_at,
            source=source,
            transcript=transcript,
        )

        attachment_ref.additional_properties = d
        return attachment_ref

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
