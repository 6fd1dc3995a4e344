"""POST /agents-metrics/{agent_id}/execution: checked like every route, kept per task, read
back through ``GET /_emulator/metrics`` and ``emulator.metrics``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from emulator_helpers import make_client

from xpander_sdk.emulator import EmulatorServer


def _report(execution_id: str, /, **changes: Any) -> dict[str, Any]:
    """A report shaped as the published SDK's ``Task.report_metrics()`` sends it."""
    tokens = {"completion_tokens": 5, "prompt_tokens": 7, "total_tokens": 12}
    report: dict[str, Any] = {
        "execution_id": execution_id,
        "source": "sdk",
        "sub_executions": [],
        "memory_thread_id": execution_id,
        "task": "summarize",
        "triggered_by": "N/A",
        "skills": [],
        "status": "completed",
        "internal_status": None,
        "duration": 0.0,
        "ai_model": "xpander",
        "worker": None,
        "ai_employee_id": None,
        "api_calls_made": ["search"],
        "result": "done",
        "llm_tokens": {
            "inner": {"completion_tokens": 0, "prompt_tokens": 0, "total_tokens": 0},
            "worker": {**tokens, "cache_read_tokens": 0, "cache_write_tokens": 0},
        },
    }
    report.update(changes)
    return report


def _reported(client: httpx.Client, task_id: str) -> list[dict[str, Any]]:
    response = client.get("/_emulator/metrics", params={"task_id": task_id})
    assert response.status_code == 200, response.text
    metrics: list[dict[str, Any]] = response.json()["metrics"]
    return metrics


@pytest.fixture
def task_id() -> str:
    return f"task-{uuid.uuid4().hex[:8]}"


def test_a_report_is_kept_for_its_task(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str, task_id: str
) -> None:
    report = _report(task_id)
    response = api.post(f"/agents-metrics/{agent_id}/execution", json=report)
    assert response.status_code == 200, response.text
    assert response.json() == {"execution_id": task_id, "recorded": True}
    (kept,) = _reported(api, task_id)
    assert (kept["agent_id"], kept["report"]) == (agent_id, report)
    assert kept["received_at"]
    assert emulator.emulator is not None
    assert emulator.emulator.metrics.for_task(task_id) == [kept]


def test_reports_of_other_tasks_are_not_mixed_in(
    api: httpx.Client, agent_id: str, task_id: str
) -> None:
    other = f"{task_id}-other"
    api.post(f"/agents-metrics/{agent_id}/execution", json=_report(task_id))
    api.post(f"/agents-metrics/{agent_id}/execution", json=_report(other, status="failed"))
    api.post(f"/agents-metrics/{agent_id}/execution", json=_report(task_id, duration=2.5))
    assert [m["report"]["duration"] for m in _reported(api, task_id)] == [0.0, 2.5]
    assert [m["report"]["status"] for m in _reported(api, other)] == ["failed"]


def test_the_published_sdks_organization_prefixed_path_is_served(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str, task_id: str
) -> None:
    path = f"/{emulator.organization_id}/agents-metrics/{agent_id}/execution"
    # a plain client: the spec (which the checking client validates against) has no prefix
    with httpx.Client(base_url=emulator.base_url, headers={"x-api-key": emulator.api_key}) as raw:
        assert raw.post(path, json=_report(task_id)).status_code == 200
    assert len(_reported(api, task_id)) == 1


def test_only_the_required_fields_are_enough(
    api: httpx.Client, agent_id: str, task_id: str
) -> None:
    required = {
        "execution_id": task_id,
        "source": "sdk",
        "memory_thread_id": task_id,
        "task": "t",
        "status": "completed",
        "duration": 1,
        "ai_model": "gpt-x",
    }
    assert api.post(f"/agents-metrics/{agent_id}/execution", json=required).status_code == 200
    assert _reported(api, task_id)[0]["report"] == required


@pytest.mark.parametrize(
    ("changes", "drop", "field"),
    [
        ({}, "execution_id", "body"),
        ({}, "ai_model", "body"),
        ({"duration": "slow"}, None, "body.duration"),
        ({"duration": -1}, None, "body.duration"),
        ({"execution_id": ""}, None, "body.execution_id"),
        ({"sub_executions": "t-2"}, None, "body.sub_executions"),
        ({"llm_tokens": {"worker": {"prompt_tokens": "many"}}}, None, "body.llm_tokens"),
    ],
)
def test_a_bad_report_is_refused_naming_the_field_and_nothing_is_kept(
    api: httpx.Client,
    agent_id: str,
    task_id: str,
    changes: dict[str, Any],
    drop: str | None,
    field: str,
) -> None:
    report = _report(task_id, **changes)
    if drop is not None:
        del report[drop]
    response = api.post(f"/agents-metrics/{agent_id}/execution", json=report)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    named = [e["field"] for e in errors]
    assert any(f == field or f.startswith(field + ".") for f in named), named
    if drop is not None:
        assert any(drop in e["reason"] for e in errors)
    assert _reported(api, task_id) == []


def test_a_report_without_the_key_is_refused_and_not_kept(
    emulator: EmulatorServer, api: httpx.Client, agent_id: str, task_id: str
) -> None:
    with httpx.Client(base_url=emulator.base_url) as anonymous:
        response = anonymous.post(f"/agents-metrics/{agent_id}/execution", json=_report(task_id))
        assert response.status_code == 401
        assert response.json()["errors"][0]["field"] == "header.x-api-key"
        assert anonymous.get("/_emulator/metrics", params={"task_id": task_id}).status_code == 401
        wrong = anonymous.get(
            "/_emulator/metrics", params={"task_id": task_id}, headers={"x-api-key": "nope"}
        )
        assert wrong.status_code == 401
    assert _reported(api, task_id) == []


def test_a_retried_report_with_one_idempotency_key_is_kept_once(
    api: httpx.Client, agent_id: str, task_id: str
) -> None:
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    url = f"/agents-metrics/{agent_id}/execution"
    first = api.post(url, json=_report(task_id), headers=headers)
    second = api.post(url, json=_report(task_id), headers=headers)
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert len(_reported(api, task_id)) == 1
    reused = api.post(url, json=_report(task_id, status="failed"), headers=headers)
    assert reused.status_code == 422
    assert len(_reported(api, task_id)) == 1


def test_the_control_route_refuses_unknown_parameters_and_other_methods(
    api: httpx.Client,
) -> None:
    response = api.get("/_emulator/metrics", params={"execution": "x"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.execution"
    assert api.delete("/_emulator/metrics").status_code == 405


def test_the_control_route_answers_without_faults_mode(
    emulator_factory: Callable[..., EmulatorServer], task_id: str
) -> None:
    server = emulator_factory(faults=False)
    with make_client(server) as client:
        client.post("/agents-metrics/a-1/execution", json=_report(task_id))
        assert len(_reported(client, task_id)) == 1


def test_reports_survive_a_restart_with_a_database_file(
    emulator_factory: Callable[..., EmulatorServer], tmp_path: Path, task_id: str
) -> None:
    server = emulator_factory(db=str(tmp_path / "emulator.sqlite"))
    with make_client(server) as client:
        client.post("/agents-metrics/a-1/execution", json=_report(task_id))
    server.restart()
    with make_client(server) as client:
        assert [m["agent_id"] for m in _reported(client, task_id)] == ["a-1"]
