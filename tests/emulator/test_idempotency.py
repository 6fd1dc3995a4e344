"""Idempotency-Key on create and report: a retry answers the first result, changes nothing."""

from __future__ import annotations

import threading
import uuid

import httpx
from emulator_helpers import read_stream

from xpander_sdk.emulator import EmulatorServer


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def test_replayed_create_answers_the_first_task(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str
) -> None:
    key = _key()
    body = {"input": {"text": "once"}}
    first = api.post(f"/agent-execution/{agent_id}", json=body, headers=key)
    read_stream(api, emulator.organization_id, first.json()["id"])  # let the run finish
    events_before = read_stream(api, emulator.organization_id, first.json()["id"]).ids
    second = api.post(f"/agent-execution/{agent_id}", json=body, headers=key)
    assert second.status_code == first.status_code == 200
    assert second.json() == first.json()  # the first answer, status pending and all
    assert len(api.get(f"/agent-execution/executions/history/{agent_id}").json()) == 1
    assert read_stream(api, emulator.organization_id, first.json()["id"]).ids == events_before


def test_same_key_other_body_or_route_is_422(api: httpx.Client, agent_id: str) -> None:
    key = _key()
    api.post(f"/agent-execution/{agent_id}", json={"input": {"text": "a"}}, headers=key)
    other_body = api.post(
        f"/agent-execution/{agent_id}", json={"input": {"text": "b"}}, headers=key
    )
    assert other_body.status_code == 422
    assert other_body.json()["errors"][0]["field"] == "header.Idempotency-Key"
    other_route = api.post(f"/agent-execution/{agent_id}/report_task", json={}, headers=key)
    assert other_route.status_code == 422
    assert len(api.get(f"/agent-execution/executions/history/{agent_id}").json()) == 1


def test_replayed_report(api: httpx.Client, agent_id: str) -> None:
    key = _key()
    body = {"result": "42", "duration": 2}
    first = api.post(f"/agent-execution/{agent_id}/report_task", json=body, headers=key)
    second = api.post(f"/agent-execution/{agent_id}/report_task", json=body, headers=key)
    assert first.json() == second.json()
    assert len(api.get(f"/agent-execution/executions/history/{agent_id}").json()) == 1


def test_concurrent_requests_with_one_key_create_one_task(
    emulator: EmulatorServer, agent_id: str
) -> None:
    key = _key()
    answers: list[httpx.Response] = []
    lock = threading.Lock()
    start = threading.Barrier(10)

    def post() -> None:
        with httpx.Client(base_url=emulator.base_url, headers={"x-api-key": emulator.api_key}) as c:
            start.wait()
            response = c.post(
                f"/agent-execution/{agent_id}", json={"input": {"text": "x"}}, headers=key
            )
        with lock:
            answers.append(response)

    threads = [threading.Thread(target=post) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert [r.status_code for r in answers] == [200] * 10
    assert len({r.json()["id"] for r in answers}) == 1
    with httpx.Client(base_url=emulator.base_url, headers={"x-api-key": emulator.api_key}) as c:
        assert len(c.get(f"/agent-execution/executions/history/{agent_id}").json()) == 1


def test_empty_idempotency_key_is_422(api: httpx.Client, agent_id: str) -> None:
    response = api.post(f"/agent-execution/{agent_id}", json={}, headers={"Idempotency-Key": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "header.Idempotency-Key"
