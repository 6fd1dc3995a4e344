"""State: a file database survives a restart; a run cut by a stop ends at the next start;
concurrent writes lose nothing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from emulator_helpers import create, make_client, read_stream

from xpander_sdk.emulator import EmulatorServer
from xpander_sdk.emulator.service import INTERRUPTED_RESULT, INTERRUPTED_STATUS


def test_tasks_events_and_keys_survive_a_restart(
    emulator_factory: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    server = emulator_factory(db=str(tmp_path / "emulator.sqlite"))
    key = {"Idempotency-Key": str(uuid.uuid4())}
    with make_client(server) as client:
        task = client.post(
            "/agent-execution/agent-r", json={"input": {"text": "x"}}, headers=key
        ).json()
        before = read_stream(client, server.organization_id, task["id"])
        assert before.types[-1] == "task_finished"
    server.restart()
    with make_client(server) as client:
        assert client.get(f"/agent-execution/{task['id']}/status").json()["status"] == "completed"
        after = read_stream(client, server.organization_id, task["id"])
        assert after.ids == before.ids
        assert after.events == before.events
        replay = client.post("/agent-execution/agent-r", json={"input": {"text": "x"}}, headers=key)
        assert replay.json()["id"] == task["id"]
        assert len(client.get("/agent-execution/executions/history/agent-r").json()) == 1


def test_fifty_parallel_creates_and_updates_lose_nothing(
    emulator: EmulatorServer, agent_id: str
) -> None:
    with make_client(emulator, limits=httpx.Limits(max_connections=50)) as client:
        with ThreadPoolExecutor(max_workers=25) as pool:
            tasks = list(pool.map(lambda i: create(client, agent_id, f"task {i}"), range(50)))

            def note(pair: tuple[int, dict[str, str]]) -> int:
                i, task = pair
                url = f"/agent-execution/{task['id']}/update"
                return client.patch(url, json={"internal_status": f"note {i}"}).status_code

            codes = list(pool.map(note, enumerate(tasks)))
        assert codes == [200] * 50
        listed = client.get(f"/agent-execution/executions/history/{agent_id}").json()
        assert {i["id"] for i in listed} == {t["id"] for t in tasks}
        for i, task in enumerate(tasks):
            got = client.get(f"/agent-execution/{task['id']}/status").json()
            assert got["internal_status"] == f"note {i}"
            assert got["input"]["text"] == f"task {i}"


async def lasting_agent(task_input: dict[str, Any]) -> AsyncIterator[str]:
    """Streams one chunk, then runs until stopped."""
    yield "started"
    await asyncio.sleep(3600)


def test_a_run_cut_by_a_stop_ends_at_the_next_start(
    emulator_factory: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    server = emulator_factory(db=str(tmp_path / "emulator.sqlite"), agent=lasting_agent)
    with make_client(server) as client:
        task = create(client, "agent-cut")
        head = read_stream(client, server.organization_id, task["id"], stop_after=3)
        assert head.types == ["task_created", "task_updated", "chunk"]
        doc = server.export_state()
    assert doc["runs"] == [task["id"]]
    server.restart()
    with make_client(server) as client:
        rest = read_stream(client, server.organization_id, task["id"], last_event_id=head.ids[-1])
        assert rest.types == ["task_updated", "task_finished"]
        assert min(rest.ids) > max(head.ids)
        done = client.get(f"/agent-execution/{task['id']}/status").json()
        assert (done["status"], done["result"]) == (INTERRUPTED_STATUS, INTERRUPTED_RESULT)
        assert done["finished_at"] is not None
        assert server.export_state()["runs"] == []

    # A state document's runs in progress end the same way when it is imported.
    other = emulator_factory()
    other.import_state(doc)
    with make_client(other) as client:
        rest = read_stream(client, other.organization_id, task["id"], last_event_id=head.ids[-1])
        assert rest.types == ["task_updated", "task_finished"]
        assert rest.events[-1]["data"]["status"] == INTERRUPTED_STATUS
