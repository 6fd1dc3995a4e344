"""Running tasks: the agent contract, the built-in demo agent, and the waits of a run.

The agent contract (``--agent module:function``, ``EmulatorServer(agent=...)``, or a rule's
``agent:`` in an agents document, see ``agents``):

* it is called with one argument: the task's ``input`` as a dict (the AgentExecutionInput:
  ``{"text": str, "files": [str, ...], "user": {...} | None}``, plus ``attachments`` and
  ``principal`` when the create sent them); or, when its first parameter is annotated
  ``AgentTask`` (``from xpander_sdk.emulator import AgentTask``), with the whole task: its
  ``id``, ``agent_id``, ``input``, ``prompt``, ``title``, ``instructions``,
  ``output_format``, ``output_schema``, and ``task`` (the Task document);
* it may be a plain function, a coroutine function, a generator or an async generator;
* each value it yields is a step of its run: a step object (``Chunk``, ``ToolCall``,
  ``Think``, ``Plan``, ``Identity``, ``Wait``, ``Pause``, ``Result``, ``Structured``,
  ``Fail``, ``Status``, ``Event``; see ``steps``), carried out exactly as a script's step
  is; anything else becomes a ``chunk`` event (strings as they are, other values as JSON);
* ``answer = yield Pause(...)`` pauses the task for a person; the run goes on when the task
  is PATCHed back to ``executing`` (``answer`` is ``None``) or a create naming the task
  brings the person's answer (``answer`` is its text);
* yielding ``Result``, ``Structured``, ``Fail`` or ``Status`` ends the run there (so does
  returning one); otherwise the task's ``result`` is its return value when that is not
  ``None`` (a generator's ``return`` value counts), else the chunks joined, and it ends
  ``completed``;
* an exception makes the task ``failed``, with ``"<ExceptionType>: <message>"`` as its result
  (a step yielded with a wrong field is such an exception, naming the field);
* ``Identity(name, icon=None)`` emits nothing itself: it stamps the events that follow
  (chunks, tool calls, reasoning, plans) with that ``identity`` (the display identity of
  the skill producing them, ``{"name": ..., "icon": ...}``) until another ``Identity``;
  ``Identity(None)`` goes back to events without one.

Sync agents run in a worker thread, so they may block; a stopped task's thread is left to
finish on its own, but nothing it produces afterwards is recorded.
"""

from __future__ import annotations

import asyncio
import importlib
import math
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from .steps import Identity as Identity

AgentFunction = Callable[[Any], Any]
"""An agent: called with a task's input (``{"text", "files", "user"}``), or with the whole
task (an `AgentTask`) when its first parameter is annotated so; a plain or async function,
or a sync or async generator (see this module's docstring for what it may yield)."""
T = TypeVar("T")


def load_agent(target: str) -> AgentFunction:
    """The callable named by ``"package.module:function"``; ``ValueError`` if there is none."""
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"an agent is named 'module:function', got {target!r}")
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


async def pause(seconds: float) -> None:
    """Sleep at least ``seconds``, ending on a shared tick (a tenth of ``seconds``, at most
    10 ms): runs started at different moments wake together rather than one by one.

    Every wake-up of the event loop costs the emulator a context switch; with hundreds of
    runs in flight, one timer per step per run was most of its CPU time. A step ends up to
    a tick late (10 ms on the default 0.25 s), never early. The steps that end on one tick
    share one timer, and their writes one commit (see ``TaskService``).
    """
    if seconds <= 0:
        await asyncio.sleep(0)
        return
    loop = asyncio.get_running_loop()
    tick = min(seconds / 10, 0.01)
    wake = math.ceil((loop.time() + seconds) / tick) * tick
    ticks = _TICKS.get(loop)
    if ticks is None:
        ticks = _TICKS[loop] = _Ticks()
    await ticks.at(loop, wake)


class _Ticks:
    """The wake-ups of one event loop, by the moment they fall due: one timer per moment,
    rather than one per sleeper in the loop's heap of timers."""

    def __init__(self) -> None:
        # (No reference to the loop: it is this object's key in a weak dictionary.)
        self._due: dict[float, list[asyncio.Future[None]]] = {}

    def at(self, loop: asyncio.AbstractEventLoop, when: float) -> asyncio.Future[None]:
        """A future done at ``when`` (the loop's clock); its own, so cancelling it (as
        cancelling its waiter does) leaves the others sharing the moment alone."""
        waiters = self._due.get(when)
        if waiters is None:
            waiters = self._due[when] = []
            loop.call_at(when, self._fire, when)
        future: asyncio.Future[None] = loop.create_future()
        waiters.append(future)
        return future

    def _fire(self, when: float) -> None:
        for future in self._due.pop(when):
            if not future.done():
                future.set_result(None)


_TICKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Ticks] = weakref.WeakKeyDictionary()


async def idle(waited: Awaitable[T]) -> T:
    """Await ``waited``: something outside the emulator, like a person's answer to a paused
    run. (The clock, engineer E's ``clock.idle``, takes this place: a run waiting here is
    neither working nor waiting on the clock.)"""
    return await waited
