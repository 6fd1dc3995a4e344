"""What the commands print, as plain lines or JSON (the live view is in `render`).

Every command hands its answer to an `Output`: a task, a list, an activity
thread, a finished task, or a `Follower` that is fed a task's events as they
arrive. `PlainOutput` writes lines with no control codes (stdout is not a
terminal); `JsonOutput` writes machine output only (``--json``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from types import TracebackType
from typing import Any, TextIO

from xpander_sdk import Task, TasksListItem, TaskUpdateEvent, TaskUpdateEventType

from .records import dumps, event_record, list_item_record, task_record

_TOOL_TYPES = frozenset({TaskUpdateEventType.ToolCallRequest, TaskUpdateEventType.ToolCallResult})


# -- words and numbers shared by the plain and live views ----------------------


def seconds(value: float) -> str:
    """``0.21s``, ``12.5s``, ``3m 04s``."""
    if value < 10:
        return f"{value:.2f}s"
    if value < 60:
        return f"{value:.1f}s"
    minutes, rest = divmod(int(value), 60)
    return f"{minutes}m {rest:02d}s"


def since(start: datetime | None) -> float:
    """Seconds from ``start`` until now (0 when unknown or in the future)."""
    if start is None:
        return 0.0
    now = datetime.now(start.tzinfo or timezone.utc)
    return max(0.0, (now - start).total_seconds())


def run_time(task: Task) -> float | None:
    """How long the task ran, from its creation to its end (None while it runs)."""
    if task.finished_at is not None and task.created_at is not None:
        return max(0.0, (task.finished_at - task.created_at).total_seconds())
    return task.duration


def clip(text: str, limit: int = 200) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 3] + "..."


def event_type(event: TaskUpdateEvent) -> TaskUpdateEventType | str:
    """The event's type as a `TaskUpdateEventType`, or its string when this SDK does not know it."""
    try:
        return TaskUpdateEventType(event.type)
    except ValueError:
        return event.type


def tool_line(kind: TaskUpdateEventType | str, data: Any) -> str:
    """A tool call or its result in one line: ``tool search({...})`` / ``tool search -> ...``."""
    info = data if isinstance(data, dict) else {"value": data}
    name = next(
        (str(info[k]) for k in ("tool_name", "name", "function_name", "tool") if info.get(k)),
        "?",
    )
    if kind is TaskUpdateEventType.ToolCallRequest:
        args: Any = next(
            (info[k] for k in ("payload", "arguments", "args", "input") if k in info), {}
        )
        return f"tool {name}({clip(dumps(args), 160)})"
    result = next((info[k] for k in ("result", "output", "value") if k in info), info)
    shown = result if isinstance(result, str) else dumps(result)
    return f"tool {name} -> {clip(shown, 160)}"


def activity_line(message: dict[str, Any]) -> tuple[str, str]:
    """An activity entry as (label, text): a message's role and text (its files' URLs after),
    a tool call as ``name({...}) -> result``, reasoning as its title and thought."""
    if message.get("tool_name"):
        args = clip(dumps(message.get("payload")), 120)
        result = message.get("result")
        shown = (
            ""
            if result is None
            else clip(result if isinstance(result, str) else dumps(result), 120)
        )
        arrow = " -> failed: " if message.get("is_error") else " -> "
        return "tool", f"{message['tool_name']}({args})" + (arrow + shown if shown else "")
    if message.get("type") in ("think", "analyze") and "role" not in message:
        thought = message.get("thought") or message.get("analysis") or ""
        title = str(message.get("title") or "")
        return str(message["type"]), title + (f": {thought}" if thought else "")
    content = message.get("content")
    if not isinstance(content, dict):  # a server that sends the text alone
        return str(message.get("role", "?")), str(content or "")
    files = content.get("files") or []
    text = str(content.get("text") or "") + (f" [files: {', '.join(files)}]" if files else "")
    return str(message.get("role", "?")), text


