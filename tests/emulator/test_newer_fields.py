"""The fields the published SDK 2.0.537 added (issue 9): taken from a create, stored, returned
on every Task answer and listed; bad values answered 422 naming the field, nothing stored;
and event identities set by a plugged-in agent."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from emulator_helpers import create, make_client, read_stream

from xpander_sdk.emulator import EmulatorServer, Identity
from xpander_sdk.emulator.spec import properties

NEWER_CREATE = {
    "tool_call_limit": 7,
    "llm_model_provider": "openai",
    "llm_model_name": "gpt-x",
    "llm_reasoning_effort": "xhigh",
    "harness_cli": "codex",
    "permission_mode": "gated",
}
ATTACHMENT = {
    "url": "https://example.com/q3.pdf",
    "name": "q3.pdf",
    "mime": "application/pdf",
    "size": 12345,
    "kind": "pdf",
    "sha256": "ab" * 32,
}
PRINCIPAL = {"kind": "slack", "id": "U123", "email": "a@example.com", "display_name": "Ann"}
# Task fields the platform sets (the emulator has no conversations, apps or harness processes).
PLATFORM_SET = (
    "conversation_id",
    "conversation_kind",
    "should_update_parent",
    "execution_kind",
    "is_gateway",
    "is_app",
    "must_deep_plan",
)


def test_a_create_with_every_newer_field_is_stored_and_returned(
    api: httpx.Client, agent_id: str
) -> None:
    body = {
        "input": {
            "text": "read the report",
            "files": [ATTACHMENT["url"]],
            "attachments": [ATTACHMENT],
            "principal": PRINCIPAL,
        },
        **NEWER_CREATE,
    }
    created = api.post(f"/agent-execution/{agent_id}", json=body).json()
    fetched = api.get(f"/agent-execution/{created['id']}/status").json()
    for task in (created, fetched):
        assert set(properties("Task")) <= set(task)
        assert {name: task[name] for name in NEWER_CREATE} == NEWER_CREATE
        assert task["input"]["attachments"] == [ATTACHMENT]
        assert task["input"]["principal"] == PRINCIPAL
        assert task["background_auth_eligible"] is False
        assert all(task[name] is None for name in PLATFORM_SET)


def test_a_plain_create_answers_the_newer_fields_unset(api: httpx.Client, agent_id: str) -> None:
    task = create(api, agent_id)
    assert all(task[name] is None for name in NEWER_CREATE)
    assert all(task[name] is None for name in PLATFORM_SET)
    # null would break the published SDK, which types this field a plain bool
    assert task["background_auth_eligible"] is False


def test_the_published_sdks_null_arguments_are_accepted(api: httpx.Client, agent_id: str) -> None:
    body = {"input": {"text": "x", "principal": None, "attachments": None}}
    body.update(dict.fromkeys(NEWER_CREATE))
    response = api.post(f"/agent-execution/{agent_id}", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["llm_reasoning_effort"] is None


def test_continuing_a_task_takes_the_newer_fields_given(api: httpx.Client, agent_id: str) -> None:
    task = create(api, agent_id, llm_model_name="gpt-x")
    again = api.post(
        f"/agent-execution/{agent_id}", json={"id": task["id"], "llm_model_name": "gpt-y"}
    ).json()
    assert (again["id"], again["llm_model_name"]) == (task["id"], "gpt-y")


def test_list_items_carry_the_newer_summary_fields(api: httpx.Client, agent_id: str) -> None:
    create(api, agent_id)
    (item,) = api.get(f"/agent-execution/executions/history/{agent_id}").json()
    assert {"execution_kind", "process", "conversation_kind"} <= set(item)
    assert (item["execution_kind"], item["process"], item["conversation_kind"]) == (None,) * 3


@pytest.mark.parametrize(
    ("fields", "input_fields", "field"),
    [
        ({"tool_call_limit": -1}, {}, "body.tool_call_limit"),
        ({"tool_call_limit": 1.5}, {}, "body.tool_call_limit"),
        ({"llm_reasoning_effort": "extreme"}, {}, "body.llm_reasoning_effort"),
        ({"harness_cli": 3}, {}, "body.harness_cli"),
        ({}, {"principal": {"kind": "user", "id": "a:b"}}, "body.input.principal.id"),
        ({}, {"principal": {"kind": "user", "id": "a b"}}, "body.input.principal.id"),
        ({}, {"principal": {"kind": "user", "id": ""}}, "body.input.principal.id"),
        ({}, {"principal": {"kind": "robot", "id": "r1"}}, "body.input.principal.kind"),
        ({}, {"principal": {"id": "u1"}}, "body.input.principal"),
        ({}, {"attachments": [{"name": "no url"}]}, "body.input.attachments.0"),
        ({}, {"attachments": [{"url": "u", "size": "big"}]}, "body.input.attachments.0.size"),
        (
            {},
            {"attachments": [{"url": "u", "kind": "spreadsheet"}]},
            "body.input.attachments.0.kind",
        ),
    ],
)
def test_bad_newer_values_are_refused_naming_the_field_and_nothing_is_stored(
    api: httpx.Client,
    agent_id: str,
    fields: dict[str, Any],
    input_fields: dict[str, Any],
    field: str,
) -> None:
    body = {"input": {"text": "x", **input_fields}, **fields}
    response = api.post(f"/agent-execution/{agent_id}", json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert api.get(f"/agent-execution/executions/history/{agent_id}").json() == []


def test_a_plugged_in_agent_sets_the_identity_of_its_chunks(
    emulator_factory: Callable[..., EmulatorServer],
) -> None:
    async def skilled(task_input: dict[str, Any]) -> AsyncIterator[object]:
        yield Identity("Researcher", icon="https://example.com/r.png")
        yield "found "
        yield "it"
        yield Identity("Writer")
        yield ", wrote it"
        yield Identity(None)
        yield "."

    server = emulator_factory(agent=skilled)
    with make_client(server) as client:
        task = create(client, "agent-skilled", "go")
        stream = read_stream(client, server.organization_id, task["id"])
        chunks = [(e["data"], e.get("identity")) for e in stream.events if e["type"] == "chunk"]
        researcher = {"name": "Researcher", "icon": "https://example.com/r.png"}
        assert chunks == [
            ("found ", researcher),
            ("it", researcher),
            (", wrote it", {"name": "Writer", "icon": None}),
            (".", None),
        ]
        assert all("identity" not in e for e in stream.events if e["type"] != "chunk")
        done = client.get(f"/agent-execution/{task['id']}/status").json()
        assert done["result"] == "found it, wrote it."


def test_a_sync_generator_agent_sets_identities_too(
    emulator_factory: Callable[..., EmulatorServer],
) -> None:
    def skilled(task_input: dict[str, Any]) -> Any:
        yield Identity("Planner", "📋")
        yield "plan"

    server = emulator_factory(agent=skilled)
    with make_client(server) as client:
        task = create(client, "agent-sync-skilled")
        stream = read_stream(client, server.organization_id, task["id"])
        (chunk,) = [e for e in stream.events if e["type"] == "chunk"]
        assert chunk["identity"] == {"name": "Planner", "icon": "📋"}
