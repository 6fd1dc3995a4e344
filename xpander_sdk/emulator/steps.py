"""The steps of a run: what an agent script lists and what a Python agent yields.

One typed class per step kind. A script's step is a one-key mapping naming its kind
(``{"chunk": "Looking up the invoice"}``, ``{"wait": 3600}``, ...); ``parse_step`` turns it
into one of these classes and ``step_document`` turns a step back into that mapping. A
Python agent yields the same classes (``from xpander_sdk.emulator import Chunk, ToolCall,
...``). Either way the one step executor (``executor.Run``) carries them out, so a step
makes the same events whatever its source.

=============  ==================================================  ==========================
kind           script form                                         events it makes
=============  ==================================================  ==========================
``chunk``      ``chunk: "text"``                                   ``chunk``
``tool_call``  ``tool_call: {name, arguments, result, is_error,    ``tool_call_request``, then
               seconds, id, ...}``                                 ``tool_call_result``
``think``      ``think: "title"`` or ``{title, thought, ...}``     ``think``
``plan``       ``plan: [{title, completed}, ...]``                 ``plan_updated``
``identity``   ``identity: {name, icon}`` (``null`` clears it)     none (stamps the events
                                                                   that follow)
``wait``       ``wait: 3600`` (seconds on the emulator's clock)    none
``pause``      ``pause: {wait_node_id: approve}``                  ``task_updated`` (paused)
``result``     ``result: "text"``                                  ends ``completed``
``structured`` ``structured: {...}`` (JSON, checked against the    ends ``completed`` (or
               task's ``output_schema``)                           ``failed`` on a misfit)
``fail``       ``fail: "message"``                                 ends ``failed``
``status``     ``status: error`` or ``{status, result}``           ends with that status
``event``      ``event: {type, data}``                             that event, as given
=============  ==================================================  ==========================

The last five kinds but ``event`` end the run; a step after one of them would never run,
and ``parse_steps`` refuses it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

FINAL = ("completed", "failed", "error", "stopped")
"""The statuses a ``status`` step may end a run with."""
DEFAULT_CONFIDENCE = 0.8
"""A ``think`` step's confidence when it gives none (agno's ``think`` tool's default)."""
DEFAULT_WAIT_NODE = "human"
"""A ``pause`` step's ``wait_node_id`` when it gives none."""
MAX_WAIT = 10 * 366 * 24 * 3600.0
"""The longest ``wait`` or tool call, in seconds (about ten years)."""
_MAX_DEPTH = 64
"""How deep a JSON value in a step may nest."""


# -- the steps --------------------------------------------------------------------------


@dataclass(frozen=True)
class Chunk:
    """A piece of the agent's streamed output (a ``chunk`` event); part of the default
    result, which is every chunk joined."""

    text: str


@dataclass(frozen=True)
class ToolCall:
    """A call of a tool: ``tool_call_request`` (its arguments), ``seconds`` later
    ``tool_call_result`` (its result; ``is_error`` for a failed call). Both carry the
    published SDK's ``ToolCallRequest`` / ``ToolCallResult`` fields; ``id`` is their
    ``request_id`` (a fresh UUID when not given). The call also joins the task's activity
    log and its ``used_tools``."""

    name: str
    arguments: Any = None
    result: Any = None
    is_error: bool = False
    seconds: float = 0.0
    id: str | None = None
    operation_id: str | None = None
    """The tool's id on the platform (default: ``name``)."""
    tool_call_id: str | None = None
    graph_node_id: str | None = None
    reasoning: Mapping[str, Any] | None = None
    """``{"title", "description"}``: why the agent made the call."""
    plan_task_id: str | None = None
    approval_request_id: str | None = None


@dataclass(frozen=True)
class Think:
    """The agent's reasoning (a ``think`` event, shaped as agno's ``think`` tool reports
    it: its ``payload.input`` is ``{title, thought, action, confidence}``)."""

    title: str
    thought: str | None = None
    action: str | None = None
    confidence: float = DEFAULT_CONFIDENCE
    id: str | None = None
    plan_task_id: str | None = None


