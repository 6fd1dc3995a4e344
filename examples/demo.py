"""The main job: start the emulator, walk the Tasks guide's flows, stop it.

Run with ``make demo``. It starts a local emulator of the Tasks API on a free
port, points the SDK at it through the usual environment variables, and then,
with the SDK exactly as a user writes it:

1. creates a task with events streaming, and prints its events as they arrive
   until it finishes;
2. lists the agent's tasks;
3. gets one, sets its status and saves it;
4. starts another task and stops it while it runs;

in async form, then the same flows in sync form. It prints what it sees, and
shuts the emulator down.
"""

from __future__ import annotations

import asyncio
import os

from xpander_sdk import AgentExecutionStatus, Tasks, TaskUpdateEventType
from xpander_sdk.emulator import EmulatorServer

AGENT = "agent123"


def show_event(event: object) -> None:
    from xpander_sdk import Task, TaskUpdateEvent

    assert isinstance(event, TaskUpdateEvent)
    is_task = isinstance(event.data, Task)
    detail = f"status={event.data.status}" if is_task else repr(event.data)
    print(f"    event {event.id:>3} {event.type!s:<14} {detail}")


async def async_flows() -> None:
    print("== async ==")
    async with Tasks() as tasks:  # configuration from XPANDER_* in the environment
        print("create a task with events streaming")
        task = await tasks.acreate(
            agent_id=AGENT,
            prompt="Analyze the sales data",
            file_urls=["https://example.com/data.csv"],
            events_streaming=True,
        )
        print(f"  created {task.id}: status={task.status}")
        async for event in task.aevents():
            show_event(event)

        print("list the agent's tasks")
        for item in await tasks.alist(agent_id=AGENT):
            print(f"  Task ID: {item.id}, Status: {item.status}")

        print("get one, set its status and save")
        specific = await tasks.aget(task_id=task.id)
        print(f"  got {specific.id}: status={specific.status}, result={specific.result!r}")
        await specific.aset_status(AgentExecutionStatus.Paused)
        specific.internal_status = "reviewed by the demo"
        await specific.asave()
        print(f"  saved: status={specific.status}, internal_status={specific.internal_status!r}")

        print("stop a running task")
        running = await tasks.acreate(agent_id=AGENT, prompt="A long job", events_streaming=True)
        async for event in running.aevents():
            show_event(event)
            if event.type == TaskUpdateEventType.Chunk:
                await running.astop()
                print(f"  stopped {running.id}: is_manually_stopped={running.is_manually_stopped}")


def sync_flows() -> None:
    print("== sync ==")
    with Tasks() as tasks:
        task = tasks.create(agent_id=AGENT, prompt="Summarize Q3", events_streaming=True)
        print(f"  created {task.id}: status={task.status}")
        for event in task.events():
            show_event(event)
        print(f"  {len(tasks.list(agent_id=AGENT))} tasks listed for {AGENT}")
        specific = tasks.get(task.id)
        specific.set_status(AgentExecutionStatus.Completed, result="Q3 looks fine")
        print(f"  saved: status={specific.status}, result={specific.result!r}")
        running = tasks.create(agent_id=AGENT, prompt="Another long job")
        stopped = tasks.stop(running.id)
        print(f"  stopped {stopped.id}: status={stopped.status}")


def main() -> None:
    with EmulatorServer(step_delay=0.15) as emulator:
        print(f"emulator listening on {emulator.base_url}")
        os.environ.update(emulator.env())
        asyncio.run(async_flows())
        sync_flows()
    print("emulator stopped")


if __name__ == "__main__":
    main()
