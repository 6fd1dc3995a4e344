"""A program written with the platform's published xpander-sdk (PyPI), run unchanged
against the emulator: `make compat` installs that SDK in a venv of its own (it pulls
over a hundred packages), starts the emulator and points XPANDER_BASE_URL at it.

Besides the guide's flows it uses every argument of the newest release's create, reports a
run's metrics, checks the plan-following status and reads event identities. It writes what
it created to ``$XPANDER_COMPAT_OUT`` (JSON), so `scripts/compat/read_back.py` can read the
task back through this project's SDK and check that every value arrived intact.
"""

import asyncio
import json
import os

from xpander_sdk.models.activity import (
    AgentActivityThreadMessage,
    AgentActivityThreadReasoning,
    AgentActivityThreadToolCall,
)
from xpander_sdk.models.deep_planning import DeepPlanning
from xpander_sdk.models.events import ToolCallRequest, ToolCallResult
from xpander_sdk.models.principal import PrincipalKind
from xpander_sdk.models.shared import Tokens
from xpander_sdk.modules.agents.models.agent import LLMReasoningEffort
from xpander_sdk.modules.tasks.models.task import AttachmentKind, AttachmentRef
from xpander_sdk.modules.tasks.sub_modules.task import Task

from xpander_sdk import AgentExecutionStatus, Principal, Tasks

# What the published SDK sends for the newer arguments below (it strips and lower-cases
# harness_cli and permission_mode), as the platform must hand it back.
EXPECTED = {
    "llm_model_provider": "openai",
    "llm_model_name": "gpt-x",
    "llm_reasoning_effort": "xhigh",
    "harness_cli": "codex",
    "tool_call_limit": 7,
    "permission_mode": "gated",
    "source": "compat",
}
EXPECTED_INPUT = {
    "text": "Read the Q3 report",
    "files": ["https://example.com/q3.pdf"],
    "principal": {
        "kind": "slack",
        "id": "U123",
        "email": "ann@example.com",
        "display_name": "Ann",
    },
    "attachment": {
        "url": "https://example.com/q3.pdf",
        "name": "q3.pdf",
        "mime": "application/pdf",
        "size": 12345,
        "kind": "pdf",
        "sha256": "ab" * 32,
    },
}
TOKENS = {"prompt_tokens": 7, "completion_tokens": 5}


async def guide_flows(tasks: Tasks) -> None:
    t = await tasks.acreate(
        agent_id="agent123",
        prompt="Analyze the sales data",
        file_urls=["https://example.com/data.csv"],
        events_streaming=True,
    )
    print("created", t.id, t.status)
    n = 0
    identities = set()
    async for ev in t.aevents():
        n += 1
        if ev.identity is not None:
            identities.add(ev.identity.name)
        print("  event", ev.type, ev.identity.name if ev.identity else "")
    print("events", n, "identities", sorted(identities))
    # the emulator runs with examples/compat_agent.py, which names its skill
    assert identities == {"Compat skill"}, identities
    lst = await tasks.alist(agent_id="agent123")
    print("listed", [x.id for x in lst])
    print("list item newer fields", lst[0].execution_kind, lst[0].process, lst[0].conversation_kind)
    loaded = await lst[0].aload(configuration=tasks.configuration)
    print("list item loaded", loaded.id)
    s = await tasks.aget(task_id=t.id)
    await s.aset_status(AgentExecutionStatus.Completed)
    await s.asave()
    print("saved", (await tasks.aget(task_id=t.id)).status)
    s.stop()
    print("stopped", s.status, s.is_manually_stopped)
    s.set_status(AgentExecutionStatus.Paused)
    print("paused", s.status)
    await s.astop()
    print("stopped again", s.status)
    u = await tasks.aupdate(task_id=t.id, status=AgentExecutionStatus.Failed, result="r")
    print("updated", u.status, u.result)
    r = await Task.areport_external_task(agent_id="agent123", input="x", result="y")
    print("reported", r.status)
    ev2 = list(tasks.create(agent_id="agent123", prompt="sync", events_streaming=True).events())
    print("sync events", len(ev2))
    assert n == len(ev2) and n >= 4


