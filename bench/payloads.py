"""What the responder answers and what the create contenders send.

One canned task carries every Task field of ``openapi.yaml`` with realistic
values, so that parsing it costs what parsing a real answer costs.
"""

from __future__ import annotations

import json
from typing import Any

ORG_ID = "bench-org"
API_KEY = "bench-key"
AGENT_ID = "agent-bench"
CREATED_TASK_ID = "bench-created"
EVENTS_PREFIX = "bench-"
"""An events task id is ``bench-N``: the responder streams N events for it."""

_USER: dict[str, Any] = {
    "email": "ada@example.com",
    "id": "user-7f3c",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "additional_attributes": {"team": "analytics", "plan": "enterprise"},
    "timezone": "Europe/London",
}

_MCP_SERVER: dict[str, Any] = {
    "name": "files",
    "type": "remote",
    "url": "https://mcp.example.com/files",
    "transport": "streamable-http",
    "api_key": "mcp-secret",
    "headers": {"x-tenant": "bench"},
}

_OUTPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "summary": {"type": "string"},
        "growth": {"type": "number"},
        "regions": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["summary"],
}

PROMPT = "Analyze the Q3 sales data and summarise the growth by region."
FILE_URLS = [
    "https://files.example.com/q3-sales.csv",
    "https://files.example.com/q3-targets.xlsx",
]


def task(task_id: str) -> dict[str, Any]:
    """A full Task as the platform answers it: every field present."""
    return {
        "id": task_id,
        "agent_id": AGENT_ID,
        "organization_id": ORG_ID,
        "input": {"text": PROMPT, "files": FILE_URLS, "user": _USER},
        "status": "completed",
        "internal_status": "summarised 4 regions",
        "last_executed_node_id": "node-summarise",
        "agent_version": "2",
        "created_at": "2025-11-24T20:41:07.512345+00:00",
        "started_at": "2025-11-24T20:41:07.913000+00:00",
        "paused_at": None,
        "finished_at": "2025-11-24T20:41:19.004211+00:00",
        "result": "Q3 sales grew 12.4% overall; EMEA led with 18.1%, APAC trailed at 3.2%.",
        "parent_execution": None,
        "sub_executions": ["sub-task-1", "sub-task-2"],
        "is_manually_stopped": False,
        "payload_extension": {"crm_account": "ACME-42"},
        "hitl_request": None,
        "pending_eca_request": None,
        "source": "bench",
        "voice_id": None,
        "output_format": "json",
        "output_schema": _OUTPUT_SCHEMA,
        "events_streaming": True,
        "is_orchestration": False,
        "additional_context": "Figures are in EUR.",
        "instructions_override": "Answer in three sentences at most.",
        "test_run_node_id": None,
        "user_oidc_token": None,
        "expected_output": "A JSON object with summary, growth and regions.",
        "mcp_servers": [_MCP_SERVER],
        "triggering_agent_id": None,
        "title": "Q3 sales growth",
        "think_mode": "harder",
        "disable_attachment_injection": False,
        "user_tokens": None,
        "deep_planning": {
            "enabled": True,
            "enforce": False,
            "started": True,
            "question_raised": False,
            "tasks": [
                {"id": "p1", "title": "Load the sales data", "completed": True},
                {"id": "p2", "title": "Group by region", "completed": True},
                {"id": "p3", "title": "Summarise", "completed": True},
            ],
        },
        "execution_attempts": 1,
        "return_metrics": True,
        "tokens": {"completion_tokens": 412, "prompt_tokens": 3120, "total_tokens": 3532},
        "used_tools": ["read_file", "run_python"],
        "duration": 11.09,
    }


def task_json(task_id: str) -> bytes:
    return json.dumps(task(task_id), separators=(",", ":")).encode()


def create_body() -> dict[str, Any]:
    """The TaskCreate body that ``acreate(**create_kwargs)`` sends."""
    return {
        "id": None,
        "input": {"text": PROMPT, "files": FILE_URLS, "user": _USER},
        "payload_extension": {"crm_account": "ACME-42"},
        "source": "bench",
        "worker_id": "worker-1",
        "output_format": "json",
        "output_schema": _OUTPUT_SCHEMA,
        "run_locally": False,
        "events_streaming": True,
        "additional_context": "Figures are in EUR.",
        "instructions_override": "Answer in three sentences at most.",
        "test_run_node_id": None,
        "user_oidc_token": "oidc-secret",
        "expected_output": "A JSON object with summary, growth and regions.",
        "mcp_servers": [_MCP_SERVER],
        "triggering_agent_id": "agent-parent",
        "title": "Q3 sales growth",
        "think_mode": "harder",
        "disable_attachment_injection": False,
        "user_tokens": {"github": "gh-secret"},
        "return_metrics": True,
    }


def events_count(task_id: str) -> int | None:
    """N for an events task id ``bench-N``; None for any other id."""
    if task_id.startswith(EVENTS_PREFIX) and task_id[len(EVENTS_PREFIX) :].isdigit():
        return int(task_id[len(EVENTS_PREFIX) :])
    return None


def event_stream(task_id: str, count: int) -> bytes:
    """``count`` SSE events: ``task_created``, chunks, then ``task_finished``.

    Each ``data:`` line is a TaskUpdateEvent; a chunk's data is a short string,
    a ``task_*`` event's data the whole task.
    """
    ids = f'"task_id":"{task_id}","organization_id":"{ORG_ID}","time":"'
    whole_task = task_json(task_id).decode()
    parts: list[str] = []
    for i in range(count):
        time = f"2025-11-24T20:41:{8 + i % 50:02d}.{i % 1_000_000:06d}+00:00"
        if i == count - 1:
            kind, data = "task_finished", whole_task
        elif i == 0:
            kind, data = "task_created", whole_task
        else:
            kind, data = "chunk", f'"token {i} of the answer "'
        parts.append(f'id: {i}\ndata: {{"type":"{kind}",{ids}{time}","data":{data}}}\n\n')
    return "".join(parts).encode()
