from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.execution_metrics_report_api_calls_made_type_0_item_type_1 import (
        ExecutionMetricsReportApiCallsMadeType0ItemType1,
    )
    from ..models.execution_tokens import ExecutionTokens


T = TypeVar("T", bound="ExecutionMetricsReport")


@_attrs_define
class ExecutionMetricsReport(Model):
    """The body of a metrics report for one run of an agent.

    Attributes:
        execution_id (str): The run's task id.
        source (str): Where the task came from (its `source`).
        memory_thread_id (str): The memory thread the run used (the published SDK sends the task id).
        task (str): The run's input text.
        status (str): The task's status when reported (an `AgentExecutionStatus` value).
        duration (float): How long the run took, in seconds.
        ai_model (str): The model that served the run (`xpander` when unknown).
        sub_executions (list[str] | None | Unset): Ids of the run's sub-tasks.
        triggered_by (None | str | Unset): Who or what triggered the run. Default: 'N/A'.
        skills (list[str] | None | Unset): Skills the run used.
        internal_status (None | str | Unset): The task's `internal_status`.
        worker (None | str | Unset): The worker that ran it.
        ai_employee_id (None | str | Unset):
        api_calls_made (list[ExecutionMetricsReportApiCallsMadeType0ItemType1 | str] | None | Unset): The tools (API
            calls) the run made: the published SDK sends the
            task's `used_tools` names (an empty list for an orchestration run
            that returns its metrics).
        result (None | str | Unset): The run's result.
        llm_tokens (ExecutionTokens | None | Unset): The run's tokens (`worker` holds the task's own).
    """

    execution_id: str
    source: str
    memory_thread_id: str
    task: str
    status: str
    duration: float
    ai_model: str
    sub_executions: list[str] | None | Unset = UNSET
    triggered_by: None | str | Unset = "N/A"
    skills: list[str] | None | Unset = UNSET
    internal_status: None | str | Unset = UNSET
    worker: None | str | Unset = UNSET
    ai_employee_id: None | str | Unset = UNSET
    api_calls_made: (
        list[ExecutionMetricsReportApiCallsMadeType0ItemType1 | str] | None | Unset
    ) = UNSET
    result: None | str | Unset = UNSET
    llm_tokens: ExecutionTokens | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        execution_id = self.execution_id

        source = self.source

        memory_thread_id = self.memory_thread_id

        task = self.task

        status = self.status

        duration = self.duration

        ai_model = self.ai_model

        sub_executions: list[str] | None | Unset
        if isinstance(self.sub_executions, Unset):
            sub_executions = UNSET
        elif isinstance(self.sub_executions, list):
            sub_executions = self.sub_executions

        else:
            sub_executions = self.sub_executions

        triggered_by: None | str | Unset
        if isinstance(self.triggered_by, Unset):
            triggered_by = UNSET
        else:
            triggered_by = self.triggered_by

        skills: list[str] | None | Unset
        if isinstance(self.skills, Unset):
            skills = UNSET
        elif isinstance(self.skills, list):
            skills = self.skills

        else:
            skills = self.skills

        internal_status: None | str | Unset
        if isinstance(self.internal_status, Unset):
            internal_status = UNSET
        else:
            internal_status = self.internal_status

        worker: None | str | Unset
        if isinstance(self.worker, Unset):
            worker = UNSET
        else:
            worker = self.worker

        ai_employee_id: None | str | Unset
        if isinstance(self.ai_employee_id, Unset):
            ai_employee_id = UNSET
        else:
            ai_employee_id = self.ai_employee_id

        api_calls_made: list[dict[str, Any] | str] | None | Unset
        if isinstance(self.api_calls_made, Unset):
            api_calls_made = UNSET
        elif isinstance(self.api_calls_made, list):
            api_calls_made = []
            for api_calls_made_type_0_item_data in self.api_calls_made:
                api_calls_made_type_0_item: dict[str, Any] | str
                if isinstance(
                    api_calls_made_type_0_item_data,
                    ExecutionMetricsReportApiCallsMadeType0ItemType1,
                ):
                    api_calls_made_type_0_item = (
                        api_calls_made_type_0_item_data.to_dict()
                    )
                else:
                    api_calls_made_type_0_item = api_calls_made_type_0_item_data
                api_calls_made.append(api_calls_made_type_0_item)

        else:
            api_calls_made = self.api_calls_made

        result: None | str | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        else:
            result = self.result

        llm_tokens: dict[str, Any] | None | Unset
        if isinstance(self.llm_tokens, Unset):
            llm_tokens = UNSET
        elif isinstance(self.llm_tokens, ExecutionTokens):
            llm_tokens = self.llm_tokens.to_dict()
        else:
            llm_tokens = self.llm_tokens

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "execution_id": execution_id,
                "source": source,
                "memory_thread_id": memory_thread_id,
                "task": task,
                "status": status,
                "duration": duration,
                "ai_model": ai_model,
            }
        )
        if sub_executions is not UNSET:
            field_dict["sub_executions"] = sub_executions
        if triggered_by is not UNSET:
            field_dict["triggered_by"] = triggered_by
        if skills is not UNSET:
            field_dict["skills"] = skills
        if internal_status is not UNSET:
            field_dict["internal_status"] = internal_status
        if worker is not UNSET:
            field_dict["worker"] = worker
        if ai_employee_id is not UNSET:
            field_dict["ai_employee_id"] = ai_employee_id
        if api_calls_made is not UNSET:
            field_dict["api_calls_made"] = api_calls_made
        if result is not UNSET:
            field_dict["result"] = result
        if llm_tokens is not UNSET:
            field_dict["llm_tokens"] = llm_tokens

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        execution_id = d.pop("execution_id")

        source = d.pop("source")

        memory_thread_id = d.pop("memory_thread_id")

        task = d.pop("task")

        status = d.pop("status")

        duration = d.pop("duration")

        ai_model = d.pop("ai_model")

        def _parse_sub_executions(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                sub_executions_type_0 = cast(list[str], data)

                return sub_executions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        sub_executions = _parse_sub_executions(d.pop("sub_executions", UNSET))

        triggered_by: None | str | Unset = d.pop("triggered_by", UNSET)

        def _parse_skills(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                skills_type_0 = cast(list[str], data)

                return skills_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        skills = _parse_skills(d.pop("skills", UNSET))

        internal_status: None | str | Unset = d.pop("internal_status", UNSET)

        worker: None | str | Unset = d.pop("worker", UNSET)

        ai_employee_id: None | str | Unset = d.pop("ai_employee_id", UNSET)

        def _parse_api_calls_made(
            data: object,
        ) -> (
            list[ExecutionMetricsReportApiCallsMadeType0ItemType1 | str] | None | Unset
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                api_calls_made_type_0 = []
                _api_calls_made_type_0 = data
                for api_calls_made_type_0_item_data in _api_calls_made_type_0:

                    def _parse_api_calls_made_type_0_item(
                        data: object,
                    ) -> ExecutionMetricsReportApiCallsMadeType0ItemType1 | str:
                        try:
                            if not isinstance(data, dict):
                                raise TypeError()
                            api_calls_made_type_0_item_type_1 = ExecutionMetricsReportApiCallsMadeType0ItemType1.from_dict(
                                data
                            )

                            return api_calls_made_type_0_item_type_1
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        return cast(
                            ExecutionMetricsReportApiCallsMadeType0ItemType1 | str, data
                        )

                    api_calls_made_type_0_item = _parse_api_calls_made_type_0_item(
                        api_calls_made_type_0_item_data
                    )

                    api_calls_made_type_0.append(api_calls_made_type_0_item)

                return api_calls_made_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                list[ExecutionMetricsReportApiCallsMadeType0ItemType1 | str]
                | None
                | Unset,
                data,
            )

        api_calls_made = _parse_api_calls_made(d.pop("api_calls_made", UNSET))

        result: None | str | Unset = d.pop("result", UNSET)

        def _parse_llm_tokens(data: object) -> ExecutionTokens | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                llm_tokens_type_0 = ExecutionTokens.from_dict(data)

                return llm_tokens_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExecutionTokens | None | Unset, data)

        llm_tokens = _parse_llm_tokens(d.pop("llm_tokens", UNSET))

        execution_metrics_report = cls(
            execution_id=execution_id,
            source=source,
            memory_thread_id=memory_thread_id,
            task=task,
            status=status,
            duration=duration,
            ai_model=ai_model,
            sub_executions=sub_executions,
            triggered_by=triggered_by,
            skills=skills,
            internal_status=internal_status,
            worker=worker,
            ai_employee_id=ai_employee_id,
            api_calls_made=api_calls_made,
            result=result,
            llm_tokens=llm_tokens,
        )

        execution_metrics_report.additional_properties = d
        return execution_metrics_report

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


from ..models.execution_metrics_report_api_calls_made_type_0_item_type_1 import (
    ExecutionMetricsReportApiCallsMadeType0ItemType1,  # noqa: E402
)
from ..models.execution_tokens import ExecutionTokens  # noqa: E402
