"""`make compat`, last step: the published SDK's objects and ours, pydantic call for call.

    python pydantic_calls.py seed                 # put the full task and its events in the emulator
    python pydantic_calls.py record OUT.json      # in the published SDK's venv: what its calls give
    python pydantic_calls.py compare RECORDED.json  # in ours: the same calls, against a recording
    python pydantic_calls.py fixture RECORDED.json  # is tests/' recorded fixture that recording?

The emulator (``XPANDER_BASE_URL``, ``XPANDER_API_KEY``) is given one task that holds every
field, with values chosen to tell formats apart (datetimes in UTC, with an offset, without
fractions; tiny and huge floats; an int in a float field; control characters, non-ASCII,
DEL; a partial MCP server, attachment and token count), and four events. Each SDK reads
them over HTTP with its own ``Tasks`` (the same code: ours is a drop-in), then makes every
call of `CALLS`. ``record`` writes the seed and the results (the fixture
``tests/facade/fixtures/published-pydantic.json`` is one, so ``make test`` checks ours
without the published SDK); ``compare`` prints every difference not in `ALLOWED`;
``fixture`` fails when the checked-in fixture is not what the published SDK gives now
(then copy the recording over it).

Standard library only, besides the SDK of the venv it runs in.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import enum
import json
import os
import re
import sys
import urllib.request
from pathlib import Path
from typing import Any

TASK_ID = "pydantic-compat-task"
AGENT_ID = "agent-pydantic-compat"
API_KEY_TEXT = re.compile(r'"api_key":\s?"compat-key",\s*')
FIXTURE = Path(__file__).resolve().parents[2] / "tests/facade/fixtures/published-pydantic.json"


def seed_task(organization_id: str) -> dict[str, Any]:
    """A task as the platform answers it, every field given, values that tell formats apart."""
    return {
        "id": TASK_ID,
        "agent_id": AGENT_ID,
        "organization_id": organization_id,
        "input": {
            "text": "Summarise Q3 \u2014 in \u00abthree\u00bb lines \u2713",
            "files": ["https://files.example.com/q3.csv", "https://files.example.com/q3.pdf"],
            "attachments": [
                {"url": "https://files.example.com/q3.pdf", "name": "q3.pdf", "size": 12345,
                 "mime": "application/pdf", "kind": "pdf"},
            ],
            "user": {"id": "user-7", "first_name": "Ada", "last_name": "Lovelace",
                     "email": "ada@example.com", "additional_attributes": {"team": "x", "n": 3},
                     "timezone": "Europe/London"},
            "principal": {"kind": "slack", "id": "U123", "email": "ann@example.com",
                          "display_name": "Ann"},
        },
        "status": "completed",
        "internal_status": "summarised",
        "last_executed_node_id": "node-9",
        "agent_version": "3",
        "created_at": "2025-11-24T20:41:07.512345+00:00",
        "started_at": "2025-11-24T20:41:08Z",
        "paused_at": "2025-11-24T22:41:09.5+02:00",
        "finished_at": "2025-11-24T20:41:19.004211+00:00",
        "result": 'Q3 grew 12.4%\nEMEA led\u2028"quoted" \\ back\u007fslash '
        '\u00e9 \U0001f600 \u0001',
        "parent_execution": "parent-1",
        "conversation_id": "conversation-1",
        "conversation_kind": "direct",
        "sub_executions": ["sub-1", "sub-2"],
        "should_update_parent": True,
        "is_manually_stopped": False,
        "payload_extension": {
            "crm": "ACME-42",
            "numbers": [1, 2.5, 1e-05, 1.5e-05, 1e-07, 1e22, 1e16, -0.0, 0.1, 12345678901234567890],
            "nested": {"none": None, "deep": [{"b": None}, []], "empty": {}},
            "text": "\u00e9\U0001f600\u0001\u007f",
        },
        "execution_kind": "turn",
        "hitl_request": {"wait_node_id": "node-wait"},
        "pending_eca_request": {"connector_name": "Drive", "auth_url": "https://auth.example.com/x"},
        "source": "compat",
        "voice_id": "voice-1",
        "output_format": "json",
        "output_schema": {"type": "object", "properties": {"summary": {"type": "string"}},
                          "required": ["summary"]},
        "events_streaming": True,
        "is_orchestration": False,
        "is_gateway": False,
        "is_app": False,
        "background_auth_eligible": False,
        "additional_context": "Figures are in EUR.",
        "tool_call_limit": 7,
        "instructions_override": "Three sentences at most.",
        "test_run_node_id": "node-test",
        "user_oidc_token": "oidc-secret",
        "expected_output": "A JSON object.",
        "mcp_servers": [
            {"name": "files", "url": "https://mcp.example.com/files", "transport": "sse",
             "auth_type": "api_key", "api_key": "mcp-secret", "headers": {"x-tenant": "t"}},
            {"type": "local", "command": "run-mcp", "transport": "streamable-http"},
        ],
        "triggering_agent_id": "agent-parent",
        "title": "Q3 growth",
        "think_mode": "harder",
        "disable_attachment_injection": False,
        "user_tokens": {"github": "gh-secret"},
        "deep_planning": {"enabled": True, "enforce": True, "started": True,
                          "question_raised": False,
                          "tasks": [{"id": "p1", "title": "Load", "completed": True},
                                    {"id": "p2", "title": "Group"}]},
        "must_deep_plan": False,
        "execution_attempts": 2,
        "return_metrics": True,
        "llm_model_provider": "openai",
        "llm_model_name": "gpt-x",
        "llm_reasoning_effort": "high",
        "harness_cli": "codex",
        "permission_mode": "gated",
        "tokens": {"completion_tokens": 412, "prompt_tokens": 3120, "total_tokens": 99},
        "used_tools": ["read_file", "run_python"],
        "duration": 11,
    }  # fmt: skip


def seed_events(task: dict[str, Any]) -> list[dict[str, Any]]:
    def event(kind: str, data: Any, time: str, **more: Any) -> dict[str, Any]:
        common = {"task_id": task["id"], "organization_id": task["organization_id"]}
        return {"type": kind, **common, "time": time, "data": data, **more}

    return [
        event("task_created", task, "2025-11-24T20:41:07.6Z"),
        event("chunk", "Q3 grew", "2025-11-24T20:41:10.000001+00:00",
              identity={"name": "Compat skill", "icon": "https://example.com/i.png"}),
        event("tool_call_request", {"tool": "read_file", "args": {"path": "q3.csv"}},
              "2025-11-24T20:41:11+00:00"),
        event("task_finished", task, "2025-11-24T20:41:19.1Z"),
    ]  # fmt: skip


def seed_document(organization_id: str) -> dict[str, Any]:
    task = seed_task(organization_id)
    events = [{"id": i, "event": e} for i, e in enumerate(seed_events(task), start=1)]
    entry = {"task": task, "updated_at": "2025-11-24T20:41:19.1Z", "events": events}
    return {"version": 1, "tasks": [entry], "idempotency_keys": [], "runs": []}


def put_state(base_url: str, api_key: str, document: dict[str, Any]) -> None:
    request = urllib.request.Request(
        f"{base_url}/_emulator/state", data=json.dumps(document).encode(), method="PUT",
        headers={"x-api-key": api_key, "content-type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 200, answer.status


# -- the calls ---------------------------------------------------------------------------

#: ``(target, call)``: each call is evaluated with ``target`` bound to the object read.
CALLS: list[tuple[str, str]] = [
    ("task", "task.model_dump()"),
    ("task", "task.model_dump(mode='json')"),
    ("task", "task.model_dump_json()"),
    ("task", "task.model_dump_json(indent=2)"),
    ("task", "task.model_dump_json(ensure_ascii=True)"),
    ("task", "task.model_dump(include={'id', 'status', 'created_at', 'paused_at', 'duration'})"),
    ("task", "task.model_dump(mode='json', exclude={'configuration': True, 'input': {'user'}, "
             "'mcp_servers': {'__all__': {'api_key', 'headers'}}})"),
    ("task", "task.model_dump(mode='json', include={'input': {'user': {'email'}, 'files': {1}}, "
             "'deep_planning': {'tasks': {'__all__': {'id'}, 0: {'completed'}}}})"),
    ("task", "task.model_dump_json(exclude_none=True)"),
    ("task", "task.model_dump(exclude_unset=True, mode='json')"),
    ("task", "task.model_dump_json(exclude_defaults=True)"),
    ("task", "task.model_dump(mode='json', by_alias=True, round_trip=True)"),
    ("task", "task.model_dump(include={'tokens'}, exclude_computed_fields=True)"),
    ("task", "task.model_dump_safe()"),
    ("task", "task.model_dump_safe(exclude={'configuration', 'deep_planning'})"),
    ("task", "task.model_copy(update={'title': 'copied', 'result': None}).model_dump_json()"),
    ("task", "task.model_copy(deep=True).model_dump(mode='json')"),
    ("task", "type(task).model_validate(task.model_dump()).model_dump_json()"),
    ("task", "type(task).model_validate_json(task.model_dump_json()).model_dump_json()"),
    ("task", "fields(type(task))"),
    ("task", "sorted(task.model_fields_set)"),
    ("task", "dict(task)['status']"),
    ("task", "task.input.model_dump_json()"),
    ("task", "task.input.model_dump(exclude_unset=True)"),
    ("task", "task.input.user.model_dump()"),
    ("task", "task.input.principal.model_dump(mode='json')"),
    ("task", "task.input.attachments[0].model_dump_json()"),
    ("task", "task.tokens.model_dump()"),
    ("task", "task.tokens.model_dump_json(exclude_unset=True)"),
    ("task", "task.deep_planning.model_dump_json()"),
    ("task", "task.deep_planning.tasks[1].model_dump(exclude_defaults=True)"),
    ("task", "task.hitl_request.model_dump()"),
    ("task", "fields(type(task.input))"),
    ("task", "fields(type(task.tokens))"),
    ("item", "item.model_dump()"),
    ("item", "item.model_dump_json()"),
    ("item", "item.model_dump(mode='json', exclude_none=True)"),
    ("item", "sorted(item.model_fields_set)"),
    ("item", "fields(type(item))"),
    ("item", "type(item).model_validate(item.model_dump(mode='json')).model_dump_json()"),
    ("created", "created.model_dump_json()"),
    ("created", "created.model_dump(mode='json', include={'type': True, 'time': True, "
                "'data': {'id', 'status'}})"),
    ("created", "created.model_dump(exclude={'data'})"),
    ("chunk", "chunk.model_dump()"),
    ("chunk", "chunk.model_dump_json()"),
    ("chunk", "chunk.identity.model_dump_json()"),
    ("tool_call", "tool_call.model_dump_json(indent=1)"),
    ("tool_call", "fields(type(tool_call))"),
]  # fmt: skip


def fields(cls: type) -> dict[str, Any]:
    """``model_fields`` as data: each field's required flag and default (made, as JSON)."""
    out = {}
    for name, info in cls.model_fields.items():  # type: ignore[attr-defined]
        default = info.get_default(call_default_factory=True)
        if hasattr(default, "model_dump"):
            default = default.model_dump(mode="json")
        out[name] = {"required": info.is_required(), "default": encode(default)}
    return out


