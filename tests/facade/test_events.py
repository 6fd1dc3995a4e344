"""Event streams: typed events as they arrive, resumed across drops, each once and in order."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from xpander_sdk import (
    AgentExecutionStatus,
    Configuration,
    MalformedResponseError,
    StreamError,
    Task,
    Tasks,
    TaskUpdateEvent,
    TaskUpdateEventType,
)

from .servers import Answer, CannedServer

# Async calls run on each HTTP backend (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("http_backend")


def _ids(events: list[TaskUpdateEvent]) -> list[int]:
    return [int(e.id or 0) for e in events]


async def test_events_are_typed_and_task_events_carry_the_task(atasks: Tasks) -> None:
    task = await atasks.acreate(agent_id="agent-ev", prompt="typed", events_streaming=True)
    events = [e async for e in task.aevents()]
    assert all(e.task_id == task.id for e in events)
    for event in events:
        if event.type in (TaskUpdateEventType.TaskCreated, TaskUpdateEventType.TaskFinished):
            assert isinstance(event.data, Task) and event.data.id == task.id
        if event.type == TaskUpdateEventType.Chunk:
            assert isinstance(event.data, str)
    assert _ids(events) == sorted(set(_ids(events)))
    assert events[-1].data.status is AgentExecutionStatus.Completed


def test_sync_events_hand_each_event_over_as_it_arrives(emulator_factory: Any) -> None:
    slow = emulator_factory(step_delay=0.3)
    config = Configuration(api_key=slow.api_key, base_url=slow.base_url)
    with Tasks(configuration=config) as tasks:
        task = tasks.create(agent_id="agent-live", prompt="live", events_streaming=True)
        stream = task.events()
        first = next(stream)
        # The first event is in hand while the run is still going: the sync
        # stream does not collect the whole stream before yielding.
        assert first.type == TaskUpdateEventType.TaskCreated
        assert tasks.get(task.id).status in (
            AgentExecutionStatus.Pending,
            AgentExecutionStatus.Executing,
        )
        rest = list(stream)
    assert rest[-1].type == TaskUpdateEventType.TaskFinished


def test_streaming_a_task_created_without_events_is_a_clear_error(tasks: Tasks) -> None:
    task = tasks.create(agent_id="agent-noev", prompt="p")
    with pytest.raises(ValueError, match="events_streaming=True"):
        next(task.events())


async def test_many_subscribers_of_one_task_see_the_same_events(atasks: Tasks) -> None:
    import asyncio

    task = await atasks.acreate(agent_id="agent-many", prompt="fan", events_streaming=True)

    async def read() -> list[int]:
        return _ids([e async for e in task.aevents()])

    results = await asyncio.gather(*(read() for _ in range(5)))
    assert all(r == results[0] for r in results) and len(results[0]) >= 4


async def test_a_cut_stream_resumes_with_every_event_once_and_in_order(
    atasks: Tasks, emulator: Any
) -> None:
    clean_task = await atasks.acreate(agent_id="agent-cut", prompt="x", events_streaming=True)
    clean = [e async for e in clean_task.aevents()]

    before = emulator.stats()["faults_injected"].get("cut_stream", 0)
    emulator.inject(kind="cut_stream", after_events=2, count=3)
    task = await atasks.acreate(agent_id="agent-cut", prompt="x", events_streaming=True)
    events = [e async for e in task.aevents()]

    assert len(clean) > 6  # enough events for three cuts after two events each
    assert emulator.stats()["faults_injected"].get("cut_stream", 0) - before == 3
    assert [e.type for e in events] == [e.type for e in clean]
    assert _ids(events) == sorted(set(_ids(events)))  # once each, in order


def test_a_cut_sync_stream_resumes_too(tasks: Tasks, emulator: Any) -> None:
    emulator.inject(kind="cut_stream", after_events=1, count=4)
    task = tasks.create(agent_id="agent-cut", prompt="x", events_streaming=True)
    events = list(task.events())
    assert events[0].type == TaskUpdateEventType.TaskCreated
    assert events[-1].type == TaskUpdateEventType.TaskFinished
    assert _ids(events) == sorted(set(_ids(events)))


def test_a_stream_that_keeps_dropping_raises_stream_error(
    emulator: Any, configuration: Any
) -> None:
    config = configuration.copy_with(max_stream_reconnects=2)
    with Tasks(configuration=config) as tasks:
        task = tasks.create(agent_id="agent-drop", prompt="x", events_streaming=True)
        emulator.inject(kind="cut_stream", after_events=0, count=50)
        with pytest.raises(StreamError, match="dropped 3 times"):
            list(task.events())


# A scripted SSE server for what the emulator does not do on demand: go
# silent mid-stream, or replay events a client already has.


class _Scripted(BaseHTTPRequestHandler):
    script: ClassVar[list[tuple[list[int], float]]] = []
    seen_last_ids: ClassVar[list[str | None]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.seen_last_ids.append(self.headers.get("last-event-id"))
        ids, stall = self.script.pop(0) if self.script else ([], 0.0)
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.end_headers()
        self.wfile.write(b"retry: 10\n\n")
        for i in ids:
            kind = "task_finished" if i == 4 else "chunk"
            data = "piece" if kind == "chunk" else _task_json()
            payload = {
                "type": kind,
                "task_id": "t-s",
                "organization_id": "org",
                "time": "2026-11-24T10:00:00+00:00",
                "data": data,
            }
            self.wfile.write(f"id: {i}\ndata: {json.dumps(payload)}\n\n".encode())
            self.wfile.flush()
        time.sleep(stall)  # silence: no event, no heartbeat


def _task_json() -> dict[str, Any]:
    return {
        "id": "t-s",
        "agent_id": "a",
        "organization_id": "org",
        "input": {"text": "x", "files": [], "user": None},
        "status": "completed",
        "created_at": "2026-11-24T10:00:00+00:00",
        "events_streaming": True,
    }


@pytest.fixture()
def scripted() -> Iterator[str]:
    _Scripted.script = []
    _Scripted.seen_last_ids = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Scripted)
    httpd.daemon_threads = True
    # Polled every 50 ms, not 500: shutdown() waits for the loop to look.
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def task_on() -> Iterator[Callable[..., Task]]:
    """``task_on(base_url, **config)``: a streaming task of a `Tasks` closed after the test."""
    made: list[Tasks] = []

    def make(base_url: str, **config: Any) -> Task:
        configuration = Configuration(
            api_key="k", base_url=base_url, organization_id="org", **config
        )
        made.append(Tasks(configuration=configuration))
        return Task.from_dict(_task_json(), made[-1])

    yield make
    for tasks in made:
        tasks.close()


def test_a_silent_stream_counts_as_dropped_and_resumes(
    scripted: str, task_on: Callable[..., Task]
) -> None:
    _Scripted.script = [([1, 2], 3.0), ([3, 4], 0.0)]
    task = task_on(scripted, stream_idle_timeout=0.3)
    events = list(task.events())
    assert _ids(events) == [1, 2, 3, 4]
    assert _Scripted.seen_last_ids == [None, "2"]


async def test_a_silent_async_stream_counts_as_dropped_and_resumes(
    scripted: str, task_on: Callable[..., Task]
) -> None:
    # On each backend: the read timeout of a stream is its idle timeout.
    _Scripted.script = [([1, 2], 3.0), ([3, 4], 0.0)]
    task = task_on(scripted, stream_idle_timeout=0.3)
    events = [e async for e in task.aevents()]
    assert _ids(events) == [1, 2, 3, 4]
    assert _Scripted.seen_last_ids == [None, "2"]


async def test_events_a_server_replays_after_a_resume_are_not_delivered_twice(
    scripted: str, task_on: Callable[..., Task]
) -> None:
    # The server ignores Last-Event-ID and starts over: the client still
    # hands each event over once.
    _Scripted.script = [([1, 2], 0.0), ([1, 2, 3, 4], 0.0)]
    task = task_on(scripted)
    events = [e async for e in task.aevents()]
    assert _ids(events) == [1, 2, 3, 4]
    assert isinstance(events[-1].data, Task)


def test_malformed_events_raise_the_malformed_answer_error(tasks: Tasks) -> None:
    from xpander_sdk import MalformedResponseError
    from xpander_sdk.events import parse_event

    good = {"type": "chunk", "task_id": "t", "organization_id": "o", "time": "2026-11-24T10:00:00Z"}
    for raw in (
        "not json",
        "[]",
        json.dumps({**good, "task_id": 5}),
        json.dumps({"type": "chunk"}),
    ):
        with pytest.raises(MalformedResponseError, match="TaskUpdateEvent"):
            parse_event(raw, "9", tasks)
    with pytest.raises(MalformedResponseError, match="time 'yesterday' is not an ISO 8601"):
        parse_event(json.dumps({**good, "time": "yesterday"}), "9", tasks)
    newer = parse_event(
        json.dumps({**good, "type": "brand_new_kind", "data": {"x": 1}}), "9", tasks
    )
    assert (newer.type, newer.data) == ("brand_new_kind", {"x": 1})
    assert parse_event(json.dumps(good), "9", tasks).time.tzinfo is not None


@pytest.mark.parametrize("twin", ["sync", "async"])
async def test_a_bad_event_time_is_the_stream_s_error_with_its_request_id(
    twin: str, task_on: Callable[..., Task]
) -> None:
    payload = {"type": "chunk", "task_id": "t-s", "organization_id": "org", "time": "soon"}
    stream = Answer(
        body=f"id: 1\ndata: {json.dumps(payload)}\n\n".encode(),
        content_type="text/event-stream",
        headers=(("x-request-id", "req-stream-7"),),
    )
    with CannedServer(stream) as server:
        task = task_on(server.base_url, max_stream_reconnects=0)
        with pytest.raises(MalformedResponseError, match="time 'soon'") as raised:
            if twin == "sync":
                list(task.events())
            else:
                [e async for e in task.aevents()]
    assert raised.value.request_id == "req-stream-7"
