"""The one step executor: what each step of a run does to its task and the task's log.

A run's steps come from a script (a rule's ``steps``) or from a Python agent (what it
yields; the demo agent is one). Both go through ``Run.apply``, so a step makes the same
events whatever its source. A run, start to end (``run_task``):

1. ``pause(step_delay)``: the create answered ``pending``; a client sees that first;
2. ``executing`` (``task_updated``);
3. the steps, one by one, until one ends the run or there are no more;
4. unless a step ended it: ``completed`` with the chunks joined as the result (a Python
   agent's return value, when it returns one); a Python agent that raises ends the run
   ``failed`` with ``"<ExceptionType>: <message>"``.

Every wait goes through ``runner.pause`` (the emulator's clock) and a wait for a person
through ``runner.idle``; every write through ``TaskService``.

Event data have the published SDK's shapes (``xpander_sdk.models.events``): a tool call's
``tool_call_request`` / ``tool_call_result`` are its ``ToolCallRequest`` / ``ToolCallResult``
with every field (null where unset); ``think`` is a ``ToolCallRequest`` of the ``think``
tool whose ``payload`` is ``{"input": {title, thought, action, confidence}}`` (as its
``report_reasoning_event`` sends it); ``plan_updated`` carries a ``DeepPlanning``.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import uuid
from collections.abc import AsyncGenerator, Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jsonschema

from .model import Task
from .runner import AgentFunction, idle, pause
from .steps import (
    AgentTask,
    Chunk,
    Event,
    Fail,
    Identity,
    Pause,
    Plan,
    Result,
    Status,
    Step,
    StepError,
    Structured,
    Think,
    ToolCall,
    Wait,
    as_text,
    parse_step,
    plan_items,
    step_document,
)

if TYPE_CHECKING:
    from .service import TaskService

_STEP_TYPES = (
    Chunk,
    ToolCall,
    Think,
    Plan,
    Identity,
    Wait,
    Pause,
    Result,
    Structured,
    Fail,
    Status,
    Event,
)


@dataclass(frozen=True)
class PythonAgent:
    """A Python agent and how to call it: with an ``AgentTask`` when its first parameter is
    annotated so, else with the task's input (the original contract)."""

    function: AgentFunction
    name: str
    wants_task: bool

    @classmethod
    def of(cls, function: Callable[..., Any], name: str | None = None) -> PythonAgent:
        return cls(function, name or _name_of(function), _wants_task(function))


def _name_of(function: Callable[..., Any]) -> str:
    module = getattr(function, "__module__", None) or "?"
    qualname = getattr(function, "__qualname__", None) or type(function).__qualname__
    return f"{module}:{qualname}"


def _wants_task(function: Callable[..., Any]) -> bool:
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):  # a builtin without a signature: the old contract
        return False
    if not parameters:
        return False
    annotation = parameters[0].annotation
    if annotation is AgentTask:
        return True
    # ``from __future__ import annotations`` leaves the annotation as its text.
    return isinstance(annotation, str) and annotation.rsplit(".", 1)[-1] == "AgentTask"


async def run_task(
    service: TaskService,
    task_id: str,
    step_delay: float,
    *,
    steps: list[Step] | None = None,
    agent: PythonAgent | None = None,
) -> None:
    """Run a task: a script's ``steps``, or a Python ``agent`` (see the module docstring)."""
    # The create has answered already; the pause lets a client see ``pending`` first.
    await pause(step_delay)
    task = service.begin_run(task_id)
    if task is None:
        return
    run = Run(service, task_id, step_delay)
    try:
        if steps is not None:
            for step in steps:
                await run.apply(step)
                if run.ended:
                    return
        elif agent is not None:
            await _drive(run, agent, task)
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # the user's agent failed: that is the task's outcome
        if not run.ended:
            await run.end("failed", f"{type(exc).__name__}: {exc}")
        return
    if not run.ended:
        await run.end("completed", "".join(run.chunks) if run.result is None else run.result)