def encode(value: Any) -> Any:
    """A call's result as JSON, each Python-only value tagged (a datetime, an enum, ...)."""
    if isinstance(value, enum.Enum):
        return {"$enum": value.value}
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return {"$repr": repr(value)}


async def read_objects() -> dict[str, Any]:
    """The seeded task, its list entry and its events, read by the installed SDK."""
    from xpander_sdk import Tasks

    tasks = Tasks()
    task = await tasks.aget(task_id=TASK_ID)
    (item,) = [i for i in await tasks.alist(agent_id=AGENT_ID) if i.id == TASK_ID]
    events = [event async for event in task.aevents()]
    kinds = [str(getattr(e.type, "value", e.type)) for e in events]
    assert kinds == ["task_created", "chunk", "tool_call_request", "task_finished"], kinds
    closing = getattr(tasks, "aclose", None)
    if closing is not None:
        await closing()
    return {"task": task, "item": item, "created": events[0], "chunk": events[1],
            "tool_call": events[2]}  # fmt: skip


def run_calls(objects: dict[str, Any]) -> dict[str, Any]:
    """Every call of `CALLS`: its encoded result, or the error it raised."""
    results: dict[str, Any] = {}
    for target, call in CALLS:
        space = {target: objects[target], "fields": fields}
        try:
            results[call] = {"result": encode(eval(call, space))}
        except Exception as error:
            results[call] = {"error": f"{type(error).__name__}: {error}"}
    return results


