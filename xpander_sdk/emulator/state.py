"""The emulator's whole state as one JSON document: ``GET``/``PUT /_emulator/state``,
``--import`` and ``--export-on-exit``.

The document (``"version": 1``)::

    {
      "version": 1,
      "tasks": [                      # oldest first
        {"task": {...Task...}, "updated_at": "2026-...",
         "events": [{"id": 7, "event": {...TaskUpdateEvent...}}, ...]}
      ],
      "idempotency_keys": [
        {"key": "...", "route": "POST /agent-execution/a", "fingerprint": "<sha256 hex>",
         "status": 200, "body": {...the first answer...}, "created": 1764000000.0}
      ],
      "runs": ["<task id>", ...]      # runs in progress when it was written
    }

Importing a document replaces everything (all or nothing); the runs it lists are ended as
interrupted, as after a restart. Event ids are kept as the document gives them. ``version``
changes only when a reader of version 1 could not read a document correctly.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .errors import ApiError, FieldError
from .spec import load_spec
from .store import StateRows, Store

VERSION = 1
_MAX_REPORTED = 20


def export_text(store: Store) -> str:
    """The state document of everything in ``store``, as compact JSON text.

    Built from the stored JSON as it is (nothing parsed and written again), which keeps the
    export of many tasks fast.
    """
    rows = store.dump()
    events: dict[str, list[str]] = {}
    for event_id, task_id, body in rows.events:
        events.setdefault(task_id, []).append(f'{{"id":{int(event_id)},"event":{body}}}')
    tasks = ",".join(
        f'{{"task":{body},"updated_at":{json.dumps(updated)},'
        f'"events":[{",".join(events.get(task_id, ()))}]}}'
        for task_id, body, updated in rows.tasks
    )
    keys = json.dumps(
        [
            {
                "key": key,
                "route": route,
                "fingerprint": fingerprint,
                "status": int(status),
                "body": json.loads(body),
                "created": float(created),
            }
            for key, route, fingerprint, status, body, created in rows.keys
        ],
        separators=(",", ":"),
    )
    return (
        f'{{"version":{VERSION},"tasks":[{tasks}],"idempotency_keys":{keys},'
        f'"runs":{json.dumps(rows.runs)}}}'
    )


def export_state(store: Store) -> dict[str, Any]:
    """The state document of everything in ``store``."""
    doc: dict[str, Any] = json.loads(export_text(store))
    return doc


def parse_state(doc: object) -> StateRows:
    """The rows of a state document; ``ApiError`` (422) naming every problem found."""
    problems: list[FieldError] = []

    def bad(field: str, reason: str) -> None:
        problems.append(FieldError(f"body.{field}" if field else "body", reason))

    if not isinstance(doc, dict):
        bad("", "must be a JSON object (a state document)")
        raise _refused(problems)
    if doc.get("version") != VERSION:
        bad("version", f"must be {VERSION}")
    for name in ("tasks", "idempotency_keys", "runs"):
        if not isinstance(doc.get(name, []), list):
            bad(name, "must be an array")
    if problems:
        raise _refused(problems)
    statuses = set(load_spec()["components"]["schemas"]["AgentExecutionStatus"]["enum"])
    event_types = set(load_spec()["components"]["schemas"]["TaskUpdateEventType"]["enum"])
    rows = StateRows([], [], [], [])
    task_ids: set[str] = set()
    event_ids: set[int] = set()
    for i, item in enumerate(doc.get("tasks", [])):
        at = f"tasks[{i}]"
        task = item.get("task") if isinstance(item, dict) else None
        if not isinstance(task, dict):
            bad(f"{at}.task", "must be a Task object")
            continue
        task_id = task.get("id")
        for name in ("id", "agent_id", "organization_id"):
            if not isinstance(task.get(name), str) or not task[name]:
                bad(f"{at}.task.{name}", "must be a non-empty string")
        if task.get("status") not in statuses:
            bad(f"{at}.task.status", f"must be one of {', '.join(sorted(statuses))}")
        if isinstance(task_id, str):
            if task_id in task_ids:
                bad(f"{at}.task.id", "appears twice")
            task_ids.add(task_id)
        assert isinstance(item, dict)
        updated = item.get("updated_at")
        if not isinstance(updated, str):
            bad(f"{at}.updated_at", "must be a string (a date-time)")
        events = item.get("events", [])
        if not isinstance(events, list):
            bad(f"{at}.events", "must be an array")
            events = []
        for j, entry in enumerate(events):
            where = f"{at}.events[{j}]"
            event_id = entry.get("id") if isinstance(entry, dict) else None
            event = entry.get("event") if isinstance(entry, dict) else None
            if not isinstance(event_id, int) or isinstance(event_id, bool) or event_id < 1:
                bad(f"{where}.id", "must be a positive integer")
            elif event_id in event_ids:
                bad(f"{where}.id", "appears twice")
            else:
                event_ids.add(event_id)
            if not isinstance(event, dict):
                bad(f"{where}.event", "must be a TaskUpdateEvent object")
                continue
            if event.get("type") not in event_types:
                bad(f"{where}.event.type", f"must be one of {', '.join(sorted(event_types))}")
            if event.get("task_id") != task_id:
                bad(f"{where}.event.task_id", "must be the id of the task it is listed under")
            if isinstance(event_id, int) and isinstance(task_id, str):
                rows.events.append((event_id, task_id, event))
        if isinstance(updated, str) and isinstance(task_id, str):
            rows.tasks.append((task, updated))
    for i, item in enumerate(doc.get("idempotency_keys", [])):
        at = f"idempotency_keys[{i}]"
        if not isinstance(item, dict):
            bad(at, "must be an object")
            continue
        for name in ("key", "route", "fingerprint"):
            if not isinstance(item.get(name), str) or not item[name]:
                bad(f"{at}.{name}", "must be a non-empty string")
        status, created = item.get("status"), item.get("created")
        if not isinstance(status, int) or isinstance(status, bool):
            bad(f"{at}.status", "must be an integer (an HTTP status)")
        if not isinstance(created, (int, float)) or isinstance(created, bool):
            bad(f"{at}.created", "must be a number (Unix seconds)")
        if "body" not in item:
            bad(f"{at}.body", "is required (the first answer)")
        rows.keys.append(
            (
                str(item.get("key")),
                str(item.get("route")),
                str(item.get("fingerprint")),
                status if isinstance(status, int) else 0,
                json.dumps(item.get("body"), separators=(",", ":")),
                float(created) if isinstance(created, (int, float)) else 0.0,
            )
        )
    for i, task_id in enumerate(doc.get("runs", [])):
        if task_id not in task_ids:
            bad(f"runs[{i}]", "must be the id of a task in the document")
        else:
            rows.runs.append(task_id)
    rows.events.sort(key=lambda row: row[0])
    if problems:
        raise _refused(problems)
    return rows


def _refused(problems: list[FieldError]) -> ApiError:
    first = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return ApiError(
        422,
        f"Not a valid state document: {first.field} {first.reason}{more}",
        problems[:_MAX_REPORTED],
    )


def write_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file renamed into place.

    A failure (disk full, a killed process) leaves ``path`` as it was: either the previous
    file, whole, or none; the temporary file is removed.
    """
    target = Path(path)
    fd, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or Path()
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
