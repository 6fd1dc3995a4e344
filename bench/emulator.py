"""``python -m bench.emulator``: how fast the local emulator serves.

Starts ``xpander-emulator`` in a process of its own (so client and server do not share a
GIL), then measures creates per second (one at a time, and with concurrent clients) and
events per second delivered to concurrent subscribers of one task with many chunks (live,
while the agent streams, and replayed from the log afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx

API_KEY = "bench-key"
CHUNKS = 2000


async def chunky_agent(task_input: dict[str, Any]) -> AsyncIterator[str]:
    """The benchmark's agent: ``CHUNKS`` small chunks, as fast as the emulator takes them."""
    for i in range(CHUNKS):
        yield f"chunk {i} "
        if i % 50 == 0:
            await asyncio.sleep(0)  # let subscribers' writes interleave


def start_emulator(*extra: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "xpander_sdk.emulator", "--port", "0", "--api-key", API_KEY,
         *extra],
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stderr is not None
    line = process.stderr.readline()
    match = re.search(r"listening on (http://\S+)", line)
    if not match:
        process.kill()
        raise RuntimeError(f"the emulator did not start: {line!r}")
    return process, match.group(1)


def sequential_creates(base: str, count: int) -> float:
    with httpx.Client(base_url=base, headers={"x-api-key": API_KEY}) as client:
        started = time.perf_counter()
        for i in range(count):
            client.post(
                "/agent-execution/bench", json={"input": {"text": f"t{i}"}}
            ).raise_for_status()
        return count / (time.perf_counter() - started)


async def concurrent_creates(base: str, count: int, concurrency: int) -> float:
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base, headers={"x-api-key": API_KEY}, limits=limits
    ) as client:
        queue = iter(range(count))

        async def worker() -> None:
            for i in queue:
                response = await client.post(
                    "/agent-execution/bench", json={"input": {"text": f"t{i}"}}
                )
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return count / (time.perf_counter() - started)


async def subscribe(client: httpx.AsyncClient, url: str) -> int:
    received = 0
    async with client.stream("GET", url) as response:
        async for line in response.aiter_lines():
            if line.startswith("data:"):
                received += 1
    return received


async def fan_out(base: str, subscribers: int) -> tuple[float, float, int]:
    """Events/s to ``subscribers`` streams: live, then replayed; and events per stream."""
    limits = httpx.Limits(max_connections=subscribers + 2)
    headers = {"x-api-key": API_KEY}
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=60
    ) as client:
        created = await client.post("/agent-execution/bench-events", json={"input": {"text": "go"}})
        task_id = created.json()["id"]
        url = f"/local-org/agent-execution/{task_id}/events"
        started = time.perf_counter()
        live = await asyncio.gather(*(subscribe(client, url) for _ in range(subscribers)))
        live_rate = sum(live) / (time.perf_counter() - started)
        started = time.perf_counter()
        replay = await asyncio.gather(*(subscribe(client, url) for _ in range(subscribers)))
        replay_rate = sum(replay) / (time.perf_counter() - started)
        return live_rate, replay_rate, live[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.emulator", description=__doc__)
    parser.add_argument("--creates", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--subscribers", type=int, default=10)
    args = parser.parse_args(argv)

    process, base = start_emulator()
    try:
        sequential_creates(base, 20)  # warm-up
        seq = sequential_creates(base, args.creates)
        conc = asyncio.run(concurrent_creates(base, args.creates, args.concurrency))
    finally:
        process.terminate()
        process.wait(10)
    process, base = start_emulator("--agent", "bench.emulator:chunky_agent", "--step-delay", "0.3")
    try:
        live, replay, per_stream = asyncio.run(fan_out(base, args.subscribers))
    finally:
        process.terminate()
        process.wait(10)

    print("xpander-emulator (in-memory SQLite, separate process)")
    print(f"  creates/s, sequential:              {seq:8.0f}")
    print(f"  creates/s, {args.concurrency} concurrent clients:     {conc:8.0f}")
    each = f"({per_stream} events each)"
    print(f"  events/s to {args.subscribers} subscribers, live:    {live:8.0f}  {each}")
    print(f"  events/s to {args.subscribers} subscribers, replay:  {replay:8.0f}")


if __name__ == "__main__":
    main()
