"""Request ids: the server's ``x-request-id`` on every error from an answer, and on tasks.

A canned loopback server sets the header here; the tests against the emulator
run once it sends the header on every answer (they skip until it does).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from xpander_sdk import (
    APIConnectionError,
    Configuration,
    MalformedResponseError,
    ModuleException,
    NotFoundError,
    ServerError,
    StreamError,
    Tasks,
    TaskUpdateEventType,
)

from .control import sends_request_ids
from .servers import TASK_JSON, Answer, CannedServer, closed_port

KEY = "sk-request-id-key"


def _with_id(answer: Answer, request_id: str) -> Answer:
    return Answer(
        status=answer.status,
        body=answer.body,
        content_type=answer.content_type,
        headers=(("x-request-id", request_id),),
    )


def _tasks(server: CannedServer, **changes: Any) -> Tasks:
    return Tasks(Configuration(api_key=KEY, base_url=server.base_url, **changes))


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (Answer.json({"detail": "Task 'nope' not found"}, status=404), NotFoundError),
        (Answer.json({"detail": "boom"}, status=500), ServerError),
        (Answer(body=b"not json at all"), MalformedResponseError),
        (Answer.html(status=502), ServerError),
    ],
)
def test_an_error_from_an_answer_carries_and_shows_its_request_id(
    answer: Answer, error: type[ModuleException]
) -> None:
    with (
        CannedServer(_with_id(answer, "req-7f3a")) as server,
        _tasks(server, max_retries=0) as tasks,
        pytest.raises(error) as raised,
    ):
        tasks.get("nope")
    assert raised.value.request_id == "req-7f3a"
    assert str(raised.value).endswith("(request id req-7f3a)")
    assert KEY not in str(raised.value)


async def test_an_async_error_carries_its_request_id() -> None:
    answer = _with_id(Answer.json({"detail": "no"}, status=404), "req-async")
    with CannedServer(answer) as server:
        async with _tasks(server) as tasks:
            with pytest.raises(NotFoundError) as raised:
                await tasks.aget("nope")
    assert raised.value.request_id == "req-async"
    assert "request id req-async" in str(raised.value)


def test_an_error_without_an_answer_or_without_the_header_has_no_request_id() -> None:
    config = Configuration(api_key=KEY, base_url=f"http://127.0.0.1:{closed_port()}")
    with Tasks(config.copy_with(max_retries=0)) as tasks, pytest.raises(APIConnectionError) as e:
        tasks.get("t1")
    assert e.value.request_id is None and "request id" not in str(e.value)
    with (
        CannedServer(Answer.json({"detail": "no"}, status=404)) as server,
        _tasks(server) as tasks,
        pytest.raises(NotFoundError) as raised,
    ):
        tasks.get("t1")
    assert raised.value.request_id is None and "request id" not in str(raised.value)


def test_a_task_remembers_the_request_id_of_the_answer_it_came_from() -> None:
    answers = [_with_id(Answer.json(TASK_JSON), "req-get"), _with_id(Answer.json(TASK_JSON), "r2")]
    with CannedServer(first=answers) as server, _tasks(server) as tasks:
        task = tasks.get("t1")
        assert task.request_id == "req-get"
        task.reload()
        assert task.request_id == "r2"  # the newer answer's
    assert "request_id" not in task.to_dict()
    assert task.changes() == {}
    assert "req-get" not in repr(task) and "r2" not in repr(task)


def test_a_listed_task_remembers_the_request_id_of_the_list() -> None:
    item = {k: TASK_JSON[k] for k in ("id", "agent_id", "organization_id", "status")}
    with (
        CannedServer(_with_id(Answer.json([item]), "req-list")) as server,
        _tasks(server) as tasks,
    ):
        [listed] = tasks.list("agent123")
    assert listed.request_id == "req-list"


@pytest.fixture()
def emulator_request_ids(emulator: Any) -> None:
    if not sends_request_ids(emulator):
        pytest.skip("this emulator does not send x-request-id yet")


@pytest.mark.usefixtures("emulator_request_ids")
def test_the_emulator_s_request_ids_reach_errors_and_tasks(tasks: Tasks) -> None:
    task = tasks.create(agent_id="agent-rid", prompt="p")
    fetched = tasks.get(task.id)
    assert task.request_id and fetched.request_id and task.request_id != fetched.request_id
    with pytest.raises(NotFoundError) as raised:
        tasks.get("no-such-task")
    assert raised.value.request_id and f"request id {raised.value.request_id}" in str(raised.value)


@pytest.mark.usefixtures("emulator_request_ids")
async def test_a_task_from_an_event_carries_the_stream_s_request_id(atasks: Tasks) -> None:
    task = await atasks.acreate(agent_id="agent-rid", prompt="p", events_streaming=True)
    events = [e async for e in task.aevents()]
    finished = events[-1]
    assert finished.type is TaskUpdateEventType.TaskFinished
    assert finished.data.request_id and finished.data.request_id != task.request_id


def test_a_task_from_an_event_carries_the_request_id_of_its_stream() -> None:
    streamed = {**TASK_JSON, "events_streaming": True}
    finished = {
        "type": "task_finished",
        "task_id": "t1",
        "organization_id": "org1",
        "time": "2025-01-01T00:00:01Z",
        "data": {**streamed, "status": "completed"},
    }
    stream = Answer(
        body=f"id: 1\ndata: {json.dumps(finished)}\n\n".encode(),
        content_type="text/event-stream",
        headers=(("x-request-id", "req-stream"),),
    )
    answers = [_with_id(Answer.json(streamed), "req-create")]
    with CannedServer(stream, first=answers) as server, _tasks(server) as tasks:
        task = tasks.create(agent_id="agent123", prompt="hi", events_streaming=True)
        [event] = list(task.events())
    assert task.request_id == "req-create"
    assert event.data.request_id == "req-stream"


def test_a_stream_that_cannot_be_resumed_keeps_the_last_answer_s_request_id() -> None:
    streamed = _with_id(Answer.json({**TASK_JSON, "events_streaming": True}), "req-create")
    failing = _with_id(Answer.json({"detail": "down"}, status=503), "req-503")
    with (
        CannedServer(failing, first=[streamed]) as server,
        _tasks(server, max_retries=0, max_stream_reconnects=0) as tasks,
    ):
        task = tasks.create(agent_id="agent123", prompt="hi", events_streaming=True)
        with pytest.raises(StreamError) as raised:
            list(task.events())
    assert raised.value.request_id == "req-503"
    assert "(request id req-503)" in str(raised.value)
