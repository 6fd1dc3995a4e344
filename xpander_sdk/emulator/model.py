"""Task documents: how a create, an update or a report turns into a Task, and a Task into
a list item or an activity thread. Pure functions over plain dicts (no I/O).
"""

from __future__ import annotations

import functools
import json
import os
import time
from datetime import datetime, timedelta
from typing import Any

from .spec import create_copied_fields, task_defaults, task_fields, updatable_fields

FINAL_STATUSES = frozenset({"completed", "failed", "error", "stopped"})
"""Statuses that end a run; reaching one appends ``task_finished``."""

Task = dict[str, Any]


def new_task_id() -> str:
    """A fresh task id: a UUID of version 7 (RFC 9562), which starts with the time it was made
    (Unix milliseconds) followed by random bits.

    Later ids sort after earlier ones, so the store's indexes on task ids (a task's row, its
    events, its run mark) grow at their end. With random (version 4) ids every insert lands
    on a random index page, which grew a write's cost fivefold once the store held some
    10,000 tasks.
    """
    millis = time.time_ns() // 1_000_000 & (1 << 48) - 1
    rand = int.from_bytes(os.urandom(10), "big")
    rand_a, rand_b = rand >> 68 & 0xFFF, rand & (1 << 62) - 1
    h = f"{millis << 80 | 7 << 76 | rand_a << 64 | 2 << 62 | rand_b:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def iso(moment: datetime) -> str:
    return moment.isoformat()


