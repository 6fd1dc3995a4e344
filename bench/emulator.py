"""``python -m bench.emulator``: how fast the local emulator serves.

Starts ``xpander-emulator`` in a process of its own (so client and server do not share a
GIL), then measures creates per second (one at a time, in memory and on a file database,
held against bare Starlette answering the same route with a canned task, same client loop,
round by round; and with concurrent clients),
events per second delivered to concurrent subscribers of one task with many chunks (live,
while the agent streams, and replayed from the log afterwards), what the request journal
costs per request (the same creates with ``--journal-size 0`` and with the default), and
how long exporting and importing a state of 10,000 tasks takes (``/_emulator/state``),
and how long 100 create-and-wait flows through the SDK take when each run waits ten minutes
on the auto clock, next to the same flows on the real clock with the demo agent's timing.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx

API_KEY = "bench-key"
TARGET = 0.6
"""Sequential creates, as a fraction of bare Starlette's on the same route (issue 13)."""
CHUNKS = 2000


async def chunky_agent(task_input: dict[str, Any]) -> AsyncIterator[str]:
    """The benchmark's agent: ``CHUNKS`` small chunks, as fast as the emulator takes them."""
    for i in range(CHUNKS):
        yield f"chunk {i} "
        if i % 50 == 0:
            await asyncio.sleep(0)  # let subscribers' writes interleave


FLOWS = 100
RUN_MINUTES = 10
CLOCK_TARGET = 5.0
"""Wall seconds for ``FLOWS`` flows of ten-minute runs on the auto clock (issue 19)."""


TEN_MINUTES = {
    "agents": [
        {
            "name": "ten minutes",
            "match": {"agent_id": "bench-clock"},
            "steps": [
                step
                for minute in range(1, RUN_MINUTES + 1)
                for step in ({"wait": 60}, {"chunk": f"minute {minute};"})
            ],
        }
    ]
}
"""The clock bench's agent script: ten minutes of work, a chunk after each minute's wait."""


def start_emulator(*extra: str) -> tuple[subprocess.Popen[str], str]:
    return _start("xpander_sdk.emulator", "--port", "0", "--api-key", API_KEY, *extra)