@dataclass(frozen=True)
class Plan:
    """The agent's deep plan (a ``plan_updated`` event carrying a DeepPlanning; the task's
    ``deep_planning`` becomes it). ``tasks``: titles, or ``{"title", "completed", "id"}``
    mappings (ids default to the item's place, from ``"1"``)."""

    tasks: Sequence[str | Mapping[str, Any]]
    enabled: bool = True
    enforce: bool = False
    started: bool = True
    question_raised: bool = False


@dataclass(frozen=True)
class Identity:
    """Stamps the events that follow with ``{"name", "icon"}`` (the display identity of the
    skill producing them); ``Identity(None)`` clears it. Makes no event itself."""

    name: str | None
    icon: str | None = None

    def as_event_field(self) -> dict[str, Any] | None:
        """The event's ``identity`` (a MessageIdentity), or ``None`` once cleared."""
        return None if self.name is None else {"name": self.name, "icon": self.icon}


@dataclass(frozen=True)
class Wait:
    """Wait ``seconds`` on the emulator's clock."""

    seconds: float


@dataclass(frozen=True)
class Pause:
    """Wait for a person: the task turns ``paused`` with ``paused_at`` and
    ``hitl_request: {"wait_node_id"}`` set. The run goes on when the task's status is
    PATCHed back to ``executing``, or when a create naming the task (``existing_task_id``)
    brings the person's answer; a Python agent gets that answer's text as the value of its
    ``yield`` (``None`` after a PATCH)."""

    wait_node_id: str = DEFAULT_WAIT_NODE


@dataclass(frozen=True)
class Result:
    """End the run ``completed`` with ``value`` as the result (text; other JSON as its
    JSON text)."""

    value: Any


@dataclass(frozen=True)
class Structured:
    """End the run with a JSON result: ``completed`` with ``value``'s JSON text when it fits
    the task's ``output_schema`` (or the task has none), else ``failed`` with a result
    naming the mismatch."""

    value: Any


@dataclass(frozen=True)
class Fail:
    """End the run ``failed``, with ``message`` as the result."""

    message: str


@dataclass(frozen=True)
class Status:
    """End the run with ``status`` (``completed``, ``failed``, ``error`` or ``stopped``) and
    ``result`` (default none)."""

    status: str
    result: str | None = None


@dataclass(frozen=True)
class Event:
    """One event of any other type (``analyze``, ``sub_agent_trigger``, ``auth_event``, ...),
    with ``data`` as given; not one of the ``task_*`` types, which only status changes make."""

    type: str
    data: Any = None


Step: TypeAlias = (
    Chunk
    | ToolCall
    | Think
    | Plan
    | Identity
    | Wait
    | Pause
    | Result
    | Structured
    | Fail
    | Status
    | Event
)
END_STEPS = (Result, Structured, Fail, Status)
"""The steps that end a run."""


@dataclass(frozen=True)
class AgentTask:
    """The task an agent runs, as a Python agent sees it when its first parameter is
    annotated ``AgentTask`` (otherwise it gets only ``input``)."""

    id: str
    agent_id: str
    input: dict[str, Any]
    """The AgentExecutionInput: ``{"text", "files", "user", ...}``."""
    title: str | None = None
    instructions: str | None = None
    """The create's ``instructions_override``."""
    output_format: str | None = None
    output_schema: dict[str, Any] | None = None
    task: dict[str, Any] = field(default_factory=dict, repr=False)
    """The whole Task document as the API answers it (every field; left out of the repr,
    as it carries the task's secrets: ``user_oidc_token``, ``user_tokens``, MCP keys)."""

    @property
    def prompt(self) -> str:
        """The input's text (``""`` without one)."""
        text = self.input.get("text")
        return text if isinstance(text, str) else ""

    @classmethod
    def of(cls, task: Mapping[str, Any]) -> AgentTask:
        """The ``AgentTask`` of a Task document."""
        return cls(
            id=task["id"],
            agent_id=task["agent_id"],
            input=dict(task.get("input") or {}),
            title=task.get("title"),
            instructions=task.get("instructions_override"),
            output_format=task.get("output_format"),
            output_schema=task.get("output_schema"),
            task=dict(task),
        )


