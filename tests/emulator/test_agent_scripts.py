"""Agent scripts and Python agents, over real sockets: every step kind from each source
(a file, PUT /_emulator/agents, a document from Python, a Python agent yielding typed
steps) makes the same events; rule matching (globs, substrings, regular expressions,
times) and the journal's closest-miss note; bad documents; pauses and both ways to resume;
structured results against the task's schema; a stream cut mid-run and resumed."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from emulator_helpers import create, make_client, read_stream, validator

from xpander_sdk import AgentExecutionStatus, Configuration, Tasks
from xpander_sdk.emulator import (
    AgentsError,
    AgentTask,
    Chunk,
    EmulatorServer,
    Event,
    Fail,
    Identity,
    Pause,
    Plan,
    Result,
    Status,
    Structured,
    Think,
    ToolCall,
    Wait,
)
from xpander_sdk.emulator.steps import Step

Factory = Callable[..., EmulatorServer]
AGENT, PROMPT = "billing-eu", "please refund invoice 2291"

# Every step kind but the ends, in the order a run makes them.
COMMON: list[dict[str, Any]] = [
    {"chunk": "Looking up the invoice"},
    {
        "tool_call": {
            "name": "lookup_invoice",
            "arguments": {"invoice": "2291"},
            "result": {"amount": 12.5},
            "seconds": 0.05,
            "id": "call-1",
        }
    },
    {
        "tool_call": {
            "name": "charge_card",
            "arguments": {"amount": -12.5},
            "result": "card declined",
            "is_error": True,
            "id": "call-2",
            "reasoning": {"title": "Refund", "description": "Give the money back"},
        }
    },
    {"think": {"title": "The refund is allowed", "thought": "Within 30 days", "id": "think-1"}},
    {"plan": [{"title": "Find invoice", "completed": True}, "Refund"]},
    {"identity": {"name": "Billing skill", "icon": "💳"}},
    {"chunk": "Refunding"},
    {"event": {"type": "analyze", "data": {"title": "Policy", "confidence": 0.9}}},
    {"identity": None},
    {"wait": 0.05},
    {"pause": {"wait_node_id": "approve-refund"}},
    {"chunk": " (approved)"},
]
ENDS: dict[str, dict[str, Any]] = {
    "result": {"result": "Refunded 12.50"},
    "structured": {"structured": {"total": 3}},
    "fail": {"fail": "Card declined"},
    "status": {"status": "error"},
}
END_STEPS: dict[str, Step] = {
    "result": Result("Refunded 12.50"),
    "structured": Structured({"total": 3}),
    "fail": Fail("Card declined"),
    "status": Status("error"),
}
OUTCOMES = {
    "result": ("completed", "Refunded 12.50"),
    "structured": ("completed", '{"total": 3}'),
    "fail": ("failed", "Card declined"),
    "status": ("error", None),
}


def python_agent(end: Step) -> Callable[[AgentTask], Iterator[object]]:
    """The script ``COMMON + ENDS[...]`` written as a Python agent."""

    def agent(task: AgentTask) -> Iterator[object]:
        assert task.prompt == PROMPT and task.agent_id == AGENT
        yield "Looking up the invoice"  # a plain value is a chunk, as before
        yield ToolCall(
            "lookup_invoice", {"invoice": "2291"}, {"amount": 12.5}, seconds=0.05, id="call-1"
        )
        yield ToolCall(
            "charge_card",
            {"amount": -12.5},
            "card declined",
            is_error=True,
            id="call-2",
            reasoning={"title": "Refund", "description": "Give the money back"},
        )
        yield Think("The refund is allowed", thought="Within 30 days", id="think-1")
        yield Plan([{"title": "Find invoice", "completed": True}, "Refund"])
        yield Identity("Billing skill", "💳")
        yield Chunk("Refunding")
        yield Event("analyze", {"title": "Policy", "confidence": 0.9})
        yield Identity(None)
        yield Wait(0.05)
        answer = yield Pause("approve-refund")
        assert answer is None  # resumed by a PATCH
        yield Chunk(" (approved)")
        yield end

    return agent


def rules(steps: list[dict[str, Any]]) -> dict[str, Any]:
    return {"agents": [{"name": "refunds", "match": {"agent_id": "billing-*"}, "steps": steps}]}


def wait_status(client: httpx.Client, task_id: str, status: str) -> dict[str, Any]:
    """The task once it has ``status`` (polled; pytest-timeout bounds the wait)."""
    while True:
        task: dict[str, Any] = client.get(f"/agent-execution/{task_id}/status").json()
        if task["status"] == status:
            return task
        time.sleep(0.01)


VOLATILE = frozenset({"id", "created_at", "started_at", "finished_at", "paused_at", "duration"})


def story(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A stream's events without what differs from run to run (ids, times)."""
    out = []
    for event in events:
        data = event["data"]
        if event["type"].startswith("task_"):
            data = {k: v for k, v in data.items() if k not in VOLATILE}
        out.append({"type": event["type"], "identity": event.get("identity"), "data": data})
    return out


