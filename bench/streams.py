"""How the SDK's cost grows with concurrent event streams, against the emulator.

For each count N (10, 100, 1,000) and each async backend: N tasks are created
on an emulator in its own process (each run streams ``EVENTS_PER_TASK``
chunks, and is finished before the streams start, so every stream is replayed
from the emulator's log at the emulator's pace), then all N are followed at
once with ``Task.aevents()`` through one `Tasks`. Measured on the client:
events per second (wall clock, all streams), the client's CPU time per event,
and, in a second pass under tracemalloc, the peak memory per stream. Event
streams do not queue for ``max_connections``: N streams hold N connections.
"""

from __future__ import annotations

import asyncio
import gc
import time
import tracemalloc
from collections.abc import AsyncIterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from bench.emulator import API_KEY, start_emulator

EVENTS_PER_TASK = 100
COUNTS = (10, 100, 1_000)
AGENT = "bench.streams:stream_agent"


async def stream_agent(task_input: dict[str, Any]) -> AsyncIterator[str]:
    """The run of each task: ``EVENTS_PER_TASK`` small chunks, at once."""
    for i in range(EVENTS_PER_TASK):
        yield f"chunk {i} "


@dataclass(frozen=True)
class StreamScale:
    backend: str
    streams: int
    events: int
    events_per_second: float
    cpu_us_per_event: float
    peak_bytes_per_stream: float


async def _follow_all(tasks: list[Any]) -> int:
    async def follow(task: Any) -> int:
        return sum([1 async for _ in task.aevents()])

    return sum(await asyncio.gather(*(follow(t) for t in tasks)))


async def _scale(sdk: ModuleType, base_url: str, backend: str, n: int) -> StreamScale:
    configuration = sdk.Configuration(
        api_key=API_KEY, base_url=base_url, organization_id="local-org", http_backend=backend
    )
    async with sdk.Tasks(configuration) as client:
        created = await asyncio.gather(
            *(client.acreate("agent-streams", prompt="go", events_streaming=True) for _ in range(n))
        )
        for task in created:  # every run finished: the streams replay whole logs
            await client.await_for_completion(task, timeout=120)
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        events = await _follow_all(created)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if events < n * EVENTS_PER_TASK:
            raise AssertionError(f"{n} streams brought {events} events")
        gc.collect()
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            await _follow_all(created)
            peak = tracemalloc.get_traced_memory()[1] - base
        finally:
            tracemalloc.stop()
    return StreamScale(backend, n, events, events / wall, cpu / events * 1e6, peak / n)


def measure(
    sdk: ModuleType,
    counts: tuple[int, ...] = COUNTS,
    backends: tuple[str, ...] = ("httpx", "aiohttp"),
) -> list[StreamScale]:
    """Each backend at each count, against a fresh emulator per count."""
    results = []
    for n in counts:
        process, base_url = start_emulator("--agent", AGENT, "--step-delay", "0")
        try:
            for backend in backends:
                results.append(asyncio.run(_scale(sdk, base_url, backend, n)))
        finally:
            process.terminate()
            process.wait(10)
    return results


def table(results: list[StreamScale]) -> str:
    lines = [
        f"concurrent event streams against the emulator ({EVENTS_PER_TASK} events each, replayed)",
        f"  {'backend':<10}{'streams':>9}{'events':>10}{'events/s':>11}"
        f"{'client CPU/event':>18}{'peak memory/stream':>20}",
    ]
    for r in results:
        lines.append(
            f"  {r.backend:<10}{r.streams:>9,}{r.events:>10,}{r.events_per_second:>11,.0f}"
            f"{f'{r.cpu_us_per_event:.1f} us':>18}{f'{r.peak_bytes_per_stream / 1024:.1f} KiB':>20}"
        )
    return "\n".join(lines)