async def newer_arguments(tasks: Tasks) -> dict:
    """A create with every argument the newest release added, read back, metrics reported."""
    attachment = EXPECTED_INPUT["attachment"]
    t = await tasks.acreate(
        agent_id="agent-compat",
        prompt=EXPECTED_INPUT["text"],
        file_urls=EXPECTED_INPUT["files"],
        source="compat",
        principal=Principal(
            kind=PrincipalKind.slack, id="U123", email="ann@example.com", display_name="Ann"
        ),
        attachments=[
            AttachmentRef(
                url=attachment["url"],
                name=attachment["name"],
                mime=attachment["mime"],
                size=attachment["size"],
                kind=AttachmentKind.pdf,
                sha256=attachment["sha256"],
            )
        ],
        llm_model_provider="openai",
        llm_model_name="gpt-x",
        llm_reasoning_effort=LLMReasoningEffort.XHigh,
        harness_cli="  Codex ",
        tool_call_limit=7,
        permission_mode=" GATED ",
    )
    again = await tasks.aget(task_id=t.id)
    for task in (t, again):
        got = {name: getattr(task, name) for name in EXPECTED}
        got["llm_reasoning_effort"] = getattr(got["llm_reasoning_effort"], "value", None)
        assert got == EXPECTED, got
        assert task.input.principal is not None and task.input.principal.id == "U123"
        assert [a.url for a in task.input.attachments] == [attachment["url"]]
        assert task.background_auth_eligible is False
    print("newer arguments read back by the published SDK:", again.llm_model_name)

    again.tokens = Tokens(**TOKENS)
    await again.areport_metrics()
    print("metrics reported for", again.id)
    status = await again.aget_plan_following_status()
    assert status.can_finish, status
    print("plan following: can finish", status.can_finish)
    return {
        "task_id": t.id,
        "expected": EXPECTED,
        "expected_input": EXPECTED_INPUT,
        "tokens": TOKENS,
    }


async def scripted_run(tasks: Tasks) -> None:
    """A scripted agent's events (examples/compat_agents.yaml): each one's data read with
    the published SDK's own models, and the tool calls and thought in its activity log."""
    t = await tasks.acreate(agent_id="scripted-compat", prompt="refund 2291", events_streaming=True)
    models = {
        "tool_call_request": ToolCallRequest,
        "tool_call_result": ToolCallResult,
        "think": ToolCallRequest,
        "plan_updated": DeepPlanning,
    }
    seen = []
    async for ev in t.aevents():
        kind = getattr(ev.type, "value", ev.type)
        if kind in models:
            data = ev.data.model_dump() if hasattr(ev.data, "model_dump") else ev.data
            parsed = models[kind].model_validate(data)
            seen.append(kind)
            if kind == "tool_call_result":
                assert parsed.tool_name in ("lookup_invoice", "charge_card"), parsed
                assert parsed.is_error == (parsed.tool_name == "charge_card"), parsed
            if kind == "plan_updated":
                assert [i.completed for i in parsed.tasks] == [True, False], parsed
            assert ev.identity is not None and ev.identity.name == "Billing skill", ev
    assert seen == ["tool_call_request", "tool_call_result"] * 2 + ["think", "plan_updated"], seen
    await t.areload()
    assert t.status == AgentExecutionStatus.Completed and t.result == "Refunded 12.50", t.status
    assert [p.completed for p in t.deep_planning.tasks] == [True, False]
    log = await t.aget_activity_log()
    calls = [m for m in log.messages if isinstance(m, AgentActivityThreadToolCall)]
    thoughts = [m for m in log.messages if isinstance(m, AgentActivityThreadReasoning)]
    assert [(c.tool_name, c.payload, c.result, c.is_error) for c in calls] == [
        ("lookup_invoice", {"invoice": "2291"}, {"amount": 12.5}, False),
        ("charge_card", {"amount": -12.5}, "card declined", True),
    ], log.messages
    assert calls[0].reasoning.title == "Find it", calls[0]
    assert [(r.title, r.thought, r.confidence) for r in thoughts] == [
        ("The refund is allowed", "Within 30 days", 0.8)
    ], log.messages
    # Messages as the published SDK reads them: content.text (an AgentActivityThreadMessage)
    said = [
        (m.role, m.content.text) for m in log.messages if isinstance(m, AgentActivityThreadMessage)
    ]
    assert said[0] == ("user", t.input.text) and said[-1] == ("agent", "Refunded 12.50"), said
    print(f"scripted run: {', '.join(seen)}; activity: {len(calls)} calls, {len(thoughts)} thought")


async def main() -> None:
    tasks = Tasks()
    await guide_flows(tasks)
    await scripted_run(tasks)
    created = await newer_arguments(tasks)
    out = os.environ.get("XPANDER_COMPAT_OUT")
    if out:
        with open(out, "w") as f:
            json.dump(created, f, indent=1)


asyncio.run(main())
