"""Where a stream is resumed: a task's event stream, followed across drops.

What the kubernetes client's watch helper does for its lists: `EventStream`
remembers the id of the last event it delivered and, when the connection drops
before ``task_finished`` (a cut, a reset, or no event and no heartbeat for
``stream_idle_timeout``), reconnects with ``Last-Event-ID`` after the server's
``retry:`` interval or a backoff. Every event is handed over once, in order, as
it arrives; after ``max_stream_reconnects`` failed reconnects in a row it
raises `StreamError`. Each resume is logged at INFO and handed to the
configuration's ``resume`` hooks (a `ResumeEvent`). With a `Waiting`, the
stream also keeps its deadline: checked after every chunk read, and no read
waits past it.

`EventStream` makes every decision; `iter_events` / `aiter_events` only send,
read and sleep. The stream knows nothing of `Task`: a ``task_*`` event's task
is made by the ``make_task`` callable it is given, with the request id of
the connection that brought it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any

import httpx
from xpander_api_client import models as gen

from ._answers import malformed, status_error
from ._hooks import ResumeEvent
from ._logging import request_id
from ._sse import SSEDecoder, SSEvent
from ._wait import Waiting
from .errors import MalformedResponseError, StreamError
from .events import TaskUpdateEvent, parse_event
from .models import TaskUpdateEventType
from .transport import CallOptions, CallState, backoff

if TYPE_CHECKING:
    from .task import Task

logger = logging.getLogger("xpander_sdk")

#: What ends a connection early, to resume from (httpx's read errors and timeouts).
_DROPS = (httpx.TransportError,)


def _as_number(event_id: str) -> int | None:
    try:
        return int(event_id)
    except ValueError:
        return None


class EventStream:
    """The state of one resumable stream: shared by the sync and async readers."""

    def __init__(
        self,
        url: str,
        make_task: Callable[[gen.Task, dict[str, Any], str | None], Task],
        *,
        task_id: str | None = None,
        idle_timeout: float,
        max_reconnects: int,
        options: CallOptions,
        waiting: Waiting | None = None,
        after: str | None = None,
    ) -> None:
        self.url = url
        self.make_task = make_task
        self.task_id = task_id
        self.hooks = options.hooks
        #: The server's id of the current connection's request (its ``x-request-id``).
        self.request_id: str | None = None
        self.idle = idle_timeout
        self.max_reconnects = max_reconnects
        self.options = options
        self.waiting = waiting
        # Starting after a known event is resuming from it: the server is asked for
        # what follows (Last-Event-ID), and a server that replays anyway is filtered.
        self.last_id: str | None = after
        # The last delivered id, as a number, while a resumed stream may repeat events.
        self.resumed_after: int | None = None if after is None else _as_number(after)
        self.retry_ms: int | None = None
        self.failures = 0
        self.finished = False
        # Events read on the current connection (each one's id when the server gives none).
        self.received = 0
        self._decoder = SSEDecoder()

    def request(self, http: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        """The next connection's request: resuming after the last event, if any."""
        headers = {"accept": "text/event-stream", "cache-control": "no-cache"}
        if self.last_id is not None:
            headers["last-event-id"] = self.last_id
        read = connect = self.idle
        remaining = None if self.waiting is None else self.waiting.remaining()
        if remaining is not None:
            read = max(0.05, min(read, remaining))
            connect = max(0.05, min(10.0, remaining))
        else:
            connect = 10.0
        timeout = httpx.Timeout(connect=connect, read=read, write=10.0, pool=connect)
        state = CallState(self.options)
        return http.build_request(
            "GET", self.url, headers=headers, timeout=timeout, extensions=state.extensions()
        )

    def opened(self, response: httpx.Response, body: bytes) -> Exception | None:
        """Check a new connection's answer, and get ready to read its events.

        An error status the transport's retries did not cure is raised at once
        when it is the caller's to fix (4xx), and returned as a drop to resume
        from (5xx, 408, 429); an answer that is not an event stream is malformed.
        """
        status = response.status_code
        self.request_id = request_id(response.headers)
        if status >= 300:
            error = status_error(status, body, response.headers, response)
            if status >= 500 or status in (408, 429):
                return error
            raise error
        kind = response.headers.get("content-type", "").partition(";")[0].strip()
        if kind != "text/event-stream":
            raise malformed(status, b"", response.headers, "it is not an event stream",
                            "text/event-stream", response)  # fmt: skip
        self._decoder = SSEDecoder()
        self.received = 0
        return None

    def feed(self, text: str) -> list[TaskUpdateEvent]:
        """The events completed by this chunk of the stream, in order.

        Raises `TaskWaitTimeout` when the stream's wait is past its deadline,
        however steadily events arrive.
        """
        events = []
        for sse in self._decoder.feed(text):
            event = self.handle(sse)
            if event is not None:
                events.append(event)
                if self.finished:
                    return events
        if self.waiting is not None:
            self.waiting.check()
        return events

    def handle(self, sse: SSEvent) -> TaskUpdateEvent | None:
        """The event to hand over, or None (a retry hint, a repeat)."""
        if sse.retry is not None:
            self.retry_ms = sse.retry
        data = sse.data
        if not data:
            return None
        self.received += 1
        # A server that sends no ids gets the event's place in the connection's replay
        # (the stream starts from the task's first event), so every event has an id that
        # `after=` and a resume can name; the repeat filter below then skips what was seen.
        event_id = sse.id if sse.id is not None else str(self.received)
        if self.resumed_after is not None and self._repeat(event_id):
            return None
        try:
            event = parse_event(data, event_id, self._make_task)
        except MalformedResponseError as exc:
            exc.request_id = exc.request_id or self.request_id
            raise
        self.last_id = event_id
        self.failures = 0
        if event.type is TaskUpdateEventType.TaskFinished:
            self.finished = True
        return event

    def _make_task(self, model: gen.Task, data: dict[str, Any]) -> Task:
        return self.make_task(model, data, self.request_id)

    def _repeat(self, event_id: str) -> bool:
        """After a resume: is this an event delivered before it (a server replaying)?"""
        number, limit = _as_number(event_id), self.resumed_after
        if number is None or limit is None or number > limit:
            self.resumed_after = None  # past the old ground: no need to look again
            return False
        return True

    def closed_empty(self, exc: Exception | None) -> bool:
        """Did the server end the connection cleanly without an event?

        Then the task may have nothing more to send (a stream started after its
        last event): the readers ask whether it is final before reconnecting.
        """
        return exc is None and self.received == 0 and self.last_id is not None

    def after_drop(self, exc: Exception | None) -> ResumeEvent:
        """The resume to make (its ``delay`` is the wait), or raise when it is time to give up."""
        if self.waiting is not None:
            self.waiting.check()
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
                request_id=getattr(exc, "request_id", None),  # the last answer's, if any
            ) from exc
        delay = (
            self.retry_ms / 1000
            if self.retry_ms is not None
            else backoff(self.options, self.failures)
        )
        remaining = None if self.waiting is None else self.waiting.remaining()
        if remaining is not None:
            delay = min(delay, remaining)
        logger.info(
            "event stream of %s dropped (%s); resuming after event %s in %.2fs",
            self.url,
            why,
            self.last_id,
            delay,
        )
        return ResumeEvent(self.task_id, self.last_id, delay, why, self.failures)

    def polling_after(self, error: StreamError) -> ResumeEvent:
        """The stream gave up (``error``) under a wait, which goes on by polling the
        task: logged at WARNING; the `ResumeEvent` (``polling=True``) for the hooks."""
        logger.warning(
            "event stream of %s gave up (%s); waiting for task %s by polling",
            self.url,
            error.description,
            self.task_id,
        )
        return ResumeEvent(
            self.task_id, self.last_id, 0.0, error.description, self.failures, polling=True
        )