def run_paused_script(server: EmulatorServer) -> list[dict[str, Any]]:
    """Create the task, resume it at its pause with a PATCH, and read its whole stream."""
    with make_client(server) as client:
        task = create(client, AGENT, PROMPT)
        paused = wait_status(client, task["id"], "paused")
        assert paused["hitl_request"] == {"wait_node_id": "approve-refund"}
        assert paused["paused_at"] is not None
        resumed = client.patch(
            f"/agent-execution/{task['id']}/update", json={"status": "executing"}
        ).json()
        assert resumed["hitl_request"] is None
        return read_stream(client, server.organization_id, task["id"]).events


def check_data_shapes(events: list[dict[str, Any]]) -> None:
    """Each event's data has the spec's schema for its type (the published SDK's models)."""
    schemas = {
        "tool_call_request": "ToolCallRequest",
        "think": "ToolCallRequest",
        "tool_call_result": "ToolCallResult",
        "plan_updated": "DeepPlanning",
    }
    for event in events:
        if event["type"] in schemas:
            validator(schemas[event["type"]]).validate(event["data"])


@pytest.mark.parametrize("end", list(ENDS))
def test_every_step_kind_makes_the_same_events_from_each_source(
    end: str, emulator_factory: Factory, tmp_path: Path
) -> None:
    script = rules([*COMMON, ENDS[end]])
    file = tmp_path / "agents.yaml"
    file.write_text(yaml.safe_dump(script, allow_unicode=True), encoding="utf-8")
    from_file = emulator_factory(step_delay=0.01, agents=str(file))
    over_http = emulator_factory(step_delay=0.01)
    with make_client(over_http) as client:
        assert client.put("/_emulator/agents", json=script).status_code == 200
    from_python = emulator_factory(step_delay=0.01, agents=script)
    python_agents = emulator_factory(
        step_delay=0.01,
        agents=[{"match": {"agent_id": "billing-*"}, "agent": python_agent(END_STEPS[end])}],
    )

    stories = {}
    for name, server in [
        ("file", from_file),
        ("http", over_http),
        ("python document", from_python),
        ("python agent", python_agents),
    ]:
        events = run_paused_script(server)
        check_data_shapes(events)
        stories[name] = story(events)

    first = stories["file"]
    for name, told in stories.items():
        assert told == first, f"{name} streamed other events than the file's script"
    assert [(e["type"], e["data"].get("status") if e["type"].startswith("task_") else None)
            for e in first] == [
        ("task_created", "pending"),
        ("task_updated", "executing"),
        ("chunk", None),
        ("tool_call_request", None),
        ("tool_call_result", None),
        ("tool_call_request", None),
        ("tool_call_result", None),
        ("think", None),
        ("plan_updated", None),
        ("chunk", None),
        ("analyze", None),
        ("task_updated", "paused"),
        ("task_updated", "executing"),
        ("chunk", None),
        ("task_updated", OUTCOMES[end][0]),
        ("task_finished", OUTCOMES[end][0]),
    ]  # fmt: skip
    lookup, looked_up, _, charged, think, plan = (e["data"] for e in first[3:9])
    assert lookup["request_id"] == looked_up["request_id"] == "call-1"
    assert (lookup["tool_name"], lookup["operation_id"], lookup["payload"]) == (
        "lookup_invoice",
        "lookup_invoice",
        {"invoice": "2291"},
    )
    assert (looked_up["result"], looked_up["is_error"]) == ({"amount": 12.5}, False)
    assert (charged["result"], charged["is_error"]) == ("card declined", True)
    assert charged["reasoning"] == {"title": "Refund", "description": "Give the money back"}
    assert think["tool_name"] == "think"
    assert think["payload"] == {
        "input": {"title": "The refund is allowed", "thought": "Within 30 days", "confidence": 0.8}
    }
    assert plan["tasks"] == [
        {"id": "1", "title": "Find invoice", "completed": True},
        {"id": "2", "title": "Refund", "completed": False},
    ]
    identities = [e["identity"] for e in first if not e["type"].startswith("task_")]
    billing = {"name": "Billing skill", "icon": "💳"}
    assert identities == [None] * 7 + [billing, billing, None]
    final = first[-1]["data"]
    assert (final["status"], final["result"]) == OUTCOMES[end]
    assert final["used_tools"] == ["lookup_invoice", "charge_card"]
    assert final["deep_planning"] == plan


