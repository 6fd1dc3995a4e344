"""What ``--json`` prints: tasks, list entries, events and activity as JSON-ready dicts.

Secrets never leave: ``user_oidc_token``, ``user_tokens`` and the MCP servers'
``api_key``, ``client_secret`` and ``headers`` are masked wherever they appear.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from xpander_sdk import Task, TasksListItem, TaskUpdateEvent
from xpander_sdk._redact import masked


def task_record(task: Task) -> dict[str, Any]:
    """The task as the API's JSON object, secrets masked."""
    record: dict[str, Any] = masked(task.to_dict())
    return record


def list_item_record(item: TasksListItem) -> dict[str, Any]:
    """A list entry as the API's JSON object (its unknown fields included)."""
    record: dict[str, Any] = masked(item.to_dict())
    return record


def event_record(event: TaskUpdateEvent) -> dict[str, Any]:
    """An event as the stream's JSON object, with its ``id`` and ``identity`` (who made it:
    ``{"name", "icon"}``, or None); a task in ``data`` is masked."""
    data = event.data
    who = event.identity
    record: dict[str, Any] = masked(dict(event.extra))
    record.update(
        id=event.id,
        type=str(event.type),
        task_id=event.task_id,
        organization_id=event.organization_id,
        time=event.time.isoformat(),
        data=task_record(data) if isinstance(data, Task) else masked(data),
        identity=None if who is None else identity_record(who.to_dict()),
    )
    return record


def identity_record(raw: dict[str, Any]) -> dict[str, Any]:
    """An event's identity as the stream sends it: its name and icon."""
    return {"name": raw.get("name"), "icon": raw.get("icon")}


def dumps(value: Any, *, indent: int | None = None) -> str:
    """JSON text; dates as ISO 8601."""
    return json.dumps(value, indent=indent, default=_json_default, ensure_ascii=False)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _json_default(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else str(value)
