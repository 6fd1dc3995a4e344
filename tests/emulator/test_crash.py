"""A crash mid-run: SIGKILL the emulator (a real process, a file database) while tasks are
created and run, start it again on the same database, and check that nothing answered was
lost or doubled, the interrupted runs ended, and a stream followed across the restart got
every event once."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx
import pytest
from emulator_helpers import check_event

from xpander_sdk.emulator.service import INTERRUPTED_RESULT, INTERRUPTED_STATUS

pytestmark = pytest.mark.slow

KEY = "crash-key"
AGENT = "agent-crash"
ORG = "local-org"
FINAL = {"completed", "failed", "error", "stopped"}

# "quick" tasks end at once; the others stream one chunk, then run until the process dies.
AGENT_SOURCE = """
import asyncio

async def run(task_input):
    yield "started"
    if not task_input["text"].startswith("quick"):
        await asyncio.sleep(3600)
"""


@contextmanager
def emulator_process(
    tmp_path: Path, db: Path, agent: tuple[str, ...] = ("--agent", "crash_agent:run")
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    process = subprocess.Popen(
        [sys.executable, "-m", "xpander_sdk.emulator", "--port", "0", "--db", str(db),
         "--api-key", KEY, *agent, "--step-delay", "0.01"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )  # fmt: skip
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        match = re.search(r"listening on (http://\S+)", line)
        assert match, line
        yield process, match.group(1)
    finally:
        if process.poll() is None:
            process.terminate()
        process.communicate(timeout=15)


def client(base: str) -> httpx.Client:
    return httpx.Client(base_url=base, headers={"x-api-key": KEY}, timeout=10)


def events_of(line_source: Iterator[str], sink: list[tuple[int, dict[str, Any]]]) -> bool:
    """Read SSE lines into ``sink``; whether ``task_finished`` came."""
    event_id = None
    for line in line_source:
        if line.startswith("id:"):
            event_id = int(line[3:])
        elif line.startswith("data:"):
            event = json.loads(line[5:])
            check_event(event)
            assert event_id is not None
            sink.append((event_id, event))
            if event["type"] == "task_finished":
                return True
    return False


def test_sigkill_mid_run_then_restart(tmp_path: Path) -> None:
    (tmp_path / "crash_agent.py").write_text(AGENT_SOURCE)
    db = tmp_path / "emulator.sqlite"
    answered: dict[str, str] = {}  # idempotency key (also the prompt) -> task id
    sent: list[str] = []
    followed: list[tuple[int, dict[str, Any]]] = []
    stop_creating = threading.Event()

    with emulator_process(tmp_path, db) as (process, base), client(base) as api:
        hanging = []
        for i in range(3):
            key = f"hang-{i}-{uuid.uuid4().hex[:6]}"
            sent.append(key)
            task = api.post(
                f"/agent-execution/{AGENT}",
                json={"input": {"text": key}},
                headers={"Idempotency-Key": key},
            ).json()
            answered[key] = task["id"]
            hanging.append(task["id"])

        def keep_creating() -> None:
            with client(base) as own:
                while not stop_creating.is_set():
                    key = f"quick-{uuid.uuid4().hex}"
                    sent.append(key)
                    try:
                        task = own.post(
                            f"/agent-execution/{AGENT}",
                            json={"input": {"text": key}},
                            headers={"Idempotency-Key": key},
                        ).json()
                    except httpx.TransportError:
                        return  # the process died: this answer was lost
                    answered[key] = task["id"]

        creator = threading.Thread(target=keep_creating, daemon=True)
        creator.start()
        # Follow a hanging task's stream until its chunk: its run is now mid-way.
        url = f"/{ORG}/agent-execution/{hanging[0]}/events"
        stream = api.stream("GET", url)
        response = stream.__enter__()
        lines = response.iter_lines()
        while not any(e["type"] == "chunk" for _, e in followed):
            assert not events_of(_take_one_event(lines), followed)
        while len(answered) < 20:  # creates keep coming while the process dies
            assert creator.is_alive()
            threading.Event().wait(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        stop_creating.set()
        creator.join(10)
        with suppress(httpx.TransportError):
            assert not events_of(lines, followed), "the stream ended before the crash"
        stream.__exit__(None, None, None)
    assert followed, "nothing was followed before the crash"

    with emulator_process(tmp_path, db) as (_, base), client(base) as api:
        # The stream, resumed after the restart, ends: the interrupted run was ended.
        last = followed[-1][0]
        with api.stream("GET", url, headers={"Last-Event-ID": str(last)}) as response:
            assert events_of(response.iter_lines(), followed)
        direct: list[tuple[int, dict[str, Any]]] = []
        with api.stream("GET", url) as response:
            assert events_of(response.iter_lines(), direct)
        assert followed == direct
        ids = [i for i, _ in followed]
        assert ids == sorted(set(ids))

        listed = api.get(f"/agent-execution/executions/history/{AGENT}").json()
        by_prompt: dict[str, list[str]] = {}
        for item in listed:
            task = api.get(f"/agent-execution/{item['id']}/status").json()
            by_prompt.setdefault(task["input"]["text"], []).append(task["id"])
            # every run reached a final status; the interrupted ones say so
            assert task["status"] in FINAL, task
            if task["input"]["text"].startswith("hang"):
                assert (task["status"], task["result"]) == (INTERRUPTED_STATUS, INTERRUPTED_RESULT)
        # every answered create is stored once, under the id it was answered with
        for key, task_id in answered.items():
            assert by_prompt.get(key) == [task_id], key
        assert all(len(found) == 1 for found in by_prompt.values())
        assert set(by_prompt) <= set(sent)
        # every task's log ends with task_finished; event ids are unique across all of them
        state = api.get("/_emulator/state").json()
        all_ids = [e["id"] for t in state["tasks"] for e in t["events"]]
        assert len(all_ids) == len(set(all_ids))
        for item in state["tasks"]:
            assert item["events"][-1]["event"]["type"] == "task_finished", item["task"]["id"]
        assert state["runs"] == []
        # a create whose answer was lost is safe to retry: stored once either way
        for key in sent:
            again = api.post(
                f"/agent-execution/{AGENT}",
                json={"input": {"text": key}},
                headers={"Idempotency-Key": key},
            ).json()
            if key in answered:
                assert again["id"] == answered[key]
        assert len(api.get(f"/agent-execution/executions/history/{AGENT}").json()) == len(sent)


def test_sigkill_while_demo_runs_share_commits(tmp_path: Path) -> None:
    """The demo agent's runs step on shared ticks and their writes wait for a group commit;
    a SIGKILL then loses at most those uncommitted steps, never an answered create: after
    a restart every answered task is there, ended (completed, or interrupted), with a log
    in order from task_created to task_finished that agrees with the task."""
    db = tmp_path / "emulator.sqlite"
    answered: list[str] = []
    with emulator_process(tmp_path, db, agent=()) as (process, base), client(base) as api:
        for i in range(40):
            answered.append(
                api.post(f"/agent-execution/{AGENT}", json={"input": {"text": f"d{i}"}}).json()[
                    "id"
                ]
            )
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    rank = {"pending": 0, "executing": 1, **dict.fromkeys(FINAL, 2)}
    with emulator_process(tmp_path, db, agent=()) as (_, base), client(base) as api:
        state = api.get("/_emulator/state").json()
        assert state["runs"] == []
        logs = {item["task"]["id"]: item for item in state["tasks"]}
        assert set(answered) <= set(logs)
        for task_id in answered:
            task = api.get(f"/agent-execution/{task_id}/status").json()
            assert task["status"] in FINAL, task
            if task["status"] != "completed":
                assert (task["status"], task["result"]) == (INTERRUPTED_STATUS, INTERRUPTED_RESULT)
            events = [e["event"] for e in logs[task_id]["events"]]
            ids = [e["id"] for e in logs[task_id]["events"]]
            assert ids == sorted(set(ids))
            assert events[0]["type"] == "task_created"
            assert [e["type"] for e in events[-2:]] == ["task_updated", "task_finished"]
            statuses = [rank[e["data"]["status"]] for e in events if e["type"] != "chunk"]
            assert statuses == sorted(statuses)
            assert events[-1]["data"]["status"] == task["status"]


def _take_one_event(lines: Iterator[str]) -> Iterator[str]:
    """The lines of ``lines`` up to and including the next ``data:`` line."""
    for line in lines:
        yield line
        if line.startswith("data:"):
            return
