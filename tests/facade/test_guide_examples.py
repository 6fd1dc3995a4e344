"""Every example of the Tasks Module guide, as written, against the emulator.

The guide (shared/seeds) shows the async forms; each example runs here as
written apart from its configuration (``config`` points at the emulator) and
the task id it looks up (``task456`` in the guide: here a task that exists).
Each also runs in its sync form, and the sync forms run once more inside a
running event loop, as in a Jupyter cell or a FastAPI handler.
"""

from __future__ import annotations

import asyncio
from typing import Any

from xpander_sdk import (
    AgentExecutionStatus,
    Configuration,
    Task,
    Tasks,
    TasksListItem,
    TaskUpdateEvent,
    TaskUpdateEventType,
)


async def test_create_and_manage_tasks(configuration: Configuration, capsys: Any) -> None:
    config = configuration

    # Initialize the Tasks module
    tasks = Tasks(configuration=config)

    # Create a new task for an agent
    new_task = await tasks.acreate(
        agent_id="agent123",
        prompt="Analyze the sales data",
        file_urls=["https://example.com/data.csv"],
    )

    # List all tasks for a specific agent
    task_list = await tasks.alist(agent_id="agent123")
    for task in task_list:
        print(f"Task ID: {task.id}, Status: {task.status}")

    await tasks.aclose()
    assert isinstance(new_task, Task)
    assert new_task.status == AgentExecutionStatus.Pending
    assert new_task.input.text == "Analyze the sales data"
    assert new_task.input.files == ["https://example.com/data.csv"]
    assert all(isinstance(item, TasksListItem) for item in task_list)
    assert new_task.id in {item.id for item in task_list}
    assert f"Task ID: {new_task.id}, Status: " in capsys.readouterr().out


def test_create_and_manage_tasks_sync(configuration: Configuration) -> None:
    tasks = Tasks(configuration=configuration)
    new_task = tasks.create(
        agent_id="agent123",
        prompt="Analyze the sales data",
        file_urls=["https://example.com/data.csv"],
    )
    task_list = tasks.list(agent_id="agent123")
    tasks.close()
    assert new_task.id in {task.id for task in task_list}
    listed = next(t for t in task_list if t.id == new_task.id)
    assert listed.agent_id == "agent123"


async def test_retrieve_and_update_task(configuration: Configuration) -> None:
    tasks = Tasks(configuration=configuration)
    created = await tasks.acreate(agent_id="agent123", prompt="Analyze the sales data")

    # Retrieve a specific task
    specific_task = await tasks.aget(task_id=created.id)

    # Update task status
    # Note: aset_status is an asynchronous function
    await specific_task.aset_status(AgentExecutionStatus.Completed)
    # Note: asave is an asynchronous function
    await specific_task.asave()

    assert specific_task.status == AgentExecutionStatus.Completed
    fetched = await tasks.aget(task_id=created.id)
    assert fetched.status == AgentExecutionStatus.Completed
    await tasks.aclose()


def test_retrieve_and_update_task_sync(tasks: Tasks) -> None:
    created = tasks.create(agent_id="agent123", prompt="Analyze the sales data")
    specific_task = tasks.get(task_id=created.id)
    specific_task.set_status(AgentExecutionStatus.Completed)
    specific_task.save()
    assert tasks.get(task_id=created.id).status == AgentExecutionStatus.Completed


async def test_stream_task_events(configuration: Configuration, capsys: Any) -> None:
    tasks = Tasks(configuration=configuration)

    # Create a task with event streaming enabled
    new_task = await tasks.acreate(
        agent_id="agent123",
        prompt="Analyze the sales data",
        events_streaming=True,  # Enable event streaming
    )

    # Stream task events asynchronously
    # Note: aevents is an asynchronous generator function
    seen: list[TaskUpdateEvent] = []
    async for event in new_task.aevents():
        print(f"Event Type: {event.type}")
        print(f"Event Data: {event.data}")
        seen.append(event)

    # Stream task events synchronously (for non-async environments)
    for event in new_task.events():
        print(f"Event: {event}")
        seen.append(event)

    await tasks.aclose()
    half = len(seen) // 2
    async_events, sync_events = seen[:half], seen[half:]
    assert [e.id for e in async_events] == [e.id for e in sync_events]
    types = [e.type for e in async_events]
    assert types[0] == TaskUpdateEventType.TaskCreated
    assert types[-1] == TaskUpdateEventType.TaskFinished
    assert TaskUpdateEventType.Chunk in types
    assert isinstance(async_events[-1].data, Task)
    assert async_events[-1].data.status == AgentExecutionStatus.Completed
    out = capsys.readouterr().out
    assert "Event Type: task_created" in out and "Event: TaskUpdateEvent(" in out


def test_the_guides_async_update_spelling_is_the_same_method(tasks: Tasks) -> None:
    assert Tasks.auupdate is Tasks.aupdate


async def test_auupdate_as_the_guide_spells_it(atasks: Tasks) -> None:
    created = await atasks.acreate(agent_id="agent123", prompt="p")
    updated = await atasks.auupdate(
        task_id=created.id, status=AgentExecutionStatus.Paused, result="half way"
    )
    assert (updated.status, updated.result) == (AgentExecutionStatus.Paused, "half way")


async def test_sync_api_works_inside_a_running_event_loop(configuration: Configuration) -> None:
    # A Jupyter cell or a FastAPI handler: a loop is running, and the sync
    # methods must neither fail nor start a loop of their own.
    assert asyncio.get_running_loop().is_running()
    with Tasks(configuration=configuration) as tasks:
        task = tasks.create(agent_id="agent123", prompt="inside a loop", events_streaming=True)
        events = list(task.events())
        listed = tasks.list(agent_id="agent123")
        fetched = tasks.get(task.id)
        stopped = tasks.stop(task.id)
    assert events[-1].type == TaskUpdateEventType.TaskFinished
    assert task.id in {t.id for t in listed}
    assert fetched.id == task.id
    assert stopped.status == AgentExecutionStatus.Stopped
