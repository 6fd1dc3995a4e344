"""Tasks run: the demo agent's lifecycle, stopping, taking over with PATCH, and --agent."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from emulator_helpers import create, make_client, read_stream

from xpander_sdk.emulator import EmulatorServer
from xpander_sdk.emulator.model import parse_iso


def test_a_task_runs_pending_executing_chunks_completed(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str
) -> None:
    task = create(api, agent_id, "sum it up")
    assert task["status"] == "pending"
    stream = read_stream(api, emulator.organization_id, task["id"])
    assert stream.types[0] == "task_created"
    assert stream.types[-2:] == ["task_updated", "task_finished"]
    statuses = [e["data"]["status"] for e in stream.events if e["type"] == "task_updated"]
    assert statuses == ["executing", "completed"]
    chunks = [e["data"] for e in stream.events if e["type"] == "chunk"]
    assert len(chunks) >= 2
    done = api.get(f"/agent-execution/{task['id']}/status").json()
    assert done["status"] == "completed"
    assert done["result"] == "".join(chunks)
    assert "sum it up" in done["result"]
    started, finished = parse_iso(done["started_at"]), parse_iso(done["finished_at"])
    assert started is not None and finished is not None and started <= finished
    assert done["duration"] == pytest.approx((finished - started).total_seconds())


class _Watched:
    """An agent that streams until it is cancelled, and says when it was (an observable end)."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.cancelled = threading.Event()

    async def __call__(self, task_input: dict[str, Any]) -> AsyncIterator[str]:
        self.started.set()
        try:
            while True:
                await asyncio.sleep(0.05)
                yield "more"
        finally:
            self.cancelled.set()


def test_stop_ends_the_run_at_once(emulator_factory: Callable[..., EmulatorServer]) -> None:
    agent = _Watched()
    server = emulator_factory(agent=agent, step_delay=0.0)
    with make_client(server) as client:
        task = create(client, "agent-stop")
        assert agent.started.wait(10)
        stopped = client.delete(f"/agent-execution/{task['id']}")
        assert stopped.status_code == 200
        body = stopped.json()
        assert (body["status"], body["is_manually_stopped"]) == ("stopped", True)
        assert body["finished_at"] is not None
        assert agent.cancelled.wait(10), "the run went on after the stop"
        stream = read_stream(client, server.organization_id, task["id"])
        assert stream.types[-1] == "task_finished"
        # The run is over (its agent was cancelled): nothing followed the stop's events.
        log = read_stream(client, server.organization_id, task["id"], last_event_id=0)
        assert log.types == stream.types
        assert client.get(f"/agent-execution/{task['id']}/status").json()["status"] == "stopped"


def test_patch_to_a_final_status_ends_the_run(
    emulator_factory: Callable[..., EmulatorServer],
) -> None:
    agent = _Watched()
    server = emulator_factory(agent=agent, step_delay=0.0)
    with make_client(server) as client:
        task = create(client, "agent-patch")
        assert agent.started.wait(10)
        done = client.patch(
            f"/agent-execution/{task['id']}/update", json={"status": "failed", "result": "mine"}
        ).json()
        assert done["status"] == "failed"
        assert agent.cancelled.wait(10), "the run went on after the final status"
        stream = read_stream(client, server.organization_id, task["id"])
        assert stream.types[-1] == "task_finished"
        after = client.get(f"/agent-execution/{task['id']}/status").json()
        assert (after["status"], after["result"]) == ("failed", "mine")
        log = read_stream(client, server.organization_id, task["id"], last_event_id=0)
        assert log.types == stream.types


def test_reopened_task_finishes_again(
    api: httpx.Client, emulator: EmulatorServer, agent_id: str
) -> None:
    task = create(api, agent_id)
    api.delete(f"/agent-execution/{task['id']}")
    api.patch(f"/agent-execution/{task['id']}/update", json={"status": "paused"})
    api.delete(f"/agent-execution/{task['id']}")
    everything = read_stream(api, emulator.organization_id, task["id"], last_event_id=0)
    # a stream ends at the first task_finished it delivers
    assert everything.types.count("task_finished") == 1
    first_end = everything.ids[-1]
    rest = read_stream(api, emulator.organization_id, task["id"], last_event_id=first_end)
    assert rest.types == ["task_updated", "task_updated", "task_finished"]


