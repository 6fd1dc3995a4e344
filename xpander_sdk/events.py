"""Where an event is parsed: `TaskUpdateEvent`, one event of a task's stream.

`parse_event` reads one SSE ``data:`` payload; the stream that delivers them,
resumed across drops, is in `_stream`. A ``task_*`` event carries the whole
task: the parser hands that JSON object to a ``make_task`` callable of its
caller's (the `Tasks` client makes a `Task` bound to itself), so this module
does not depend on `Task`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx
from xpander_api_client import models as gen
from xpander_api_client.types import Model

from ._answers import malformed
from .models import MessageIdentity, TaskUpdateEventType

if TYPE_CHECKING:
    from .task import Task

#: The event types whose data is a whole task, as strings (an enum member's own
#: hash is a Python call, a string's is not: this is looked up for every event).
_TASK_TYPES = frozenset(
    {
        TaskUpdateEventType.TaskCreated.value,
        TaskUpdateEventType.TaskUpdated.value,
        TaskUpdateEventType.TaskFinished.value,
    }
)


class TaskUpdateEvent(Model):
    """One event of a task's stream.

    Attributes:
        type: what happened (a `TaskUpdateEventType`; the raw string for a type
            this SDK does not know yet).
        task_id, organization_id: whose event it is.
        time: when it happened.
        data: for the ``task_*`` types the whole `Task` after the change; for
            ``chunk`` a piece of the agent's streamed output; for the others
            that event's own JSON object.
        id: the event's id in the task's stream, a string (what
            ``Task.aevents(after=...)`` and ``Last-Event-ID`` resume from). A
            server that sends no ids gets each event's place in the task's
            stream (``"1"`` for its first event).
        identity: who produced it, for display (a `MessageIdentity`: the skill's
            name and icon), or None.
    """

    __slots__ = ("data", "extra", "id", "identity", "organization_id", "task_id", "time", "type")

    type: TaskUpdateEventType | str
    task_id: str
    organization_id: str
    time: datetime
    data: Any
    id: str | None
    identity: MessageIdentity | None
    extra: dict[str, Any]

    def __init__(
        self,
        type: TaskUpdateEventType | str,
        task_id: str,
        organization_id: str,
        time: datetime | str,
        data: Any,
        id: str | None = None,
        extra: dict[str, Any] | None = None,
        identity: MessageIdentity | None = None,
    ) -> None:
        self.type = type
        self.task_id = task_id
        self.organization_id = organization_id
        self.time = _timestamp(time) if isinstance(time, str) else time
        self.data = data
        self.id = id
        self.identity = identity
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


_KINDS: dict[str, TaskUpdateEventType] = {m.value: m for m in TaskUpdateEventType}
_EVENT_FIELDS = frozenset({"type", "task_id", "organization_id", "time", "data", "identity"})


def _timestamp(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)  # a TypeError for a non-string: malformed
    except ValueError:
        # Python 3.10's fromisoformat does not read every ISO 8601 form ("Z").
        from dateutil.parser import isoparse  # only Python 3.10 needs it

        parsed: datetime = isoparse(value)
        return parsed


_raw_decode = json.JSONDecoder().raw_decode


def _json_object(text: str) -> Any:
    """``json.loads(text)``, a little faster for the usual case (nothing around the value)."""
    try:
        value, end = _raw_decode(text)
    except ValueError:
        return json.loads(text)  # whitespace before the value, or not JSON: its own error
    return value if end == len(text) else json.loads(text)


def parse_event(
    raw: str, event_id: str | None, make_task: Callable[[gen.Task, dict[str, Any]], Task]
) -> TaskUpdateEvent:
    """One SSE ``data:`` payload as a `TaskUpdateEvent` (raises `MalformedResponseError`).

    This is the hot path of a stream (a long run sends many chunks), so the
    envelope's five fields are read directly, to the spec's TaskUpdateEvent
    schema, rather than through the generated model; a task carried in a
    ``task_*`` event goes through the generated Task model like any answer,
    then ``make_task(model, json)`` makes the facade's task of it.
    """
    try:
        payload = _json_object(raw)
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
        # Read here, where a bad one is the stream's error (with its request id), not later.
        try:
            time = _timestamp(when)
        except ValueError:
            raise ValueError(f"time {when!r} is not an ISO 8601 date-time") from None
        data = payload.get("data")
        model = gen.Task.from_dict(data) if kind_value in _TASK_TYPES else None
        who = payload.get("identity")
        identity = None if who is None else MessageIdentity.from_dict(who)
        extra = None
        if len(payload) > 5:
            extra = {k: v for k, v in payload.items() if k not in _EVENT_FIELDS}
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        raise malformed(
            200, raw.encode(), httpx.Headers({"content-type": "text/event-stream"}),
            f"event {event_id or '?'} could not be read ({type(exc).__name__}: {exc})",
            "a TaskUpdateEvent JSON object",
        ) from exc  # fmt: skip
    if model is not None:
        data = make_task(model, data)
    return TaskUpdateEvent(kind, task_id, organization_id, time, data, event_id, extra, identity)
