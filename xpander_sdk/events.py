"""Where an event is parsed: `TaskUpdateEvent`, and the resumable event streams.

The stream is the one call the generator cannot stream, so its path comes from
the generated operation's request description and httpx-sse reads it. Over
that sits what the kubernetes client's watch helper does for its lists: the
stream remembers the id of the last event it delivered and, when the
connection drops before ``task_finished`` (a cut, a reset, or no event and no
heartbeat for ``stream_idle_timeout``), reconnects with ``Last-Event-ID``
after the server's ``retry:`` interval or a backoff. Every event is handed
over once, in order, as it arrives; after ``max_stream_reconnects`` failed
reconnects in a row it raises `StreamError`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx
from httpx_sse import EventSource, ServerSentEvent, SSEError
from xpander_api_client import models as gen
from xpander_api_client.api.tasks import stream_task_events

from ._client import malformed, status_error
from ._convert import to_facade
from .errors import StreamError, TaskWaitTimeout
from .models import TaskUpdateEventType
from .task import Task
from .transport import current_options

if TYPE_CHECKING:
    from .tasks import Tasks

logger = logging.getLogger("xpander_sdk")

_TASK_TYPES = frozenset(
    {
        TaskUpdateEventType.TaskCreated,
        TaskUpdateEventType.TaskUpdated,
        TaskUpdateEventType.TaskFinished,
    }
)


class TaskUpdateEvent:
    """One event of a task's stream.

    Attributes:
        type: what happened (a `TaskUpdateEventType`; the raw string for a type
            this SDK does not know yet).
        task_id, organization_id: whose event it is.
        time: when it happened.
        data: for the ``task_*`` types the whole `Task` after the change; for
            ``chunk`` a piece of the agent's streamed output; for the others
            that event's own JSON object.
        id: the event's id in the task's log (what ``Last-Event-ID`` resumes from).
    """

    __slots__ = ("data", "extra", "id", "organization_id", "task_id", "time", "type")

    def __init__(
        self,
        type: TaskUpdateEventType | str,
        task_id: str,
        organization_id: str,
        time: datetime,
        data: Any,
        id: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.type = type
        self.task_id = task_id
        self.organization_id = organization_id
        self.time = time
        self.data = data
        self.id = id
        self.extra = extra or {}

    def __repr__(self) -> str:
        data = self.data
        if isinstance(data, str) and len(data) > 80:
            data = data[:77] + "..."
        return (
            f"TaskUpdateEvent(type={str(self.type)!r}, task_id={self.task_id!r}, "
            f"time={self.time.isoformat()!r}, data={data!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TaskUpdateEvent):
            return NotImplemented
        return (self.id, self.type, self.task_id, self.time) == (
            other.id,
            other.type,
            other.task_id,
            other.time,
        )

    __hash__ = None  # type: ignore[assignment]


def parse_event(raw: str, event_id: str | None, tasks: Tasks) -> TaskUpdateEvent:
    """One SSE ``data:`` payload as a `TaskUpdateEvent` (raises `MalformedResponseError`)."""
    try:
        payload = json.loads(raw)
        kind: TaskUpdateEventType | str
        try:
            parsed = gen.TaskUpdateEvent.from_dict(payload)
            kind = to_facade(parsed.type_)
        except ValueError:
            # An event type newer than this SDK: keep it, typed as its string.
            parsed = gen.TaskUpdateEvent.from_dict({**payload, "type": "chunk"})
            kind = str(payload["type"])
        data = to_facade(parsed.data)
        if kind in _TASK_TYPES and isinstance(data, dict):
            data = Task(gen.Task.from_dict(data), json.dumps(data).encode(), tasks)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise malformed(
            200, raw.encode(), httpx.Headers({"content-type": "text/event-stream"}),
            f"event {event_id or '?'} could not be read ({type(exc).__name__}: {exc})",
            "a TaskUpdateEvent JSON object",
        ) from exc  # fmt: skip
    return TaskUpdateEvent(
        kind,
        parsed.task_id,
        parsed.organization_id,
        parsed.time,
        data,
        event_id,
        dict(parsed.additional_properties) or None,
    )


def _newer(event_id: str, last: str | None) -> bool:
    if last is None:
        return True
    try:
        return int(event_id) > int(last)
    except ValueError:
        return event_id != last


class _Stream:
    """The state of one resumable stream: shared by the sync and async readers."""

    def __init__(self, task: Task, deadline: float | None = None) -> None:
        if not task.events_streaming:
            raise ValueError(
                f"task {task.id} does not stream events: create it with events_streaming=True"
            )
        self.tasks = task.tasks
        config = self.tasks.configuration
        organization_id = config.organization_id or task.organization_id
        # The generated operation knows the path; the events base URL may be
        # another host than the API's (agent-controller on the platform).
        path = stream_task_events._get_kwargs(organization_id, task.id)["url"]
        self.url = config.events_base_url.rstrip("/") + path
        self.idle = config.stream_idle_timeout
        self.max_reconnects = config.max_stream_reconnects
        self.options = self.tasks._api.options
        self.base_delay = self.options.base_delay
        self.max_delay = self.options.max_delay
        self.deadline = deadline
        self.last_id: str | None = None
        self.retry_ms: int | None = None
        self.failures = 0
        self.finished = False

    def request(self, http: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        headers = {"accept": "text/event-stream", "cache-control": "no-cache"}
        if self.last_id is not None:
            headers["last-event-id"] = self.last_id
        read = self.idle
        if self.deadline is not None:
            read = max(0.05, min(read, self.deadline - time.monotonic()))
        timeout = httpx.Timeout(connect=10.0, read=read, write=10.0, pool=10.0)
        return http.build_request("GET", self.url, headers=headers, timeout=timeout)

    def check(self, response: httpx.Response, body: bytes) -> None:
        """Raise for an answer that is not an event stream (4xx: at once; 5xx: a drop)."""
        if response.status_code >= 400:
            raise status_error(response.status_code, body, response.headers)

    def handle(self, sse: ServerSentEvent) -> TaskUpdateEvent | None:
        """The event to hand over, or None (a retry hint, a repeat)."""
        if sse.retry is not None:
            self.retry_ms = sse.retry
        if not sse.data:
            return None
        if sse.id and not _newer(sse.id, self.last_id):
            return None  # already delivered before a reconnect
        event = parse_event(sse.data, sse.id or None, self.tasks)
        if sse.id:
            self.last_id = sse.id
        self.failures = 0
        if event.type == TaskUpdateEventType.TaskFinished:
            self.finished = True
        return event

    def after_drop(self, exc: Exception | None) -> float:
        """Seconds to wait before reconnecting, or raise when it is time to give up."""
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise TaskWaitTimeout(
                None, "the task did not finish in time", method="GET", url=self.url
            )
        self.failures += 1
        why = f"{type(exc).__name__}: {exc}" if exc else "the server closed the stream"
        if self.failures > self.max_reconnects:
            raise StreamError(
                None,
                f"event stream dropped {self.failures} times in a row without an event ({why})",
                method="GET",
                url=self.url,
            ) from exc
        if self.retry_ms is not None:
            delay = self.retry_ms / 1000
        else:
            cap = min(self.max_delay, self.base_delay * 2.0 ** (self.failures - 1))
            delay = cap * (0.5 + random.random() / 2)
        logger.info(
            "event stream of %s dropped (%s); resuming after event %s in %.2fs",
            self.url,
            why,
            self.last_id,
            delay,
        )
        return delay


_DROPS = (httpx.TransportError, SSEError)


async def aiter_events(task: Task, deadline: float | None = None) -> AsyncIterator[TaskUpdateEvent]:
    """The task's events, resumed across drops (see the module docstring)."""
    stream = _Stream(task, deadline)
    http = stream.tasks._api.async_client().get_async_httpx_client()
    while not stream.finished:
        error: Exception | None = None
        token = current_options.set(stream.options)
        try:
            response = await http.send(stream.request(http), stream=True)
        except _DROPS as exc:
            error = exc
        finally:
            current_options.reset(token)
        if error is None:
            try:
                if response.status_code >= 400:
                    stream.check(response, await response.aread())
                async for sse in EventSource(response).aiter_sse():
                    event = stream.handle(sse)
                    if event is not None:
                        yield event
                        if stream.finished:
                            return
            except _DROPS as exc:
                error = exc
            finally:
                await response.aclose()
        await asyncio.sleep(stream.after_drop(error))


def iter_events(task: Task, deadline: float | None = None) -> Iterator[TaskUpdateEvent]:
    """Sync twin of `aiter_events`: each event is handed over as it arrives."""
    stream = _Stream(task, deadline)
    http = stream.tasks._api.sync_client().get_httpx_client()
    while not stream.finished:
        error: Exception | None = None
        token = current_options.set(stream.options)
        try:
            response = http.send(stream.request(http), stream=True)
        except _DROPS as exc:
            error = exc
        finally:
            current_options.reset(token)
        if error is None:
            try:
                if response.status_code >= 400:
                    stream.check(response, response.read())
                for sse in EventSource(response).iter_sse():
                    event = stream.handle(sse)
                    if event is not None:
                        yield event
                        if stream.finished:
                            return
            except _DROPS as exc:
                error = exc
            finally:
                response.close()
        time.sleep(stream.after_drop(error))