def test_tool_calls_and_thoughts_join_the_activity_log(emulator_factory: Factory) -> None:
    server = emulator_factory(step_delay=0.01, agents=rules([*COMMON, ENDS["result"]]))
    run_paused_script(server)
    config = Configuration(
        api_key=server.api_key, base_url=server.base_url, organization_id=server.organization_id
    )
    with Tasks(configuration=config) as tasks:
        task = tasks.get(tasks.list(AGENT)[0].id)
        thread = task.get_activity_log().to_dict()
    entries = thread["messages"]
    assert [e.get("role") or e.get("tool_name") or e.get("type") for e in entries] == [
        "user",
        "lookup_invoice",
        "charge_card",
        "think",
        "agent",
    ]
    lookup, charge, think = entries[1:4]
    assert lookup["id"] == "call-1"
    assert (lookup["payload"], lookup["result"], lookup["is_error"]) == (
        {"invoice": "2291"},
        {"amount": 12.5},
        False,
    )
    assert (charge["result"], charge["is_error"]) == ("card declined", True)
    assert charge["reasoning"] == {"title": "Refund", "description": "Give the money back"}
    assert (think["title"], think["thought"], think["confidence"]) == (
        "The refund is allowed",
        "Within 30 days",
        0.8,
    )
    assert entries[-1]["content"] == {"text": "Refunded 12.50", "files": []}


def test_a_tool_call_without_an_id_gets_one_shared_by_its_result(
    emulator_factory: Factory,
) -> None:
    server = emulator_factory(
        step_delay=0.0, agents=rules([{"tool_call": {"name": "search"}}, {"think": "Hmm"}])
    )
    with make_client(server) as client:
        task = create(client, AGENT)
        events = read_stream(client, server.organization_id, task["id"]).events
    request, result, think = (e["data"] for e in events if not e["type"].startswith("task_"))
    assert request["request_id"] == result["request_id"]
    assert len(request["request_id"]) == 36  # a UUID, as the platform's
    assert think["request_id"] not in ("", request["request_id"])
    assert (request["payload"], result["result"]) == (None, None)
    assert think["payload"] == {"input": {"title": "Hmm", "confidence": 0.8}}


# -- which rule runs a task ---------------------------------------------------------------


