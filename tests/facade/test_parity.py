"""The published SDK's newer Tasks surface, against the emulator: every argument and field.

Covers what xpander-sdk 2.0.537 added: ``principal``, ``attachments``, the per-task LLM
overrides, ``harness_cli`` / ``permission_mode`` (normalised), ``tool_call_limit``; the
Task, TasksListItem and event fields that came with them; ``report_metrics`` and
``get_plan_following_status``; and ``TasksListItem.load(configuration=...)``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from xpander_sdk import (
    AgentExecutionStatus,
    AttachmentKind,
    AttachmentRef,
    Configuration,
    DeepPlanning,
    DeepPlanningItem,
    LLMReasoningEffort,
    PlanFollowingStatus,
    Principal,
    PrincipalKind,
    Task,
    Tasks,
    TaskUpdateEventType,
    Tokens,
)
from xpander_sdk.emulator import Identity


def _reports(emulator: Any, task_id: str) -> list[dict[str, Any]]:
    answer = httpx.get(
        f"{emulator.base_url}/_emulator/metrics",
        params={"task_id": task_id},
        headers={"x-api-key": emulator.api_key},
    )
    answer.raise_for_status()
    return [m["report"] for m in answer.json()["metrics"]]


NEWER = {
    "llm_model_provider": "openai",
    "llm_model_name": "gpt-x",
    "tool_call_limit": 7,
}


@pytest.mark.parametrize("form", ["models", "mappings"])
def test_create_sends_every_newer_argument_and_reads_it_back(tasks: Tasks, form: str) -> None:
    if form == "models":
        principal: Any = Principal(kind=PrincipalKind.slack, id="U123", email="ada@example.com")
        attachments: Any = [
            AttachmentRef(url="https://f.example/a.pdf", name="a.pdf", kind=AttachmentKind.pdf),
        ]
        effort: Any = LLMReasoningEffort.XHigh
    else:
        principal = {"kind": "slack", "id": "U123", "email": "ada@example.com"}
        attachments = [{"url": "https://f.example/a.pdf", "name": "a.pdf", "kind": "pdf"}]
        effort = "xhigh"
    created = tasks.create(
        agent_id="agent-parity",
        prompt="p",
        file_urls=["https://f.example/a.pdf"],
        principal=principal,
        attachments=attachments,
        llm_reasoning_effort=effort,
        harness_cli="  Claude-Code ",
        permission_mode=" GATED",
        **NEWER,
    )
    for task in (created, tasks.get(created.id)):
        assert task.llm_model_provider == "openai"
        assert task.llm_model_name == "gpt-x"
        assert task.tool_call_limit == 7
        assert task.llm_reasoning_effort is LLMReasoningEffort.XHigh
        assert task.harness_cli == "claude-code"
        assert task.permission_mode == "gated"
        assert task.input.principal.kind is PrincipalKind.slack
        assert (task.input.principal.id, task.input.principal.email) == ("U123", "ada@example.com")
        (ref,) = task.input.attachments
        assert (ref.url, ref.name, ref.kind) == (
            "https://f.example/a.pdf",
            "a.pdf",
            AttachmentKind.pdf,
        )


async def test_acreate_takes_the_same_arguments(atasks: Tasks) -> None:
    # principal is the sixth positional argument, as published
    task = await atasks.acreate(
        "agent-parity", None, "p", None, None, {"kind": "user", "id": "u-1"},
        llm_reasoning_effort="low", harness_cli="   ", permission_mode=None, **NEWER,
    )  # fmt: skip
    assert task.input.principal.id == "u-1"
    assert task.llm_reasoning_effort is LLMReasoningEffort.Low
    assert task.harness_cli is None  # blank is null
    assert task.permission_mode is None


def test_principal_and_attachments_are_sent_only_when_given(tasks: Tasks) -> None:
    task = tasks.create(agent_id="agent-parity", prompt="p", attachments=[])
    body = task.to_dict()["input"]
    assert body.get("principal") is None
    assert not body.get("attachments")


BAD: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"principal": {"kind": "user", "id": "a:b"}}, ValueError, "principal.id"),
    ({"principal": {"kind": "user", "id": "a b"}}, ValueError, "principal.id"),
    ({"principal": {"kind": "user", "id": ""}}, ValueError, "principal.id"),
    ({"principal": {"kind": "robot", "id": "x"}}, ValueError, "principal"),
    ({"principal": "U123"}, TypeError, "principal"),
    ({"tool_call_limit": -1}, ValueError, "tool_call_limit"),
    ({"tool_call_limit": "5"}, TypeError, "tool_call_limit"),
    ({"tool_call_limit": True}, TypeError, "tool_call_limit"),
    ({"llm_reasoning_effort": "extreme"}, ValueError, "llm_reasoning_effort"),
    ({"llm_model_name": 5}, TypeError, "llm_model_name"),
    ({"harness_cli": 3}, TypeError, "harness_cli"),
    ({"attachments": "https://f.example/a.pdf"}, TypeError, "attachments"),
    ({"attachments": [{"name": "no url"}]}, ValueError, "attachments[0]"),
    ({"attachments": [{"url": "u", "kind": "spreadsheet"}]}, ValueError, "attachments[0].kind"),
    ({"attachments": [{"url": "u", "size": -1}]}, ValueError, "attachments[0].size"),
]


@pytest.mark.parametrize(("args", "error", "names"), BAD, ids=lambda v: str(v)[:40])
def test_bad_newer_arguments_raise_before_any_request(
    tasks: Tasks, emulator: Any, args: dict[str, Any], error: type[Exception], names: str
) -> None:
    before = emulator.stats()["requests"]
    with pytest.raises(error, match=names.replace("[", r"\[").replace("]", r"\]")):
        tasks.create(agent_id="agent-bad", prompt="p", **args)
    assert emulator.stats()["requests"] == before


def test_list_items_carry_the_newer_fields_and_load_with_a_configuration(
    tasks: Tasks, configuration: Configuration
) -> None:
    task = tasks.create(agent_id="agent-list-new", prompt="p")
    (item,) = tasks.list("agent-list-new")
    for name in ("execution_kind", "process", "conversation_kind"):
        assert hasattr(item, name) and getattr(item, name) is None
    other = configuration.copy_with()  # another configuration: another kept client
    loaded = item.load(configuration=other)
    assert loaded.id == task.id and loaded.tasks is not tasks
    assert loaded.tasks is Tasks.shared(other)


async def test_list_items_aload_with_a_configuration(
    atasks: Tasks, configuration: Configuration
) -> None:
    task = await atasks.acreate(agent_id="agent-list-new-a", prompt="p")
    (item,) = await atasks.alist("agent-list-new-a")
    assert (await item.aload(configuration=configuration)).id == task.id


def test_report_metrics_sends_what_the_task_holds(tasks: Tasks, emulator: Any) -> None:
    task = tasks.create(agent_id="agent-metrics", prompt="count the rows", llm_model_name=" GPT-X ")
    with pytest.raises(ValueError, match="tokens"):
        task.report_metrics()
    assert _reports(emulator, task.id) == []  # refused before any request
    task.tokens = Tokens(completion_tokens=3, prompt_tokens=4, total_tokens=7)
    task.used_tools = ["search"]
    task.result = "42 rows"
    task.report_metrics()
    (report,) = _reports(emulator, task.id)
    assert report["execution_id"] == report["memory_thread_id"] == task.id
    assert report["task"] == "count the rows"
    assert report["ai_model"] == "gpt-x"
    assert report["api_calls_made"] == ["search"]
    assert report["result"] == "42 rows"
    assert report["status"] == "pending"
    worker = report["llm_tokens"]["worker"]
    assert (worker["completion_tokens"], worker["prompt_tokens"], worker["total_tokens"]) == (
        3,
        4,
        7,
    )


async def test_areport_metrics_and_an_orchestration_run(atasks: Tasks, emulator: Any) -> None:
    task = await atasks.acreate(
        agent_id="agent-metrics", prompt="p", source="orchestration", return_metrics=True
    )
    task.tokens = Tokens(completion_tokens=1, prompt_tokens=1, total_tokens=2)
    task.used_tools = ["x"]
    await task.areport_metrics()
    (report,) = _reports(emulator, task.id)
    # An orchestration run that returns its metrics reports none of its own (as published).
    assert report["api_calls_made"] == [] and not (report.get("llm_tokens") or {}).get("worker")
    assert report["ai_model"] == "xpander"


def _plan(enabled: bool = True, done: tuple[bool, ...] = (True, False)) -> DeepPlanning:
    items = [
        DeepPlanningItem(id=str(i), title=f"step {i}", completed=c) for i, c in enumerate(done)
    ]
    return DeepPlanning(
        enabled=enabled, enforce=True, started=True, question_raised=False, tasks=items
    )


def test_plan_following_status(tasks: Tasks) -> None:
    task = tasks.create(agent_id="agent-plan", prompt="p")
    assert task.get_plan_following_status() == PlanFollowingStatus(can_finish=True)

    task.deep_planning = _plan()
    task.save(with_deep_plan_update=True)
    status = task.get_plan_following_status()
    assert status.can_finish is False
    assert [item.title for item in status.uncompleted_tasks] == ["step 1"]

    task.result = "Which region should I use?"  # local, kept across the reload
    assert task.get_plan_following_status().can_finish is True
    assert task.result == "Which region should I use?"

    task.result = "done"
    task.deep_planning = _plan(done=(True, True))
    task.save(with_deep_plan_update=True)
    assert task.get_plan_following_status().can_finish is True


async def test_aplan_following_status(atasks: Tasks) -> None:
    task = await atasks.acreate(agent_id="agent-plan", prompt="p")
    task.deep_planning = _plan(done=(False, False))
    await task.asave(with_deep_plan_update=True)
    status = await task.aget_plan_following_status()
    assert not status.can_finish and len(status.uncompleted_tasks) == 2


async def narrated(task_input: dict[str, Any]) -> AsyncIterator[Any]:
    yield Identity("Search", icon="magnifier")
    yield "looking"
    yield Identity(None)
    yield "done"


async def test_events_carry_the_identity_of_who_produced_them(
    emulator_factory: Callable[..., Any],
) -> None:
    server = emulator_factory(agent=narrated, step_delay=0.0)
    config = Configuration(api_key=server.api_key, base_url=server.base_url)
    async with Tasks(configuration=config) as tasks:
        task = await tasks.acreate(agent_id="agent-id", prompt="p", events_streaming=True)
        chunks = [e async for e in task.aevents() if e.type is TaskUpdateEventType.Chunk]
    assert [(c.data, c.identity and (c.identity.name, c.identity.icon)) for c in chunks] == [
        ("looking", ("Search", "magnifier")),
        ("done", None),
    ]


def test_task_fields_of_the_newer_platform_are_typed(tasks: Tasks) -> None:
    task = tasks.create(agent_id="agent-typed", prompt="p", tool_call_limit=0)
    fields = Task.__annotations__
    for name in (
        "conversation_id", "conversation_kind", "should_update_parent", "execution_kind",
        "is_gateway", "is_app", "background_auth_eligible", "tool_call_limit", "must_deep_plan",
        "llm_model_provider", "llm_model_name", "llm_reasoning_effort", "harness_cli",
        "permission_mode",
    ):  # fmt: skip
        assert name in fields
        assert name in task.to_dict()  # every field is sent back as read
    assert task.tool_call_limit == 0
    assert asyncio.iscoroutinefunction(Task.areport_metrics)
    assert task.status is AgentExecutionStatus.Pending


def test_published_conveniences(tasks: Tasks, configuration: Configuration) -> None:
    task = tasks.create(agent_id="agent-conv", prompt="p", title="t", user_oidc_token="secret")
    assert task.configuration is configuration
    dumped = task.model_dump_safe(exclude={"user_oidc_token"})
    assert dumped["title"] == "t" and "user_oidc_token" not in dumped
    assert task.model_dump_safe(include={"id", "title"}) == {"id": task.id, "title": "t"}
    (item,) = tasks.list("agent-conv")
    as_json = item.to_dict()
    # The run goes on meanwhile (pending, then executing ...): the entry's own status, as JSON.
    assert as_json["id"] == task.id and as_json["status"] == item.status.value
    assert set(as_json) >= {"execution_kind", "process", "conversation_kind"}
