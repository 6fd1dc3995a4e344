"""Faults on demand: statuses, dropped connections, processed-then-dropped, cut streams,
delays and slow streams."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable

import httpx
import pytest
from emulator_helpers import create, read_stream

from xpander_sdk.emulator import EmulatorServer


def injected(emulator: EmulatorServer, kind: str) -> int:
    count: int = emulator.stats()["faults_injected"][kind]
    return count


def test_status_fault_with_retry_after(api: httpx.Client, emulator: EmulatorServer) -> None:
    before = injected(emulator, "status")
    emulator.inject(kind="status", status=503, retry_after="1", method="GET")
    faulted = api.get("/agent-execution/anything/status")
    assert faulted.status_code == 503
    assert faulted.headers["retry-after"] == "1"
    assert "detail" in faulted.json()
    # count defaults to 1: the next request is served normally
    assert api.get("/agent-execution/anything/status").status_code == 404
    assert injected(emulator, "status") - before == 1


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


def test_control_api_over_http(api: httpx.Client, emulator: EmulatorServer) -> None:
    created = api.post("/_emulator/faults", json={"kind": "status", "status": 408})
    assert created.status_code == 201 and created.json()["id"]
    assert len(api.get("/_emulator/faults").json()["rules"]) == 1
    bad = api.post("/_emulator/faults", json={"kind": "explode"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.kind"
    assert api.delete("/_emulator/faults").status_code == 200
    assert api.get("/_emulator/faults").json()["rules"] == []
    stats = api.get("/_emulator/stats").json()
    assert set(stats) == {"requests", "faults_injected", "tasks"}
    assert set(stats["faults_injected"]) == {
        "status",
        "drop",
        "drop_after",
        "cut_stream",
        "delay",
        "slow_stream",
    }


def test_the_fault_api_needs_the_key(api: httpx.Client, emulator: EmulatorServer) -> None:
    base = emulator.base_url
    for method, path in [
        ("POST", "faults"),
        ("GET", "faults"),
        ("DELETE", "faults"),
        ("GET", "stats"),
    ]:
        answer = httpx.request(method, f"{base}/_emulator/{path}", json={"kind": "drop"})
        assert answer.status_code == 401, (method, path)
        assert answer.json()["errors"][0]["field"] == "header.x-api-key"
        wrong = httpx.request(
            method,
            f"{base}/_emulator/{path}",
            headers={"x-api-key": "wrong"},
            json={"kind": "drop"},
        )
        assert wrong.status_code == 401
    assert api.get("/_emulator/faults").json()["rules"] == []  # the refused POSTs added none


def test_without_faults_the_control_api_is_404(
    emulator_factory: Callable[..., EmulatorServer],
) -> None:
    server = emulator_factory(faults=False)
    key = {"x-api-key": server.api_key}
    assert httpx.get(f"{server.base_url}/_emulator/stats", headers=key).status_code == 404
    dropped = httpx.post(f"{server.base_url}/_emulator/faults", json={"kind": "drop"}, headers=key)
    assert dropped.status_code == 404
    with pytest.raises(RuntimeError):
        server.inject(kind="drop")


def test_delay_holds_matching_answers_only(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str
) -> None:
    before = injected(emulator, "delay")
    emulator.inject(kind="delay", seconds=2, path="/status$", method="GET")
    # A client that gives up before the delay ends gets no answer...
    with pytest.raises(httpx.ReadTimeout):
        api.get("/agent-execution/held/status", timeout=0.3)
    # ...while other requests are answered at once, and the rule (count 1) is used up.
    assert api.get(f"/agent-execution/executions/history/{agent_id}").status_code == 200
    assert api.get("/agent-execution/held/status").status_code == 404
    assert injected(emulator, "delay") - before == 1


def test_a_delayed_request_the_client_gave_up_on_is_not_processed(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str
) -> None:
    emulator.inject(kind="delay", seconds=1, method="POST", path=f"/{agent_id}$")
    with pytest.raises(httpx.ReadTimeout):
        api.post(f"/agent-execution/{agent_id}", json={"input": {"text": "x"}}, timeout=0.2)
    # The journal records the request once it is over: closed without an answer.
    deadline = time.monotonic() + 10
    while not (done := emulator.requests(method="POST", path=f"/{agent_id}$")):
        assert time.monotonic() < deadline, "the delayed request never ended"
        time.sleep(0.02)
    assert done[0]["status"] is None
    assert done[0]["body"] == {"input": {"text": "x"}}
    assert api.get(f"/agent-execution/executions/history/{agent_id}").json() == []


def test_delay_then_answers_normally(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str
) -> None:
    emulator.inject(kind="delay", seconds=0.2, method="POST", path=f"/{agent_id}$", count=2)
    started = time.monotonic()
    tasks = [create(api, agent_id, f"late {i}") for i in range(2)]
    # The delay is a lower bound on when the answers came (a floor, not a speed figure).
    assert time.monotonic() - started >= 0.4
    listed = api.get(f"/agent-execution/executions/history/{agent_id}").json()
    assert {t["id"] for t in tasks} == {item["id"] for item in listed}


def test_slow_stream_spaces_out_events(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str
) -> None:
    task = create(api, agent_id)
    whole = read_stream(api, emulator.organization_id, task["id"])  # the run is over
    before = injected(emulator, "slow_stream")
    emulator.inject(kind="slow_stream", seconds=0.1)
    url = f"/{emulator.organization_id}/agent-execution/{task['id']}/events"
    arrivals = 0
    started = time.monotonic()
    with api.stream("GET", url) as response:
        for line in response.iter_lines():
            if line.startswith("id:"):
                arrivals += 1
    took = time.monotonic() - started
    assert arrivals == len(whole.ids)
    # Replayed from the log the events come back to back; slowed, each one waits its turn, so
    # the last cannot arrive before all the pauses have passed (a floor, not a speed figure).
    assert took >= 0.1 * len(whole.ids)
    assert injected(emulator, "slow_stream") - before == 1
    # only one stream was slowed (count 1): the next one comes back to back
    assert read_stream(api, emulator.organization_id, task["id"]).ids == whole.ids


def test_slow_stream_ignores_other_requests(api: httpx.Client, emulator: EmulatorServer) -> None:
    emulator.inject(kind="slow_stream", seconds=30)
    done = threading.Event()

    def get() -> None:
        api.get("/agent-execution/x/status")
        done.set()

    threading.Thread(target=get, daemon=True).start()
    assert done.wait(10), "a plain request was held by a slow_stream rule"
    assert len(api.get("/_emulator/faults").json()["rules"]) == 1  # still waiting for a stream


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"kind": "delay"}, "body.seconds"),
        ({"kind": "delay", "seconds": -1}, "body.seconds"),
        ({"kind": "slow_stream", "seconds": "1"}, "body.seconds"),
        ({"kind": "status", "status": 503, "seconds": 1}, "body.seconds"),
    ],
)
def test_latency_rules_are_checked(api: httpx.Client, rule: dict[str, object], field: str) -> None:
    answer = api.post("/_emulator/faults", json=rule)
    assert answer.status_code == 422
    assert field in [e["field"] for e in answer.json()["errors"]]
