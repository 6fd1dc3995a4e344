"""The emulator's clock (``--clock real|manual|auto``): every timestamp and every wait of a
run reads it. Over real sockets; no wall-clock thresholds: the assertions are on the
emulator's own timestamps, and a long wait that was not skipped would trip pytest-timeout.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from emulator_helpers import create, make_client, read_stream, wait_status

from xpander_sdk import Configuration, Tasks
from xpander_sdk.emulator import EmulatorConfig, EmulatorServer, create_emulator, pause
from xpander_sdk.emulator.sse import event_stream

Factory = Callable[..., EmulatorServer]
HOUR = 3600.0


async def an_hour_in_six_steps(task_input: dict[str, Any]) -> AsyncIterator[str]:
    """Six chunks, ten minutes apart."""
    for step in range(6):
        await pause(600)
        yield f"step {step};"


async def waits_1_2_3(task_input: dict[str, Any]) -> AsyncIterator[str]:
    """Waits one, two, then three seconds, a chunk after each."""
    for seconds in (1, 2, 3):
        await pause(seconds)
        yield f"after {seconds}s;"


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def seconds_between(start: str, end: str) -> float:
    return (at(end) - at(start)).total_seconds()


def clock_of(api: httpx.Client) -> dict[str, Any]:
    answer = api.get("/_emulator/clock")
    assert answer.status_code == 200, answer.text
    document: dict[str, Any] = answer.json()
    return document


def events_of(api: httpx.Client, server: EmulatorServer, task_id: str) -> list[dict[str, Any]]:
    return read_stream(api, server.organization_id, task_id).events


# -- auto ------------------------------------------------------------------------------


def test_an_hour_long_run_on_the_auto_clock_ends_at_once_and_its_timestamps_show_the_hour(
    emulator_factory: Factory,
) -> None:
    server = emulator_factory(clock="auto", agent=an_hour_in_six_steps, step_delay=1)
    with Tasks(Configuration(api_key=server.api_key, base_url=server.base_url)) as tasks:
        task = tasks.create(agent_id="agent-hour", prompt="take your time", events_streaming=True)
        # It follows the task's stream: an open stream does not hold the clock.
        done = tasks.wait_for_completion(task, timeout=60)  # an hour of waiting would fail
    assert done.status is not None and done.status.value == "completed"
    assert done.result == "step 0;step 1;step 2;step 3;step 4;step 5;"
    assert done.started_at is not None and done.finished_at is not None
    assert (done.finished_at - done.started_at).total_seconds() == HOUR
    assert done.duration == HOUR
    with make_client(server) as api:
        chunks = [e for e in events_of(api, server, task.id) if e["type"] == "chunk"]
        clock = clock_of(api)
    times = [at(e["time"]) for e in chunks]
    assert [(b - a).total_seconds() for a, b in itertools.pairwise(times)] == [600.0] * 5
    assert clock["mode"] == "auto" and clock["pending"] == []
    assert at(clock["now"]) == done.finished_at


def gated(gate: threading.Event) -> Callable[[dict[str, Any]], Iterator[str]]:
    """A sync agent: a chunk, then it blocks (in its thread) until ``gate`` opens."""

    def agent(task_input: dict[str, Any]) -> Iterator[str]:
        if task_input["text"] == "wait an hour":
            return
        yield "working;"
        gate.wait(60)
        yield "done;"

    return agent


def test_on_the_auto_clock_a_sync_agent_at_work_in_its_thread_holds_the_clock(
    emulator_factory: Factory,
) -> None:
    gate = threading.Event()
    server = emulator_factory(clock="auto", agent=gated(gate), step_delay=HOUR)
    try:
        with make_client(server) as api:
            start = at(clock_of(api)["now"])
            busy = create(api, "agent-busy", "work")
            # Its first step (an hour) ends by a jump; then its thread blocks on the gate.
            first = read_stream(api, server.organization_id, busy["id"], stop_after=3)
            assert first.types == ["task_created", "task_updated", "chunk"]
            sleeper = create(api, "agent-sleeper", "wait an hour")
            clock = clock_of(api)
            # The thread is working: the clock stays put, the sleeper's hour still ahead.
            assert at(clock["now"]) == start + timedelta(hours=1)
            assert [p["task_id"] for p in clock["pending"]] == [sleeper["id"]]
            assert clock["pending"][0]["remaining"] == HOUR
            assert api.get(f"/agent-execution/{sleeper['id']}/status").json()["status"] == (
                "pending"
            )
            gate.set()
            assert wait_status(api, server.organization_id, busy["id"])["status"] == "completed"
            slept = wait_status(api, server.organization_id, sleeper["id"])
            assert slept["status"] == "completed"
            assert at(slept["started_at"]) == start + timedelta(hours=2)
    finally:
        gate.set()


WAITS_FOR_A_PERSON = {
    "agents": [
        {
            "match": {"agent_id": "agent-asks"},
            "steps": [{"pause": {"wait_node_id": "approve"}}, {"result": "approved"}],
        },
        {"match": {"agent_id": "agent-sleeps"}, "steps": [{"wait": 3600}, {"result": "slept"}]},
    ]
}


def test_on_the_auto_clock_a_run_paused_for_a_person_does_not_hold_the_clock(
    emulator_factory: Factory,
) -> None:
    server = emulator_factory(clock="auto", agents=WAITS_FOR_A_PERSON, step_delay=0)
    with make_client(server) as api:
        asking = create(api, "agent-asks")
        paused = read_stream(api, server.organization_id, asking["id"], stop_after=3)
        assert paused.events[-1]["data"]["status"] == "paused"
        slept = wait_status(api, server.organization_id, create(api, "agent-sleeps")["id"])
        assert slept["result"] == "slept"
        assert seconds_between(slept["started_at"], slept["finished_at"]) == HOUR
        assert api.get(f"/agent-execution/{asking['id']}/status").json()["status"] == "paused"
        resumed = api.patch(f"/agent-execution/{asking['id']}/update", json={"status": "executing"})
        assert resumed.status_code == 200
        answered = wait_status(api, server.organization_id, asking["id"])
        assert answered["result"] == "approved"


def test_a_latency_fault_waits_on_the_auto_clock(emulator_factory: Factory) -> None:
    server = emulator_factory(clock="auto", faults=True)
    server.inject("delay", seconds=HOUR, path="/status$")
    with make_client(server) as api:
        task = create(api, "agent-delayed")
        before = at(clock_of(api)["now"])
        assert api.get(f"/agent-execution/{task['id']}/status").status_code == 200
        assert at(clock_of(api)["now"]) - before >= timedelta(hours=1)


AN_HOUR_SCRIPTED = {
    "agents": [
        {
            "match": {"agent_id": "agent-scripted"},
            "steps": [
                {"chunk": "starting;"},
                {"wait": 3600},
                {"tool_call": {"name": "lookup", "arguments": {"n": 1}, "result": {"ok": True}}},
                {"wait": 1800},
                {"result": "done after an hour and a half"},
            ],
        }
    ]
}


@pytest.mark.parametrize("mode", ["auto", "manual"])
def test_a_scripted_wait_reads_the_clock(emulator_factory: Factory, mode: str) -> None:
    server = emulator_factory(clock=mode, agents=AN_HOUR_SCRIPTED, step_delay=0)
    with make_client(server) as api:
        task = create(api, "agent-scripted")
        if mode == "manual":
            so_far = read_stream(api, server.organization_id, task["id"], stop_after=3)
            assert so_far.types == ["task_created", "task_updated", "chunk"]
            assert [p["remaining"] for p in clock_of(api)["pending"]] == [HOUR]
            server.clock.advance(HOUR + 1800)
        events = events_of(api, server, task["id"])
    done = events[-1]["data"]
    assert done["result"] == "done after an hour and a half"
    assert seconds_between(done["started_at"], done["finished_at"]) == HOUR + 1800
    calls = [e for e in events if e["type"].startswith("tool_call")]
    assert [seconds_between(done["started_at"], e["time"]) for e in calls] == [HOUR, HOUR]


# -- manual ----------------------------------------------------------------------------


def test_on_the_manual_clock_a_run_moves_only_when_the_clock_is_advanced(
    emulator_factory: Factory,
) -> None:
    server = emulator_factory(clock="manual", step_delay=5)  # the demo agent
    with make_client(server) as api:
        start = at(clock_of(api)["now"])
        task = create(api, "agent-manual", "tick tock")
        assert at(task["created_at"]) == start
        clock = clock_of(api)
        assert clock["mode"] == "manual" and at(clock["now"]) == start
        assert clock["pending"] == [
            {
                "due": (start + timedelta(seconds=5)).isoformat(),
                "remaining": 5.0,
                "task_id": task["id"],
            }
        ]

        assert server.clock.advance(4.5) == start + timedelta(seconds=4.5)
        assert api.get(f"/agent-execution/{task['id']}/status").json()["status"] == "pending"

        server.clock.advance(0.5)  # the first step: executing, then its next wait
        now = api.get(f"/agent-execution/{task['id']}/status").json()
        assert now["status"] == "executing"
        assert at(now["started_at"]) == start + timedelta(seconds=5)
        assert [p["remaining"] for p in clock_of(api)["pending"]] == [5.0]

        # One advance serves the waits that fall due inside it, in order, including
        # those the run starts after an earlier one ended.
        assert server.clock.advance(100) == start + timedelta(seconds=105)
        done = api.get(f"/agent-execution/{task['id']}/status").json()
        assert done["status"] == "completed"
        assert done["result"] == "Emulated answer to: tick tock"
        assert at(done["finished_at"]) == start + timedelta(seconds=20)
        assert done["duration"] == 15.0
        events = events_of(api, server, task["id"])
        assert [(e["type"], seconds_between(start.isoformat(), e["time"])) for e in events] == [
            ("task_created", 0.0),
            ("task_updated", 5.0),
            ("chunk", 10.0),
            ("chunk", 15.0),
            ("chunk", 20.0),
            ("task_updated", 20.0),
            ("task_finished", 20.0),
        ]
        assert clock_of(api)["pending"] == []


def test_an_advance_stops_at_its_end_and_serves_runs_in_the_order_their_waits_end(
    emulator_factory: Factory,
) -> None:
    server = emulator_factory(clock="manual", agent=waits_1_2_3, step_delay=0)
    with make_client(server) as api:
        start = at(clock_of(api)["now"])
        first = create(api, "agent-order", "a")
        server.clock.advance(2)  # the first run: one second, then two more are due at 3
        second = create(api, "agent-order", "b")
        server.clock.advance(3.5)  # to 5.5: the first's chunk at 3, the second's at 3 and 5
        so_far = read_stream(api, server.organization_id, first["id"], stop_after=4)
        assert [e["data"] for e in so_far.events[2:]] == ["after 1s;", "after 2s;"]
        assert [p["task_id"] for p in clock_of(api)["pending"]] == [first["id"], second["id"]]

        server.clock.advance(10)
        chunk_times = {
            name: [
                seconds_between(start.isoformat(), e["time"])
                for e in events_of(api, server, task["id"])
                if e["type"] == "chunk"
            ]
            for name, task in (("first", first), ("second", second))
        }
        assert chunk_times == {"first": [1.0, 3.0, 6.0], "second": [3.0, 5.0, 8.0]}


def test_an_advance_returns_once_the_streams_listening_have_taken_what_fell_due() -> None:
    """In-process, because over a socket the order of two connections' bytes cannot be told
    apart from the client's side: the stream's reader is a task on the emulator's loop, and
    what it has read is checked with no await between the advance and the check."""

    async def main() -> tuple[list[bytes], list[bytes]]:
        emulator = create_emulator(EmulatorConfig(clock="manual", agent=waits_1_2_3))
        try:
            task = emulator.service.create("agent-in-process", {"input": {"text": "x"}}, None)
            emulator.service.start_run(task["id"])
            read: list[bytes] = []

            async def reader() -> None:
                async for block in event_stream(emulator.service, task["id"], 0, 60.0):
                    read.append(block)

            reading = asyncio.create_task(reader())
            await asyncio.sleep(0)  # the run starts its first wait; the reader listens
            await emulator.advance_clock(0.25)  # the demo delay: executing
            after_start = list(read)
            await emulator.advance_clock(10)
            after_all = list(read)
            await asyncio.wait_for(reading, 10)
            return after_start, after_all
        finally:
            await emulator.shutdown()
            emulator.close()

    after_start, after_all = asyncio.run(main())
    assert b'"type":"task_updated"' in b"".join(after_start)
    assert b'"after 1s;"' not in b"".join(after_start)
    text = b"".join(after_all)
    assert text.count(b"\ndata: ") == 7 and b'"type":"task_finished"' in text


def test_a_latency_fault_waits_on_the_manual_clock_until_advanced(
    emulator_factory: Factory,
) -> None:
    server = emulator_factory(clock="manual", faults=True)
    server.inject("delay", seconds=30, path="^/agent-execution/agent-held$")
    with make_client(server) as api:
        answers: list[httpx.Response] = []
        sender = threading.Thread(
            target=lambda: answers.append(
                api.post("/agent-execution/agent-held", json={"input": {"text": "x"}})
            )
        )
        sender.start()
        try:
            while not clock_of(api)["pending"]:  # the request arrives and waits
                threading.Event().wait(0.01)
            (held,) = clock_of(api)["pending"]
            assert held["task_id"] is None and held["remaining"] == 30.0
            assert answers == []
            server.clock.advance(30)
        finally:
            sender.join(30)
        assert answers[0].status_code == 200
        assert server.stats()["tasks"] == 1


def test_timestamps_of_the_journal_and_metrics_read_the_clock(emulator_factory: Factory) -> None:
    server = emulator_factory(clock="manual")
    with make_client(server) as api:
        start = at(clock_of(api)["now"])
        server.clock.advance(86_400)
        task = create(api, "agent-tomorrow")
        report = {
            "execution_id": task["id"],
            "source": "sdk",
            "memory_thread_id": task["id"],
            "task": "tomorrow",
            "status": "completed",
            "duration": 1.0,
            "ai_model": "xpander",
        }
        assert api.post("/agents-metrics/agent-tomorrow/execution", json=report).is_success
        (entry,) = server.requests(path="/agent-execution/agent-tomorrow$")
        (metrics,) = api.get("/_emulator/metrics", params={"task_id": task["id"]}).json()["metrics"]
    tomorrow = start + timedelta(days=1)
    assert at(task["created_at"]) == tomorrow
    assert at(entry["time"]) == tomorrow
    assert at(metrics["received_at"]) == tomorrow


def test_a_real_clock_lists_its_waits_and_cannot_be_advanced(emulator_factory: Factory) -> None:
    server = emulator_factory(step_delay=30)
    with make_client(server) as api:
        task = create(api, "agent-real")
        (waiting,) = clock_of(api)["pending"]
        assert waiting["task_id"] == task["id"]
        assert 0 < waiting["remaining"] <= 30.01  # ends on a shared tick (10 ms at most)
        refused = api.post("/_emulator/clock/advance", json={"seconds": 30})
        assert refused.status_code == 409
        assert refused.json()["errors"][0]["field"] == "mode"
        clock = clock_of(api)
        assert clock["mode"] == "real" and [p["task_id"] for p in clock["pending"]] == [task["id"]]
        assert api.delete(f"/agent-execution/{task['id']}").json()["status"] == "stopped"
        assert clock_of(api)["pending"] == []  # a stopped run waits no more
    with pytest.raises(ValueError, match="real"):
        server.clock.advance(5)


def test_a_stopped_run_leaves_no_wait_on_the_manual_clock(emulator_factory: Factory) -> None:
    server = emulator_factory(clock="manual", agent=an_hour_in_six_steps, step_delay=0)
    with make_client(server) as api:
        task = create(api, "agent-stopped")
        assert [p["task_id"] for p in clock_of(api)["pending"]] == [task["id"]]
        assert api.delete(f"/agent-execution/{task['id']}").json()["status"] == "stopped"
        assert clock_of(api)["pending"] == []
        server.clock.advance(HOUR)
        events = events_of(api, server, task["id"])
        assert [e["type"] for e in events] == [
            "task_created",
            "task_updated",
            "task_updated",
            "task_finished",
        ]
        assert events[-1]["data"]["status"] == "stopped"


# -- one process, several clocks; switching modes ---------------------------------------


def test_emulators_in_one_process_each_keep_their_own_clock(emulator_factory: Factory) -> None:
    manual = emulator_factory(clock="manual", step_delay=1)
    auto = emulator_factory(clock="auto", agent=an_hour_in_six_steps, step_delay=0)
    with make_client(manual) as held, make_client(auto) as free:
        still = create(held, "agent-held")
        start = at(clock_of(held)["now"])
        ran = wait_status(free, auto.organization_id, create(free, "agent-free")["id"])
        assert seconds_between(ran["started_at"], ran["finished_at"]) == HOUR
        assert at(clock_of(held)["now"]) == start
        assert held.get(f"/agent-execution/{still['id']}/status").json()["status"] == "pending"


def test_switching_modes_at_run_time(emulator_factory: Factory) -> None:
    server = emulator_factory(step_delay=0.05)
    with make_client(server) as api:
        switched = api.put("/_emulator/clock", json={"mode": "manual"})
        assert switched.status_code == 200 and switched.json()["mode"] == "manual"
        frozen = switched.json()["now"]
        task = create(api, "agent-switch")
        assert task["created_at"] == frozen
        assert [p["task_id"] for p in clock_of(api)["pending"]] == [task["id"]]
        # Back to real: the wait pending ends in real time, and the run with it.
        server.clock.set_mode("real")
        assert server.clock.mode == "real"
        assert wait_status(api, server.organization_id, task["id"])["status"] == "completed"


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"seconds": "5"}, "body.seconds"),
        ({"seconds": -1}, "body.seconds"),
        ({"seconds": True}, "body.seconds"),
        ({"seconds": 1e12}, "body.seconds"),
        ({}, "body.seconds"),
        ({"seconds": 5, "minutes": 1}, "body.minutes"),
        ([5], "body"),
    ],
)
def test_a_bad_advance_is_refused_naming_the_field_and_moves_nothing(
    emulator_factory: Factory, body: object, field: str
) -> None:
    server = emulator_factory(clock="manual", step_delay=1)
    with make_client(server) as api:
        create(api, "agent-bad")
        before = clock_of(api)
        refused = api.post("/_emulator/clock/advance", json=body)
        assert refused.status_code == 422, refused.text
        assert field in [e["field"] for e in refused.json()["errors"]]
        assert clock_of(api) == before


def test_bad_clock_requests_get_4xx_naming_what_is_wrong(emulator_factory: Factory) -> None:
    server = emulator_factory(clock="manual")
    with make_client(server) as api:
        not_json = api.post(
            "/_emulator/clock/advance",
            content=b"{seconds",
            headers={"content-type": "application/json"},
        )
        assert not_json.status_code == 400 and not_json.json()["errors"][0]["field"] == "body"
        bad_mode = api.put("/_emulator/clock", json={"mode": "sundial"})
        assert bad_mode.status_code == 422
        assert bad_mode.json()["errors"][0]["field"] == "body.mode"
        assert clock_of(api)["mode"] == "manual"


def test_python_arguments_are_checked_before_any_request() -> None:
    with pytest.raises(ValueError, match="clock"):
        EmulatorServer(clock="sundial")
    server = EmulatorServer(clock="manual")  # not started: a request would be a RuntimeError
    with pytest.raises(ValueError, match="seconds"):
        server.clock.advance("5")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seconds"):
        server.clock.advance(-1)
    with pytest.raises(ValueError, match="mode"):
        server.clock.set_mode("sundial")
