"""``follow --record FILE``: a task's run, written as an agent script that replays it.

The script is the emulator's agents document (``xpander-emulator --agents FILE``): one rule
matching the task's agent id and prompt, whose steps are what the run streamed, in order:
its chunks, tool calls, reasoning, plan, identities and pauses, the waits between them
taken from the events' times, and its end (its result and final status). An event that no
step kind makes exactly (a type the emulator has no step for, or data with other fields)
is kept as an ``event`` step, so the replay streams it as it came. Secrets are masked with
the SDK's redaction rule; the file names the host it recorded from, never the key.

It is written as JSON, which is also YAML. This module knows the document's shape but not
the emulator: ``tests/cli/test_record.py`` replays what it writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from xpander_sdk import Task, TaskUpdateEvent
from xpander_sdk._redact import masked

from .records import dumps, event_record

_TASK_TYPES = frozenset({"task_created", "task_updated", "task_finished"})
_SKIPPED = frozenset({"connected"})
"""Types that belong to the connection, not the run (the platform's stream handshake)."""
_REQUEST_FIELDS = (
    "request_id",
    "operation_id",
    "tool_call_id",
    "graph_node_id",
    "tool_name",
    "payload",
    "reasoning",
    "plan_task_id",
)
_RESULT_FIELDS = (*_REQUEST_FIELDS, "result", "is_error", "approval_request_id")
_OPTIONAL_CALL_FIELDS = (
    "tool_call_id",
    "graph_node_id",
    "reasoning",
    "plan_task_id",
    "approval_request_id",
)
_THINK_INPUT = frozenset({"title", "thought", "action", "confidence"})
_PLAN_FLAGS = ("enabled", "enforce", "started", "question_raised")
_SHORTEST_WAIT = 0.05
"""Gaps shorter than this (seconds) are not written as waits: they are the server's own
scheduling, not the agent's. They are not lost either: the next wait written makes up the
time (waits are measured from where the replay will be, not from the last event)."""


class Recorder:
    """Collects a followed task's events (``add``); ``document`` makes the script."""

    def __init__(self) -> None:
        self._events: list[dict[str, Any]] = []

    def add(self, event: TaskUpdateEvent) -> None:
        self._events.append(event_record(event))

    def document(self, task: Task, base_url: str) -> dict[str, Any]:
        """The agents document replaying ``task`` (its final state) as streamed."""
        text = task.input.text if task.input is not None else None
        match: dict[str, Any] = {"agent_id": _glob_literal(task.agent_id)}
        if text:
            match["prompt"] = "re:^" + re.escape(text) + "$" if text.startswith("re:") else text
        return {
            "recorded_from": {
                "host": host_of(base_url),
                "task_id": task.id,
                "agent_id": task.agent_id,
                "recorded_at": datetime.now(timezone.utc).isoformat(),
                "events": len(self._events),
            },
            "agents": [
                {
                    "name": f"recorded {task.id}",
                    "match": match,
                    "steps": list(steps_of(self._events, masked(task.to_dict()))),
                }
            ],
        }

    def write(self, path: str, task: Task, base_url: str) -> None:
        with open(path, "w", encoding="utf-8") as out:
            out.write(dumps(self.document(task, base_url), indent=2) + "\n")


def host_of(base_url: str) -> str:
    """``scheme://host:port`` of ``base_url``: no credentials, path or query."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def _glob_literal(text: str) -> str:
    """``text`` as a glob matching only itself."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def steps_of(events: list[dict[str, Any]], final: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The script steps of a run's event records (``records.event_record`` plus
    ``identity``), ending as ``final`` (the task's last state) did."""
    identity: dict[str, Any] | None = None
    clock: datetime | None = None  # the moment the replay has got to (waits start there)
    index = 0
    while index < len(events):
        event = events[index]
        index += 1
        kind, when, data = event["type"], _time(event["time"]), event.get("data")
        if kind in _SKIPPED:
            continue
        if kind in _TASK_TYPES:
            status = (data or {}).get("status")
            if kind == "task_updated" and status == "paused":
                yield from _wait(clock, when)
                hitl = (data or {}).get("hitl_request") or {}
                pause = {"wait_node_id": hitl["wait_node_id"]} if hitl.get("wait_node_id") else None
                yield {"pause": pause}
                clock = None  # the person's time is not the run's
            elif kind == "task_updated" and status == "executing":
                clock = when  # the run starts, or goes on after a pause
            continue
        waited = list(_wait(clock, when))
        if waited:
            clock = when
        yield from waited
        who = event.get("identity")
        if who != identity:
            identity = who
            yield {"identity": who}
        if kind == "tool_call_request" and index < len(events):
            result = events[index]
            call = _tool_call(data, result, when) if result.get("identity") == who else None
            if call is not None:
                index += 1
                if "seconds" in call["tool_call"]:
                    clock = _time(result["time"])
                yield call
                continue
        yield _step(kind, data)
    end = final.get("status")
    if end in ("completed", "failed", "error", "stopped"):
        yield from _wait(clock, _time(final.get("finished_at")))
        yield _end(end, final.get("result"))


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _wait(since: datetime | None, until: datetime | None) -> Iterator[dict[str, Any]]:
    if since is None or until is None:
        return
    try:
        gap = (until - since).total_seconds()
    except TypeError:  # one naive, one aware
        return
    if gap >= _SHORTEST_WAIT:
        yield {"wait": round(gap, 3)}


def _step(kind: str, data: Any) -> dict[str, Any]:
    """The step that makes one event of ``kind`` with ``data`` (``event`` when no other
    step kind makes exactly it)."""
    if kind == "chunk":
        return {"chunk": data if isinstance(data, str) else dumps(data)}
    if kind == "think":
        think = _think(data)
        if think is not None:
            return {"think": think}
    if kind == "plan_updated":
        plan = _plan(data)
        if plan is not None:
            return {"plan": plan}
    return {"event": {"type": kind, "data": data}}


def _tool_call(request: Any, result_event: dict[str, Any], at: datetime | None) -> Any:
    """One ``tool_call`` step for a request and the result that came right after it, or
    ``None`` when they are not one call the step would replay exactly."""
    result = result_event.get("data")
    if result_event["type"] != "tool_call_result":
        return None
    if not (isinstance(request, dict) and isinstance(result, dict)):
        return None
    if set(request) - set(_REQUEST_FIELDS) or set(result) - set(_RESULT_FIELDS):
        return None
    name = request.get("tool_name") or request.get("operation_id")
    if not isinstance(name, str) or not name or not request.get("request_id"):
        return None
    same = ("request_id", "operation_id", "tool_call_id", "graph_node_id", "tool_name",
            "payload", "reasoning", "plan_task_id")  # fmt: skip
    if any(request.get(k) != result.get(k) for k in same):
        return None
    call: dict[str, Any] = {"name": name}
    if request.get("payload") is not None:
        call["arguments"] = request["payload"]
    if result.get("result") is not None:
        call["result"] = result["result"]
    if result.get("is_error"):
        call["is_error"] = True
    done = _time(result_event["time"])
    if at is not None and done is not None:
        took = round((done - at).total_seconds(), 3)
        if took >= _SHORTEST_WAIT:
            call["seconds"] = took
    call["id"] = request["request_id"]
    if request.get("operation_id") not in (None, name):
        call["operation_id"] = request["operation_id"]
    for field in _OPTIONAL_CALL_FIELDS:
        source = result if field == "approval_request_id" else request
        if source.get(field) is not None:
            call[field] = source[field]
    return {"tool_call": call}


def _think(data: Any) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        return None
    if data.get("tool_name") != "think" or data.get("operation_id") != "think":
        return None
    payload = data.get("payload")
    if not isinstance(payload, dict) or set(payload) != {"input"}:
        return None
    reasoning = payload["input"]
    if not isinstance(reasoning, dict) or set(reasoning) - _THINK_INPUT:
        return None
    if not isinstance(reasoning.get("title"), str) or "confidence" not in reasoning:
        return None
    if set(data) - set(_REQUEST_FIELDS):
        return None
    if any(data.get(k) is not None for k in ("tool_call_id", "graph_node_id", "reasoning")):
        return None
    think = dict(reasoning)
    if data.get("request_id"):
        think["id"] = data["request_id"]
    if data.get("plan_task_id") is not None:
        think["plan_task_id"] = data["plan_task_id"]
    return think


def _plan(data: Any) -> dict[str, Any] | None:
    if not isinstance(data, dict) or set(data) - {*_PLAN_FLAGS, "tasks"}:
        return None
    tasks = data.get("tasks")
    if not isinstance(tasks, list):
        return None
    for item in tasks:
        if not isinstance(item, dict) or set(item) - {"id", "title", "completed"}:
            return None
        if not isinstance(item.get("title"), str) or not item["title"]:
            return None
    plan: dict[str, Any] = {"tasks": tasks}
    plan.update((flag, data[flag]) for flag in _PLAN_FLAGS if isinstance(data.get(flag), bool))
    return plan


def _end(status: str, result: Any) -> dict[str, Any]:
    if result is None:
        return {"status": status}
    if status == "completed":
        return {"result": result}
    if status == "failed":
        return {"fail": result}
    return {"status": {"status": status, "result": result}}
