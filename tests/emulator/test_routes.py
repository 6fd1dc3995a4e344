"""Every route of openapi.yaml, answering as the platform does (tasks-wire-format.md)."""

from __future__ import annotations

import re

import httpx
from emulator_helpers import create, read_stream, wait_status
from starlette.applications import Starlette
from starlette.routing import Route

from xpander_sdk.emulator import Emulator, EmulatorConfig, EmulatorServer, create_app
from xpander_sdk.emulator.app import EVENTS
from xpander_sdk.emulator.spec import path_templates, task_fields


def test_create_answers_a_pending_task_with_every_field(api: httpx.Client, agent_id: str) -> None:
    task = create(api, agent_id, "Analyze the sales data", title="Sales")
    assert task["status"] == "pending"
    assert task["agent_id"] == agent_id
    assert task["organization_id"] == "local-org"
    assert task["input"] == {"text": "Analyze the sales data", "files": [], "user": None}
    assert task["title"] == "Sales"
    assert set(task_fields()) <= set(task)
    assert task["result"] is None


def test_create_accepts_null_for_every_optional_field(api: httpx.Client, agent_id: str) -> None:
    # what the published SDK sends for arguments it was not given
    body = {
        "id": None,
        "input": {"text": "hi", "files": None, "user": None},
        "payload_extension": None,
        "source": None,
        "worker_id": None,
        "output_format": None,
        "output_schema": None,
        "run_locally": None,
        "events_streaming": None,
        "additional_context": None,
        "instructions_override": None,
        "test_run_node_id": None,
        "user_oidc_token": None,
        "expected_output": None,
        "mcp_servers": None,
        "triggering_agent_id": None,
        "title": None,
        "think_mode": None,
        "disable_attachment_injection": None,
        "user_tokens": None,
        "return_metrics": None,
    }
    response = api.post(f"/agent-execution/{agent_id}", json=body)
    assert response.status_code == 200
    assert response.json()["status"] == "pending"


def test_agent_version_header_is_recorded(api: httpx.Client, agent_id: str) -> None:
    response = api.post(
        f"/agent-execution/{agent_id}",
        json={"input": {"text": "x"}},
        headers={"x-agent-version": "7"},
    )
    assert response.json()["agent_version"] == "7"


def test_get_task_and_unknown_task(api: httpx.Client, agent_id: str) -> None:
    task = create(api, agent_id)
    got = api.get(f"/agent-execution/{task['id']}/status")
    assert got.status_code == 200
    assert got.json()["id"] == task["id"]
    missing = api.get("/agent-execution/no-such-task/status")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["field"] == "path.task_id"


def test_list_agent_tasks_is_the_whole_history_with_filters(
    api: httpx.Client, agent_id: str
) -> None:
    first = create(
        api, agent_id, "one", input={"text": "one", "user": {"email": "a@x", "id": "u-a"}}
    )
    second = create(api, agent_id, "two", triggering_agent_id="boss")
    create(api, "another-agent-entirely")
    listed = api.get(f"/agent-execution/executions/history/{agent_id}").json()
    assert [item["id"] for item in listed] == [first["id"], second["id"]]
    assert listed[0]["user_id"] == "u-a"
    by_user = api.get(f"/agent-execution/executions/history/{agent_id}", params={"user_id": "u-a"})
    assert [i["id"] for i in by_user.json()] == [first["id"]]
    by_trigger = api.get(
        f"/agent-execution/executions/history/{agent_id}", params={"triggering_agent_id": "boss"}
    )
    assert [i["id"] for i in by_trigger.json()] == [second["id"]]


def test_list_filters_by_status_and_internal_status(api: httpx.Client, agent_id: str) -> None:
    task = create(api, agent_id)
    api.patch(
        f"/agent-execution/{task['id']}/update",
        json={"status": "paused", "internal_status": "waiting for Bob"},
    )
    create(api, agent_id)
    url = f"/agent-execution/executions/history/{agent_id}"
    paused = api.get(url, params={"status": "paused"}).json()
    assert [i["id"] for i in paused] == [task["id"]]
    noted = api.get(url, params={"internal_status": "waiting for Bob"}).json()
    assert [i["id"] for i in noted] == [task["id"]]
    assert api.get(url, params={"status": "not-a-status"}).status_code == 422


def test_list_user_tasks(api: httpx.Client, agent_id: str) -> None:
    user = f"user-{agent_id}"
    mine = create(api, agent_id, input={"text": "x", "user": {"email": "u@x", "id": user}})
    create(api, agent_id, input={"text": "y", "user": {"email": "v@x", "id": "someone-else"}})
    listed = api.get(f"/agent-execution/executions/history/user/{user}").json()
    assert [i["id"] for i in listed] == [mine["id"]]
    assert api.get("/agent-execution/executions/history/user/nobody-at-all").json() == []


def test_update_applies_only_the_fields_sent(api: httpx.Client, agent_id: str) -> None:
    task = create(api, agent_id, title="kept")
    updated = api.patch(
        f"/agent-execution/{task['id']}/update", json={"internal_status": "step 2"}
    ).json()
    assert updated["internal_status"] == "step 2"
    assert updated["title"] == "kept"
    assert updated["input"] == task["input"]


