"""A program written with the platform's published xpander-sdk (PyPI), run unchanged
against the emulator: `make compat` installs that SDK in a venv of its own (it pulls
over a hundred packages), starts the emulator and points XPANDER_BASE_URL at it.
"""

import asyncio

from xpander_sdk.modules.tasks.sub_modules.task import Task

from xpander_sdk import AgentExecutionStatus, Tasks


async def main() -> None:
    tasks = Tasks()
    t = await tasks.acreate(
        agent_id="agent123",
        prompt="Analyze the sales data",
        file_urls=["https://example.com/data.csv"],
        events_streaming=True,
    )
    print("created", t.id, t.status)
    n = 0
    async for ev in t.aevents():
        n += 1
        print("  event", ev.type)
    print("events", n)
    lst = await tasks.alist(agent_id="agent123")
    print("listed", [x.id for x in lst])
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


asyncio.run(main())