def iter_events(
    connect: Callable[[], httpx.Client], stream: EventStream, is_final: Callable[[], bool]
) -> Iterator[TaskUpdateEvent]:
    """The stream's events, resumed across drops; each handed over as it arrives.

    ``connect`` gives the pooled client to send with, when the iteration
    starts. ``is_final()`` reads whether the task has ended; asked only when
    the server closed a resumed connection without an event (see
    `EventStream.closed_empty`).
    """
    http = connect()
    while not stream.finished:
        error: Exception | None = None
        try:
            response = http.send(stream.request(http), stream=True)
        except _DROPS as exc:
            error = exc
        else:
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
        if stream.closed_empty(error) and is_final():
            return
        resume = stream.after_drop(error)
        if stream.hooks:
            stream.hooks.run("resume", resume)
        time.sleep(resume.delay)


async def aiter_events(
    connect: Callable[[], Awaitable[httpx.AsyncClient]],
    stream: EventStream,
    is_final: Callable[[], Awaitable[bool]],
) -> AsyncIterator[TaskUpdateEvent]:
    """Async twin of `iter_events` (the running loop's client, from ``connect``)."""
    http = await connect()
    while not stream.finished:
        error: Exception | None = None
        try:
            response = await http.send(stream.request(http), stream=True)
        except _DROPS as exc:
            error = exc
        else:
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
        if stream.closed_empty(error) and await is_final():
            return
        resume = stream.after_drop(error)
        if stream.hooks:
            await stream.hooks.arun("resume", resume)
        await asyncio.sleep(resume.delay)
