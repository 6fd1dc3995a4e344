"""The CLI as a user runs it, against the emulator: ``main(argv)`` called in this process, with
its own environment, stdout and stderr, and its exit code (``run_cli``); a few tests start it
as a real process (``CLI``, ``clean_env``) for what only a process shows: the console script,
``python -m xpander_sdk``, Ctrl-C."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from typing import Any, TextIO

import pytest

from xpander_sdk.cli import main
from xpander_sdk.emulator import EmulatorServer

CLI = [sys.executable, "-m", "xpander_sdk"]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any XPANDER_* setting, plus ``extra`` (for a subprocess)."""
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


@contextmanager
def environment(env: Mapping[str, str]) -> Iterator[None]:
    """This process's environment without any XPANDER_* setting or COLUMNS, plus ``env``,
    until the block ends: what a shell would hand the command."""
    with pytest.MonkeyPatch.context() as patch:
        for name in [k for k in os.environ if k.startswith("XPANDER_")] + ["COLUMNS"]:
            patch.delenv(name, raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        yield


def exit_code(stop: SystemExit, stderr: TextIO) -> int:
    """The status a process would exit with on ``stop`` (a message goes to stderr, as the
    interpreter prints it)."""
    if stop.code is None or isinstance(stop.code, int):
        return stop.code or 0
    print(stop.code, file=stderr)
    return 1


def run_cli(*args: str, env: Mapping[str, str], terminal: TextIO | None = None) -> Result:
    """Run ``xpander-tasks ARGS`` in this process with ``env`` as its XPANDER_* environment;
    its exit code and what it wrote (with ``terminal``, stdout and stderr both go there)."""
    out, err = io.StringIO(), io.StringIO()
    with environment(env), redirect_stdout(terminal or out), redirect_stderr(terminal or err):
        try:
            code = main(list(args))
        except SystemExit as stop:  # argparse: usage errors and --help
            code = exit_code(stop, err)
    return Result(code, out.getvalue(), err.getvalue())


def run_against(server: EmulatorServer, *args: str, env: Mapping[str, str] | None = None) -> Result:
    """``run_cli``, configured (by environment, unless ``env`` says otherwise) for ``server``."""
    return run_cli(*args, env=server.env() if env is None else env)


@pytest.fixture
def cli(emulator: EmulatorServer) -> Runner:
    """Run ``xpander-tasks ARGS`` configured (by environment) for the session's emulator."""

    def run(*args: str, env: Mapping[str, str] | None = None) -> Result:
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
