"""The CLI as a user runs it: ``python -m xpander_sdk`` in a subprocess, against the emulator."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from xpander_sdk.emulator import EmulatorServer

CLI = [sys.executable, "-m", "xpander_sdk"]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any XPANDER_* setting, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XPANDER_")}
    env.pop("COLUMNS", None)
    env.update(extra)
    return env


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def json_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.splitlines()]


Runner = Callable[..., Result]


def run_against(server: EmulatorServer, *args: str, env: dict[str, str] | None = None) -> Result:
    done = subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        env=env if env is not None else clean_env(**server.env()),
        timeout=60,
    )
    return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def cli(emulator: EmulatorServer) -> Runner:
    """Run ``xpander-tasks ARGS`` configured (by environment) for the session's emulator."""

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return run_against(emulator, *args, env=env)

    return run


async def slow_agent(task_input: dict[str, Any]) -> AsyncIterator[str]:
    """An agent that says one word, then thinks for a long while."""
    yield "thinking"
    await asyncio.sleep(30)
    yield "done"


def failing_agent(task_input: dict[str, Any]) -> str:
    raise RuntimeError("the agent gave up")


@pytest.fixture
def slow_emulator(emulator_factory: Callable[..., EmulatorServer]) -> EmulatorServer:
    """An emulator whose tasks stay ``executing`` for 30 s."""
    return emulator_factory(agent=slow_agent, step_delay=0.01)


@pytest.fixture
def tasks_for(emulator: EmulatorServer) -> Callable[..., list[str]]:
    """Make ``n`` finished tasks (prompt "hello", events streamed) for an agent; their ids."""
    from xpander_sdk import Configuration, Tasks

    def make(agent_id: str, n: int) -> list[str]:
        configuration = Configuration(
            api_key=emulator.api_key,
            base_url=emulator.base_url,
            organization_id=emulator.organization_id,
        )
        with Tasks(configuration) as tasks:
            made = [tasks.create(agent_id, prompt="hello", events_streaming=True) for _ in range(n)]
            for task in made:
                task.wait_for_completion(timeout=30)
        return [task.id for task in made]

    return make