def test_update_accepts_a_whole_task_and_ignores_read_only_fields(
    api: httpx.Client, agent_id: str
) -> None:
    task = create(api, agent_id)
    whole = dict(task)
    whole.update(
        id="forged",
        agent_id="forged",
        organization_id="forged",
        created_at="2000-01-01T00:00:00+00:00",
        input={"text": "forged"},
        status="paused",
        result="halfway",
    )
    updated = api.patch(f"/agent-execution/{task['id']}/update", json=whole).json()
    assert updated["id"] == task["id"]
    assert updated["agent_id"] == agent_id
    assert updated["organization_id"] == "local-org"
    assert updated["created_at"] == task["created_at"]
    assert updated["input"] == task["input"]
    assert (updated["status"], updated["result"]) == ("paused", "halfway")


def test_tool_call_payload_extension_sets_payload_extension(
    api: httpx.Client, agent_id: str
) -> None:
    task = create(api, agent_id)
    updated = api.patch(
        f"/agent-execution/{task['id']}/update", json={"tool_call_payload_extension": {"a": 1}}
    ).json()
    assert updated["payload_extension"] == {"a": 1}


def test_any_status_can_be_set_also_out_of_stopped(api: httpx.Client, agent_id: str) -> None:
    task = create(api, agent_id)
    stopped = api.delete(f"/agent-execution/{task['id']}").json()
    assert stopped["status"] == "stopped"
    assert stopped["is_manually_stopped"] is True
    paused = api.patch(f"/agent-execution/{task['id']}/update", json={"status": "paused"}).json()
    assert paused["status"] == "paused"
    again = api.delete(f"/agent-execution/{task['id']}").json()
    assert again["status"] == "stopped"


def test_delete_unknown_task_is_404(api: httpx.Client) -> None:
    assert api.delete("/agent-execution/no-such-task").status_code == 404


def test_report_records_completed_and_failed_tasks(api: httpx.Client, agent_id: str) -> None:
    done = api.post(
        f"/agent-execution/{agent_id}/report_task",
        json={
            "input": "What is 2+2?",
            "llm_response": {"choices": []},
            "result": "4",
            "tokens": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
            "used_tools": ["calculator"],
            "duration": 1.5,
        },
    )
    assert done.status_code == 200
    task = done.json()
    assert task["status"] == "completed"
    assert (task["result"], task["duration"], task["used_tools"]) == ("4", 1.5, ["calculator"])
    assert task["tokens"]["total_tokens"] == 6
    assert task["input"]["text"] == "What is 2+2?"
    failed = api.post(
        f"/agent-execution/{agent_id}/report_task", json={"is_success": False, "result": "boom"}
    ).json()
    assert failed["status"] == "failed"
    listed = api.get(f"/agent-execution/executions/history/{agent_id}").json()
    assert {i["id"] for i in listed} == {task["id"], failed["id"]}


def test_activity_log(api: httpx.Client, emulator: EmulatorServer, agent_id: str) -> None:
    task = create(api, agent_id, "Tell me a joke")
    wait_status(api, emulator.organization_id, task["id"])
    thread = api.get(f"/activity/{agent_id}/{task['id']}").json()
    assert thread["id"] == task["id"]
    roles = [m["role"] for m in thread["messages"]]
    assert roles == ["user", "agent"]
    assert thread["messages"][0]["content"] == {"text": "Tell me a joke", "files": []}
    assert "Tell me a joke" in thread["messages"][1]["content"]["text"]
    assert api.get(f"/activity/{agent_id}/no-such-task").status_code == 404


def test_events_route_with_and_without_trailing_slash(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str
) -> None:
    task = create(api, agent_id)
    plain = read_stream(api, emulator.organization_id, task["id"])
    slashed = read_stream(api, emulator.organization_id, task["id"], trailing_slash=True)
    assert plain.status == slashed.status == 200
    assert plain.types == slashed.types
    assert plain.types[0] == "task_created"
    assert plain.types[-1] == "task_finished"


def test_events_of_unknown_task_is_404_json(api: httpx.Client, emulator: EmulatorServer) -> None:
    stream = read_stream(api, emulator.organization_id, "no-such-task")
    assert stream.status == 404


def test_unknown_route_is_a_json_404(api: httpx.Client) -> None:
    response = api.get("/no/such/route")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_the_route_table_is_the_specs_operations() -> None:
    app = create_app(EmulatorConfig())
    try:
        assert isinstance(app, Starlette)
        assert isinstance(app.state.emulator, Emulator)

        def shape(path: str) -> str:  # parameter names aside ({task_id} vs {agent_or_task_id})
            return re.sub(r"{\w+}", "{}", path)

        served = {
            (method, shape(route.path))
            for route in app.routes
            if isinstance(route, Route) and not route.path.startswith("/_emulator")
            for method in (route.methods or set()) - {"HEAD"}
        }
        operations = {
            (method.upper(), shape(path))
            for path, methods in path_templates()
            for method in methods
        }
        # the events URL is also served with a trailing slash (the published SDK's form)
        extra = {("GET", shape(EVENTS) + "/")}
        assert served == operations | extra
    finally:
        app.state.emulator.close()