def task_rows(task: Task) -> list[tuple[str, str]]:
    """The fields a person wants to see of a task, as (label, text), empty ones left out."""
    rows = [
        ("id", task.id),
        ("agent", task.agent_id),
        ("status", str(task.status or "")),
        ("internal status", task.internal_status or ""),
        ("title", task.title or ""),
        ("prompt", task.input.text if task.input is not None else ""),
        ("files", ", ".join(task.input.files or []) if task.input is not None else ""),
        ("created", _when(task.created_at)),
        ("started", _when(task.started_at)),
        ("finished", _when(task.finished_at)),
        ("ran for", seconds(t) if (t := run_time(task)) is not None else ""),
        ("events", "streamed" if task.events_streaming else ""),
        ("agent version", task.agent_version or ""),
        ("output format", str(task.output_format or "")),
        ("tools used", ", ".join(task.used_tools or [])),
        ("result", task.result or ""),
    ]
    return [(label, text) for label, text in rows if text]


def _when(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value is not None else ""


def list_rows(items: Sequence[TasksListItem]) -> list[tuple[str, str, str, str]]:
    """(id, status, created, title) for each listed task."""
    return [(i.id, str(i.status), _when(i.created_at), i.title or "") for i in items]


def summary(task: Task, streamed: str, events: int) -> tuple[str, str | None]:
    """The closing line of a follow, and the result when the stream did not already show it."""
    took = run_time(task)
    parts = [f"task {task.id} {task.status}" + (f" in {seconds(took)}" if took is not None else "")]
    if events:
        parts.append(f"{events} events")
    if task.used_tools:
        parts.append("tools: " + ", ".join(task.used_tools))
    result = task.result if task.result and task.result.strip() != streamed.strip() else None
    return ", ".join(parts), result


# -- following a task ------------------------------------------------------------


class Follower:
    """Sorts a task's events into what a view shows.

    Feed it each event (`event`), or each change a poll found (`polled`), then
    the final task (`finish`). Subclasses show the pieces: streamed text, a
    status change, a tool call, any other event, the summary.
    """

    def __init__(self, task: Task) -> None:
        self.task = task
        # A stream replays the task's story from its first event, statuses included.
        self.status = None if task.events_streaming else task.status
        self.streamed: list[str] = []
        self.events = 0
        self.at = 0.0  # when the latest happening happened, in seconds since the task's creation

    def __enter__(self) -> Follower:
        self.begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.end()

    def event(self, event: TaskUpdateEvent) -> None:
        self.events += 1
        self.at = max(0.0, (event.time - self.task.created_at).total_seconds())
        data = event.data
        kind = event_type(event)
        if kind is TaskUpdateEventType.Chunk:
            text = data if isinstance(data, str) else dumps(data)
            self.streamed.append(text)
            self.show_text(text)
        elif isinstance(data, Task):
            self.changed(data)
        elif kind in _TOOL_TYPES:
            self.show_tool(tool_line(kind, data))
        else:
            self.show_other(f"{event.type}: {clip(dumps(data))}" if data is not None else "")

    def polled(self, task: Task) -> None:
        """A poll read the task again (it does not stream events)."""
        self.at = since(task.created_at)
        self.changed(task)

    def changed(self, task: Task) -> None:
        before, self.task, self.status = self.status, task, task.status
        if task.status != before:
            self.show_status(task)

    def finish(self, task: Task) -> None:
        self.task = task
        self.show_summary(*summary(task, "".join(self.streamed), self.events))

    # What a view shows; the base shows nothing.
    def begin(self) -> None: ...
    def end(self) -> None: ...
    def show_text(self, text: str) -> None: ...
    def show_status(self, task: Task) -> None: ...
    def show_tool(self, line: str) -> None: ...
    def show_other(self, line: str) -> None: ...
    def show_summary(self, line: str, result: str | None) -> None: ...


class PlainFollower(Follower):
    """Plain lines: streamed text as it comes, other happenings on lines of their own."""

    def __init__(self, task: Task, out: TextIO, announce: str) -> None:
        super().__init__(task)
        self.out = out
        self.announce = announce
        self.mid_line = False  # streamed text waits for its line's end

    def write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()

    def line(self, text: str) -> None:
        if self.mid_line:
            self.write("\n")
            self.mid_line = False
        self.write(text + "\n")

    def stamped(self, text: str) -> None:
        self.line(f"[{seconds(self.at)}] {text}")

    def begin(self) -> None:
        status = f": {self.status}" if self.status else ""
        self.line(f"{self.announce} task {self.task.id} (agent {self.task.agent_id}){status}")

    def end(self) -> None:
        if self.mid_line:
            self.write("\n")
            self.mid_line = False

    def show_text(self, text: str) -> None:
        if text:
            self.mid_line = not text.endswith("\n")  # first: a Ctrl-C may come during the write
            self.write(text)

    def show_status(self, task: Task) -> None:
        self.stamped(str(task.status))

    def show_tool(self, line: str) -> None:
        self.stamped(line)

    def show_other(self, line: str) -> None:
        if line:
            self.stamped(line)

    def show_summary(self, line: str, result: str | None) -> None:
        self.line(line)
        if result:
            self.line(f"result: {result}")


class JsonFollower(Follower):
    """One JSON object per line per event; a change found by polling is a ``task_updated``
    (the last a ``task_finished``) without an id."""

    def __init__(self, task: Task, out: TextIO) -> None:
        super().__init__(task)
        self.out = out

    def emit(self, record: dict[str, Any]) -> None:
        self.out.write(dumps(record) + "\n")
        self.out.flush()

    def event(self, event: TaskUpdateEvent) -> None:
        self.emit(event_record(event))

    def polled(self, task: Task) -> None:
        # A change found by polling, as the event the stream would have sent (no id, no
        # identity): one record shape for both
        final = task.status is not None and task.status.is_final
        kind = TaskUpdateEventType.TaskFinished if final else TaskUpdateEventType.TaskUpdated
        now = datetime.now(timezone.utc)
        self.emit(event_record(TaskUpdateEvent(kind, task.id, task.organization_id, now, task)))

    def finish(self, task: Task) -> None:
        self.task = task


# -- the outputs -----------------------------------------------------------------


class Output:
    """Where a command's answer goes (see the module docstring)."""

    def task(self, task: Task) -> None:
        raise NotImplementedError

    def tasks(self, items: Sequence[TasksListItem], agent_id: str) -> None:
        raise NotImplementedError

    def activity(self, thread: dict[str, Any]) -> None:
        raise NotImplementedError

    def finished(self, task: Task) -> None:
        """A task that `wait` saw end."""
        raise NotImplementedError

    def follower(self, task: Task, announce: str) -> Follower:
        raise NotImplementedError


class JsonOutput(Output):
    """``--json``: one document per answer, one line per event."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout

    def document(self, value: Any) -> None:
        self.out.write(dumps(value, indent=2) + "\n")

    def task(self, task: Task) -> None:
        self.document(task_record(task))

    def tasks(self, items: Sequence[TasksListItem], agent_id: str) -> None:
        self.document([list_item_record(item) for item in items])

    def activity(self, thread: dict[str, Any]) -> None:
        self.document(thread)

    def finished(self, task: Task) -> None:
        self.task(task)

    def follower(self, task: Task, announce: str) -> Follower:
        return JsonFollower(task, self.out)


class PlainOutput(Output):
    """Plain lines, for pipes and files: no colours, no cursor movement."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout

    def line(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def task(self, task: Task) -> None:
        rows = task_rows(task)
        width = max(len(label) for label, _ in rows)
        for label, text in rows:
            self.line(f"{label + ':':<{width + 1}} {text}")

    def tasks(self, items: Sequence[TasksListItem], agent_id: str) -> None:
        if not items:
            self.line(f"no tasks for agent {agent_id}")
            return
        rows = [("ID", "STATUS", "CREATED", "TITLE"), *list_rows(items)]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)]
            self.line("  ".join([*cells, row[3]]).rstrip())

    def activity(self, thread: dict[str, Any]) -> None:
        messages = thread.get("messages") or []
        if not messages:
            self.line(f"no activity for task {thread.get('id')}")
        for message in messages:
            label, text = activity_line(message)
            self.line(f"[{label}] {text}")

    def finished(self, task: Task) -> None:
        line, result = summary(task, "", 0)
        self.line(line)
        if task.result:
            self.line(f"result: {result or task.result}")

    def follower(self, task: Task, announce: str) -> Follower:
        return PlainFollower(task, self.out, announce)