# -- reading steps from a document ------------------------------------------------------


class StepError(ValueError):
    """What is wrong with a step: ``where`` (a path below the step, ``""`` for the step
    itself) and ``reason``."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}" if where else reason)
        self.where = where
        self.reason = reason


def parse_steps(raw: object) -> list[Step]:
    """The steps of a script's ``steps`` list; ``StepError`` for the first wrong one, its
    ``where`` starting with ``[i]`` (the step's index)."""
    if not isinstance(raw, list):
        raise StepError("", "must be a list of steps")
    steps: list[Step] = []
    for index, item in enumerate(raw):
        if steps and isinstance(steps[-1], END_STEPS):
            kind = step_kind(steps[-1])
            raise StepError(
                f"[{index}]", f"never runs: step {index - 1} ({kind}) ends the run before it"
            )
        try:
            steps.append(parse_step(item))
        except StepError as exc:
            where = f"[{index}]" + (f".{exc.where}" if exc.where else "")
            raise StepError(where, exc.reason) from None
    return steps


def parse_step(raw: object) -> Step:
    """One step from its script form (see the module docstring); ``StepError`` naming what
    is wrong."""
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise StepError("", f"must be a mapping with one key, the step's kind: {_kinds()}")
    ((kind, value),) = raw.items()
    reader = _READERS.get(kind) if isinstance(kind, str) else None
    if reader is None:
        raise StepError("", f"unknown step kind {kind!r}: one of {_kinds()}")
    try:
        return reader(value)
    except StepError as exc:
        raise StepError(kind + (f".{exc.where}" if exc.where else ""), exc.reason) from None


def step_kind(step: Step) -> str:
    """The script name of ``step``'s kind (``"tool_call"`` for a ``ToolCall``)."""
    return _KIND_OF[type(step)]


def _kinds() -> str:
    return ", ".join(_READERS)


def _chunk(value: object) -> Chunk:
    return Chunk(_text(value))


def _tool_call(value: object) -> ToolCall:
    fields = _mapping(value, ToolCall, required=("name",))
    return ToolCall(
        name=_string(fields, "name"),
        arguments=_json(fields.get("arguments"), "arguments"),
        result=_json(fields.get("result"), "result"),
        is_error=_bool(fields, "is_error", False),
        seconds=_seconds(fields.get("seconds", 0.0), "seconds"),
        id=_string(fields, "id", optional=True),
        operation_id=_string(fields, "operation_id", optional=True),
        tool_call_id=_string(fields, "tool_call_id", optional=True),
        graph_node_id=_string(fields, "graph_node_id", optional=True),
        reasoning=_reasoning(fields.get("reasoning")),
        plan_task_id=_string(fields, "plan_task_id", optional=True),
        approval_request_id=_string(fields, "approval_request_id", optional=True),
    )


def _reasoning(value: object) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise StepError("reasoning", "must be a mapping {title, description} or null")
    unknown = sorted(str(k) for k in value if k not in ("title", "description"))
    if unknown:
        raise StepError("reasoning", f"unknown field {unknown[0]!r}: title, description")
    return {k: _string(value, k, optional=True, where=f"reasoning.{k}") for k in value}


def _think(value: object) -> Think:
    if isinstance(value, str):
        return Think(_nonempty(value, ""))
    fields = _mapping(value, Think, required=("title",))
    confidence = fields.get("confidence", DEFAULT_CONFIDENCE)
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)):
        raise StepError("confidence", "must be a number")
    return Think(
        title=_string(fields, "title"),
        thought=_string(fields, "thought", optional=True),
        action=_string(fields, "action", optional=True),
        confidence=float(_finite(confidence, "confidence")),
        id=_string(fields, "id", optional=True),
        plan_task_id=_string(fields, "plan_task_id", optional=True),
    )


