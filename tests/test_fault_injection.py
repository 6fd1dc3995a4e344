"""The fault-injection run: mixed operations through about one request in five failing.

Against the emulator's fault mechanism over real sockets: answers of 429, 500
and 503, connections dropped before a request is processed and after it was
(the answer lost), and event streams cut mid-way. At the end, with the faults
cleared, every create made exactly one task, every update is applied, and
every stream delivered every event once and in order. Sync calls go through httpx; the
async phase runs once on each async backend (httpx, aiohttp).

``make soak`` runs the long version (XPANDER_SOAK=1, 5,000 operations) and
prints its figures.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest

from xpander_sdk import AgentExecutionStatus, Configuration, Task, Tasks, TaskUpdateEventType

SOAK = os.environ.get("XPANDER_SOAK") == "1"
SYNC_OPS = 4000 if SOAK else 800
ASYNC_OPS = 1000 if SOAK else 200  # on each async backend
# Sync calls always go through httpx; the async phase runs once on each backend.
ASYNC_BACKENDS = ("httpx", "aiohttp")

pytestmark = [pytest.mark.slow, *([] if SOAK else [pytest.mark.timeout(600)])]
AGENT = "agent-fault-run"
API = r"^/agent-execution"  # the API's routes, not the event streams


class _Counting(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("retrying"):
            self.counts["retries"] += 1
        elif "resuming after event" in message:
            self.counts["stream resumes"] += 1


@dataclass
class _Ledger:
    """What the run did, to hold the server's state against at the end."""

    created: dict[str, str] = field(default_factory=dict)  # prompt -> task id
    streaming: list[str] = field(default_factory=list)
    internal_status: dict[str, str] = field(default_factory=dict)
    streamed: dict[str, list[tuple[str | None, str]]] = field(default_factory=dict)
    ops: Counter[str] = field(default_factory=Counter)


def _check_stream(events: list[Any]) -> list[tuple[str | None, str]]:
    ids = [int(e.id) for e in events]
    assert ids == sorted(set(ids)), f"events repeated or out of order: {ids}"
    assert events[0].type == TaskUpdateEventType.TaskCreated
    assert events[-1].type == TaskUpdateEventType.TaskFinished
    return [(e.id, str(e.type)) for e in events]


def _sync_phase(tasks: Tasks, ledger: _Ledger, rng: random.Random) -> None:
    for i in range(SYNC_OPS):
        ids = list(ledger.created.values())
        op = "create" if len(ids) < 5 else rng.choices(
            ["create", "get", "update", "stop", "stream"], weights=[30, 25, 25, 10, 10]
        )[0]  # fmt: skip
        ledger.ops[op] += 1
        if op == "create":
            prompt = f"fault-run sync {i}"
            streaming = rng.random() < 0.4
            task = tasks.create(agent_id=AGENT, prompt=prompt, events_streaming=streaming)
            assert task.input.text == prompt
            ledger.created[prompt] = task.id
            if streaming:
                ledger.streaming.append(task.id)
        elif op == "get":
            task_id = rng.choice(ids)
            assert tasks.get(task_id).id == task_id
        elif op == "update":
            task_id = rng.choice(ids)
            value = f"update {i}"
            assert tasks.get(task_id).id == task_id
            updated = tasks.update(task_id, result=f"r{i}") if rng.random() < 0.2 else None
            task = tasks.get(task_id)
            task.internal_status = value
            task.save()
            assert task.internal_status == value
            if updated is not None:
                assert updated.result == f"r{i}"
            ledger.internal_status[task_id] = value
        elif op == "stop":
            stopped = tasks.stop(rng.choice(ids))
            assert stopped.status is AgentExecutionStatus.Stopped
        elif op == "stream" and ledger.streaming:
            task_id = rng.choice(ledger.streaming)
            events = list(tasks.get(task_id).events())
            ledger.streamed[task_id] = _check_stream(events)