def answer_of(client: httpx.Client, server: EmulatorServer, agent_id: str, prompt: str) -> str:
    task = create(client, agent_id, prompt)
    read_stream(client, server.organization_id, task["id"])
    result: str = client.get(f"/agent-execution/{task['id']}/status").json()["result"]
    return result


def test_rules_match_by_glob_substring_and_regex_in_order_with_times(
    emulator_factory: Factory,
) -> None:
    server = emulator_factory(
        step_delay=0.0,
        agents={
            "agents": [
                {"match": {"agent_id": "billing-*", "prompt": "refund"}, "times": 1,
                 "steps": [{"result": "first refund"}]},
                {"match": {"agent_id": "billing-*", "prompt": "re:^refund #\\d+$"},
                 "steps": [{"result": "numbered refund"}]},
                {"match": {"agent_id": "billing-[eu][us]"}, "steps": [{"result": "eu or us"}]},
                {"match": {"prompt": "refund"}, "steps": [{"result": "any agent"}]},
            ]
        },
    )  # fmt: skip
    with make_client(server) as client:
        assert answer_of(client, server, "billing-eu", "a refund") == "first refund"
        # times: 1, so the first rule is spent, and the next that matches runs
        assert answer_of(client, server, "billing-eu", "a refund") == "eu or us"
        assert answer_of(client, server, "billing-x", "refund #42") == "numbered refund"
        assert answer_of(client, server, "billing-x", "refund #42 now") == "any agent"
        assert answer_of(client, server, "billing-us", "hello") == "eu or us"
        assert answer_of(client, server, "billing-uu", "hello") == "eu or us"
        assert answer_of(client, server, "Billing-eu", "hello").startswith("Emulated answer")
        served = [r["served"] for r in client.get("/_emulator/agents").json()["agents"]]
    assert served == [1, 1, 3, 1]


def test_a_task_no_rule_matches_runs_the_default_agent_and_the_journal_says_why(
    emulator_factory: Factory,
) -> None:
    server = emulator_factory(
        step_delay=0.0,
        agents={
            "agents": [
                {"name": "vip", "match": {"agent_id": "vip-*", "prompt": "gold"},
                 "steps": [{"result": "vip"}]},
                {"name": "refunds", "match": {"agent_id": "billing-*", "prompt": "refund"},
                 "steps": [{"result": "refunded"}]},
            ]
        },
    )  # fmt: skip
    with make_client(server) as client:
        missed = create(client, "billing-eu", "where is my invoice?")
        hit = create(client, "billing-eu", "refund please")
        entries = {e["request_id"]: e for e in client.get("/_emulator/requests").json()["requests"]}
        by_path = [e for e in entries.values() if e["method"] == "POST"]
        assert by_path[0]["run"] == {
            "agent": "default",
            "rule": None,
            "note": "no rule matched; closest was agents[1] ('refunds'): "
            "prompt does not contain 'refund'",
        }
        assert by_path[1]["run"] == {"agent": "script", "rule": 1, "name": "refunds"}
        assert answer_of(client, server, "billing-eu", "refund again") == "refunded"
        ran = client.get(f"/_emulator/tasks/{missed['id']}/run").json()
        assert ran["run"]["agent"] == "default"
        assert client.get(f"/_emulator/tasks/{hit['id']}/run").json()["run"]["rule"] == 1
        assert client.get("/_emulator/tasks/nope/run").status_code == 404
        result = wait_status(client, missed["id"], "completed")["result"]
    assert result.startswith("Emulated answer to: where is my invoice?")


def test_a_rule_spent_by_times_is_named_as_such(emulator_factory: Factory) -> None:
    server = emulator_factory(
        step_delay=0.0, agents=[{"match": {"agent_id": "a"}, "times": 1, "steps": []}]
    )
    with make_client(server) as client:
        create(client, "a")
        create(client, "a")
        notes = [e["run"] for e in client.get("/_emulator/requests", params={"method": "POST"})
                 .json()["requests"]]  # fmt: skip
    assert notes[0]["agent"] == "script"
    assert notes[1]["note"] == "no rule matched; closest was agents[0]: served its 1 run (times)"


