"""Twins cannot drift: every operation, sync and async, reads the same answer the same way.

Each operation of `Tasks` runs through its sync method and through its async
twin against one loopback server (`CannedServer`) whose answer the test
swaps: an empty 2xx, a body that is not JSON, JSON of the wrong shape, each
error status the API gives, and a good answer. Both twins must come out the
same: the same value (compared as JSON), or the same exception, class and
fields. A real server cannot give these answers on demand, so the server is
canned; the requests still cross real sockets.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from xpander_sdk import (
    APIStatusError,
    Configuration,
    MalformedResponseError,
    ModuleException,
    StreamError,
    Task,
    Tasks,
    TasksListItem,
    TaskUpdateEvent,
)

from .servers import TASK_JSON, Answer, CannedServer

# Async twins run on each HTTP backend (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("http_backend")

DONE_TASK = {**TASK_JSON, "status": "completed", "events_streaming": True}
LIST_ITEM = {k: DONE_TASK[k] for k in ("id", "agent_id", "organization_id", "status")}
ACTIVITY = {"id": "t1", "messages": []}
EVENT = {
    "type": "task_finished",
    "task_id": "t1",
    "organization_id": "org1",
    "time": "2026-01-01T00:00:00Z",
    "data": DONE_TASK,
}
ERROR_BODY = {"detail": "refused by the canned server"}
REQUEST_ID = (("x-request-id", "req-twins"),)


def _json(value: Any, status: int = 200, **kwargs: Any) -> Answer:
    return Answer.json(value, status=status, headers=REQUEST_ID, **kwargs)


#: Answers every operation gets (besides its own good one), by name.
COMMON: dict[str, Answer] = {
    "empty 200": Answer(status=200, body=b"", headers=REQUEST_ID),
    "empty 204": Answer(status=204, body=b"", content_type=None, headers=REQUEST_ID),
    "not JSON": Answer(status=200, body=b"{not json", headers=REQUEST_ID),
    "a proxy's HTML page": Answer.html(status=200),
    "JSON of the wrong shape": _json({"unexpected": True}),
    **{
        f"status {status}": _json(ERROR_BODY, status)
        for status in (400, 401, 403, 404, 409, 422, 429, 500)
    },
}


@dataclass(frozen=True)
class Operation:
    """One operation: its twins (given a `Tasks`), and a good answer to it."""

    sync: Callable[[Tasks], Any]
    asyncio: Callable[[Tasks], Any]
    good: Answer


def _task(tasks: Tasks, **changes: Any) -> Task:
    data = copy.deepcopy({**TASK_JSON, "organization_id": "org1", **changes})
    return Task.from_dict(data, tasks)


def _metrics_task(tasks: Tasks) -> Task:
    return _task(tasks, tokens={"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3})


async def _alist(iterator: Any) -> list[Any]:
    return [item async for item in iterator]


OPERATIONS: dict[str, Operation] = {
    "create": Operation(
        lambda t: t.create("agent123", prompt="p"),
        lambda t: t.acreate("agent123", prompt="p"),
        _json(DONE_TASK),
    ),
    "list": Operation(
        lambda t: t.list("agent123"), lambda t: t.alist("agent123"), _json([LIST_ITEM])
    ),
    "list_user_tasks": Operation(
        lambda t: t.list_user_tasks("u1"), lambda t: t.alist_user_tasks("u1"), _json([LIST_ITEM])
    ),
    "get": Operation(lambda t: t.get("t1"), lambda t: t.aget("t1"), _json(DONE_TASK)),
    "patch": Operation(
        lambda t: t.patch("t1", {"result": "r"}),
        lambda t: t.apatch("t1", {"result": "r"}),
        _json(DONE_TASK),
    ),
    "update": Operation(
        lambda t: t.update("t1", result="r"),
        lambda t: t.aupdate("t1", result="r"),
        _json(DONE_TASK),
    ),
    "stop": Operation(lambda t: t.stop("t1"), lambda t: t.astop("t1"), _json(DONE_TASK)),
    "report_external_task": Operation(
        lambda t: t.report_external_task("agent123", input="i"),
        lambda t: t.areport_external_task("agent123", input="i"),
        _json(DONE_TASK),
    ),
    "report_metrics": Operation(
        lambda t: t.report_metrics(_metrics_task(t)),
        lambda t: t.areport_metrics(_metrics_task(t)),
        _json({"execution_id": "t1"}),
    ),
    "get_activity_log": Operation(
        lambda t: t.get_activity_log("agent123", "t1"),
        lambda t: t.aget_activity_log("agent123", "t1"),
        _json(ACTIVITY),
    ),
    "events": Operation(
        lambda t: list(t.iter_events(_task(t, events_streaming=True))),
        lambda t: _alist(t.aiter_events(_task(t, events_streaming=True))),
        Answer(
            body=f"id: 1\ndata: {json.dumps(EVENT)}\n\n".encode(),
            content_type="text/event-stream",
            headers=REQUEST_ID,
        ),
    ),
    "wait_for_completion": Operation(
        lambda t: t.wait_for_completion(_task(t), timeout=30, poll_interval=0),
        lambda t: t.await_for_completion(_task(t), timeout=30, poll_interval=0),
        _json(DONE_TASK),
    ),
}


def _plain(value: Any) -> Any:
    """A value as comparable data: tasks and models as their JSON, events field by field."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Task):
        return ("Task", value.to_dict(), value.request_id)
    if isinstance(value, TasksListItem):
        return ("TasksListItem", value.to_dict(), value.request_id)
    if isinstance(value, TaskUpdateEvent):
        return ("event", value.id, str(value.type), value.time, _plain(value.data))
    if hasattr(value, "to_dict"):
        return (type(value).__name__, value.to_dict())
    return value