# -- comparing ---------------------------------------------------------------------------

#: What may differ, by the path of a value in a call's result: a regular expression, and why.
ALLOWED: list[tuple[str, str]] = [
    (r"\.mcp_servers\[\d+\]\.(type|transport|auth_type|sso_token)$",
     "an MCP server is free-form in the spec: its enumerations are their strings here"),
]  # fmt: skip


def normalized(value: Any, base_url: str) -> Any:
    """A result with what differs by design made equal: the task's ``configuration`` holds
    no API key here (the published one does), and its base URL is the emulator's."""
    if isinstance(value, str):
        return API_KEY_TEXT.sub("", value).replace(base_url, "<base_url>")
    if isinstance(value, dict):
        out = {k: normalized(v, base_url) for k, v in value.items()}
        if "base_url" in out and "organization_id" in out:  # a Configuration
            out.pop("api_key", None)
        return out
    if isinstance(value, list):
        return [normalized(v, base_url) for v in value]
    return value


def differences(theirs: Any, ours: Any, path: str = "") -> list[str]:
    """Each place where the two results differ (dict keys in order too)."""
    if isinstance(theirs, dict) and "$enum" in theirs and not isinstance(ours, dict):
        if theirs["$enum"] == ours and any(re.search(pattern, path) for pattern, _ in ALLOWED):
            return []
        return [f"{path}: published {theirs!r}, ours {ours!r}"]
    if isinstance(theirs, dict) and isinstance(ours, dict):
        found = []
        if list(theirs) != list(ours):
            found.append(f"{path}: keys {list(theirs)} != {list(ours)}")
        for key in [k for k in theirs if k in ours]:
            found += differences(theirs[key], ours[key], f"{path}.{key}")
        return found
    if isinstance(theirs, list) and isinstance(ours, list) and len(theirs) == len(ours):
        pairs = enumerate(zip(theirs, ours, strict=True))
        return [d for i, (a, b) in pairs for d in differences(a, b, f"{path}[{i}]")]
    if type(theirs) is not type(ours) or theirs != ours:
        return [f"{path}: published {theirs!r}, ours {ours!r}"]
    return []