def test_python_agents_are_routed_per_agent_id_beside_scripts(emulator_factory: Factory) -> None:
    seen: list[AgentTask] = []

    async def sales(task: AgentTask) -> str:
        seen.append(task)
        return f"sales answer to {task.prompt}"

    def legacy(task_input: dict[str, Any]) -> str:  # the original one-argument contract
        return f"legacy answer to {task_input['text']}"

    server = emulator_factory(
        step_delay=0.0,
        agents=[
            {"match": {"agent_id": "sales-*"}, "agent": sales},
            {"match": {"agent_id": "legacy"}, "agent": legacy},
            {"match": {"agent_id": "script"}, "steps": [{"result": "scripted"}]},
        ],
    )
    with make_client(server) as client:
        task = create(
            client,
            "sales-1",
            "quote",
            title="A quote",
            instructions_override="be brief",
            output_format="json",
            output_schema={"type": "object"},
            user_oidc_token="oidc-SECRET",
        )
        assert answer_of(client, server, "script", "x") == "scripted"
        assert answer_of(client, server, "legacy", "hi") == "legacy answer to hi"
        assert wait_status(client, task["id"], "completed")["result"] == "sales answer to quote"
        document = client.get("/_emulator/agents").json()
    (got,) = seen
    assert (got.id, got.agent_id, got.prompt, got.title, got.instructions) == (
        task["id"],
        "sales-1",
        "quote",
        "A quote",
        "be brief",
    )
    assert (got.output_format, got.output_schema) == ("json", {"type": "object"})
    assert got.input["text"] == "quote" and got.task["user_oidc_token"] == "oidc-SECRET"
    assert "SECRET" not in repr(got)  # the task's secrets stay out of its repr
    assert document["agents"][0]["agent"].endswith(":test_python_agents_are_routed_per_agent_id"
                                                   "_beside_scripts.<locals>.sales")  # fmt: skip


def test_a_python_agent_ends_the_run_as_it_chooses(emulator_factory: Factory) -> None:
    async def stops(task_input: dict[str, Any]) -> Any:
        yield "partial"
        yield Status("stopped", "gave up")
        yield "never streamed"

    def returns(task_input: dict[str, Any]) -> Any:
        return Fail("nope")

    def returns_a_chunk(task_input: dict[str, Any]) -> Any:
        yield "head "
        return Chunk("tail")

    def bad_step(task_input: dict[str, Any]) -> Any:
        yield ToolCall("", {"x": 1})

    def raises(task_input: dict[str, Any]) -> Any:
        yield "before"
        raise RuntimeError("agent broke")

    server = emulator_factory(
        step_delay=0.0,
        agents=[
            {"match": {"agent_id": name}, "agent": agent}
            for name, agent in [
                ("stops", stops),
                ("returns", returns),
                ("returns-chunk", returns_a_chunk),
                ("bad", bad_step),
                ("raises", raises),
            ]
        ],
    )
    with make_client(server) as client:
        outcomes = {}
        for name in ("stops", "returns", "returns-chunk", "bad", "raises"):
            task = create(client, name)
            events = read_stream(client, server.organization_id, task["id"]).events
            final = events[-1]["data"]
            chunks = [e["data"] for e in events if e["type"] == "chunk"]
            outcomes[name] = (final["status"], final["result"], chunks)
    assert outcomes["stops"] == ("stopped", "gave up", ["partial"])
    assert outcomes["returns"] == ("failed", "nope", [])
    assert outcomes["returns-chunk"] == ("completed", "head tail", ["head ", "tail"])
    status, result, _ = outcomes["bad"]
    assert status == "failed"
    assert "tool_call.name: must be a non-empty string" in result
    assert outcomes["raises"] == ("failed", "RuntimeError: agent broke", ["before"])


# -- documents: loading, replacing, refusing ------------------------------------------------


