"""The facade's enumerations: the published SDK's names over the spec's wire values.

The generated enums come from openapi.yaml, so holding the facade's values
against theirs keeps the two from drifting when the spec changes.
"""

from __future__ import annotations

import json
from enum import Enum

import pytest
from xpander_api_client import models as gen

from xpander_sdk import AgentExecutionStatus, OutputFormat, TaskUpdateEventType, ThinkMode

TWINS: list[tuple[type[Enum], type[Enum]]] = [
    (AgentExecutionStatus, gen.AgentExecutionStatus),
    (OutputFormat, gen.OutputFormat),
    (ThinkMode, gen.ThinkMode),
    (TaskUpdateEventType, gen.TaskUpdateEventType),
]


@pytest.mark.parametrize(("facade", "generated"), TWINS, ids=lambda e: e.__name__)
def test_facade_enum_has_exactly_the_generated_values(
    facade: type[Enum], generated: type[Enum]
) -> None:
    assert {m.value for m in facade} == {m.value for m in generated}
    assert len(list(facade)) == len(list(generated))  # no aliases hiding a value


@pytest.mark.parametrize(("facade", "generated"), TWINS, ids=lambda e: e.__name__)
def test_each_value_maps_both_ways(facade: type[Enum], generated: type[Enum]) -> None:
    for member in generated:
        assert facade(member.value).value == member.value
    for member in facade:
        assert generated(member.value).value == member.value


def test_agent_execution_status_members_carry_the_published_names() -> None:
    assert [m.name for m in AgentExecutionStatus] == [
        "Pending",
        "Executing",
        "Paused",
        "Error",
        "Failed",
        "Completed",
        "Stopped",
    ]
    assert AgentExecutionStatus.Pending.value == "pending"
    assert AgentExecutionStatus.Completed.value == "completed"


def test_other_enums_carry_readable_names() -> None:
    assert OutputFormat.Markdown.value == "markdown"
    assert OutputFormat.Json.value == "json"
    assert ThinkMode.Default.value == "default"
    assert ThinkMode.Harder.value == "harder"
    assert TaskUpdateEventType.TaskFinished.value == "task_finished"
    assert TaskUpdateEventType.Chunk.value == "chunk"


@pytest.mark.parametrize("facade", [t[0] for t in TWINS], ids=lambda e: e.__name__)
def test_members_equal_their_wire_strings(facade: type[Enum]) -> None:
    for member in facade:
        assert member == member.value
        assert member.value == member
        assert str(member) == member.value
        assert f"{member}" == member.value
        assert isinstance(member, str)
        assert json.dumps(member) == json.dumps(member.value)
        assert member != member.value.upper()


def test_statuses_hash_as_their_strings() -> None:
    by_status = {AgentExecutionStatus.Completed: "done"}
    assert by_status["completed"] == "done"
    assert "failed" in {AgentExecutionStatus.Failed}


def test_a_status_is_found_by_its_value_and_not_by_an_unknown_one() -> None:
    assert AgentExecutionStatus("stopped") is AgentExecutionStatus.Stopped
    with pytest.raises(ValueError):
        AgentExecutionStatus("done")


@pytest.mark.parametrize(
    ("status", "final"),
    [
        (AgentExecutionStatus.Pending, False),
        (AgentExecutionStatus.Executing, False),
        (AgentExecutionStatus.Paused, False),
        (AgentExecutionStatus.Error, True),
        (AgentExecutionStatus.Failed, True),
        (AgentExecutionStatus.Completed, True),
        (AgentExecutionStatus.Stopped, True),
    ],
)
def test_is_final(status: AgentExecutionStatus, final: bool) -> None:
    assert status.is_final is final


def test_every_status_is_classified() -> None:
    finals = {s for s in AgentExecutionStatus if s.is_final}
    assert finals == {"error", "failed", "completed", "stopped"}