class Run:
    """One run of one task: carries out its steps (``apply``), remembering what the end
    needs (the chunks streamed, the tools used) and the identity in force."""

    def __init__(self, service: TaskService, task_id: str, step_delay: float) -> None:
        self.service = service
        self.task_id = task_id
        self.step_delay = step_delay
        self.identity: dict[str, Any] | None = None
        self.chunks: list[str] = []
        self.tools: list[str] = []
        self.result: str | None = None
        """A Python agent's return value as text (the result, unless a step ends the run)."""
        self.ended = False

    async def apply(self, step: Step) -> str | None:
        """Carry out ``step``; for a ``Pause``, the person's answer (``None`` when the
        task was PATCHed back to ``executing``)."""
        if isinstance(step, Chunk):
            self.chunks.append(step.text)
            self._event("chunk", step.text)
        elif isinstance(step, ToolCall):
            await self._tool_call(step)
        elif isinstance(step, Think):
            self._event("think", think_data(step))
        elif isinstance(step, Plan):
            plan = deep_planning(step)
            self.service.run_update(
                self.task_id, {"deep_planning": plan}, ("plan_updated", plan), self.identity
            )
        elif isinstance(step, Identity):
            self.identity = step.as_event_field()
        elif isinstance(step, Wait):
            await pause(step.seconds)
        elif isinstance(step, Pause):
            return await self._pause(step)
        elif isinstance(step, Result):
            await self.end("completed", as_text(step.value))
        elif isinstance(step, Structured):
            await self._structured(step)
        elif isinstance(step, Fail):
            await self.end("failed", step.message)
        elif isinstance(step, Status):
            await self.end(step.status, step.result)
        else:
            self._event(step.type, step.data)
        return None

    async def end(self, status: str, result: str | None) -> None:
        """End the run with ``status`` and ``result`` (``task_updated``, ``task_finished``)."""
        await asyncio.sleep(0)  # a stop that raced the last step wins
        self.ended = True
        self.service.finish_run(self.task_id, status, result, used_tools=list(self.tools))

    def _event(self, kind: str, data: Any) -> None:
        self.service.append_event(self.task_id, kind, data, self.identity)

    async def _tool_call(self, step: ToolCall) -> None:
        request_id = step.id or str(uuid.uuid4())
        self._event("tool_call_request", tool_call_request(step, request_id))
        if step.seconds:
            await pause(step.seconds)
        self._event("tool_call_result", tool_call_result(step, request_id))
        if step.name not in self.tools:
            self.tools.append(step.name)

    async def _pause(self, step: Pause) -> str | None:
        answered = self.service.pause_run(self.task_id, step.wait_node_id)
        answer = await idle(answered)
        task = self.service.store.latest_task(self.task_id)
        if task is not None and task.get("status") != "executing":
            # A create brought the answer and queued the task (``pending``): it starts
            # again as a new run would.
            await pause(self.step_delay)
            self.service.resume_run(self.task_id)
        return answer

    async def _structured(self, step: Structured) -> None:
        task = self.service.store.latest_task(self.task_id) or {}
        mismatch = structured_mismatch(step.value, task.get("output_schema"))
        if mismatch is None:
            await self.end("completed", json.dumps(step.value, ensure_ascii=False))
        else:
            await self.end("failed", mismatch)


# -- what a Python agent yields -----------------------------------------------------------


async def _drive(run: Run, agent: PythonAgent, task: Task) -> None:
    """Run ``agent`` to its end, each value it yields a step of ``run``, and what it returns
    (an async generator cannot) the last: a step, or the result's text."""
    arg: Any = AgentTask.of(task) if agent.wants_task else task["input"]
    function = agent.function
    if inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function):
        produced: Any = function(arg)
    else:  # sync agents may block: in a worker thread
        produced = await asyncio.to_thread(function, arg)
    if inspect.isawaitable(produced):
        produced = await produced
    if inspect.isasyncgen(produced):
        await _drain_async(run, produced)
        return
    if inspect.isgenerator(produced):
        produced = await _drain_sync(run, produced)
    if run.ended or produced is None:
        return
    if isinstance(produced, _STEP_TYPES):
        await run.apply(yielded_step(produced))
    else:
        run.result = as_text(produced)


