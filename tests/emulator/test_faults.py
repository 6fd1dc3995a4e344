"""Faults on demand: statuses, dropped connections, processed-then-dropped, cut streams."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx
import pytest
from emulator_helpers import create, read_stream

from xpander_sdk.emulator import EmulatorServer


def test_status_fault_with_retry_after(api: httpx.Client, emulator: EmulatorServer) -> None:
    emulator.inject(kind="status", status=503, retry_after="1", method="GET")
    faulted = api.get("/agent-execution/anything/status")
    assert faulted.status_code == 503
    assert faulted.headers["retry-after"] == "1"
    assert "detail" in faulted.json()
    # count defaults to 1: the next request is served normally
    assert api.get("/agent-execution/anything/status").status_code == 404
    assert emulator.stats()["faults_injected"]["status"] >= 1


def test_status_fault_is_not_processed(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str
) -> None:
    emulator.inject(kind="status", status=500, count=2, path=f"/agent-execution/{agent_id}$")
    assert api.post(f"/agent-execution/{agent_id}", json={}).status_code == 500
    assert api.post(f"/agent-execution/{agent_id}", json={}).status_code == 500
    assert api.get(f"/agent-execution/executions/history/{agent_id}").json() == []
    assert api.post(f"/agent-execution/{agent_id}", json={}).status_code == 200


def test_drop_cuts_the_connection_before_processing(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str
) -> None:
    emulator.inject(kind="drop", method="POST")
    with pytest.raises(httpx.TransportError):
        api.post(f"/agent-execution/{agent_id}", json={})
    assert api.get(f"/agent-execution/executions/history/{agent_id}").json() == []


def test_drop_after_processes_then_cuts_and_a_keyed_retry_is_safe(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str
) -> None:
    emulator.inject(kind="drop_after", method="POST")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    with pytest.raises(httpx.TransportError):
        api.post(f"/agent-execution/{agent_id}", json={"input": {"text": "x"}}, headers=key)
    stored = api.get(f"/agent-execution/executions/history/{agent_id}").json()
    assert len(stored) == 1  # processed although the answer never arrived
    retry = api.post(f"/agent-execution/{agent_id}", json={"input": {"text": "x"}}, headers=key)
    assert retry.json()["id"] == stored[0]["id"]
    assert len(api.get(f"/agent-execution/executions/history/{agent_id}").json()) == 1


def test_cut_stream_then_resume(api: httpx.Client, emulator: EmulatorServer, agent_id: str) -> None:
    task = create(api, agent_id)
    whole = read_stream(api, emulator.organization_id, task["id"])
    emulator.inject(kind="cut_stream", after_events=2)
    with pytest.raises(httpx.TransportError):
        read_stream(api, emulator.organization_id, task["id"])
    head = read_stream(api, emulator.organization_id, task["id"], stop_after=2)
    emulator.inject(kind="cut_stream", after_events=2)
    seen: list[int] = []
    url = f"/{emulator.organization_id}/agent-execution/{task['id']}/events"
    with pytest.raises(httpx.TransportError), api.stream("GET", url) as response:
        for line in response.iter_lines():
            if line.startswith("id:"):
                seen.append(int(line[3:]))
    assert seen == head.ids  # exactly after_events events got through, then the cut
    rest = read_stream(api, emulator.organization_id, task["id"], last_event_id=seen[-1])
    assert seen + rest.ids == whole.ids


def test_rate_faults_hit_a_fraction(api: httpx.Client, emulator: EmulatorServer) -> None:
    emulator.inject(kind="status", status=429, rate=0.5, seed=3, path="/status$")
    codes = [api.get("/agent-execution/x/status").status_code for _ in range(40)]
    assert 0 < codes.count(429) < 40
    assert set(codes) == {429, 404}


def test_control_api_over_http(emulator: EmulatorServer) -> None:
    base = emulator.base_url
    created = httpx.post(f"{base}/_emulator/faults", json={"kind": "status", "status": 408})
    assert created.status_code == 201 and created.json()["id"]
    assert len(httpx.get(f"{base}/_emulator/faults").json()["rules"]) == 1
    bad = httpx.post(f"{base}/_emulator/faults", json={"kind": "explode"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.kind"
    assert httpx.delete(f"{base}/_emulator/faults").status_code == 200
    assert httpx.get(f"{base}/_emulator/faults").json()["rules"] == []
    stats = httpx.get(f"{base}/_emulator/stats").json()
    assert set(stats) == {"requests", "faults_injected", "tasks"}
    assert set(stats["faults_injected"]) == {"status", "drop", "drop_after", "cut_stream"}


def test_without_faults_the_control_api_is_404(
    emulator_factory: Callable[..., EmulatorServer],
) -> None:
    server = emulator_factory(faults=False)
    assert httpx.get(f"{server.base_url}/_emulator/stats").status_code == 404
    assert (
        httpx.post(f"{server.base_url}/_emulator/faults", json={"kind": "drop"}).status_code == 404
    )
    with pytest.raises(RuntimeError):
        server.inject(kind="drop")