def _start(module: str, *args: str) -> tuple[subprocess.Popen[str], str]:
    """``python -m module *args``, once it prints ``listening on URL``; the process, URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", module, *args], stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    match = re.search(r"listening on (http://\S+)", line)
    if not match:
        process.kill()
        raise RuntimeError(f"{module} did not start: {line!r}")
    return process, match.group(1)


def sequential_creates(base: str, count: int, lead_in: float = 0.0) -> float:
    """Creates/s of ``count`` creates one after the other, timed after ``lead_in`` seconds
    of untimed ones on the same connection."""
    with httpx.Client(base_url=base, headers={"x-api-key": API_KEY}) as client:
        deadline = time.perf_counter() + lead_in
        while time.perf_counter() < deadline:
            client.post("/agent-execution/bench", json={"input": {"text": "lead-in"}})
        started = time.perf_counter()
        for i in range(count):
            client.post(
                "/agent-execution/bench", json={"input": {"text": f"t{i}"}}
            ).raise_for_status()
        return count / (time.perf_counter() - started)


async def concurrent_creates(
    base: str, count: int, concurrency: int, lead_in: float = 0.0
) -> float:
    """Creates/s of ``count`` creates by ``concurrency`` clients, timed after ``lead_in``
    seconds of untimed ones."""
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base, headers={"x-api-key": API_KEY}, limits=limits
    ) as client:
        deadline = time.perf_counter() + lead_in

        async def lead() -> None:
            while time.perf_counter() < deadline:
                await client.post("/agent-execution/bench", json={"input": {"text": "lead-in"}})

        await asyncio.gather(*(lead() for _ in range(concurrency)))
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


RUN_SECONDS = 1.2
"""How long a demo run lasts (four steps of the default 0.25 s, and a margin)."""


def compare_creates(
    creates: int, concurrency: int, rounds: int, batches: int = 5
) -> dict[str, list[float]]:
    """Creates/s of each contender, one figure per round: ``memory`` and ``file`` (the
    emulator in memory and on a WAL database file), ``bare`` (bench.bare_starlette), all
    sequential, each in two ways (below); ``concurrent`` and ``bare_concurrent`` (in memory
    and bare, ``concurrency`` clients, steady).

    Each round starts the three processes afresh and warms them up; the sequential creates
    are then timed in ``batches`` batches taken in turn (so a change in the machine's load
    falls on every contender alike). Each contender's turn times a burst, then, after
    ``RUN_SECONDS`` of untimed creates, a steady batch (``<name>_steady``): a demo run
    starts 0.25 s after its create and lasts a second, so a burst (like this bench before
    issue 13) leaves most of its runs' work to after the clock stops, while in the steady
    batch the emulator also runs the runs of the creates before, as under a long test
    suite. After an emulator's turn its runs are left to end before the next contender.
    """
    found: dict[str, list[float]] = {
        name: []
        for name in (
            "memory", "file", "bare", "memory_steady", "file_steady", "bare_steady",
            "concurrent", "bare_concurrent",
        )
    }  # fmt: skip
    each = max(1, creates // batches)
    with tempfile.TemporaryDirectory() as folder:
        for round_no in range(rounds):
            contenders = {
                "memory": ("xpander_sdk.emulator", "--port", "0", "--api-key", API_KEY),
                "file": ("xpander_sdk.emulator", "--port", "0", "--api-key", API_KEY,
                         "--db", f"{folder}/bench-{round_no}.db"),
                "bare": ("bench.bare_starlette",),
            }  # fmt: skip
            started: list[tuple[subprocess.Popen[str], str]] = []
            try:
                for command in contenders.values():
                    started.append(_start(*command))
                bases = dict(zip(contenders, (base for _, base in started), strict=True))
                for base in bases.values():
                    sequential_creates(base, 20)  # warm-up
                time.sleep(RUN_SECONDS)
                took = dict.fromkeys([*bases, *(f"{name}_steady" for name in bases)], 0.0)
                for _ in range(batches):
                    for name, base in bases.items():
                        took[name] += each / sequential_creates(base, each)
                        took[f"{name}_steady"] += each / sequential_creates(base, each, RUN_SECONDS)
                        if name != "bare":
                            time.sleep(RUN_SECONDS)
                for name, seconds in took.items():
                    found[name].append(each * batches / seconds)
                for name, key in (("memory", "concurrent"), ("bare", "bare_concurrent")):
                    found[key].append(
                        asyncio.run(
                            concurrent_creates(bases[name], creates, concurrency, RUN_SECONDS)
                        )
                    )
                    time.sleep(RUN_SECONDS)
            finally:
                for process, _ in started:
                    process.terminate()
                    process.wait(10)
    return found


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


def journal_cost(requests: int, rounds: int = 5) -> tuple[float, float, float]:
    """Microseconds per request, in this process: the emulator's whole ASGI app (journal
    on), and the request-log layer alone around an app that only answers, journal off and
    on (best of ``rounds``, alternating).

    In-process, so the difference is the journal's own work (the body kept and redacted,
    the entry written), not the network's noise. The request: a PATCH with a JSON body.
    """
    from xpander_sdk.emulator import EmulatorConfig, create_emulator
    from xpander_sdk.emulator.journal import Journal, RequestLog

    body = json.dumps({"internal_status": "bench", "result": "r" * 200}).encode()

    def scope_of(path: str) -> dict[str, Any]:
        return {
            "type": "http", "method": "PATCH", "path": path, "raw_path": path.encode(),
            "root_path": "", "query_string": b"", "http_version": "1.1", "scheme": "http",
            "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 5000),
            "headers": [
                (b"host", b"127.0.0.1"),  # the emulator answers only its own host
                (b"x-api-key", API_KEY.encode()),
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }  # fmt: skip

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            assert message["status"] == 200, message

    async def answer(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def drive(app: Any, path: str, count: int) -> float:
        scope = scope_of(path)
        started = time.perf_counter()
        for _ in range(count):
            await app(dict(scope), receive, send)
        return (time.perf_counter() - started) / count * 1e6

    emulator = create_emulator(EmulatorConfig(api_key=API_KEY))
    try:
        task = emulator.service.create("bench", {"input": {"text": "x"}}, None)
        path = f"/agent-execution/{task['id']}/update"
        whole = min(asyncio.run(drive(emulator.app, path, requests // 10)) for _ in range(3))
    finally:
        emulator.close()
    layers = {size: RequestLog(answer, Journal(size)) for size in (0, 10_000)}
    best = dict.fromkeys(layers, float("inf"))
    for _ in range(rounds):
        for size, layer in layers.items():
            best[size] = min(best[size], asyncio.run(drive(layer, path, requests)))
    return whole, best[0], best[10_000]


def state_round_trip(tasks: int) -> tuple[float, float, int, int]:
    """Seconds to import (PUT) and export (GET) a state of ``tasks`` finished tasks, the
    document's size in bytes, and its events."""
    process, base = start_emulator("--step-delay", "0", "--journal-size", "0")
    try:
        with httpx.Client(base_url=base, headers={"x-api-key": API_KEY}, timeout=300) as client:
            task = client.post("/agent-execution/bench", json={"input": {"text": "x"}}).json()
            with client.stream("GET", f"/local-org/agent-execution/{task['id']}/events") as r:
                for _ in r.iter_lines():
                    pass
            template = client.get("/_emulator/state").json()["tasks"][0]
            doc: dict[str, Any] = {"version": 1, "tasks": [], "idempotency_keys": [], "runs": []}
            event_id = 0
            for i in range(tasks):
                item = copy.deepcopy(template)
                task_id = f"bench-{i:05d}"
                item["task"]["id"] = task_id
                for entry in item["events"]:
                    event_id += 1
                    entry["id"] = event_id
                    entry["event"]["task_id"] = task_id
                    if isinstance(entry["event"]["data"], dict):
                        entry["event"]["data"]["id"] = task_id
                doc["tasks"].append(item)
            body = json.dumps(doc).encode()
            started = time.perf_counter()
            client.put(
                "/_emulator/state", content=body, headers={"content-type": "application/json"}
            ).raise_for_status()
            imported = time.perf_counter() - started
            started = time.perf_counter()
            exported = client.get("/_emulator/state")
            exported.raise_for_status()
            took = time.perf_counter() - started
            assert len(exported.json()["tasks"]) == tasks
            return imported, took, len(body), event_id
    finally:
        process.terminate()
        process.wait(10)


