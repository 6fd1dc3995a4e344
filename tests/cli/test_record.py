"""``xpander-tasks follow TASK_ID --record FILE``: a run recorded from one server, replayed
by ``xpander-emulator --agents FILE`` (both real processes), streams the same events."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from xpander_sdk._redact import masked
from xpander_sdk.cli import main
from xpander_sdk.emulator import EmulatorServer, Event

from .conftest import CLI, clean_env, run_against

AGENT, PROMPT = "billing-eu", "re:fund invoice 2291, *please*"
SCRIPT = {
    "agents": [
        {
            "match": {"agent_id": "billing-*"},
            "steps": [
                {"chunk": "Looking up the invoice"},
                {"wait": 0.2},
                {
                    "tool_call": {
                        "name": "lookup_invoice",
                        "arguments": {"invoice": "2291", "user_tokens": {"bank": "tok-SECRET"}},
                        "result": {"amount": 12.5},
                        "seconds": 0.1,
                    }
                },
                {"think": {"title": "Allowed", "thought": "Within 30 days"}},
                {"plan": [{"title": "Find invoice", "completed": True}, "Refund"]},
                {"identity": {"name": "Billing skill", "icon": "💳"}},
                {"chunk": "Refunding"},
                {"event": {"type": "sub_agent_trigger", "data": {"agent_id": "payments"}}},
                {"identity": None},
                {"pause": {"wait_node_id": "approve"}},
                {"chunk": " (approved)"},
                {"fail": "Card declined"},
            ],
        }
    ]
}
VOLATILE = frozenset({"id", "created_at", "started_at", "finished_at", "paused_at", "duration"})


def story(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for event in events:
        data = event["data"]
        if event["type"].startswith("task_"):
            data = {k: v for k, v in data.items() if k not in VOLATILE}
        out.append({"type": event["type"], "identity": event.get("identity"), "data": data})
    return out


def stream(client: httpx.Client, organization_id: str, task_id: str) -> list[dict[str, Any]]:
    events = []
    with client.stream("GET", f"/{organization_id}/agent-execution/{task_id}/events") as response:
        for line in response.iter_lines():
            if line.startswith("data:"):
                events.append(json.loads(line[5:]))
    return events


def run_with_approval(client: httpx.Client, agent_id: str) -> str:
    """Create the task; approve it (PATCH executing) once it pauses. Its id."""
    task = client.post(
        f"/agent-execution/{agent_id}",
        json={"input": {"text": PROMPT}, "events_streaming": True},
    ).json()
    while client.get(f"/agent-execution/{task['id']}/status").json()["status"] != "paused":
        time.sleep(0.01)
    client.patch(f"/agent-execution/{task['id']}/update", json={"status": "executing"})
    task_id: str = task["id"]
    return task_id


@pytest.fixture
def replaying() -> Iterator[Callable[[Path], str]]:
    """``start(FILE)``: ``xpander-emulator --agents FILE`` in a process of its own; its URL."""
    started: list[subprocess.Popen[str]] = []

    def start(file: Path) -> str:
        process = subprocess.Popen(
            [sys.executable, "-m", "xpander_sdk.emulator", "--port", "0", "--api-key",
             "replay-key", "--step-delay", "0.01", "--agents", str(file)],
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        started.append(process)
        assert process.stderr is not None
        for line in process.stderr:
            found = re.search(r"listening on (http://\S+)", line)
            if found:
                return found.group(1)
        raise AssertionError(f"the emulator did not start (exit {process.wait()})")

    yield start
    for process in started:
        process.terminate()
        process.wait(30)
        if process.stderr is not None:
            process.stderr.close()


def test_a_recorded_run_replays_with_the_same_events(
    emulator_factory: Callable[..., EmulatorServer],
    replaying: Callable[[Path], str],
    tmp_path: Path,
) -> None:
    origin = emulator_factory(api_key="origin-key-SECRET", step_delay=0.01, agents=SCRIPT)
    record = tmp_path / "recorded.json"
    with httpx.Client(base_url=origin.base_url, headers={"x-api-key": origin.api_key}) as client:
        task = client.post(
            f"/agent-execution/{AGENT}", json={"input": {"text": PROMPT}, "events_streaming": True}
        ).json()
        follow = subprocess.Popen(
            [*CLI, "follow", task["id"], "--record", str(record)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=clean_env(**origin.env()),
        )
        while client.get(f"/agent-execution/{task['id']}/status").json()["status"] != "paused":
            time.sleep(0.01)
        client.patch(f"/agent-execution/{task['id']}/update", json={"status": "executing"})
        out, err = follow.communicate(timeout=60)
        original = stream(client, origin.organization_id, task["id"])
    assert follow.returncode == 1, err  # the run failed, as scripted
    assert f"recorded task {task['id']} to {record}" in err
    assert "result: Card declined" in out

    text = record.read_text(encoding="utf-8")
    assert "origin-key-SECRET" not in text and "tok-SECRET" not in text
    document = json.loads(text)
    assert document["recorded_from"]["host"] == origin.base_url
    assert document["recorded_from"]["task_id"] == task["id"]
    (rule,) = document["agents"]
    # The prompt starts with "re:", so it is matched as an escaped, anchored expression;
    # the agent id as a glob matching only itself.
    assert rule["match"] == {"agent_id": AGENT, "prompt": "re:^" + re.escape(PROMPT) + "$"}
    kinds = [next(iter(step)) for step in rule["steps"]]
    # (Another wait may show where this busy machine was slow to run a step.)
    assert [kind for kind in kinds if kind != "wait"] == [
        "chunk", "tool_call", "think", "plan", "identity", "chunk", "event",
        # the identity is seen to change on the first event after the pause
        "pause", "identity", "chunk", "fail",
    ]  # fmt: skip
    assert kinds[:3] == ["chunk", "wait", "tool_call"]
    steps = {next(iter(s)): next(iter(s.values())) for s in rule["steps"]}
    assert rule["steps"][1]["wait"] >= 0.15  # the gap the events' times show
    assert steps["tool_call"]["seconds"] >= 0.09
    assert steps["tool_call"]["arguments"] == {"invoice": "2291", "user_tokens": "***"}

    replay_url = replaying(record)
    with httpx.Client(base_url=replay_url, headers={"x-api-key": "replay-key"}) as client:
        again = run_with_approval(client, AGENT)
        replayed = stream(client, "local-org", again)
        other = client.post(f"/agent-execution/{AGENT}", json={"input": {"text": "refund"}})
        other_final = stream(client, "local-org", other.json()["id"])[-1]["data"]

    assert story(replayed) == story(masked(original)), "the replay streamed other events"
    assert [e["type"] for e in replayed][-2:] == ["task_updated", "task_finished"]
    assert replayed[-1]["data"]["result"] == "Card declined"
    # Only the recorded task's prompt matches the rule: another runs the demo agent.
    assert other_final["result"].startswith("Emulated answer")


def test_record_goes_with_follow_only(emulator: EmulatorServer, tmp_path: Path) -> None:
    never = tmp_path / "never.json"
    done = run_against(emulator, "create", "agent-x", "hi", "--record", str(never))
    assert done.code == 2
    assert "--record goes with --follow" in done.err
    assert not never.exists()


def test_events_no_step_makes_exactly_are_recorded_as_they_came(
    emulator_factory: Callable[..., EmulatorServer],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Two tool calls in flight at once, and a thought with fields agno's ``think`` has not,
    are kept as ``event`` steps; the run in process, through ``xpander_sdk.cli.run``."""

    def request(call: str) -> dict[str, Any]:
        return {"request_id": call, "operation_id": "search", "tool_name": "search",
                "payload": {"q": call}}  # fmt: skip

    def parallel(task_input: dict[str, Any]) -> Iterator[object]:
        yield Event("tool_call_request", request("a"))
        yield Event("tool_call_request", request("b"))
        yield Event("tool_call_result", {**request("a"), "result": 1, "is_error": False})
        yield Event("tool_call_result", {**request("b"), "result": 2, "is_error": False})
        yield Event("think", {"tool_name": "think", "payload": {"input": {"mood": "calm"}}})
        return "done"

    origin = emulator_factory(step_delay=0.0, agents=[{"agent": parallel}])
    record = tmp_path / "parallel.yaml"
    with httpx.Client(base_url=origin.base_url, headers={"x-api-key": origin.api_key}) as client:
        created = client.post(
            "/agent-execution/agent-p", json={"input": {"text": "go"}, "events_streaming": True}
        ).json()
        code = main(
            ["--api-key", origin.api_key, "--base-url", origin.base_url, "--organization-id",
             origin.organization_id, "follow", created["id"], "--record", str(record)]
        )  # fmt: skip
        original = stream(client, origin.organization_id, created["id"])
    assert code == 0
    capsys.readouterr()
    steps = json.loads(record.read_text())["agents"][0]["steps"]
    kinds = [next(iter(step)) for step in steps]
    # A loaded machine may space the events out enough to be recorded as waits.
    assert [kind for kind in kinds if kind != "wait"] == ["event"] * 5 + ["result"]
    replay = emulator_factory(step_delay=0.0, agents=str(record))
    with httpx.Client(base_url=replay.base_url, headers={"x-api-key": replay.api_key}) as client:
        again = client.post(
            "/agent-execution/agent-p", json={"input": {"text": "go"}, "events_streaming": True}
        ).json()
        replayed = stream(client, replay.organization_id, again["id"])
    assert story(replayed) == story(original)
