"""Waiting keeps one deadline, sync or async, however steadily a task streams.

The emulator's agent here streams a chunk every 20 ms for about 20 s: a wait
that only looked at its deadline when the stream went quiet would sit through
all of it. Both twins must give up at their deadline, while the task still runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from xpander_sdk import AgentExecutionStatus, Configuration, Tasks, TaskWaitTimeout


async def steady_agent(task_input: dict[str, Any]) -> AsyncIterator[str]:
    for i in range(1000):
        await asyncio.sleep(0.02)
        yield f"chunk {i} "


@pytest.fixture
def steady(emulator_factory: Callable[..., Any]) -> Iterator[Configuration]:
    server = emulator_factory(agent=steady_agent, step_delay=0.0)
    yield Configuration(api_key=server.api_key, base_url=server.base_url)


def test_sync_wait_times_out_on_a_steadily_streaming_task(steady: Configuration) -> None:
    with Tasks(configuration=steady) as tasks:
        task = tasks.create(agent_id="agent-steady", prompt="p", events_streaming=True)
        with pytest.raises(TaskWaitTimeout) as raised:
            task.wait_for_completion(timeout=0.5)
        assert task.id in str(raised.value)
        # It gave up at its deadline, not when the run ended: the task still runs.
        assert tasks.get(task.id).status is AgentExecutionStatus.Executing
        tasks.stop(task.id)


async def test_async_wait_times_out_on_a_steadily_streaming_task(steady: Configuration) -> None:
    async with Tasks(configuration=steady) as tasks:
        task = await tasks.acreate(agent_id="agent-steady", prompt="p", events_streaming=True)
        with pytest.raises(TaskWaitTimeout) as raised:
            await task.await_for_completion(timeout=0.5)
        assert task.id in str(raised.value)
        assert (await tasks.aget(task.id)).status is AgentExecutionStatus.Executing
        await tasks.astop(task.id)


@pytest.mark.parametrize("streams", [True, False], ids=["streamed", "polled"])
def test_both_twins_return_the_finished_task_within_the_deadline(
    emulator: Any, streams: bool
) -> None:
    config = Configuration(api_key=emulator.api_key, base_url=emulator.base_url)

    async def both() -> tuple[Any, Any]:
        async with Tasks(configuration=config) as tasks:
            a = await tasks.acreate(agent_id="agent-w", prompt="p", events_streaming=streams)
            return await a.await_for_completion(timeout=60, poll_interval=0.01), None

    done, _ = asyncio.run(both())
    with Tasks(configuration=config) as tasks:
        task = tasks.create(agent_id="agent-w", prompt="p", events_streaming=streams)
        synced = task.wait_for_completion(timeout=60, poll_interval=0.01)
    assert done.status is synced.status is AgentExecutionStatus.Completed
    assert done.result == synced.result == "Emulated answer to: p"