async def create_and_wait(base: str, flows: int, streaming: bool) -> tuple[float, list[float]]:
    """Wall seconds for ``flows`` concurrent flows through the SDK, each ``acreate`` (with
    ``events_streaming=streaming``) then ``await_for_completion`` (which follows the
    stream, or else polls), and the runs' durations (on the emulator's clock)."""
    from xpander_sdk import Configuration, Tasks

    config = Configuration(api_key=API_KEY, base_url=base, organization_id="local-org")
    async with Tasks(configuration=config) as tasks:

        async def flow(number: int) -> float:
            task = await tasks.acreate(
                agent_id="bench-clock", prompt=f"flow {number}", events_streaming=streaming
            )
            done = await tasks.await_for_completion(task, timeout=600)
            assert done.status is not None and done.status.value == "completed", done
            return float(done.duration or 0.0)

        started = time.perf_counter()
        durations = await asyncio.gather(*(flow(number) for number in range(flows)))
        return time.perf_counter() - started, list(durations)


def clock_flows(flows: int, rounds: int) -> dict[tuple[str, bool], tuple[float, float]]:
    """By (clock, streaming): the median wall seconds of ``create_and_wait`` over ``rounds``
    rounds (a fresh emulator each), and the runs' median duration on the emulator's clock.

    The clocks: ``auto``, with runs scripted to take ``RUN_MINUTES`` (``TEN_MINUTES``); and
    ``real``, with the demo agent's default timing.
    """
    walls: dict[tuple[str, bool], list[float]] = {}
    runs: dict[tuple[str, bool], list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        script = f"{folder}/ten-minutes.json"
        with open(script, "w", encoding="utf-8") as out:
            json.dump(TEN_MINUTES, out)
        clocks = {"auto": ("--clock", "auto", "--agents", script), "real": ()}
        for _ in range(rounds):
            for name, extra in clocks.items():
                for streaming in (False, True):
                    process, base = start_emulator("--journal-size", "0", *extra)
                    try:
                        took, durations = asyncio.run(create_and_wait(base, flows, streaming))
                    finally:
                        process.terminate()
                        process.wait(10)
                    walls.setdefault((name, streaming), []).append(took)
                    runs.setdefault((name, streaming), []).extend(durations)
    return {key: (statistics.median(walls[key]), statistics.median(runs[key])) for key in walls}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.emulator", description=__doc__)
    parser.add_argument("--creates", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--subscribers", type=int, default=10)
    parser.add_argument("--state-tasks", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the creates (3)")
    parser.add_argument("--flows", type=int, default=FLOWS, help=f"create-and-wait flows ({FLOWS})")
    args = parser.parse_args(argv)

    rates = compare_creates(args.creates, args.concurrency, args.rounds)
    median = {name: statistics.median(values) for name, values in rates.items()}
    process, base = start_emulator("--agent", "bench.emulator:chunky_agent", "--step-delay", "0.3")
    try:
        live, replay, per_stream = asyncio.run(fan_out(base, args.subscribers))
    finally:
        process.terminate()
        process.wait(10)

    print(f"xpander-emulator (separate process; creates: medians of {args.rounds} rounds)")
    print("  sequential creates/s                       burst      steady")
    for label, name in (("emulator, in memory", "memory"), ("emulator, --db file", "file")):
        burst, steady = median[name], median[f"{name}_steady"]
        print(f"  {label:<36}{burst:8.0f} {burst / median['bare']:.2f}x"
              f" {steady:6.0f} {steady / median['bare_steady']:.2f}x")  # fmt: skip
    print(f"  {'bare Starlette+uvicorn, same route':<36}{median['bare']:8.0f}"
          f"       {median['bare_steady']:6.0f}       (a canned task)")  # fmt: skip
    for name in ("memory", "file"):
        for kind, key in (("burst", name), ("steady", f"{name}_steady")):
            bare = median["bare_steady" if kind == "steady" else "bare"]
            ratio = median[key] / bare
            verdict = "met" if ratio >= TARGET else "MISSED"
            print(f"  target {TARGET}x bare Starlette, {name}, {kind}: {verdict} ({ratio:.2f}x)")
    conc, bare_conc = median["concurrent"], median["bare_concurrent"]
    print(f"  creates/s, {args.concurrency} concurrent clients:     {conc:8.0f}"
          f"  (bare Starlette: {bare_conc:.0f}; one httpx.AsyncClient drives both)")  # fmt: skip
    each = f"({per_stream} events each)"
    print(f"  events/s to {args.subscribers} subscribers, live:    {live:8.0f}  {each}")
    print(f"  events/s to {args.subscribers} subscribers, replay:  {replay:8.0f}")

    whole, off, on = journal_cost(args.creates * 20)
    print(f"  journal: {on - off:+.1f} us per request ({off:.1f} us -> {on:.1f} us for the"
          f" request-log layer; a whole PATCH takes {whole:.0f} us in-process)")  # fmt: skip
    imported, exported, size, events = state_round_trip(args.state_tasks)
    print(f"  state of {args.state_tasks:,} tasks ({events:,} events, {size / 1e6:.1f} MB):"
          f" import {imported:.2f} s, export {exported:.2f} s")  # fmt: skip
    flows = clock_flows(args.flows, args.rounds)
    print(f"  {args.flows} create-and-wait flows through the SDK at once (acreate, then"
          f" await_for_completion), wall seconds (median of {args.rounds}):")  # fmt: skip
    print(f"    {'':<44}{'polling':>8}{'streaming':>11}   each run (emulator's clock)")
    for name, label in (("auto", f"auto clock, runs of {RUN_MINUTES} minutes"),
                        ("real", "real clock, demo agent's default timing")):  # fmt: skip
        (polled, run), (streamed, _) = flows[(name, False)], flows[(name, True)]
        print(f"    {label:<44}{polled:8.2f}{streamed:11.2f}   {run:8.2f} s")
    worst = max(flows[("auto", False)][0], flows[("auto", True)][0])
    verdict = "met" if worst < CLOCK_TARGET else "MISSED"
    print(
        f"  target under {CLOCK_TARGET:g} s for the auto clock's flows: {verdict} ({worst:.2f} s)"
    )


if __name__ == "__main__":
    main()