def parse_iso(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def complete(task: Task) -> Task:
    """``task`` with every Task field present (null where unset, or the spec's default where
    it gives one), spec order first."""
    full = _unset_task().copy()
    for name, value in task.items():
        # a spec field keeps its place (and its default when null); others follow in order
        if value is not None or name not in full:
            full[name] = value
    return full


@functools.cache
def _unset_task() -> Task:
    """Every Task field in spec order, each null or its spec default (shared: copy it)."""
    defaults = task_defaults()
    return {name: defaults.get(name) for name in task_fields()}


def normalize_input(value: object) -> dict[str, Any]:
    """An AgentExecutionInput with its three fields present."""
    given = value if isinstance(value, dict) else {}
    out = dict(given)
    out["text"] = given.get("text") if given.get("text") is not None else ""
    out["files"] = given.get("files") if given.get("files") is not None else []
    out["user"] = given.get("user")
    return out


def new_task(
    task_id: str,
    agent_id: str,
    organization_id: str,
    body: dict[str, Any],
    agent_version: str | None,
    moment: datetime,
) -> Task:
    """A new ``pending`` task from a (validated) TaskCreate body, created at ``moment``."""
    task: Task = {
        "id": task_id,
        "agent_id": agent_id,
        "organization_id": organization_id,
        "input": normalize_input(body.get("input")),
        "status": "pending",
        "created_at": iso(moment),
        "agent_version": agent_version,
        "is_manually_stopped": False,
        "sub_executions": [],
        "execution_attempts": 1,
    }
    for name in create_copied_fields():
        if name in body:
            task[name] = body[name]
    return complete(task)


def continue_task(task: Task, body: dict[str, Any], agent_version: str | None) -> Task:
    """``task`` queued again by a create that names its ``id``: back to ``pending``."""
    out = dict(task)
    if body.get("input") is not None:
        out["input"] = normalize_input(body["input"])
    for name in create_copied_fields():
        if body.get(name) is not None:
            out[name] = body[name]
    if agent_version is not None:
        out["agent_version"] = agent_version
    out.update(
        status="pending",
        result=None,
        finished_at=None,
        duration=None,
        is_manually_stopped=False,
        execution_attempts=(task.get("execution_attempts") or 0) + 1,
    )
    return complete(out)


def apply_update(task: Task, body: dict[str, Any], moment: datetime) -> Task:
    """``task`` with the updatable fields ``body`` sends, at ``moment``; read-only and unknown
    fields ignored.

    ``tool_call_payload_extension`` (the published SDK's name) sets ``payload_extension``.
    A ``null`` status means "leave it": a task always has a status.
    """
    out = dict(task)
    for name in updatable_fields():
        if name in body:
            out[name] = body[name]
    if body.get("tool_call_payload_extension") is not None:
        out["payload_extension"] = body["tool_call_payload_extension"]
    if out.get("status") is None:
        out["status"] = task.get("status") or "pending"
    new_status = out["status"]
    if new_status != task.get("status"):
        at = iso(moment)
        if new_status in FINAL_STATUSES and "finished_at" not in body:
            out["finished_at"] = at
            out["duration"] = out.get("duration") if "duration" in body else duration(out)
        elif new_status not in FINAL_STATUSES and "finished_at" not in body:
            out["finished_at"] = None
        if new_status == "paused" and "paused_at" not in body:
            out["paused_at"] = at
        if new_status == "executing" and out.get("started_at") is None:
            out["started_at"] = at
    return complete(out)


def duration(task: Task) -> float | None:
    """Seconds from ``started_at`` to ``finished_at``, when both are known."""
    start, end = parse_iso(task.get("started_at")), parse_iso(task.get("finished_at"))
    if start is None or end is None:
        return None
    try:
        return max(0.0, (end - start).total_seconds())
    except TypeError:  # one naive, one aware: not worth guessing
        return None


def reported_task(
    task_id: str, agent_id: str, organization_id: str, body: dict[str, Any], end: datetime
) -> Task:
    """The finished task a TaskReport describes, reported at ``end``: ``completed`` or
    ``failed``."""
    took = body.get("duration")
    start: datetime | None = end
    if took:
        try:
            start = end - timedelta(seconds=float(took))
        except OverflowError:  # a duration longer than the calendar: no start to show
            start = None
    success = body.get("is_success")
    task: Task = {
        "id": task_id,
        "agent_id": agent_id,
        "organization_id": organization_id,
        "input": normalize_input({"text": body.get("input")}),
        "status": "failed" if success is False else "completed",
        "created_at": iso(start or end),
        "started_at": iso(start) if start else None,
        "finished_at": iso(end),
        "result": body.get("result"),
        "tokens": body.get("tokens"),
        "used_tools": body.get("used_tools"),
        "duration": float(took) if took is not None else None,
        "is_manually_stopped": False,
        "sub_executions": [],
        "execution_attempts": 1,
    }
    return complete(task)


def user_id_of(task: Task) -> str | None:
    user = (task.get("input") or {}).get("user")
    value = user.get("id") if isinstance(user, dict) else None
    return value if isinstance(value, str) else None


def list_item(task: Task, updated_at: str | None) -> dict[str, Any]:
    """The TasksListItem summary of ``task``."""
    return {
        "id": task["id"],
        "agent_id": task["agent_id"],
        "organization_id": task["organization_id"],
        "status": task.get("status") or "pending",
        "user_id": user_id_of(task),
        "parent_task_id": task.get("parent_execution"),
        "triggering_agent_id": task.get("triggering_agent_id"),
        "created_at": task.get("created_at"),
        "updated_at": updated_at,
        "source_node_type": None,
        "result": task.get("result"),
        "title": task.get("title"),
        "execution_kind": task.get("execution_kind"),
        # the emulator runs no resident processes: every task is a plain turn
        "process": None,
        "conversation_kind": task.get("conversation_kind"),
    }


ACTIVITY_TYPES = ("chunk", "tool_call_request", "tool_call_result", "think", "analyze")
"""The event types a task's activity thread is made of (besides the task itself)."""


def _content(text: str | None, files: Any = None) -> dict[str, Any]:
    """A message's ``content`` as the platform writes it (the published SDK's
    ``AgentActivityThreadMessageContent``): its text and the URLs of its files."""
    return {"text": text, "files": list(files) if isinstance(files, list) else []}


def activity_thread(task: Task, events: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
    """The task's ActivityThread: the user's prompt, then what the run did, in order.

    ``events`` are ``(event_id, event)`` of the task's ``ACTIVITY_TYPES`` events, oldest
    first. A tool call is one entry (the published SDK's ``AgentActivityThreadToolCall``:
    ``id``, ``created_at``, ``tool_name``, ``payload``, ``is_error``, ``reasoning``,
    ``result``, ``plan_task_id``), its result filled in when it came; a thought is an
    ``AgentActivityThreadReasoning`` (``id``, ``created_at``, ``type``, its ``title``,
    ``confidence``, ...). The agent's text is one message with the result once the task
    has one, else the chunks streamed so far, each a message.
    """
    task_id = task["id"]
    prompt = task.get("input") or {}
    messages: list[dict[str, Any]] = [
        {
            "id": f"{task_id}-prompt",
            "role": "user",
            "content": _content(prompt.get("text") or "", prompt.get("files")),
            "created_at": task["created_at"],
        }
    ]
    has_result = task.get("result") is not None
    calls: dict[str, dict[str, Any]] = {}
    for event_id, event in events:
        kind, data, at = event["type"], event.get("data"), event["time"]
        if kind == "chunk":
            if not has_result:
                text = data if isinstance(data, str) else json.dumps(data)
                messages.append(
                    {"id": f"{task_id}-chunk-{event_id}", "role": "agent",
                     "content": _content(text), "created_at": at}
                )  # fmt: skip
            continue
        if not isinstance(data, dict):
            continue
        entry_id = data.get("request_id") or f"{task_id}-{kind}-{event_id}"
        if kind in ("think", "analyze"):
            payload = data.get("payload")
            reasoning = payload.get("input") if isinstance(payload, dict) else None
            if not isinstance(reasoning, dict):
                continue  # not a reasoning tool's call: nothing to show as a thought
            entry = {"id": entry_id, "created_at": at, "type": kind}
            entry.update((k, v) for k, v in reasoning.items() if k not in entry)
            entry["plan_task_id"] = data.get("plan_task_id")
            messages.append(entry)
            continue
        call = calls.get(entry_id)
        if call is None:
            call = calls[entry_id] = {
                "id": entry_id,
                "created_at": at,
                "tool_name": data.get("tool_name") or data.get("operation_id") or "",
                "payload": data.get("payload"),
                "is_error": False,
                "reasoning": data.get("reasoning"),
                "result": None,
                "plan_task_id": data.get("plan_task_id"),
            }
            messages.append(call)
        if kind == "tool_call_result":
            call["result"] = data.get("result")
            call["is_error"] = bool(data.get("is_error"))
    if has_result:
        messages.append(
            {
                "id": f"{task_id}-result",
                "role": "agent",
                "content": _content(task["result"]),
                "created_at": task.get("finished_at") or task["created_at"],
            }
        )
    return {
        "id": task_id,
        "agent_id": task["agent_id"],
        "status": task.get("status"),
        "created_at": task["created_at"],  # the published SDK's AgentActivityThread needs it
        "messages": messages,
    }