def _plan(value: object) -> Plan:
    if isinstance(value, list):
        return Plan(plan_items(value))
    fields = _mapping(value, Plan, required=("tasks",))
    if not isinstance(fields["tasks"], list):
        raise StepError("tasks", "must be a list of plan items")
    flags = {
        name: _bool(fields, name, default)
        for name, default in (
            ("enabled", True),
            ("enforce", False),
            ("started", True),
            ("question_raised", False),
        )
    }
    try:
        items = plan_items(fields["tasks"])
    except StepError as exc:
        raise StepError("tasks" + exc.where, exc.reason) from None
    return Plan(items, **flags)


def plan_items(raw: Sequence[object]) -> list[dict[str, Any]]:
    """A plan's items as DeepPlanningItems ``{"id", "title", "completed"}``; ``StepError``
    (``where`` ``[i]...``) for a wrong one."""
    items = []
    for index, item in enumerate(raw):
        if isinstance(item, str):
            item = {"title": item}
        if not isinstance(item, Mapping):
            raise StepError(f"[{index}]", "must be a title or a mapping {title, completed, id}")
        unknown = sorted(str(k) for k in item if k not in ("title", "completed", "id"))
        if unknown:
            raise StepError(f"[{index}]", f"unknown field {unknown[0]!r}: title, completed, id")
        where = f"[{index}]"
        items.append(
            {
                "id": _string(item, "id", optional=True, where=f"{where}.id") or str(index + 1),
                "title": _string(item, "title", where=f"{where}.title"),
                "completed": _bool(item, "completed", False, where=f"{where}.completed"),
            }
        )
    return items


def _identity(value: object) -> Identity:
    if value is None:
        return Identity(None)
    if isinstance(value, str):
        return Identity(_nonempty(value, ""))
    fields = _mapping(value, Identity, required=("name",))
    return Identity(_string(fields, "name"), _string(fields, "icon", optional=True))


def _wait(value: object) -> Wait:
    return Wait(_seconds(value, ""))


def _pause(value: object) -> Pause:
    if value is None:
        return Pause()
    if isinstance(value, str):
        return Pause(_nonempty(value, ""))
    fields = _mapping(value, Pause)
    return Pause(_string(fields, "wait_node_id", optional=True) or DEFAULT_WAIT_NODE)


def _result(value: object) -> Result:
    return Result(_text(value))


def _structured(value: object) -> Structured:
    return Structured(_json(value, ""))


def _fail(value: object) -> Fail:
    return Fail(_text(value))


def _status(value: object) -> Status:
    if isinstance(value, Mapping):
        fields = _mapping(value, Status, required=("status",))
        return Status(_final(fields["status"], "status"), _string(fields, "result", optional=True))
    return Status(_final(value, ""))


def _event(value: object) -> Event:
    fields = _mapping(value, Event, required=("type",))
    kind = _string(fields, "type")
    if kind.startswith("task_"):
        raise StepError(
            "type", f"{kind!r} events come from status changes: use pause, result, fail, status"
        )
    return Event(kind, _json(fields.get("data"), "data"))


_READERS: dict[str, Callable[[object], Step]] = {
    "chunk": _chunk,
    "tool_call": _tool_call,
    "think": _think,
    "plan": _plan,
    "identity": _identity,
    "wait": _wait,
    "pause": _pause,
    "result": _result,
    "structured": _structured,
    "fail": _fail,
    "status": _status,
    "event": _event,
}
_KIND_OF: dict[type, str] = {
    Chunk: "chunk",
    ToolCall: "tool_call",
    Think: "think",
    Plan: "plan",
    Identity: "identity",
    Wait: "wait",
    Pause: "pause",
    Result: "result",
    Structured: "structured",
    Fail: "fail",
    Status: "status",
    Event: "event",
}


# -- field readers ----------------------------------------------------------------------


def _mapping(value: object, cls: type, required: tuple[str, ...] = ()) -> Mapping[str, Any]:
    """``value`` as a mapping of ``cls``'s fields (all of them named in the document)."""
    allowed = [f for f in cls.__dataclass_fields__]  # type: ignore[attr-defined]
    if not isinstance(value, Mapping):
        raise StepError("", f"must be a mapping of {', '.join(allowed)}")
    for name in value:
        if name not in allowed:
            raise StepError(str(name), f"unknown field: one of {', '.join(allowed)}")
    for name in required:
        if value.get(name) is None:
            raise StepError(name, "is required")
    return value