#: What a twin may raise: the SDK's errors, and a refused argument.
RAISED = (ModuleException, ValueError, TypeError, RuntimeError)


def _raised(error: Exception) -> Any:
    if isinstance(error, ModuleException):
        fields = ("status_code", "description", "body", "method", "url", "request_id")
        return ("raised", type(error), {name: getattr(error, name) for name in fields})
    return ("raised", type(error), str(error))


def _outcome(run: Callable[[], Any]) -> Any:
    try:
        return ("returned", _plain(run()))
    except RAISED as error:
        return _raised(error)


async def _aoutcome(run: Callable[[], Any]) -> Any:
    try:
        return ("returned", _plain(await run()))
    except RAISED as error:
        return _raised(error)


@pytest.mark.parametrize("name", list(OPERATIONS))
async def test_both_twins_read_every_answer_the_same_way(name: str) -> None:
    operation = OPERATIONS[name]
    answers = {**COMMON, "a good answer": operation.good}
    with CannedServer() as server:
        config = Configuration(
            api_key="k",
            base_url=server.base_url,
            organization_id="org1",
            max_retries=0,
            max_stream_reconnects=0,
        )
        async with Tasks(config) as tasks:
            for label, answer in answers.items():
                server.answer = answer
                sync = _outcome(lambda: operation.sync(tasks))
                asynchronous = await _aoutcome(lambda: operation.asyncio(tasks))
                assert sync == asynchronous, f"{name}, {label}: the twins disagree"
                _check_meaning(name, label, sync)


def _check_meaning(name: str, label: str, outcome: Any) -> None:
    """What the agreed outcome must be, so that twins broken alike do not pass."""
    if label == "a good answer":
        assert outcome[0] == "returned", f"{name} refused a good answer: {outcome}"
    elif label.startswith("status "):
        status = int(label.split()[1])
        assert outcome[0] == "raised", f"{name} took an error status: {outcome}"
        # An event stream's 429 and 500 are drops it resumes from, until it gives up.
        resumed = name == "events" and status in (429, 500)
        assert issubclass(outcome[1], StreamError if resumed else APIStatusError)
        if not resumed:
            assert outcome[2]["status_code"] == status
            assert outcome[2]["request_id"] == "req-twins"
    elif name == "report_metrics" and label.startswith(("empty", "not JSON", "a proxy", "JSON")):
        # The API promises no body: any 2xx is success (the published SDK reads none).
        assert outcome == ("returned", None)
    else:
        assert outcome[0] == "raised" and issubclass(outcome[1], MalformedResponseError)
