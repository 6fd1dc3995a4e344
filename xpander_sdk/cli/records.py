"""What ``--json`` prints: tasks, list entries, events and activity as JSON-ready dicts.

Secrets never leave: ``user_oidc_token``, ``user_tokens`` and the MCP servers'
``api_key``, ``client_secret`` and ``headers`` are masked wherever they appear.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from xpander_sdk import Task, TasksListItem, TaskUpdateEvent

MASK = "***"
_SECRET_KEYS = frozenset({"user_oidc_token", "user_tokens"})
_MCP_SECRET_KEYS = frozenset({"api_key", "client_secret", "headers"})
_LIST_FIELDS = (
    "id",
    "agent_id",
    "organization_id",
    "status",
    "user_id",
    "parent_task_id",
    "triggering_agent_id",
    "created_at",
    "updated_at",
    "source_node_type",
    "result",
    "title",
)


def masked(value: Any, secrets: frozenset[str] = _SECRET_KEYS) -> Any:
    """``value`` with every secret masked, at any depth (a task inside an event included)."""
    if isinstance(value, list):
        return [masked(item, secrets) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in secrets and item is not None:
            out[key] = MASK
        elif key == "mcp_servers":
            out[key] = masked(item, secrets | _MCP_SECRET_KEYS)
        else:
            out[key] = masked(item, secrets)
    return out


def task_record(task: Task) -> dict[str, Any]:
    """The task as the API's JSON object, secrets masked."""
    record: dict[str, Any] = masked(task.to_dict())
    return record


def list_item_record(item: TasksListItem) -> dict[str, Any]:
    """A list entry as the API's JSON object (its unknown fields included)."""
    record = dict(item.extra)
    record.update({name: _plain(getattr(item, name, None)) for name in _LIST_FIELDS})
    return record


def event_record(event: TaskUpdateEvent) -> dict[str, Any]:
    """An event as the stream's JSON object, with its ``id``; a task in ``data`` is masked."""
    data = event.data
    record: dict[str, Any] = masked(dict(event.extra))
    record.update(
        id=event.id,
        type=str(event.type),
        task_id=event.task_id,
        organization_id=event.organization_id,
        time=event.time.isoformat(),
        data=task_record(data) if isinstance(data, Task) else masked(data),
    )
    return record


def dumps(value: Any, *, indent: int | None = None) -> str:
    """JSON text; dates as ISO 8601."""
    return json.dumps(value, indent=indent, default=_json_default, ensure_ascii=False)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _json_default(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else str(value)