async def _async_phase(configuration: Configuration, ledger: _Ledger, rng: random.Random) -> None:
    async with Tasks(configuration=configuration) as tasks:

        async def one(i: int) -> None:
            prompt = f"fault-run async {configuration.http_backend} {i}"
            task = await tasks.acreate(agent_id=AGENT, prompt=prompt, events_streaming=True)
            ledger.created[prompt] = task.id
            ledger.ops["create"] += 1
            assert (await tasks.aget(task.id)).id == task.id
            ledger.ops["get"] += 1
            if rng.random() < 0.5:
                events = [e async for e in task.aevents()]
                ledger.streamed[task.id] = _check_stream(events)
                ledger.ops["stream"] += 1

        # Each unit is two or three operations; run them ten at a time.
        units = ASYNC_OPS // 2
        for start in range(0, units, 10):
            await asyncio.gather(*(one(i) for i in range(start, min(units, start + 10))))


def test_fault_injection_run_loses_and_duplicates_nothing(emulator_factory: Any) -> None:
    emulator = emulator_factory(step_delay=0.003, faults=True, api_key="fault-key")
    configuration = Configuration(
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        organization_id=emulator.organization_id,
        max_retries=10,
        retry_base_delay=0.002,
        retry_max_delay=0.02,
        max_stream_reconnects=10,
    )
    for rule in (
        {"kind": "status", "status": 503, "retry_after": "0", "rate": 0.05, "seed": 1},
        {"kind": "status", "status": 429, "retry_after": "0", "rate": 0.04, "seed": 2},
        {"kind": "status", "status": 500, "rate": 0.03, "seed": 3},
        {"kind": "drop", "rate": 0.04, "seed": 4},
        {"kind": "drop_after", "rate": 0.05, "seed": 5},
    ):
        emulator.inject(path=API, **rule)
    emulator.inject(kind="cut_stream", after_events=2, rate=0.2, seed=6)

    handler = _Counting()
    sdk_logger = logging.getLogger("xpander_sdk")
    sdk_logger.addHandler(handler)
    previous_level = sdk_logger.level
    sdk_logger.setLevel(logging.INFO)
    ledger = _Ledger()
    rng = random.Random(2026)
    try:
        with Tasks(configuration=configuration) as tasks:
            _sync_phase(tasks, ledger, rng)
        for backend in ASYNC_BACKENDS:
            asyncio.run(_async_phase(configuration.copy_with(http_backend=backend), ledger, rng))
    finally:
        sdk_logger.removeHandler(handler)
        sdk_logger.setLevel(previous_level)
    stats = emulator.stats()
    emulator.clear_faults()

    # With the faults gone, hold the server's state against the ledger.
    with Tasks(configuration=configuration) as tasks:
        listed = tasks.list(AGENT)
        listed_ids = Counter(t.id for t in listed)
        assert sorted(listed_ids.values()) == [1] * len(listed_ids)
        assert set(listed_ids) == set(ledger.created.values())
        prompts = Counter(tasks.get(t).input.text for t in listed_ids)
        assert prompts == Counter({p: 1 for p in ledger.created})  # one task per create
        for task_id, value in ledger.internal_status.items():
            assert tasks.get(task_id).internal_status == value
        for task_id, seen in ledger.streamed.items():
            clean = list(Task.from_dict({**tasks.get(task_id).to_dict()}, tasks).events())
            assert seen == [(e.id, str(e.type)) for e in clean]

    faults = sum(stats["faults_injected"].values())
    operations = sum(ledger.ops.values())
    summary = (
        f"fault run: {operations} operations ({dict(ledger.ops)}), {stats['requests']} requests, "
        f"{faults} faults injected ({dict(stats['faults_injected'])}), "
        f"{handler.counts['retries']} retries, {handler.counts['stream resumes']} stream resumes, "
        f"{len(ledger.created)} tasks created and found once each, "
        f"{len(ledger.internal_status)} updates applied, {len(ledger.streamed)} streams complete; "
        "lost 0, duplicated 0"
    )
    print("\n" + summary)
    assert operations >= 1000
    assert faults / stats["requests"] >= 0.12, summary  # about one request in five
    assert handler.counts["retries"] > 0 and handler.counts["stream resumes"] > 0
