"""The control API under /_emulator/: the key, the journal, reset, state, tasks, info, the
web page's files, and request ids on every kind of answer."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from emulator_helpers import check_request_id, create, make_client, read_stream

from xpander_sdk._redact import MASK, MCP_SECRET_KEYS, SECRET_FIELDS
from xpander_sdk.emulator import EmulatorServer

CONTROL_ROUTES = [
    ("GET", "/_emulator/requests"),
    ("DELETE", "/_emulator/requests"),
    ("POST", "/_emulator/reset"),
    ("GET", "/_emulator/state"),
    ("PUT", "/_emulator/state"),
    ("GET", "/_emulator/tasks"),
    ("GET", "/_emulator/info"),
    ("GET", "/_emulator/faults"),
    ("POST", "/_emulator/faults"),
    ("DELETE", "/_emulator/faults"),
    ("GET", "/_emulator/stats"),
    ("GET", "/_emulator/clock"),
    ("PUT", "/_emulator/clock"),
    ("POST", "/_emulator/clock/advance"),
]
UI_DIR = Path(__file__).parents[2] / "xpander_sdk" / "emulator" / "ui"


@pytest.fixture
def own(emulator_factory: Callable[..., EmulatorServer]) -> EmulatorServer:
    """An emulator of this test alone (its journal and state are the test's)."""
    return emulator_factory(faults=True)


@pytest.fixture
def client(own: EmulatorServer) -> Iterator[httpx.Client]:
    with make_client(own) as c:
        yield c


@pytest.mark.parametrize(("method", "path"), CONTROL_ROUTES)
def test_every_control_route_needs_the_key(
    own: EmulatorServer, client: httpx.Client, method: str, path: str
) -> None:
    create(client, "agent-k")
    for headers in ({}, {"x-api-key": "not-the-key"}):
        answer = httpx.request(method, own.base_url + path, headers=headers, json={"kind": "drop"})
        assert answer.status_code == 401
        assert answer.json()["errors"][0]["field"] == "header.x-api-key"
        check_request_id(answer)
    # nothing was done by the refused requests
    assert len(client.get("/_emulator/tasks").json()["tasks"]) == 1
    assert client.get("/_emulator/faults").json()["rules"] == []
    assert len(own.requests(path="^/agent-execution/agent-k$")) == 1


def test_the_journal_records_requests_newest_last_with_secrets_redacted(
    own: EmulatorServer, client: httpx.Client
) -> None:
    body = {
        "input": {"text": "hello", "user": {"id": "u1", "email": "ada@example.com"}},
        "user_oidc_token": "oidc-SECRET",
        "user_tokens": {"github": "tok-SECRET"},
        "mcp_servers": [
            {
                "name": "mcp1",
                "url": "https://mcp.example",
                "api_key": "mcp-SECRET",
                "client_secret": "client-SECRET",
                "headers": {"Authorization": "Bearer hdr-SECRET"},
            }
        ],
    }
    created = client.post("/agent-execution/agent-j", json=body, params={})
    assert created.status_code == 200, created.text
    missing = client.get("/agent-execution/nope/status")
    client.get("/agent-execution/executions/history/agent-j", params={"status": "pending"})
    client.get("/_emulator/info")  # control requests are not journaled

    entries = client.get("/_emulator/requests").json()["requests"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("POST", "/agent-execution/agent-j", 200),
        ("GET", "/agent-execution/nope/status", 404),
        ("GET", "/agent-execution/executions/history/agent-j", 200),
    ]
    first = entries[0]
    assert set(first) == {
        "method",
        "path",
        "query",
        "status",
        "request_id",
        "time",
        "duration_ms",
        "body",
        "run",  # a create's: what was picked to run the task
    }
    assert first["run"] == {"agent": "default", "rule": None}
    assert "run" not in entries[1]
    assert first["request_id"] == created.headers["x-request-id"]
    assert entries[1]["request_id"] == missing.headers["x-request-id"]
    assert entries[2]["query"] == "status=pending"
    assert first["body"]["input"] == body["input"]
    assert first["body"]["user_oidc_token"] == "***"
    assert first["body"]["user_tokens"] == "***"
    server = first["body"]["mcp_servers"][0]
    assert server["name"] == "mcp1" and server["url"] == "https://mcp.example"
    assert server["api_key"] == server["client_secret"] == server["headers"] == "***"
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert re.match(r"\d{4}-\d\d-\d\dT", first["time"])
    everything = json.dumps(entries)
    assert "SECRET" not in everything
    assert own.api_key not in everything


def test_journal_filters_and_clear(own: EmulatorServer, client: httpx.Client) -> None:
    task = create(client, "agent-f")
    client.get(f"/agent-execution/{task['id']}/status")
    client.get(f"/agent-execution/{task['id']}/status")
    client.patch(f"/agent-execution/{task['id']}/update", json={"internal_status": "x"})

    def listed(**params: Any) -> list[tuple[str, str]]:
        answer = client.get("/_emulator/requests", params=params)
        return [(e["method"], e["path"]) for e in answer.json()["requests"]]

    status_path = f"/agent-execution/{task['id']}/status"
    assert listed(method="get") == [("GET", status_path)] * 2
    assert listed(path="/update$") == [("PATCH", f"/agent-execution/{task['id']}/update")]
    assert listed(limit=1) == [("PATCH", f"/agent-execution/{task['id']}/update")]
    assert [(e["method"], e["path"]) for e in own.requests(method="POST")] == [
        ("POST", "/agent-execution/agent-f")
    ]
    assert len(own.requests(path="status")) == 2
    for params, field in [({"path": "("}, "query.path"), ({"limit": "0"}, "query.limit")]:
        bad = client.get("/_emulator/requests", params=params)
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["field"] == field
    assert client.get("/_emulator/requests", params={"nope": "1"}).status_code == 422
    assert client.delete("/_emulator/requests").status_code == 200
    assert listed() == []


def test_the_journal_is_bounded_and_can_be_off(
    emulator_factory: Callable[..., EmulatorServer],
) -> None:
    small = emulator_factory(journal_size=3)
    with make_client(small) as client:
        for i in range(5):
            client.get(f"/agent-execution/t{i}/status")
        paths = [e["path"] for e in small.requests()]
        assert paths == [f"/agent-execution/t{i}/status" for i in (2, 3, 4)]
    off = emulator_factory(journal_size=0)
    with make_client(off) as client:
        client.get("/agent-execution/t/status")
        assert client.get("/_emulator/requests").json() == {"requests": []}


def test_a_stream_is_journaled_when_it_starts(own: EmulatorServer, client: httpx.Client) -> None:
    task = create(client, "agent-s")
    stream = read_stream(client, own.organization_id, task["id"])
    assert stream.types[-1] == "task_finished"
    (entry,) = own.requests(path="/events$")
    assert entry["status"] == 200  # journaled when the answer started
    # Its duration is set once the server has closed the answer, which may come
    # just after the client read the last event: wait for that, within a deadline.
    deadline = time.monotonic() + 5
    while entry["duration_ms"] is None and time.monotonic() < deadline:
        time.sleep(0.01)
        (entry,) = own.requests(path="/events$")
    assert entry["duration_ms"] is not None


def test_request_ids_are_on_every_kind_of_answer(own: EmulatorServer, client: httpx.Client) -> None:
    seen = set()
    seen.add(check_request_id(client.get("/agent-execution/x/status")))  # 404
    seen.add(check_request_id(client.get("/no/such/route")))  # 404, no route
    seen.add(check_request_id(httpx.get(own.base_url + "/agent-execution/x/status")))  # 401
    seen.add(check_request_id(client.post("/agent-execution/a", content=b"{")))  # 400
    own.inject(kind="status", status=503)
    faulted = client.get("/agent-execution/x/status")
    assert faulted.status_code == 503
    seen.add(check_request_id(faulted))
    seen.add(check_request_id(client.get("/_emulator/info")))
    # a client's own id is not reused: two requests sending the same one get two ids
    mine = {"x-request-id": "client-chosen"}
    seen.add(check_request_id(client.get("/agent-execution/x/status", headers=mine)))
    seen.add(check_request_id(client.get("/agent-execution/x/status", headers=mine)))
    assert len(seen) == 8
    journaled = {e["request_id"] for e in own.requests()}
    assert faulted.headers["x-request-id"] in journaled


async def lasting_agent(task_input: dict[str, Any]) -> AsyncIterator[str]:
    """Streams one chunk, then runs until stopped."""
    yield "started"
    await asyncio.sleep(3600)


def test_reset_leaves_nothing(emulator_factory: Callable[..., EmulatorServer]) -> None:
    own = emulator_factory(faults=True, agent=lasting_agent)
    with make_client(own) as client:
        key = {"Idempotency-Key": str(uuid.uuid4())}
        kept = client.post("/agent-execution/agent-r", json={"input": {"text": "x"}}, headers=key)
        running = kept.json()["id"]
        read_stream(client, own.organization_id, running, stop_after=3)  # created, executing, chunk
        own.inject(kind="status", status=500, path="nothing-matches-this")
        ended = threading.Event()

        def follow() -> None:
            read_stream(client, own.organization_id, running)
            ended.set()

        threading.Thread(target=follow, daemon=True).start()
        own.reset()
        assert ended.wait(10), "a stream on a reset task did not end"
        assert own.requests() == []
        assert client.get("/_emulator/tasks").json() == {"tasks": []}
        assert client.get("/_emulator/faults").json() == {"rules": []}
        state = own.export_state()
        assert state["tasks"] == [] and state["idempotency_keys"] == [] and state["runs"] == []
        assert client.get(f"/agent-execution/{running}/status").status_code == 404
        # the key is forgotten: the same request makes a new task
        again = client.post("/agent-execution/agent-r", json={"input": {"text": "x"}}, headers=key)
        assert again.json()["id"] != running
        read_stream(client, own.organization_id, again.json()["id"], stop_after=3)
        # the stopped run wrote nothing after the reset: only the new task is there
        assert [t["id"] for t in client.get("/_emulator/tasks").json()["tasks"]] == [
            again.json()["id"]
        ]


def test_state_export_then_import_round_trips(
    own: EmulatorServer, client: httpx.Client, emulator_factory: Callable[..., EmulatorServer]
) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = client.post("/agent-execution/agent-x", json={"input": {"text": "a"}}, headers=key)
    second = create(client, "agent-y", "b")
    streams = {
        t: read_stream(client, own.organization_id, t) for t in (first.json()["id"], second["id"])
    }
    doc = client.get("/_emulator/state").json()
    assert doc["version"] == 1
    assert [t["task"]["id"] for t in doc["tasks"]] == [first.json()["id"], second["id"]]
    for item in doc["tasks"]:
        assert [e["id"] for e in item["events"]] == streams[item["task"]["id"]].ids
        assert [e["event"] for e in item["events"]] == streams[item["task"]["id"]].events
    assert [k["key"] for k in doc["idempotency_keys"]] == [key["Idempotency-Key"]]
    assert own.export_state() == doc

    other = emulator_factory()
    other.import_state(doc)
    with make_client(other) as moved:
        assert moved.get("/_emulator/state").json() == doc
        for task_id, stream in streams.items():
            assert read_stream(moved, other.organization_id, task_id).events == stream.events
        replay = moved.post("/agent-execution/agent-x", json={"input": {"text": "a"}}, headers=key)
        assert replay.headers.get("idempotent-replayed") == "true"
        assert replay.json()["id"] == first.json()["id"]
        # new events get ids above the imported ones
        later = create(moved, "agent-z")
        new_ids = read_stream(moved, other.organization_id, later["id"]).ids
        assert min(new_ids) > max(max(s.ids) for s in streams.values())


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.update(version=99), "body.version"),
        (lambda d: d.update(tasks={}), "body.tasks"),
        (lambda d: d["tasks"][0]["task"].pop("id"), "body.tasks[0].task.id"),
        (lambda d: d["tasks"][0]["task"].update(status="sleeping"), "body.tasks[0].task.status"),
        (lambda d: d["tasks"][0]["events"][1].update(id=1), "body.tasks[0].events[1].id"),
        (
            lambda d: d["tasks"][0]["events"][0]["event"].update(task_id="other"),
            "body.tasks[0].events[0].event.task_id",
        ),
        (lambda d: d["idempotency_keys"].append({"key": 5}), "body.idempotency_keys[0].key"),
        (lambda d: d["runs"].append("not-a-task"), "body.runs[0]"),
    ],
)
def test_a_malformed_state_is_refused_and_changes_nothing(
    own: EmulatorServer,
    client: httpx.Client,
    mutate: Callable[[dict[str, Any]], object],
    field: str,
) -> None:
    task = create(client, "agent-m")
    read_stream(client, own.organization_id, task["id"])
    before = client.get("/_emulator/state").json()
    doc = json.loads(json.dumps(before))
    mutate(doc)
    refused = client.put("/_emulator/state", json=doc)
    assert refused.status_code == 422, refused.text
    assert field in [e["field"] for e in refused.json()["errors"]]
    assert field in refused.json()["detail"]
    assert client.get("/_emulator/state").json() == before
    with pytest.raises(ValueError, match=re.escape(field)):
        own.import_state(doc)