def test_a_bad_document_is_refused_naming_rule_step_and_problem_and_the_old_rules_stay(
    emulator_factory: Factory,
) -> None:
    good = rules([{"result": "old rules"}])
    server = emulator_factory(step_delay=0.0, agents=good)
    bad = {
        "agents": [
            {"name": "ok", "steps": [{"chunk": "fine"}]},
            {"name": "broken", "steps": [{"chunk": "a"}, {"chunk": "b"}, {"wait": "soon"}]},
            {"match": {"prompt": "re:(unclosed"}, "steps": []},
            {"steps": [{"result": "done"}, {"chunk": "after the end"}]},
            {"steps": [{"tool_call": {"arguments": {}}}]},
            {"steps": [{"teleport": 1}]},
            {"agent": "os:getcwd"},
        ]
    }
    with make_client(server) as client:
        refused = client.put("/_emulator/agents", json=bad)
        assert refused.status_code == 422
        body = refused.json()
        assert body["detail"].startswith(
            "Not a valid agents document: agents[1] ('broken') steps[2] wait: "
            "must be a number of seconds"
        )
        assert [(e["field"], e["reason"]) for e in body["errors"]] == [
            ("agents[1].steps[2].wait", "must be a number of seconds"),
            ("agents[2].match.prompt",
             "not a regular expression: missing ), unterminated subpattern at position 0"),
            ("agents[3].steps[1]", "never runs: step 0 (result) ends the run before it"),
            ("agents[4].steps[0].tool_call.name", "is required"),
            ("agents[5].steps[0]", "unknown step kind 'teleport': one of chunk, tool_call, "
             "think, plan, identity, wait, pause, result, structured, fail, status, event"),
            ("agents[6].agent",
             "Python agents are set from Python or a file (--agents), not over HTTP"),
        ]  # fmt: skip
        assert client.get("/_emulator/agents").json()["agents"][0]["steps"] == [
            {"result": "old rules"}
        ]
        assert answer_of(client, server, AGENT, "x") == "old rules"
        not_json = client.put(
            "/_emulator/agents", content=b"agents: []", headers={"content-type": "text/plain"}
        )
        assert not_json.status_code == 400
        assert "YAML with Content-Type: application/yaml" in not_json.json()["detail"]
        aliased = b"steps: &s [{chunk: a}]\nagents: [{steps: *s}]\n"
        refused_yaml = client.put(
            "/_emulator/agents", content=aliased, headers={"content-type": "application/yaml"}
        )
        assert refused_yaml.status_code == 400
        assert "anchors and aliases are not supported" in refused_yaml.json()["detail"]
        assert client.get("/_emulator/agents").json()["agents"][0]["steps"] == [
            {"result": "old rules"}
        ]
    with pytest.raises(AgentsError, match=r"agents\[0\] steps\[0\] status: must be one of"):
        server.set_agents([{"steps": [{"status": "done"}]}])
    assert server.get_agents()["agents"][0]["steps"] == [{"result": "old rules"}]


def test_yaml_over_http_get_round_trips_and_delete_clears(emulator_factory: Factory) -> None:
    server = emulator_factory(step_delay=0.0)
    text = (
        "agents:\n"
        "  - name: hello\n"
        "    match: {agent_id: 'greeter-*'}\n"
        "    steps:\n"
        "      - chunk: Hello\n"
        "      - result: Hi there\n"
    )
    with make_client(server) as client:
        put = client.put(
            "/_emulator/agents", content=text.encode(), headers={"content-type": "application/yaml"}
        )
        assert put.status_code == 200
        document = client.get("/_emulator/agents").json()
        assert document == {
            "agents": [
                {
                    "name": "hello",
                    "match": {"agent_id": "greeter-*"},
                    "steps": [{"chunk": "Hello"}, {"result": "Hi there"}],
                    "served": 0,
                }
            ]
        }
        assert client.put("/_emulator/agents", json=document).status_code == 200  # round trip
        assert answer_of(client, server, "greeter-1", "x") == "Hi there"
        assert client.delete("/_emulator/agents").json() == {"cleared": True}
        assert client.get("/_emulator/agents").json() == {"agents": []}
        assert answer_of(client, server, "greeter-1", "x").startswith("Emulated answer")
        unauthorized = httpx.get(f"{server.base_url}/_emulator/agents")
        assert unauthorized.status_code == 401