def _string(
    fields: Mapping[str, Any], name: str, *, optional: bool = False, where: str | None = None
) -> Any:
    value = fields.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value:
        raise StepError(where or name, "must be a non-empty string")
    return value


def _nonempty(value: str, where: str) -> str:
    if not value:
        raise StepError(where, "must not be empty")
    return value


def _bool(fields: Mapping[str, Any], name: str, default: bool, *, where: str | None = None) -> bool:
    value = fields.get(name, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise StepError(where or name, "must be true or false")
    return value


def _finite(value: int | float, where: str) -> int | float:
    if not math.isfinite(value):
        raise StepError(where, "must be a finite number")
    return value


def _seconds(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StepError(where, "must be a number of seconds")
    if not (math.isfinite(value) and 0 <= value <= MAX_WAIT):
        raise StepError(where, f"must be from 0 to {MAX_WAIT:.0f} seconds (ten years)")
    return float(value)


def _final(value: object, where: str) -> str:
    if value not in FINAL:
        raise StepError(where, f"must be one of {', '.join(FINAL)}")
    return str(value)


def _text(value: object) -> str:
    """A step's text: a string as it is, other JSON as its JSON text."""
    return value if isinstance(value, str) else as_text(_json(value, ""))


def as_text(value: object) -> str:
    """A string as it is; other values as JSON text."""
    return value if isinstance(value, str) else json.dumps(value, default=str)


def _json(value: object, where: str, depth: int = 0) -> Any:
    """``value`` when it is JSON (objects with string keys, arrays, strings, finite numbers,
    booleans, null); ``StepError`` naming the first part that is not (a YAML date, say)."""
    if depth > _MAX_DEPTH:
        raise StepError(where, f"nests deeper than {_MAX_DEPTH} levels")
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return _finite(value, where)
    if isinstance(value, (list, tuple)):
        return [_json(item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value)]
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise StepError(where, f"has a key that is not a string: {key!r}")
            out[key] = _json(item, f"{where}.{key}" if where else key, depth + 1)
        return out
    raise StepError(where, f"is not JSON ({type(value).__name__}); quote it to make it text")


# -- writing steps as a document --------------------------------------------------------


def step_document(step: Step) -> dict[str, Any]:
    """``step`` in its script form (what ``parse_step`` reads back to an equal step)."""
    kind = step_kind(step)
    value: Any
    if isinstance(step, Chunk):
        value = step.text
    elif isinstance(step, ToolCall):
        value = {"name": step.name}
        for name in ToolCall.__dataclass_fields__:
            got = getattr(step, name)
            if name != "name" and got != ToolCall.__dataclass_fields__[name].default:
                value[name] = dict(got) if isinstance(got, Mapping) else got
    elif isinstance(step, Think):
        value = {
            name: getattr(step, name)
            for name in Think.__dataclass_fields__
            if name == "title" or getattr(step, name) != Think.__dataclass_fields__[name].default
        }
        if list(value) == ["title"]:
            value = step.title
    elif isinstance(step, Plan):
        items = plan_items(step.tasks)
        flags = {"enabled": True, "enforce": False, "started": True, "question_raised": False}
        if all(getattr(step, name) == default for name, default in flags.items()):
            value = items
        else:
            value = {"tasks": items, **{name: getattr(step, name) for name in flags}}
    elif isinstance(step, Identity):
        value = step.as_event_field()
    elif isinstance(step, Wait):
        value = step.seconds
    elif isinstance(step, Pause):
        value = {"wait_node_id": step.wait_node_id}
    elif isinstance(step, (Result, Structured)):
        value = step.value
    elif isinstance(step, Fail):
        value = step.message
    elif isinstance(step, Status):
        value = (
            step.status if step.result is None else {"status": step.status, "result": step.result}
        )
    else:
        value = {"type": step.type, "data": step.data}
    return {kind: value}