def test_state_that_is_not_json_is_400(own: EmulatorServer, client: httpx.Client) -> None:
    create(client, "agent-n")
    answer = client.put("/_emulator/state", content=b"{not json")
    assert answer.status_code == 400
    assert len(client.get("/_emulator/tasks").json()["tasks"]) == 1


def test_tasks_lists_every_agent_newest_first(own: EmulatorServer, client: httpx.Client) -> None:
    made = [create(client, f"agent-{i % 2}", f"t{i}")["id"] for i in range(5)]
    listed = client.get("/_emulator/tasks").json()["tasks"]
    assert [t["id"] for t in listed] == made[::-1]
    assert listed[0]["input"]["text"] == "t4" and "status" in listed[0]
    assert [
        t["id"] for t in client.get("/_emulator/tasks", params={"limit": 2}).json()["tasks"]
    ] == [
        made[4],
        made[3],
    ]
    assert client.get("/_emulator/tasks", params={"limit": "x"}).status_code == 422


def test_info(
    own: EmulatorServer, client: httpx.Client, emulator_factory: Callable[..., EmulatorServer]
) -> None:
    info = client.get("/_emulator/info").json()
    assert info["faults_enabled"] is True
    assert info["auth_required"] is True
    assert info["organization_id"] == own.organization_id
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", info["version"])
    open_one = emulator_factory(api_key=None, organization_id="org-open")
    with make_client(open_one) as c:
        assert c.get("/_emulator/info").json() == {
            "faults_enabled": False,
            "auth_required": False,
            "organization_id": "org-open",
            "version": info["version"],
            # the rule the web page masks by: the SDK's own
            "secrets": {
                "mask": MASK,
                "fields": sorted(SECRET_FIELDS),
                "mcp_server_fields": sorted(MCP_SECRET_KEYS),
            },
        }


def test_the_web_page_files_are_served_without_a_key(own: EmulatorServer) -> None:
    index = (UI_DIR / "index.html").read_bytes()
    for path in ("/_emulator/ui", "/_emulator/ui/", "/_emulator/ui/index.html"):
        page = httpx.get(own.base_url + path)
        assert page.status_code == 200
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert page.content == index
        check_request_id(page)
    types = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
    served = 0
    for file in sorted(UI_DIR.iterdir()):
        if file.suffix in types:
            answer = httpx.get(f"{own.base_url}/_emulator/ui/{file.name}")
            assert answer.status_code == 200
            assert answer.headers["content-type"] == types[file.suffix]
            assert answer.content == file.read_bytes()
            served += 1
    assert served >= 1
    for outside in (
        "/_emulator/ui/..%2fcontrol.py",
        "/_emulator/ui/.hidden",
        "/_emulator/ui/nope.js",
    ):
        assert httpx.get(own.base_url + outside).status_code == 404, outside
    assert httpx.get(own.base_url + "/_emulator/ui/../control.py").status_code == 404