def test_xpander_emulator_refuses_a_bad_agents_file_at_start(tmp_path: Path) -> None:
    file = tmp_path / "agents.yaml"
    file.write_text("agents:\n  - steps:\n      - wait: -1\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "xpander_sdk.emulator", "--port", "0", "--agents", str(file)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert f"{file}: Not a valid agents document: agents[0] steps[0] wait: must be from 0" in (
        done.stderr
    )


# -- pauses ---------------------------------------------------------------------------------


def test_a_pause_resumes_when_a_create_brings_the_answer(emulator_factory: Factory) -> None:
    answers: list[str | None] = []

    async def approver(task_input: dict[str, Any]) -> AsyncIterator[object]:
        yield "Asking"
        answers.append((yield Pause("approve")))
        yield Result(f"approved by {answers[-1]}")

    server = emulator_factory(
        step_delay=0.0,
        agents=[
            {"match": {"agent_id": "scripted"}, "steps": [{"pause": "approve"}, {"chunk": "go"}]},
            {"match": {"agent_id": "python"}, "agent": approver},
        ],
    )
    config = Configuration(
        api_key=server.api_key, base_url=server.base_url, organization_id=server.organization_id
    )
    with Tasks(configuration=config) as tasks, make_client(server) as client:
        for agent_id in ("scripted", "python"):
            task = tasks.create(agent_id=agent_id, prompt="refund?", events_streaming=True)
            paused = wait_status(client, task.id, "paused")
            assert paused["hitl_request"] == {"wait_node_id": "approve"}
            again = tasks.create(
                agent_id=agent_id,
                prompt="yes, Ada",
                existing_task_id=task.id,
                events_streaming=True,
            )
            assert again.id == task.id
            assert again.hitl_request is None
            final = again.wait_for_completion(timeout=60)
            assert final.status is AgentExecutionStatus.Completed
            statuses = [
                e.data.status.value for e in final.events() if e.type.startswith("task_updated")
            ]
            assert statuses == ["executing", "paused", "pending", "executing", "completed"]
        assert tasks.list("scripted")[0].result == "go"
        assert tasks.list("python")[0].result == "approved by yes, Ada"
        # the create named a paused task: its run went on, no new rule was picked
        assert [e.get("run") for e in server.requests(method="POST")][1] is None
    assert answers == ["yes, Ada"]


def test_a_paused_task_stopped_or_patched_elsewhere_ends_its_run(
    emulator_factory: Factory,
) -> None:
    server = emulator_factory(
        step_delay=0.0, agents=rules([{"pause": None}, {"chunk": "never"}, {"result": "never"}])
    )
    with make_client(server) as client:
        stopped = create(client, AGENT)
        wait_status(client, stopped["id"], "paused")
        assert client.delete(f"/agent-execution/{stopped['id']}").json()["status"] == "stopped"
        failed = create(client, AGENT)
        wait_status(client, failed["id"], "paused")
        client.patch(f"/agent-execution/{failed['id']}/update", json={"status": "failed"})
        for task in (stopped, failed):
            events = read_stream(client, server.organization_id, task["id"]).events
            assert "chunk" not in [e["type"] for e in events]
        assert client.get(f"/agent-execution/{failed['id']}/status").json()["result"] is None


# -- structured results -----------------------------------------------------------------------

SCHEMA = {
    "type": "object",
    "properties": {"total": {"type": "integer"}, "items": {"type": "array"}},
    "required": ["total"],
}


