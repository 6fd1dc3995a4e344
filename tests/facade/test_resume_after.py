"""Starting a task's events after a known one (``after=``), as a relay that reconnects does,
and waits that go on by polling when the event stream gives up."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from xpander_sdk import (
    AgentExecutionStatus,
    Configuration,
    Task,
    Tasks,
    TaskUpdateEvent,
    TaskUpdateEventType,
)
from xpander_sdk.emulator import EmulatorServer


def _ids(events: list[TaskUpdateEvent]) -> list[str]:
    ids = [e.id for e in events]
    assert all(isinstance(i, str) for i in ids)
    return [i for i in ids if i is not None]


def _finished(tasks: Tasks, agent_id: str) -> tuple[Task, list[TaskUpdateEvent]]:
    task = tasks.create(agent_id, prompt="relay me", events_streaming=True)
    return task, list(task.events())


def test_events_after_an_id_are_exactly_those_that_follow_it(tasks: Tasks) -> None:
    task, every = _finished(tasks, "agent-after")
    ids = _ids(every)
    assert len(ids) >= 4 and ids == sorted(set(ids), key=int)
    for k in (0, 2, len(ids) - 2):
        rest = list(task.events(after=ids[k]))
        assert _ids(rest) == ids[k + 1 :]
        assert [e.type for e in rest] == [e.type for e in every[k + 1 :]]
        assert rest[-1].type is TaskUpdateEventType.TaskFinished
    assert list(task.events(after=int(ids[1]))) == every[2:]


async def test_async_events_after_an_id(atasks: Tasks) -> None:
    task = await atasks.acreate("agent-after", prompt="relay me", events_streaming=True)
    every = [e async for e in task.aevents()]
    ids = _ids(every)
    rest = [e async for e in task.aevents(after=ids[1])]
    assert _ids(rest) == ids[2:]
    via_client = [e async for e in atasks.aiter_events(task, after=ids[1])]
    assert via_client == rest


def test_after_the_last_event_ends_at_once_on_both_twins(tasks: Tasks) -> None:
    task, every = _finished(tasks, "agent-after")
    last = _ids(every)[-1]
    assert list(task.events(after=last)) == []
    assert list(tasks.iter_events(task, after=last)) == []


async def test_after_the_last_event_ends_at_once_async(atasks: Tasks) -> None:
    task = await atasks.acreate("agent-after", prompt="x", events_streaming=True)
    last = [e async for e in task.aevents()][-1]
    assert [e async for e in task.aevents(after=last.id)] == []


@pytest.mark.parametrize(
    ("after", "error"), [("", ValueError), (" 7", ValueError), (-1, ValueError), (1.5, TypeError)]
)
def test_a_bad_after_raises_before_any_request(
    tasks: Tasks, emulator: EmulatorServer, after: Any, error: type[Exception]
) -> None:
    task = tasks.create("agent-after", prompt="x", events_streaming=True)
    with pytest.raises(error, match="after"):
        task.events(after=after)
    assert emulator.requests(path=task.id) == []


# A server that sends no ids and ignores Last-Event-ID: every connection replays the
# task's stream from its first event, as the wire format describes.


class _NoIds(BaseHTTPRequestHandler):
    seen_last_ids: ClassVar[list[str | None]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.seen_last_ids.append(self.headers.get("last-event-id"))
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.end_headers()
        for kind, data in [("chunk", "a"), ("chunk", "b"), ("task_finished", _TASK)]:
            payload = {
                "type": kind,
                "task_id": "t-n",
                "organization_id": "org",
                "time": "2026-12-01T10:00:00+00:00",
                "data": data,
            }
            self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
        self.wfile.flush()


_TASK = {
    "id": "t-n",
    "agent_id": "a",
    "organization_id": "org",
    "input": {"text": "x", "files": [], "user": None},
    "status": "completed",
    "created_at": "2026-12-01T10:00:00+00:00",
    "events_streaming": True,
}


@pytest.fixture()
def no_ids() -> Iterator[Tasks]:
    _NoIds.seen_last_ids = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _NoIds)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    with Tasks(Configuration(api_key="k", base_url=base_url, organization_id="org")) as tasks:
        yield tasks
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_events_of_a_server_without_ids_are_numbered_from_the_first(no_ids: Tasks) -> None:
    task = Task.from_dict(_TASK, no_ids)
    every = list(task.events())
    assert _ids(every) == ["1", "2", "3"]
    rest = list(task.events(after="1"))
    assert [e.data for e in rest][:1] == ["b"] and _ids(rest) == ["2", "3"]
    assert _NoIds.seen_last_ids == [None, "1"]


# Waits that outlive the stream.


def _drop_every_stream(emulator: EmulatorServer) -> None:
    emulator.inject("drop", rate=1.0, method="GET", path=r"/events/?$")


@pytest.fixture()
def fragile(configuration: Configuration) -> Configuration:
    """Gives up on a stream after one reconnect, quickly."""
    return configuration.copy_with(
        max_stream_reconnects=1, max_retries=0, retry_base_delay=0.01, retry_max_delay=0.02
    )


def _resumes(config: Configuration) -> tuple[Configuration, list[Any]]:
    seen: list[Any] = []
    return config.copy_with(event_hooks={"resume": [seen.append]}), seen


def _only_reads(emulator: EmulatorServer, task: Task) -> None:
    sent = emulator.requests(path=task.id)  # all but the create name the task in the path
    assert {entry["method"] for entry in sent} == {"GET"}
    assert any(entry["path"].endswith("/status") for entry in sent)  # it polled


def test_a_sync_wait_goes_on_by_polling_when_the_stream_gives_up(
    emulator: EmulatorServer, fragile: Configuration
) -> None:
    config, resumes = _resumes(fragile)
    with Tasks(config) as tasks:
        task = tasks.create("agent-poll", prompt="x", events_streaming=True)
        _drop_every_stream(emulator)
        assert task.wait_for_completion(timeout=30, poll_interval=0.05) is task
        assert task.status is AgentExecutionStatus.Completed
        assert task.result == "Emulated answer to: x"
        assert task.events_streaming is True and task.changes() == {}
    _only_reads(emulator, task)
    switch = [r for r in resumes if r.polling]
    assert len(switch) == 1 and switch[0].task_id == task.id
    assert "dropped" in switch[0].reason
    assert resumes[-1] is switch[0]  # no reconnect after the switch


async def test_an_async_wait_goes_on_by_polling_when_the_stream_gives_up(
    emulator: EmulatorServer, fragile: Configuration
) -> None:
    config, resumes = _resumes(fragile)
    async with Tasks(config) as tasks:
        task = await tasks.acreate("agent-poll", prompt="x", events_streaming=True)
        _drop_every_stream(emulator)
        assert await task.await_for_completion(timeout=30, poll_interval=0.05) is task
        assert task.status is AgentExecutionStatus.Completed
        assert task.events_streaming is True and task.changes() == {}
    _only_reads(emulator, task)
    assert [r.polling for r in resumes].count(True) == 1
