"""Storage: runs' writes committed together (a group commit) and never seen before their
commit; events in order; runs sharing a tick; time-ordered task ids."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from emulator_helpers import create, make_client, read_stream

from xpander_sdk.emulator import EmulatorServer
from xpander_sdk.emulator.model import FINAL_STATUSES, complete, new_task
from xpander_sdk.emulator.runner import pause
from xpander_sdk.emulator.service import TaskService
from xpander_sdk.emulator.store import Store

ORDER = {"pending": 0, "executing": 1, **dict.fromkeys(FINAL_STATUSES, 2)}


def _task(task_id: str, status: str = "pending") -> dict[str, Any]:
    task = new_task(
        task_id, "agent-s", "org-s", {"input": {"text": "x"}}, None, datetime.now(timezone.utc)
    )
    return complete(dict(task, status=status))


def _event(kind: str, data: object) -> dict[str, Any]:
    return {"type": kind, "task_id": "t", "organization_id": "org-s", "time": "t", "data": data}


def _committed_events(path: Path) -> list[tuple[int, str, str]]:
    """The events another connection sees: what is committed."""
    with sqlite3.connect(path) as other:
        return other.execute("SELECT id, task_id, type FROM events ORDER BY id").fetchall()


def test_a_deferred_write_is_committed_by_the_next_flush_and_heard_of_after(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store.sqlite"
    store = Store(str(path))
    heard: list[tuple[list[str], list[tuple[int, str, str]]]] = []

    def on_commit(task_ids: Iterable[str]) -> None:
        heard.append((list(task_ids), _committed_events(path)))

    store.on_commit = on_commit
    try:
        first = _task("t1")
        store.save(first, [_event("task_created", first)], updated_at="u1")
        assert [row[1:] for row in _committed_events(path)] == [("t1", "task_created")]
        assert len(heard) == 1  # a client's write commits (and is heard of) at once

        executing = _task("t1", "executing")
        staged = store.save(executing, [_event("task_updated", executing)], updated_at="u2",
                            defer=True)  # fmt: skip
        chunk = store.append("t1", lambda org: _event("chunk", "hi"), updated_at="u3", defer=True)
        second = _task("t2", "executing")
        store.save(second, [_event("task_updated", second)], updated_at="u4", defer=True)
        assert chunk is not None
        # Staged: nobody else sees them, nobody has been told, and their ids come in order.
        assert store.staged
        assert len(_committed_events(path)) == 1
        assert len(heard) == 1
        assert [staged[0].id, chunk.id] == [staged[0].id, staged[0].id + 1]
        # A run reads its own writes; a client's read commits them first.
        assert store.latest_task("t1") is executing
        assert len(_committed_events(path)) == 1

        store.flush()
        assert not store.staged
        task_ids, seen_then = heard[-1]
        assert task_ids == ["t1", "t2"]
        assert [row[1:] for row in seen_then] == [
            ("t1", "task_created"), ("t1", "task_updated"), ("t1", "chunk"), ("t2", "task_updated")
        ]  # fmt: skip
        with sqlite3.connect(path) as other:
            row = other.execute("SELECT updated_at FROM tasks WHERE id = 't1'").fetchone()
        assert row == ("u3",)  # the chunk's moment, after the write staged before it
    finally:
        store.close()


def test_a_read_commits_what_is_staged_first(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    store = Store(str(path))
    try:
        task = _task("t1")
        store.save(task, [_event("task_created", task)], updated_at="u1")
        executing = _task("t1", "executing")
        store.save(executing, [_event("task_updated", executing)], updated_at="u2", defer=True)
        assert len(_committed_events(path)) == 1
        assert [e.type for e in store.events_after("t1")] == ["task_created", "task_updated"]
        assert len(_committed_events(path)) == 2
        store.save(_task("t1", "completed"), [], updated_at="u3", defer=True)
        got = store.get_task("t1")
        assert got is not None and got["status"] == "completed"
        with sqlite3.connect(path) as other:
            (body,) = other.execute("SELECT body FROM tasks WHERE id = 't1'").fetchone()
        assert '"status":"completed"' in body
    finally:
        store.close()


def test_closing_commits_what_is_staged(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    store = Store(str(path))
    task = _task("t1")
    store.save(task, [_event("task_created", task)], updated_at="u1", running=True, defer=True)
    store.close()
    assert [row[1:] for row in _committed_events(path)] == [("t1", "task_created")]
    reopened = Store(str(path))
    try:
        assert reopened.running() == ["t1"]
        later = _task("t2")
        (event,) = reopened.save(later, [_event("task_created", later)], updated_at="u2")
        assert event.id > _committed_events(path)[0][0]  # ids go on rising after a reopen
    finally:
        reopened.close()


def test_many_runs_sharing_ticks_stream_every_event_in_order_and_readable(
    emulator_factory: Callable[..., EmulatorServer], agent_id: str
) -> None:
    """Runs started together step on the same ticks, so their writes share commits; each
    stream still gets its task's whole log in order, and what an event says the task is,
    a GET right after shows (or a later state)."""
    server = emulator_factory(step_delay=0.05)
    with make_client(server, limits=httpx.Limits(max_connections=16)) as client:
        with ThreadPoolExecutor(max_workers=8) as pool:
            tasks = list(pool.map(lambda i: create(client, agent_id, f"p{i}"), range(24)))

            def follow(task: dict[str, Any]) -> None:
                url = f"/{server.organization_id}/agent-execution/{task['id']}/events"
                ids: list[int] = []
                types: list[str] = []
                with client.stream("GET", url) as response:
                    for line in response.iter_lines():
                        if line.startswith("id:"):
                            ids.append(int(line[3:]))
                        if not line.startswith("data:"):
                            continue
                        event = json.loads(line[5:])
                        types.append(event["type"])
                        if event["type"] in ("task_updated", "task_finished"):
                            now = client.get(f"/agent-execution/{task['id']}/status").json()
                            assert ORDER[now["status"]] >= ORDER[event["data"]["status"]]
                assert ids == sorted(ids) and len(set(ids)) == len(ids)
                assert types[0] == "task_created"
                assert types[1] == "task_updated"
                assert types[-2:] == ["task_updated", "task_finished"]
                assert types.count("chunk") == 3

            list(pool.map(follow, tasks))
        for task in tasks:
            done = client.get(f"/agent-execution/{task['id']}/status").json()
            assert done["status"] == "completed"
            assert done["result"].endswith(task["input"]["text"])
        log = read_stream(client, server.organization_id, tasks[0]["id"])
        assert log.events[-1]["data"]["status"] == "completed"


def test_a_cancelled_pause_leaves_the_others_on_its_tick() -> None:
    async def main() -> list[str]:
        loop = asyncio.get_running_loop()
        woke: list[str] = []

        async def sleeper(name: str) -> None:
            started = loop.time()
            await pause(0.05)
            assert loop.time() >= started + 0.05 - 1e-3  # never early (to the clock's grain)
            woke.append(name)

        runs = {name: asyncio.create_task(sleeper(name)) for name in "abcd"}
        await asyncio.sleep(0)
        runs["b"].cancel()
        await asyncio.gather(*runs.values(), return_exceptions=True)
        assert runs["b"].cancelled()
        return woke

    assert sorted(asyncio.run(main())) == ["a", "c", "d"]


def test_task_ids_are_uuid_version_7(api: httpx.Client, agent_id: str) -> None:
    ids = [create(api, agent_id, f"v{i}")["id"] for i in range(3)]
    for task_id in ids:
        parsed = uuid.UUID(task_id)
        assert str(parsed) == task_id
        assert parsed.version == 7
    # Their first 48 bits are the time they were made (Unix ms): never decreasing.
    stamps = [int(task_id.replace("-", "")[:12], 16) for task_id in ids]
    assert stamps == sorted(stamps)


@pytest.mark.parametrize("defer", [False, True])
def test_a_chunk_for_a_task_not_stored_writes_nothing(tmp_path: Path, defer: bool) -> None:
    store = Store(str(tmp_path / "store.sqlite"))
    try:
        assert (
            store.append("nope", lambda org: _event("chunk", "x"), updated_at="u", defer=defer)
            is None
        )
        assert not store.staged
    finally:
        store.close()


def test_in_memory_stores_are_separate_and_keep_what_orjson_refuses() -> None:
    """Two in-memory stores of one process share nothing (each its own memdb database);
    an integer beyond 64 bits (which orjson refuses) is stored by the json module."""
    first, second = Store(), Store()
    try:
        big = _task("t1")
        big["payload_extension"] = {"n": 10**30, "text": "café"}
        (event,) = first.save(big, [_event("task_created", big)], updated_at="u1")
        assert json.loads(event.json)["data"]["payload_extension"] == {"n": 10**30, "text": "café"}
        assert first.count_tasks() == 1
        assert second.count_tasks() == 0
        assert second.get_task("t1") is None
    finally:
        first.close()
        second.close()


def test_a_flush_left_on_a_stopped_loop_does_not_hold_back_the_next_loop() -> None:
    """An app may be served by one event loop, then another (a test's each): a run's write
    on the second is committed there even though the first stopped with a flush pending."""
    store = Store()
    service = TaskService(store, "org-s", lambda service, task_id: asyncio.sleep(0))
    task = service.create("agent-s", {"input": {"text": "x"}}, None)
    first = asyncio.new_event_loop()
    first.call_soon(service.append_chunk, task["id"], "one")
    first.call_soon(first.stop)  # stops before the flush scheduled by the chunk runs
    first.run_forever()
    first.close()
    assert store.staged  # (what a read would commit)

    async def second_loop() -> None:
        service.append_chunk(task["id"], "two")
        for _ in range(3):
            await asyncio.sleep(0)

    asyncio.run(second_loop())
    assert not store.staged
    store.close()


def test_a_commit_made_on_another_thread_wakes_the_streams_on_their_loop() -> None:
    """A read from another thread (``emulator.export_state()`` in a test, say) commits what
    is staged; the streams it wakes are woken on their own loop."""
    store = Store()
    service = TaskService(store, "org-s", lambda service, task_id: asyncio.sleep(0))
    waiting, woke = threading.Event(), threading.Event()

    async def stream() -> None:
        signal = service.hub.signal("t1")
        waiting.set()
        await signal.wait()
        woke.set()

    thread = threading.Thread(target=asyncio.run, args=(stream(),), daemon=True)
    thread.start()
    assert waiting.wait(10)
    assert store.on_commit is not None
    store.on_commit(["t1"])  # as the store calls it after a commit, from this thread
    thread.join(10)
    assert woke.is_set()
    store.close()
