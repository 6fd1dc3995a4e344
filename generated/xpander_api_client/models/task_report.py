from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.tokens import Tokens


T = TypeVar("T", bound="TaskReport")


@_attrs_define
class TaskReport(Model):
    """The body of a report of a task run outside the platform.

    Attributes:
        id (None | str | Unset): The task's id (generated when absent).
        input_ (None | str | Unset): The prompt the task ran with.
        llm_response (Any | Unset): The model's raw answer, any JSON.
        tokens (None | Tokens | Unset):
        is_success (bool | None | Unset): Whether the run succeeded. Default: True.
        result (None | str | Unset): The run's result.
        duration (float | None | Unset): How long the run took, in seconds.
        used_tools (list[str] | None | Unset):
    """

    id: None | str | Unset = UNSET
    input_: None | str | Unset = UNSET
    llm_response: Any | Unset = UNSET
    tokens: None | Tokens | Unset = UNSET
    is_success: bool | None | Unset = True
    result: None | str | Unset = UNSET
    duration: float | None | Unset = UNSET
    used_tools: list[str] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        input_: None | str | Unset
        if isinstance(self.input_, Unset):
            input_ = UNSET
        else:
            input_ = self.input_

        llm_response = self.llm_response

        tokens: dict[str, Any] | None | Unset
        if isinstance(self.tokens, Unset):
            tokens = UNSET
        elif isinstance(self.tokens, Tokens):
            tokens = self.tokens.to_dict()
        else:
            tokens = self.tokens

        is_success: bool | None | Unset
        if isinstance(self.is_success, Unset):
            is_success = UNSET
        else:
            is_success = self.is_success

        result: None | str | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        else:
            result = self.result

        duration: float | None | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        else:
            duration = self.duration

        used_tools: list[str] | None | Unset
        if isinstance(self.used_tools, Unset):
            used_tools = UNSET
        elif isinstance(self.used_tools, list):
            used_tools = self.used_tools

        else:
            used_tools = self.used_tools

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if input_ is not UNSET:
            field_dict["input"] = input_
        if llm_response is not UNSET:
            field_dict["llm_response"] = llm_response
        if tokens is not UNSET:
            field_dict["tokens"] = tokens
        if is_success is not UNSET:
            field_dict["is_success"] = is_success
        if result is not UNSET:
            field_dict["result"] = result
        if duration is not UNSET:
            field_dict["duration"] = duration
        if used_tools is not UNSET:
            field_dict["used_tools"] = used_tools

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id: None | str | Unset = d.pop("id", UNSET)

        input_: None | str | Unset = d.pop("input", UNSET)

        llm_response = d.pop("llm_response", UNSET)

        def _parse_tokens(data: object) -> None | Tokens | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tokens_type_0 = Tokens.from_dict(data)

                return tokens_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Tokens | Unset, data)

        tokens = _parse_tokens(d.pop("tokens", UNSET))

        is_success: bool | None | Unset = d.pop("is_success", UNSET)

        result: None | str | Unset = d.pop("result", UNSET)

        duration: float | None | Unset = d.pop("duration", UNSET)

        def _parse_used_tools(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                used_tools_type_0 = cast(list[str], data)

                return used_tools_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        used_tools = _parse_used_tools(d.pop("used_tools", UNSET))

        task_report = cls(
            id=id,
            input_=input_,
            llm_response=llm_response,
            tokens=tokens,
            is_success=is_success,
            result=result,
            duration=duration,
            used_tools=used_tools,
        )

        task_report.additional_properties = d
        return task_report

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
