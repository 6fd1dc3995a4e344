"""Running tasks: the built-in demo agent, and plugging in your own with ``--agent``.

The agent contract (``--agent module:function`` or ``EmulatorServer(agent=...)``):

* it is called with one argument, the task's ``input`` as a dict (the AgentExecutionInput:
  ``{"text": str, "files": [str, ...], "user": {...} | None}``, plus ``attachments`` and
  ``principal`` when the create sent them);
* it may be a plain function, a coroutine function, a generator or an async generator;
* each value it yields becomes a ``chunk`` event (strings as they are, other values as JSON);
* the task's ``result`` is its return value when that is not ``None`` (a generator's
  ``return`` value counts), else the yielded chunks joined;
* an exception makes the task ``failed``, with ``"<ExceptionType>: <message>"`` as its result;
* yielding an ``Identity(name, icon=None)`` (``from xpander_sdk.emulator import Identity``)
  emits nothing itself: it stamps the chunk events that follow with that ``identity``
  (the display identity of the skill producing them, ``{"name": ..., "icon": ...}``) until
  another ``Identity`` is yielded; ``Identity(None)`` goes back to events without one.
  The identity is not part of the result.
* to wait, an async agent awaits ``pause(seconds)`` (``from xpander_sdk.emulator import
  pause``): the wait takes ``seconds`` on the emulator's clock (``--clock``; see ``clock``),
  so on a manual or auto clock an hour's wait ends when the clock says so, not an hour later.

Sync agents run in a worker thread, so they may block; a stopped task's thread is left to
finish on its own, but nothing it produces afterwards is recorded.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Any

from .clock import idle as idle
from .clock import pause as pause
from .service import RunFactory, TaskService

AgentFunction = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class Identity:
    """Yield one from an agent to stamp the chunks that follow with ``{"name", "icon"}``.

    ``Identity(None)`` clears it: the chunks after it carry no identity.
    """

    name: str | None
    icon: str | None = None

    def as_event_field(self) -> dict[str, Any] | None:
        """The event's ``identity`` (a MessageIdentity), or ``None`` once cleared."""
        return None if self.name is None else {"name": self.name, "icon": self.icon}


def load_agent(target: str) -> AgentFunction:
    """The callable named by ``"package.module:function"``; ``ValueError`` if there is none."""
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"--agent wants module:function, got {target!r}")
    found: Any = importlib.import_module(module_name)
    for part in attr.split("."):
        found = getattr(found, part, None)
    if not callable(found):
        raise ValueError(f"{target!r} is not a callable")
    agent: AgentFunction = found
    return agent


def demo_agent(step_delay: float) -> AgentFunction:
    """The built-in agent: streams a short canned answer, one chunk per ``step_delay``."""

    async def agent(task_input: dict[str, Any]) -> AsyncIterator[str]:
        prompt = task_input.get("text") or ""
        for piece in ("Emulated answer", " to: ", prompt or "(no prompt)"):
            await pause(step_delay)
            yield piece

    return agent


def as_text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


async def drive(
    agent: AgentFunction,
    task_input: dict[str, Any],
    on_chunk: Callable[[str, dict[str, Any] | None], None],
) -> str:
    """Run ``agent`` to its end, feeding each yielded chunk and the identity in force to
    ``on_chunk``; the result."""
    chunks: list[str] = []
    identity: dict[str, Any] | None = None

    def emit(value: object) -> None:
        nonlocal identity
        if isinstance(value, Identity):
            identity = value.as_event_field()
            return
        text = as_text(value)
        chunks.append(text)
        on_chunk(text, identity)

    if inspect.iscoroutinefunction(agent) or inspect.isasyncgenfunction(agent):
        produced: Any = agent(task_input)
    else:
        produced = await asyncio.to_thread(agent, task_input)
    if inspect.isawaitable(produced):
        produced = await produced
    returned: object = produced
    if inspect.isasyncgen(produced):
        async for item in produced:
            emit(item)
        returned = None
    elif inspect.isgenerator(produced):
        returned = await _drain_generator(produced, emit)
    return "".join(chunks) if returned is None else as_text(returned)


async def _drain_generator(gen: Iterator[Any], emit: Callable[[object], None]) -> object:
    def step() -> tuple[bool, object]:
        try:
            return False, next(gen)
        except StopIteration as stop:
            return True, stop.value

    while True:
        done, value = await asyncio.to_thread(step)
        if done:
            return value
        emit(value)


def make_run(agent: AgentFunction, step_delay: float) -> RunFactory:
    """The run of one task: ``executing`` after ``step_delay``, the agent's chunks, then
    ``completed`` with its result (or ``failed`` with the error)."""

    def run(service: TaskService, task_id: str) -> Coroutine[Any, Any, None]:
        return _run(service, task_id, agent, step_delay)

    return run


async def _run(service: TaskService, task_id: str, agent: AgentFunction, step_delay: float) -> None:
    # The create has answered already; the pause lets a client see ``pending`` first.
    await pause(step_delay)
    task = service.begin_run(task_id)
    if task is None:
        return
    try:
        result = await drive(
            agent, task["input"], lambda text, who: service.append_chunk(task_id, text, who)
        )
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # the user's agent failed: that is the task's outcome
        service.finish_run(task_id, "failed", f"{type(exc).__name__}: {exc}")
        return
    await asyncio.sleep(0)  # a stop that raced the last chunk wins
    service.finish_run(task_id, "completed", result, used_tools=[])
