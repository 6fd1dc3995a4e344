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
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx
from httpx_sse import ServerSentEvent

# The library's own WHATWG decoders, driven a chunk at a time (see _Stream.opened).
from httpx_sse._decoders import SSEDecoder, SSELineDecoder
from xpander_api_client import models as gen
from xpander_api_client.api.tasks import stream_task_events

from ._client import malformed, status_error
from .errors import StreamError, TaskWaitTimeout
from .models import TaskUpdateEventType
from .task import Task
from .transport import backoff, current_options

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

    __slots__ = ("_time", "data", "extra", "id", "organization_id", "task_id", "type")

    def __init__(
        self,
        type: TaskUpdateEventType | str,
        task_id: str,
        organization_id: str,
        time: datetime | str,
        data: Any,
        id: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.type = type
        self.task_id = task_id
        self.organization_id = organization_id
        # A stream's time stamps are read when first asked for: most chunks'
        # never are, and a long run sends many (see bench/).
        self._time = time
        self.data = data
        self.id = id
        self.extra = extra or {}

    @property
    def time(self) -> datetime:
        """When it happened."""
        raw = self._time
        if not isinstance(raw, str):
            return raw
        try:
            when = self._time = _timestamp(raw)
        except ValueError as exc:
            why = f"event {self.id}: time {raw!r} is not an ISO 8601 date-time"
            raise malformed(200, raw.encode(), {}, why, "a TaskUpdateEvent") from exc
        return when

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


_KINDS: dict[str, TaskUpdateEventType] = {m.value: m for m in TaskUpdateEventType}
_EVENT_FIELDS = frozenset({"type", "task_id", "organization_id", "time", "data"})


def _timestamp(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)  # a TypeError for a non-string: malformed
    except ValueError:
        # Python 3.10's fromisoformat does not read every ISO 8601 form ("Z").
        from dateutil.parser import isoparse

        parsed: datetime = isoparse(value)
        return parsed


def parse_event(raw: str, event_id: str | None, tasks: Tasks) -> TaskUpdateEvent:
    """One SSE ``data:`` payload as a `TaskUpdateEvent` (raises `MalformedResponseError`).

    This is the hot path of a stream (a long run sends many chunks), so the
    envelope's five fields are read directly, to the spec's TaskUpdateEvent
    schema, rather than through the generated model; a task carried in a
    ``task_*`` event goes through the generated Task model like any answer.
    """
    try:
        payload = json.loads(raw)
        kind_value = payload["type"]
        task_id = payload["task_id"]
        organization_id = payload["organization_id"]
        if not (type(kind_value) is type(task_id) is type(organization_id) is str):
            raise TypeError("type, task_id and organization_id must be strings")
        # A type newer than this SDK is kept, as its string.
        kind: TaskUpdateEventType | str = _KINDS.get(kind_value, kind_value)
        when = payload["time"]
        if type(when) is not str:
            raise TypeError("time must be an ISO 8601 date-time string")
        data = payload.get("data")
        if kind in _TASK_TYPES:
            data = Task(gen.Task.from_dict(data), json.dumps(data).encode(), tasks)
        extra = None
        if len(payload) > 5:
            extra = {k: v for k, v in payload.items() if k not in _EVENT_FIELDS}
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        raise malformed(
            200, raw.encode(), httpx.Headers({"content-type": "text/event-stream"}),
            f"event {event_id or '?'} could not be read ({type(exc).__name__}: {exc})",
            "a TaskUpdateEvent JSON object",
        ) from exc  # fmt: skip
    return TaskUpdateEvent(kind, task_id, organization_id, when, data, event_id, extra)


def _as_number(event_id: str) -> int | None:
    try:
        return int(event_id)
    except ValueError:
        return None


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
        self.deadline = deadline
        self.last_id: str | None = None
        # The last delivered id, as a number, while a resumed stream may repeat events.
        self.resumed_after: int | None = None
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

    def opened(self, response: httpx.Response, body: bytes) -> Exception | None:
        """Check a new connection's answer, and get ready to read its events.

        An error status the transport's retries did not cure is raised at once
        when it is the caller's to fix (4xx), and returned as a drop to resume
        from (5xx, 408, 429); an answer that is not an event stream is malformed.
        """
        status = response.status_code
        if status >= 300:
            error = status_error(status, body, response.headers)
            if status >= 500 or status in (408, 429):
                return error
            raise error
        kind = response.headers.get("content-type", "").partition(";")[0].strip()
        if kind != "text/event-stream":
            raise malformed(status, b"", response.headers, "it is not an event stream",
                            "text/event-stream")  # fmt: skip
        # httpx-sse's decoders, fed a chunk at a time: a line-by-line async
        # iterator would cost more than the parsing itself (see bench/).
        self._lines = SSELineDecoder()
        self._decoder = SSEDecoder()
        return None

    def feed(self, text: str) -> list[TaskUpdateEvent]:
        """The events completed by this chunk of the stream, in order."""
        events = []
        decode = self._decoder.decode
        for line in self._lines.decode(text):
            sse = decode(line)
            if sse is not None:
                event = self.handle(sse)
                if event is not None:
                    events.append(event)
                    if self.finished:
                        break
        return events

    def handle(self, sse: ServerSentEvent) -> TaskUpdateEvent | None:
        """The event to hand over, or None (a retry hint, a repeat)."""
        if sse.retry is not None:
            self.retry_ms = sse.retry
        data = sse.data
        if not data:
            return None
        event_id = sse.id or None
        if self.resumed_after is not None and event_id is not None and self._repeat(event_id):
            return None
        event = parse_event(data, event_id, self.tasks)
        if event_id is not None:
            self.last_id = event_id
        self.failures = 0
        if event.type is TaskUpdateEventType.TaskFinished:
            self.finished = True
        return event

    def _repeat(self, event_id: str) -> bool:
        """After a resume: is this an event delivered before it (a server replaying)?"""
        number, limit = _as_number(event_id), self.resumed_after
        if number is None or limit is None or number > limit:
            self.resumed_after = None  # past the old ground: no need to look again
            return False
        return True

    def after_drop(self, exc: Exception | None) -> float:
        """Seconds to wait before reconnecting, or raise when it is time to give up."""
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise TaskWaitTimeout(
                None, "the task did not finish in time", method="GET", url=self.url
            )
        self.failures += 1
        if self.last_id is not None:
            self.resumed_after = _as_number(self.last_id)
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
            delay = backoff(self.options, self.failures)
        logger.info(
            "event stream of %s dropped (%s); resuming after event %s in %.2fs",
            self.url,
            why,
            self.last_id,
            delay,
        )
        return delay


# What ends a connection early, to resume from (httpx's read errors and timeouts).
_DROPS = (httpx.TransportError,)


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
                body = await response.aread() if response.status_code >= 300 else b""
                error = stream.opened(response, body)
                if error is None:
                    async for text in response.aiter_text():
                        for event in stream.feed(text):
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
                body = response.read() if response.status_code >= 300 else b""
                error = stream.opened(response, body)
                if error is None:
                    for text in response.iter_text():
                        yield from stream.feed(text)
                        if stream.finished:
                            return
            except _DROPS as exc:
                error = exc
            finally:
                response.close()
        time.sleep(stream.after_drop(error))
