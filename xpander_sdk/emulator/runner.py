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
* to wait, an async agent awaits ``pause(seconds)`` (``from xpander_sdk.emulator import
  pause``) or yields ``Wait(seconds)``: the wait takes ``seconds`` on the emulator's clock
  (``--clock``; see ``clock``), so on a manual or auto clock an hour's wait ends when the
  clock says so, not an hour later. A sync agent's own ``time.sleep`` is real time, and
  counts as work (it holds an auto clock still).

Sync agents run in a worker thread, so they may block; a stopped task's thread is left to
finish on its own, but nothing it produces afterwards is recorded.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Callable
from typing import Any

from .clock import idle as idle
from .clock import pause as pause
from .steps import Identity as Identity

AgentFunction = Callable[[Any], Any]
"""An agent: called with a task's input (``{"text", "files", "user"}``), or with the whole
task (an `AgentTask`) when its first parameter is annotated so; a plain or async function,
or a sync or async generator (see this module's docstring for what it may yield)."""


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
