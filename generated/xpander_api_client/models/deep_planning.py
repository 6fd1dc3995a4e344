from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.deep_planning_item import DeepPlanningItem


T = TypeVar("T", bound="DeepPlanning")


@_attrs_define
class DeepPlanning(Model):
    """The plan an agent follows when deep planning is on.

    Attributes:
        enabled (bool | Unset):  Default: False.
        enforce (bool | Unset):  Default: False.
        started (bool | Unset):  Default: False.
        question_raised (bool | Unset):  Default: False.
        tasks (list[DeepPlanningItem] | Unset):
    """

    enabled: bool | Unset = False
    enforce: bool | Unset = False
    started: bool | Unset = False
    question_raised: bool | Unset = False
    tasks: list[DeepPlanningItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        enforce = self.enforce

        started = self.started

        question_raised = self.question_raised

        tasks: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tasks, Unset):
            tasks = []
            for tasks_item_data in self.tasks:
                tasks_item = tasks_item_data.to_dict()
                tasks.append(tasks_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if enforce is not UNSET:
            field_dict["enforce"] = enforce
        if started is not UNSET:
            field_dict["started"] = started
        if question_raised is not UNSET:
            field_dict["question_raised"] = question_raised
        if tasks is not UNSET:
            field_dict["tasks"] = tasks

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        enforce = d.pop("enforce", UNSET)

        started = d.pop("started", UNSET)

        question_raised = d.pop("question_raised", UNSET)

        _tasks = d.pop("tasks", UNSET)
        tasks: list[DeepPlanningItem] | Unset = UNSET
        if _tasks is not UNSET:
            tasks = []
            for tasks_item_data in _tasks:
                tasks_item = DeepPlanningItem.from_dict(tasks_item_data)

                tasks.append(tasks_item)

        deep_planning = cls(
            enabled=enabled,
            enforce=enforce,
            started=started,
            question_raised=question_raised,
            tasks=tasks,
        )

        deep_planning.additional_properties = d
        return deep_planning

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


from ..models.deep_planning_item import DeepPlanningItem  # noqa: E402