@pytest.mark.parametrize(
    ("value", "status", "result"),
    [
        ({"total": 3, "items": []}, "completed", '{"total": 3, "items": []}'),
        (
            {"total": "three"},
            "failed",
            "The structured result does not fit the task's output_schema: "
            "at $.total: 'three' is not of type 'integer'",
        ),
        (
            {"items": [1]},
            "failed",
            "The structured result does not fit the task's output_schema: "
            "at $: 'total' is a required property",
        ),
    ],
)
def test_a_structured_result_is_checked_against_the_tasks_output_schema(
    value: Any, status: str, result: str, emulator_factory: Factory
) -> None:
    server = emulator_factory(step_delay=0.0, agents=rules([{"structured": value}]))
    with make_client(server) as client:
        task = create(client, AGENT, output_format="json", output_schema=SCHEMA)
        done = read_stream(client, server.organization_id, task["id"]).events[-1]["data"]
    assert (done["status"], done["result"]) == (status, result)
    if status == "completed":
        assert json.loads(done["result"]) == value


def test_a_task_without_an_output_schema_takes_any_structured_result(
    emulator_factory: Factory,
) -> None:
    server = emulator_factory(step_delay=0.0, agents=rules([{"structured": [1, "two", None]}]))
    with make_client(server) as client:
        task = create(client, AGENT)
        done = read_stream(client, server.organization_id, task["id"]).events[-1]["data"]
        broken = create(client, AGENT, output_schema={"type": "no-such-type"})
        refused = read_stream(client, server.organization_id, broken["id"]).events[-1]["data"]
    assert (done["status"], done["result"]) == ("completed", '[1, "two", null]')
    assert refused["status"] == "failed"
    assert refused["result"].startswith("The task's output_schema is not a valid JSON schema")


# -- streams ----------------------------------------------------------------------------------


def test_a_stream_cut_mid_run_resumes_with_last_event_id_and_gets_every_event_once(
    emulator_factory: Factory,
) -> None:
    server = emulator_factory(step_delay=0.0, faults=True, agents=rules([*COMMON, ENDS["result"]]))
    org = server.organization_id
    with make_client(server) as client:
        task = create(client, AGENT, PROMPT)
        url = f"/{org}/agent-execution/{task['id']}/events"
        server.inject(kind="cut_stream", after_events=4, path="/events$")
        seen: list[int] = []

        def read(last: int | None, until: str | None = None) -> None:
            headers = {} if last is None else {"Last-Event-ID": str(last)}
            with client.stream("GET", url, headers=headers) as response:
                for line in response.iter_lines():
                    if line.startswith("id:"):
                        seen.append(int(line[3:]))
                    elif line.startswith("data:") and until and until in line:
                        return

        with pytest.raises(httpx.TransportError):
            read(None)  # cut after 4 events, while the run goes on
        assert len(seen) == 4
        # The rest of the run up to its pause (the run waits there, mid-run) ...
        read(seen[-1], until='"status":"paused"')
        client.patch(f"/agent-execution/{task['id']}/update", json={"status": "executing"})
        # ... and the rest after it, live, each time from the last id seen.
        read(seen[-1])
        whole = read_stream(client, org, task["id"])
    assert seen == whole.ids
    assert len(set(seen)) == len(seen) == 16
    assert whole.types[-1] == "task_finished"


# -- reset ----------------------------------------------------------------------------------


def test_a_reset_keeps_the_rules_and_counts_their_runs_from_zero(
    emulator_factory: Factory,
) -> None:
    server = emulator_factory(
        step_delay=0.0, agents=[{"match": {"agent_id": "once"}, "times": 1, "steps": []}]
    )
    with make_client(server) as client:
        create(client, "once")
        assert server.get_agents()["agents"][0]["served"] == 1
        server.reset()
        assert server.get_agents()["agents"][0]["served"] == 0
        task = create(client, "once")
        assert client.get(f"/_emulator/tasks/{task['id']}/run").json()["run"]["agent"] == "script"
