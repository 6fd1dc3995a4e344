from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.tokens import Tokens


T = TypeVar("T", bound="ExecutionTokens")


@_attrs_define
class ExecutionTokens(Model):
    """The tokens of one execution, split by who used them.

    Attributes:
        inner (None | Tokens | Unset): Tokens the platform's own steps used.
        worker (None | Tokens | Unset): Tokens the agent's run used.
    """

    inner: None | Tokens | Unset = UNSET
    worker: None | Tokens | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        inner: dict[str, Any] | None | Unset
        if isinstance(self.inner, Unset):
            inner = UNSET
        elif isinstance(self.inner, Tokens):
            inner = self.inner.to_dict()
        else:
            inner = self.inner

        worker: dict[str, Any] | None | Unset
        if isinstance(self.worker, Unset):
            worker = UNSET
        elif isinstance(self.worker, Tokens):
            worker = self.worker.to_dict()
        else:
            worker = self.worker

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if inner is not UNSET:
            field_dict["inner"] = inner
        if worker is not UNSET:
            field_dict["worker"] = worker

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_inner(data: object) -> None | Tokens | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                inner_type_0 = Tokens.from_dict(data)

                return inner_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Tokens | Unset, data)

        inner = _parse_inner(d.pop("inner", UNSET))

        def _parse_worker(data: object) -> None | Tokens | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                worker_type_0 = Tokens.from_dict(data)

                return worker_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Tokens | Unset, data)

        worker = _parse_worker(d.pop("worker", UNSET))

        execution_tokens = cls(
            inner=inner,
            worker=worker,
        )

        execution_tokens.additional_properties = d
        return execution_tokens

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


from ..models.tokens import Tokens  # noqa: E402
