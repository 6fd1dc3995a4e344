"""The rest of the Tasks / Task surface against the emulator: what a user does after the guide."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from typing import Any

import pytest

from xpander_sdk import (
    AgentExecutionStatus,
    Configuration,
    OutputFormat,
    Task,
    Tasks,
    TaskUpdateEventType,
    TaskWaitTimeout,
    ThinkMode,
    Tokens,
    User,
)


def test_create_sends_every_argument_under_the_published_names(tasks: Tasks) -> None:
    task = tasks.create(
        agent_id="agent-full",
        prompt="Full create",
        file_urls=["https://example.com/a.pdf"],
        user_details=User(email="ada@example.com", id="user-ada", first_name="Ada"),
        agent_version="7",
        tool_call_payload_extension={"region": "eu"},
        source="tests",
        worker_id="worker-1",
        run_locally=False,
        output_format=OutputFormat.Json,
        output_schema={"type": "object"},
        events_streaming=True,
        additional_context="context",
        instructions_override="be brief",
        test_run_node_id="node-1",
        user_oidc_token="oidc-secret",
        expected_output="a table",
        mcp_servers=[{"name": "srv", "url": "https://mcp.example.com", "api_key": "k"}],
        triggering_agent_id="agent-parent",
        title="The full create",
        think_mode=ThinkMode.Harder,
        disable_attachment_injection=True,
        return_metrics=True,
        user_tokens={"github": "tok"},
    )
    fetched = tasks.get(task.id)
    assert fetched.agent_version == "7"  # sent as the x-agent-version header
    assert fetched.payload_extension == {"region": "eu"}
    assert fetched.output_format is OutputFormat.Json
    assert fetched.think_mode is ThinkMode.Harder
    assert fetched.title == "The full create"
    assert fetched.input.user is not None and fetched.input.user.email == "ada@example.com"
    assert fetched.mcp_servers == [
        {"name": "srv", "url": "https://mcp.example.com", "api_key": "k"}
    ]
    assert (fetched.events_streaming, fetched.return_metrics) == (True, True)
    assert fetched.triggering_agent_id == "agent-parent"


def test_list_filters_and_user_tasks(tasks: Tasks) -> None:
    agent = "agent-filters"
    mine = tasks.create(agent_id=agent, prompt="a", user_details={"email": "u@x", "id": "user-42"})
    other = tasks.create(agent_id=agent, prompt="b")
    tasks.update(other.id, status=AgentExecutionStatus.Paused)

    by_user = tasks.list(agent, filters={"user_id": "user-42"})
    paused = tasks.list(agent, filters={"status": AgentExecutionStatus.Paused})
    users = tasks.list_user_tasks("user-42")

    assert [t.id for t in by_user] == [mine.id]
    assert [t.id for t in paused] == [other.id]
    assert mine.id in {t.id for t in users} and other.id not in {t.id for t in users}


async def test_list_items_load_the_whole_task(atasks: Tasks) -> None:
    created = await atasks.acreate(agent_id="agent-items", prompt="whole")
    [item] = await atasks.alist("agent-items")
    loaded = await item.aload()
    assert isinstance(loaded, Task) and loaded.id == created.id
    assert loaded.input.text == "whole"
    assert item.load().id == created.id


def test_update_changes_only_what_it_is_given(tasks: Tasks) -> None:
    task = tasks.create(agent_id="agent-upd", prompt="p", title="kept", source="orig")
    updated = tasks.update(task.id, result="r1", last_executed_node_id="n1")
    assert (updated.result, updated.last_executed_node_id) == ("r1", "n1")
    assert (updated.title, updated.source) == ("kept", "orig")
    updated = tasks.update(task.id, tool_call_payload_extension={"x": 1}, source="new")
    assert updated.payload_extension == {"x": 1} and updated.source == "new"
    assert updated.result == "r1"


def test_save_sends_changed_fields_and_takes_the_answer_back(tasks: Tasks) -> None:
    task = tasks.create(agent_id="agent-save", prompt="p", title="before")
    task.title = "after"
    task.internal_status = "step 3 of 5"
    assert task.changes() == {"title": "after", "internal_status": "step 3 of 5"}
    task.save()
    assert task.changes() == {}
    fresh = tasks.get(task.id)
    assert (fresh.title, fresh.internal_status) == ("after", "step 3 of 5")


def test_any_status_may_follow_stopped_as_the_published_tests_do(tasks: Tasks) -> None:
    task = tasks.create(agent_id="agent-stop", prompt="p")
    task.stop()
    assert task.status is AgentExecutionStatus.Stopped and task.is_manually_stopped is True
    task.set_status(AgentExecutionStatus.Paused)
    assert tasks.get(task.id).status is AgentExecutionStatus.Paused
    task.stop()
    assert tasks.get(task.id).status is AgentExecutionStatus.Stopped


async def test_stop_ends_a_running_task_at_once(emulator_factory: Any) -> None:
    # The agent's second chunk waits for the gate, opened once the stop is answered: a run
    # the stop did not end would then stream it. (Not a race against the step delay.)
    gate = threading.Event()

    async def two_chunks(task_input: dict[str, Any]) -> AsyncIterator[str]:
        yield "first"
        await asyncio.to_thread(gate.wait, 30)
        yield "second"

    server = emulator_factory(agent=two_chunks)
    configuration = Configuration(
        api_key=server.api_key, base_url=server.base_url, organization_id=server.organization_id
    )
    try:
        async with Tasks(configuration) as atasks:
            task = await atasks.acreate(agent_id="agent-run", prompt="long", events_streaming=True)
            types = []
            async for event in task.aevents():
                types.append(event.type)
                if event.type == TaskUpdateEventType.Chunk:
                    stopped = await atasks.astop(task.id)
                    assert stopped.status is AgentExecutionStatus.Stopped
                    gate.set()
    finally:
        gate.set()
    assert types[-1] == TaskUpdateEventType.TaskFinished
    after_stop = types[types.index(TaskUpdateEventType.Chunk) + 1 :]
    assert TaskUpdateEventType.Chunk not in after_stop


def test_reload_reads_the_task_again_in_place(tasks: Tasks) -> None:
    task = tasks.create(agent_id="agent-reload", prompt="p")
    tasks.update(task.id, result="from elsewhere")
    assert task.result is None
    assert task.reload() is task and task.result == "from elsewhere"


def test_tasks_share_one_pool_and_load_reuses_a_kept_client(configuration: Configuration) -> None:
    with Tasks(configuration=configuration) as tasks:
        task = tasks.create(agent_id="agent-pool", prompt="p")
        assert task.tasks is tasks
        assert tasks.get(task.id).tasks is tasks
    first = Task.load(task.id, configuration=configuration)
    second = Task.load(task.id, configuration=configuration)
    assert first.tasks is second.tasks  # one client kept per configuration
    assert Tasks.shared(configuration) is first.tasks


async def test_load_and_report_external_task(configuration: Configuration) -> None:
    reported = await Task.areport_external_task(
        configuration=configuration,
        agent_id="agent-ext",
        input="What is 2+2?",
        llm_response={"choices": [{"text": "4"}]},
        tokens=Tokens(completion_tokens=1, prompt_tokens=5, total_tokens=6),
        result="4",
        duration=1.25,
        used_tools=["calculator"],
    )
    assert reported.status is AgentExecutionStatus.Completed
    assert reported.result == "4" and reported.used_tools == ["calculator"]
    loaded = await Task.aload(reported.id, configuration=configuration)
    assert loaded.tokens is not None and loaded.tokens.total_tokens == 6
    failed = Task.report_external_task(
        configuration=configuration, agent_id="agent-ext", input="x", is_success=False
    )
    assert failed.status is AgentExecutionStatus.Failed


def test_activity_log(tasks: Tasks) -> None:
    task = tasks.create(
        agent_id="agent-act", prompt="Say hi", file_urls=["https://example.com/a.csv"]
    )
    task.wait_for_completion(timeout=30)
    thread = task.get_activity_log()
    assert thread.id == task.id
    # A message's content is its text and its files (the published SDK's
    # AgentActivityThreadMessageContent), as the platform writes it
    said = [(m.role, m.content.text, m.content.files) for m in thread.messages if m.content]
    assert said[0] == ("user", "Say hi", ["https://example.com/a.csv"])
    assert said[-1] == ("agent", task.result, [])


async def test_wait_for_completion_follows_events_or_polls(atasks: Tasks) -> None:
    streamed = await atasks.acreate(agent_id="agent-wait", prompt="s", events_streaming=True)
    polled = await atasks.acreate(agent_id="agent-wait", prompt="p")
    assert await streamed.await_for_completion(timeout=30) is streamed
    assert streamed.status is AgentExecutionStatus.Completed and streamed.result
    await polled.await_for_completion(timeout=30, poll_interval=0.01)
    assert polled.status is AgentExecutionStatus.Completed


def test_wait_for_completion_sync_twins(tasks: Tasks) -> None:
    streamed = tasks.create(agent_id="agent-wait", prompt="s", events_streaming=True)
    polled = tasks.create(agent_id="agent-wait", prompt="p")
    assert streamed.wait_for_completion(timeout=30).status is AgentExecutionStatus.Completed
    assert polled.wait_for_completion(timeout=30, poll_interval=0.01).result


def test_wait_for_completion_times_out(emulator_factory: Any) -> None:
    slow = emulator_factory(step_delay=5.0)
    config = Configuration(api_key=slow.api_key, base_url=slow.base_url)
    with Tasks(configuration=config) as tasks:
        task = tasks.create(agent_id="agent-slow", prompt="p")
        with pytest.raises(TaskWaitTimeout):
            task.wait_for_completion(timeout=0.3, poll_interval=0.05)
        streamed = tasks.create(agent_id="agent-slow", prompt="p", events_streaming=True)
        with pytest.raises(TimeoutError):  # TaskWaitTimeout is a TimeoutError
            streamed.wait_for_completion(timeout=0.3)


def test_each_request_is_logged_at_debug_with_status_and_attempt(
    tasks: Tasks, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="xpander_sdk"):
        task = tasks.create(agent_id="agent-log", prompt="p")
        tasks.get(task.id)
    lines = [r.getMessage() for r in caplog.records if r.name == "xpander_sdk"]
    assert any(line.startswith("POST ") and "-> 200 (attempt 1," in line for line in lines)
    assert any(f"/agent-execution/{task.id}/status -> 200" in line for line in lines)


def test_a_program_written_like_the_published_sdk_works_unchanged(emulator: Any) -> None:
    # What the platform's published SDK sends, byte for byte in shape: every
    # create argument present (null when not given), the whole task back on
    # save, the events URL with its trailing slash, and, with a base URL on
    # port 9016 or an agent-controller host, every path prefixed with the
    # organization id.
    import httpx

    org = emulator.organization_id
    with httpx.Client(base_url=emulator.base_url, headers={"x-api-key": emulator.api_key}) as http:
        body = {
            "id": None, "input": {"text": "hi", "files": [], "user": None},
            "payload_extension": None, "source": None, "worker_id": None, "output_format": None,
            "output_schema": None, "run_locally": False, "events_streaming": True,
            "additional_context": None, "instructions_override": None, "test_run_node_id": None,
            "user_oidc_token": None, "expected_output": None, "mcp_servers": [],
            "triggering_agent_id": None, "title": None, "think_mode": "default",
            "disable_attachment_injection": False, "user_tokens": None,
        }  # fmt: skip
        created = http.post(f"/{org}/agent-execution/agent-pub", json=body)
        assert created.status_code == 200, created.text
        task = created.json()
        assert task["status"] == "pending"
        assert set(body) - {"input", "run_locally", "worker_id"} <= set(task)  # not Task fields
        whole = {**http.get(f"/agent-execution/{task['id']}/status").json(), "status": "paused"}
        whole.pop("deep_planning")
        saved = http.patch(f"/{org}/agent-execution/{task['id']}/update", json=whole)
        assert saved.status_code == 200 and saved.json()["status"] == "paused"
        stopped = http.delete(f"/agent-execution/{task['id']}")
        assert stopped.json()["status"] == "stopped"
        with http.stream("GET", f"/{org}/agent-execution/{task['id']}/events/") as stream:
            assert stream.status_code == 200
            text = "".join(stream.iter_text())
        assert '"type": "task_created"' in text or '"type":"task_created"' in text
        listed = http.get(f"/{org}/agent-execution/executions/history/agent-pub").json()
        assert [t["id"] for t in listed] == [task["id"]]