async def _drain_async(run: Run, gen: AsyncGenerator[Any, Any]) -> None:
    answer: str | None = None
    while True:
        try:
            item = await gen.asend(answer)
        except StopAsyncIteration:
            return
        answer = await run.apply(yielded_step(item))
        if run.ended:
            await gen.aclose()
            return


async def _drain_sync(run: Run, gen: Generator[Any, Any, Any]) -> object:
    def step(answer: str | None) -> tuple[bool, object]:
        try:
            return False, gen.send(answer)
        except StopIteration as stop:
            return True, stop.value

    answer: str | None = None
    while True:
        done, value = await asyncio.to_thread(step, answer)
        if done:
            return value
        answer = await run.apply(yielded_step(value))
        if run.ended:
            await asyncio.to_thread(gen.close)
            return None


def yielded_step(value: object) -> Step:
    """The step a Python agent's yielded ``value`` stands for: a step as it is (checked as
    a script's would be: ``ValueError`` naming what is wrong), anything else a chunk."""
    if isinstance(value, Chunk) and isinstance(value.text, str):
        return value
    if isinstance(value, _STEP_TYPES):
        try:
            return parse_step(step_document(value))
        except (StepError, TypeError, AttributeError) as exc:
            raise ValueError(f"the agent yielded a bad step {value!r}: {exc}") from None
    return Chunk(as_text(value))


# -- the events' data, in the published SDK's shapes ----------------------------------------


def tool_call_request(step: ToolCall, request_id: str) -> dict[str, Any]:
    """A ``ToolCallRequest``: the ``tool_call_request`` event's data."""
    return {
        "request_id": request_id,
        "operation_id": step.operation_id or step.name,
        "tool_call_id": step.tool_call_id,
        "graph_node_id": step.graph_node_id,
        "tool_name": step.name,
        "payload": step.arguments,
        "reasoning": _reasoning(step.reasoning),
        "plan_task_id": step.plan_task_id,
    }


def tool_call_result(step: ToolCall, request_id: str) -> dict[str, Any]:
    """A ``ToolCallResult``: the ``tool_call_result`` event's data."""
    return {
        **tool_call_request(step, request_id),
        "result": step.result,
        "is_error": step.is_error,
        "approval_request_id": step.approval_request_id,
    }


def _reasoning(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"title": value.get("title"), "description": value.get("description")}


def think_data(step: Think) -> dict[str, Any]:
    """The ``think`` event's data: a ``ToolCallRequest`` of agno's ``think`` tool."""
    reasoning: dict[str, Any] = {"title": step.title}
    if step.thought is not None:
        reasoning["thought"] = step.thought
    if step.action is not None:
        reasoning["action"] = step.action
    reasoning["confidence"] = step.confidence
    return {
        "request_id": step.id or str(uuid.uuid4()),
        "operation_id": "think",
        "tool_call_id": None,
        "graph_node_id": None,
        "tool_name": "think",
        "payload": {"input": reasoning},
        "reasoning": None,
        "plan_task_id": step.plan_task_id,
    }


def deep_planning(step: Plan) -> dict[str, Any]:
    """The ``DeepPlanning`` a plan step sets: the task's ``deep_planning`` and the
    ``plan_updated`` event's data."""
    return {
        "enabled": step.enabled,
        "enforce": step.enforce,
        "started": step.started,
        "question_raised": step.question_raised,
        "tasks": plan_items(step.tasks),
    }


def structured_mismatch(value: Any, schema: Any) -> str | None:
    """Why ``value`` does not fit ``schema`` (the task's ``output_schema``), or ``None``
    when it fits or there is no schema. The result of a task that fails this names it."""
    if schema is None:
        return None
    prefix = "The structured result does not fit the task's output_schema"
    try:
        validator_class = jsonschema.validators.validator_for(schema)
        validator_class.check_schema(schema)
    except jsonschema.SchemaError as exc:
        return f"The task's output_schema is not a valid JSON schema: {exc.message}"
    error = jsonschema.exceptions.best_match(validator_class(schema).iter_errors(value))
    if error is None:
        return None
    where = "".join(f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return f"{prefix}: at ${where}: {error.message}"