def test_continue_a_task_by_id(api: httpx.Client, emulator: EmulatorServer, agent_id: str) -> None:
    task = create(api, agent_id, "first")
    read_stream(api, emulator.organization_id, task["id"])
    again = api.post(
        f"/agent-execution/{agent_id}", json={"id": task["id"], "input": {"text": "more"}}
    )
    assert again.status_code == 200
    assert (again.json()["id"], again.json()["status"]) == (task["id"], "pending")
    assert again.json()["execution_attempts"] == 2
    missing = api.post(f"/agent-execution/{agent_id}", json={"id": "no-such-task"})
    assert missing.status_code == 404


# -- plugging in an agent ------------------------------------------------------------------


def sync_agent(task_input: dict[str, Any]) -> str:
    return f"sync:{task_input['text']}"


async def async_agent(task_input: dict[str, Any]) -> str:
    await asyncio.sleep(0)
    return f"async:{task_input['text']}"


def generator_agent(task_input: dict[str, Any]) -> Iterator[str]:
    yield "a"
    yield "b"
    yield task_input["text"]


async def async_generator_agent(task_input: dict[str, Any]) -> AsyncIterator[Any]:
    yield "x"
    yield {"structured": True}


def generator_with_return(task_input: dict[str, Any]) -> Iterator[str]:
    yield "thinking"
    return "final answer"


def failing_agent(task_input: dict[str, Any]) -> str:
    raise RuntimeError("the model is down")


@pytest.mark.parametrize(
    ("agent", "chunks", "result", "status"),
    [
        (sync_agent, [], "sync:go", "completed"),
        (async_agent, [], "async:go", "completed"),
        (generator_agent, ["a", "b", "go"], "abgo", "completed"),
        (
            async_generator_agent,
            ["x", '{"structured": true}'],
            'x{"structured": true}',
            "completed",
        ),
        (generator_with_return, ["thinking"], "final answer", "completed"),
        (failing_agent, [], "RuntimeError: the model is down", "failed"),
    ],
)
def test_plugged_in_agents(
    emulator_factory: Callable[..., EmulatorServer],
    agent: Callable[[dict[str, Any]], Any],
    chunks: list[str],
    result: str,
    status: str,
) -> None:
    server = emulator_factory(agent=agent)
    with make_client(server) as client:
        task = create(client, "agent-plugged", "go")
        stream = read_stream(client, server.organization_id, task["id"])
        assert [e["data"] for e in stream.events if e["type"] == "chunk"] == chunks
        done = client.get(f"/agent-execution/{task['id']}/status").json()
        assert (done["status"], done["result"]) == (status, result)


def test_agent_named_module_colon_function(
    emulator_factory: Callable[..., EmulatorServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "my_emulated_agent.py").write_text(
        "def run(task_input):\n    yield 'hello, '\n    yield task_input['text']\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    server = emulator_factory(agent="my_emulated_agent:run")
    with make_client(server) as client:
        task = create(client, "agent-named", "world")
        read_stream(client, server.organization_id, task["id"])
        assert (
            client.get(f"/agent-execution/{task['id']}/status").json()["result"] == "hello, world"
        )
    sys.modules.pop("my_emulated_agent", None)


def test_stop_a_blocking_sync_agent(emulator_factory: Callable[..., EmulatorServer]) -> None:
    release = threading.Event()
    reached = threading.Event()

    def slow(task_input: dict[str, Any]) -> Iterator[str]:
        yield "first"
        release.wait(5)
        reached.set()
        yield "never recorded"

    server = emulator_factory(agent=slow)
    with make_client(server) as client:
        task = create(client, "agent-slow")
        first = read_stream(client, server.organization_id, task["id"], stop_after=3)
        assert first.types == ["task_created", "task_updated", "chunk"]
        client.delete(f"/agent-execution/{task['id']}")
        release.set()
        assert reached.wait(10)  # the agent's thread has handed its last chunk back
        # A run wrongly kept after the stop would record that chunk within milliseconds;
        # there is no later event to wait for, so the bound is this short pause.
        time.sleep(0.2)
        log = read_stream(client, server.organization_id, task["id"], last_event_id=0)
        assert [e["data"] for e in log.events if e["type"] == "chunk"] == ["first"]
        assert client.get(f"/agent-execution/{task['id']}/status").json()["status"] == "stopped"
