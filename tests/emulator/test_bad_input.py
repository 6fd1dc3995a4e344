"""Auth and bad input: each a 4xx JSON Error naming what is wrong; never a 500; nothing stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from emulator_helpers import create

from xpander_sdk.emulator import EmulatorServer


def test_missing_key_is_401(emulator: EmulatorServer, api: httpx.Client, agent_id: str) -> None:
    response = httpx.post(f"{emulator.base_url}/agent-execution/{agent_id}", json={})
    assert response.status_code == 401
    assert response.json()["errors"][0]["field"] == "header.x-api-key"
    assert api.get(f"/agent-execution/executions/history/{agent_id}").json() == []


def test_wrong_key_is_401(emulator: EmulatorServer) -> None:
    response = httpx.get(
        f"{emulator.base_url}/agent-execution/x/status", headers={"x-api-key": "wrong"}
    )
    assert response.status_code == 401
    assert "wrong" not in response.text


def test_without_a_configured_key_any_key_works(
    emulator_factory: Callable[..., EmulatorServer],
) -> None:
    server = emulator_factory(api_key=None)
    ok = httpx.post(
        f"{server.base_url}/agent-execution/a", json={}, headers={"x-api-key": "anything"}
    )
    assert ok.status_code == 200
    assert httpx.post(f"{server.base_url}/agent-execution/a", json={}).status_code == 401


BAD_CREATES: list[tuple[str, Any, int, str]] = [
    ("wrong type", {"input": {"text": 5}}, 422, "body.input.text"),
    ("unknown enum", {"output_format": "pdf"}, 422, "body.output_format"),
    ("user without email", {"input": {"user": {"id": "u"}}}, 422, "body.input.user"),
    ("not an object", [1, 2], 422, "body"),
]


@pytest.mark.parametrize(("case", "body", "status", "field"), BAD_CREATES)
def test_bad_create_bodies(
    api: httpx.Client,
    emulator: EmulatorServer,
    agent_id: str,
    case: str,
    body: Any,
    status: int,
    field: str,
) -> None:
    before = emulator.stats()["tasks"]
    response = api.post(f"/agent-execution/{agent_id}", json=body)
    assert response.status_code == status, case
    assert field in [e["field"] for e in response.json()["errors"]]
    assert emulator.stats()["tasks"] == before
    assert api.get(f"/agent-execution/executions/history/{agent_id}").json() == []


def test_malformed_json_is_400(api: httpx.Client, emulator: EmulatorServer, agent_id: str) -> None:
    before = emulator.stats()["tasks"]
    response = api.post(
        f"/agent-execution/{agent_id}",
        content=b'{"input": ',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"
    assert emulator.stats()["tasks"] == before


def test_missing_body_is_422(api: httpx.Client, agent_id: str) -> None:
    response = api.post(f"/agent-execution/{agent_id}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"


def test_unknown_status_in_update_changes_nothing(api: httpx.Client, agent_id: str) -> None:
    task = create(api, agent_id)
    response = api.patch(
        f"/agent-execution/{task['id']}/update", json={"status": "finished-ish", "title": "t"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.status"
    assert api.get(f"/agent-execution/{task['id']}/status").json()["title"] is None


def test_internal_status_longer_than_255_is_422(api: httpx.Client, agent_id: str) -> None:
    task = create(api, agent_id)
    response = api.patch(
        f"/agent-execution/{task['id']}/update", json={"internal_status": "x" * 256}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.internal_status"


def test_empty_agent_id_is_422(api: httpx.Client, emulator: EmulatorServer) -> None:
    before = emulator.stats()["tasks"]
    response = api.post("/agent-execution/", json={"input": {"text": "x"}})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.agent_or_task_id"
    report = api.post("/agent-execution//report_task", json={})
    assert report.status_code == 422
    assert emulator.stats()["tasks"] == before


def test_update_of_unknown_task_is_404(api: httpx.Client) -> None:
    response = api.patch("/agent-execution/no-such-task/update", json={"status": "paused"})
    assert response.status_code == 404


def test_body_over_the_limit_is_413(
    emulator_factory: Callable[..., EmulatorServer],
) -> None:
    server = emulator_factory(max_body_bytes=1000)
    headers = {"x-api-key": server.api_key}
    big = {"input": {"text": "x" * 2000}}
    response = httpx.post(f"{server.base_url}/agent-execution/a", json=big, headers=headers)
    assert response.status_code == 413
    assert response.json()["errors"][0]["field"] == "body"

    def chunked() -> Any:  # no Content-Length: the limit holds while reading
        yield b'{"input": {"text": "'
        yield b"y" * 2000
        yield b'"}}'

    streamed = httpx.post(
        f"{server.base_url}/agent-execution/a", content=chunked(), headers=headers
    )
    assert streamed.status_code == 413
    assert server.stats()["tasks"] == 0


def test_nan_is_not_json(api: httpx.Client, agent_id: str) -> None:
    response = api.post(
        f"/agent-execution/{agent_id}/report_task",
        content=b'{"duration": NaN}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400


def test_wrong_method_is_a_json_405(api: httpx.Client) -> None:
    response = api.put("/agent-execution/x/status", json={})
    assert response.status_code == 405
    assert "detail" in response.json()