def compare(recorded: dict[str, Any], ours: dict[str, Any], base_url: str) -> list[str]:
    """Every unexplained difference between a recording and our results, call by call."""
    problems = []
    theirs_url = recorded["base_url"]
    for call, theirs in recorded["calls"].items():
        mine = ours.get(call)
        if mine is None:
            problems.append(f"{call}: not run")
            continue
        if "error" in theirs or "error" in mine:  # a call is there to give a result
            problems.append(
                f"{call}: published {theirs.get('error')!r}, ours {mine.get('error')!r}"
            )
            continue
        found = differences(normalized(theirs, theirs_url), normalized(mine, base_url), "")
        problems += [f"{call}{where}" for where in found]
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("seed")
    sub.add_parser("record").add_argument("out", type=Path)
    sub.add_parser("compare").add_argument("recorded", type=Path)
    sub.add_parser("fixture").add_argument("recorded", type=Path)
    args = parser.parse_args(argv)
    if args.command == "fixture":
        fresh, kept = json.loads(args.recorded.read_text()), json.loads(FIXTURE.read_text())
        stale = [
            call
            for call in fresh["calls"].keys() | kept["calls"].keys()
            if normalized(fresh["calls"].get(call), fresh["base_url"])
            != normalized(kept["calls"].get(call), kept["base_url"])
        ]
        stale += ["the seed"] if fresh["seed"] != kept["seed"] else []
        print(
            f"recorded fixture ({FIXTURE.name}): {len(stale)} calls differ from the published SDK's"
        )
        for call in sorted(stale):
            print(f"  STALE {call}")
        return 1 if stale else 0
    base_url, api_key = os.environ["XPANDER_BASE_URL"], os.environ["XPANDER_API_KEY"]
    organization_id = os.environ.get("XPANDER_ORGANIZATION_ID", "local-org")
    if args.command == "seed":
        put_state(base_url, api_key, seed_document(organization_id))
        return 0
    results = run_calls(asyncio.run(read_objects()))
    if args.command == "record":
        import importlib.metadata as metadata

        recording = {
            "about": "What the published xpander-sdk's objects give for each call of "
            "scripts/compat/pydantic_calls.py, read from the emulator; written by make compat.",
            "sdk": metadata.version("xpander-sdk"),
            "pydantic": metadata.version("pydantic"),
            "base_url": base_url,
            "seed": seed_document(organization_id),
            "calls": results,
        }
        args.out.write_text(json.dumps(recording, indent=1, ensure_ascii=False) + "\n")
        return 0
    recorded = json.loads(args.recorded.read_text())
    problems = compare(recorded, results, base_url)
    print(f"pydantic calls: {len(recorded['calls'])} compared, {len(problems)} differences")
    for problem in problems:
        print(f"  FAIL  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
