"""One task and one list entry: `Task` and `TasksListItem`.

A `Task` is data plus methods. It holds the client that fetched it (its
owner, a `TaskOwner`: the `Tasks` that made it) and shares its pooled
connections; every method that needs I/O delegates it to that owner. The
methods come in twins (``asave`` / ``save``, ...), the async one on the async
client, the sync one on the sync client.
"""

from __future__ import annotations

import json
import typing
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from xpander_api_client import models as gen
from xpander_api_client.types import Model, ModelProtocol, set_model_protocol

from ._convert import FacadeFields, field_names, field_types, to_facade, to_wire
from ._owner import TaskOwner, default_owner
from ._redact import redact
from ._requests import ends_with_question
from ._validate import check_enum, check_optional_str
from .configuration import Configuration
from .models import (
    AgentExecutionInput,
    AgentExecutionStatus,
    ConversationKind,
    DeepPlanning,
    HumanInTheLoopRequest,
    LLMReasoningEffort,
    OutputFormat,
    PendingECARequest,
    PlanFollowingStatus,
    ThinkMode,
    Tokens,
)

if TYPE_CHECKING:
    from xpander_api_client.models import ActivityThread

    from .events import TaskUpdateEvent

_TASK_READER = FacadeFields(gen.Task)
_TASK_FIELDS = _TASK_READER.pairs
_LIST_READER = FacadeFields(gen.TasksListItem)
# Fields the platform sets and ignores in an update.
_READ_ONLY = frozenset({"id", "agent_id", "organization_id", "created_at", "input"})


def _enum_fields(cls: type) -> dict[str, type[Enum]]:
    """Wire name -> enumeration, for each field of a generated model that holds one."""
    hints = field_types(cls)
    out = {}
    for wire, attr in field_names(cls):
        for arg in typing.get_args(hints[attr]):
            if isinstance(arg, type) and issubclass(arg, Enum):
                out[wire] = arg
    return out


#: Checked before a save sends them; read from the spec's model, not listed by hand.
_ENUM_FIELDS = _enum_fields(gen.Task)


class Task(Model):
    """A task: what an agent was asked to do, and where its run stands.

    Every field of the API's Task is an attribute (``None`` where unset);
    fields the platform adds that this SDK does not know yet are kept in
    `extra`. Change attributes and `save` / `asave` them, or use
    `set_status` / `aset_status`.

    ``request_id`` is the server's id (``x-request-id``) of the request whose
    answer the task was last read from (None when the server gave none, or
    the task was made with `from_dict`): quote it to find that call in the
    platform's logs. It is not a field of the task: `to_dict` and `changes`
    leave it out.
    """

    id: str
    agent_id: str
    organization_id: str
    input: AgentExecutionInput
    status: AgentExecutionStatus | None
    internal_status: str | None
    last_executed_node_id: str | None
    agent_version: str | None
    created_at: datetime
    started_at: datetime | None
    paused_at: datetime | None
    finished_at: datetime | None
    result: str | None
    parent_execution: str | None
    sub_executions: list[str] | None
    is_manually_stopped: bool | None
    payload_extension: dict[str, Any] | None
    hitl_request: HumanInTheLoopRequest | None
    pending_eca_request: PendingECARequest | None
    source: str | None
    voice_id: str | None
    output_format: OutputFormat | None
    output_schema: dict[str, Any] | None
    events_streaming: bool | None
    is_orchestration: bool | None
    additional_context: str | None
    instructions_override: str | None
    test_run_node_id: str | None
    user_oidc_token: str | None
    expected_output: str | None
    mcp_servers: list[dict[str, Any]] | None
    triggering_agent_id: str | None
    title: str | None
    think_mode: ThinkMode | None
    disable_attachment_injection: bool | None
    user_tokens: dict[str, Any] | None
    deep_planning: DeepPlanning | None
    execution_attempts: int | None
    return_metrics: bool | None
    tokens: Tokens | None
    used_tools: list[str] | None
    duration: float | None
    conversation_id: str | None
    conversation_kind: ConversationKind | None
    should_update_parent: bool | None
    execution_kind: str | None
    is_gateway: bool | None
    is_app: bool | None
    background_auth_eligible: bool | None
    tool_call_limit: int | None
    must_deep_plan: bool | None
    llm_model_provider: str | None
    llm_model_name: str | None
    llm_reasoning_effort: LLMReasoningEffort | None
    harness_cli: str | None
    permission_mode: str | None
    #: Fields the server sent that this SDK's spec does not know.
    extra: dict[str, Any]
    #: The server's id of the request this task was last read from.
    request_id: str | None
    _model: gen.Task

    def __init__(
        self, data: gen.Task, raw: bytes, owner: TaskOwner, request_id: str | None = None
    ) -> None:
        self._owner = owner
        self._apply(data, raw)
        self.request_id = request_id

    # -- building ------------------------------------------------------------

    def _apply(self, data: gen.Task, raw: bytes) -> None:
        # The fields are read from the model when first used (see `FacadeFields.install`).
        self._model = data
        self.extra = dict(data.additional_properties)
        # The answer as read: `save` sends what differs from it.
        self._raw = raw

    @classmethod
    def from_dict(cls, data: dict[str, Any], tasks: TaskOwner | None = None) -> Task:
        """A Task from its JSON object (as the API sends it), bound to ``tasks``.

        Without ``tasks`` it is bound to the default client (see `_owner`).
        """
        owner = tasks or default_owner(None)
        return cls(gen.Task.from_dict(data), json.dumps(data).encode(), owner)

    def to_dict(self) -> dict[str, Any]:
        """The task as the API's JSON object, unknown fields included."""
        out = dict(self.extra)
        out.update({wire: to_wire(getattr(self, wire)) for wire, _ in _TASK_FIELDS})
        return out

    def changes(self, *, with_deep_plan_update: bool = False) -> dict[str, Any]:
        """The fields changed since the task was read, as JSON: what `save` sends."""
        loaded = gen.Task.from_dict(json.loads(self._raw))
        changed: dict[str, Any] = {}
        for wire, attr in _TASK_FIELDS:
            if wire in _READ_ONLY or (wire == "deep_planning" and not with_deep_plan_update):
                continue
            now = getattr(self, wire)
            if wire != "deep_planning" and now == to_facade(getattr(loaded, attr)):
                continue  # unchanged, even a value this SDK does not know: not sent
            if wire in _ENUM_FIELDS and now is not None:
                now = check_enum(now, _ENUM_FIELDS[wire], f"Task.{wire}")
            if wire == "internal_status":
                check_optional_str(now, "Task.internal_status")
            changed[wire] = to_wire(now)
        return changed

    def __repr__(self) -> str:
        shown = []
        for wire, _ in _TASK_FIELDS:
            value = getattr(self, wire, None)
            if value is None or value == [] or value == {}:
                continue
            if wire == "input":
                value = {"text": to_facade(value.text), "files": to_facade(value.files)}
            shown.append(f"{wire}={redact(wire, value)!r}")
        return f"Task({', '.join(shown)})"

    @property
    def tasks(self) -> TaskOwner:
        """The client this task is bound to (the `Tasks` that fetched it)."""
        return self._owner

    @property
    def configuration(self) -> Configuration:
        """The configuration of the client this task is bound to."""
        return self._owner.configuration

    # -- loading -------------------------------------------------------------

    @classmethod
    async def aload(cls, task_id: str, configuration: Configuration | None = None) -> Task:
        """Fetch a task by id (the client kept for ``configuration`` is reused)."""
        return await default_owner(configuration).aget(task_id)

    @classmethod
    def load(cls, task_id: str, configuration: Configuration | None = None) -> Task:
        """Fetch a task by id (sync twin of `aload`)."""
        return default_owner(configuration).get(task_id)

    async def areload(self) -> Task:
        """Read the task again from the server, in place; returns the task."""
        self.take(await self._owner.aget(self.id))
        return self

    def reload(self) -> Task:
        """Read the task again from the server, in place (sync twin of `areload`)."""
        self.take(self._owner.get(self.id))
        return self

    def take(self, other: Task) -> None:
        """Become ``other`` (a newer answer about this task), keeping this task's owner."""
        _TASK_READER.forget(self)  # fields read from the old answer (or set) give way
        self.__dict__.update({k: v for k, v in other.__dict__.items() if k != "_owner"})

    # -- changing ------------------------------------------------------------

    async def asave(self, with_deep_plan_update: bool = False) -> Task:
        """Send the task's changed fields (PATCH) and take the server's answer back in."""
        body = self.changes(with_deep_plan_update=with_deep_plan_update)
        self.take(await self._owner.apatch(self.id, body))
        return self

    def save(self, with_deep_plan_update: bool = False) -> Task:
        """Sync twin of `asave`."""
        body = self.changes(with_deep_plan_update=with_deep_plan_update)
        self.take(self._owner.patch(self.id, body))
        return self

    def _stage_status(self, status: AgentExecutionStatus | str, result: str | None) -> None:
        # Both are checked before either is set: a refused call changes nothing.
        checked = check_enum(status, AgentExecutionStatus, "status")
        check_optional_str(result, "result")
        self.status = checked
        if result is not None:
            self.result = result

    async def aset_status(
        self, status: AgentExecutionStatus | str, result: str | None = None
    ) -> Task:
        """Set the status (and the result, when given) and save."""
        self._stage_status(status, result)
        return await self.asave()

    def set_status(self, status: AgentExecutionStatus | str, result: str | None = None) -> Task:
        """Sync twin of `aset_status`."""
        self._stage_status(status, result)
        return self.save()

    async def astop(self) -> Task:
        """Stop the task's run; the task becomes the stopped task the server answers."""
        self.take(await self._owner.astop(self.id))
        return self

    def stop(self) -> Task:
        """Sync twin of `astop`."""
        self.take(self._owner.stop(self.id))
        return self

    # -- events and waiting --------------------------------------------------

    def aevents(self, after: str | int | None = None) -> AsyncIterator[TaskUpdateEvent]:
        """The task's events as they arrive, from its first; ends after ``task_finished``.

        With ``after`` (an event's ``id``), the events that follow that one:
        what a relay that reconnects lacks (it is sent as ``Last-Event-ID``).
        A stream started after the task's last event ends at once. A dropped
        stream is resumed where it stopped, so every event is delivered once
        and in order. Raises ValueError when the task was not created with
        ``events_streaming=True``, or for a bad ``after``, before any request.
        """
        return self._owner.aiter_events(self, after)

    def events(self, after: str | int | None = None) -> Iterator[TaskUpdateEvent]:
        """Sync twin of `aevents`: each event is handed over as it arrives."""
        return self._owner.iter_events(self, after)

    async def await_for_completion(
        self, timeout: float | None = 300.0, poll_interval: float = 0.5
    ) -> Task:
        """Wait until the task reaches a final status; returns the task, updated.

        Follows the event stream when the task streams events, else polls with
        backoff (from ``poll_interval`` up to 5 s). When the stream gives up
        (``max_stream_reconnects`` reconnects without an event), the wait goes
        on by polling: it only reads, and changes nothing on the task; the
        ``resume`` hooks get a `ResumeEvent` with ``polling=True`` and a
        WARNING is logged. Raises `TaskWaitTimeout` when ``timeout`` seconds
        pass first (None waits for ever).
        """
        return await self._owner.await_for_completion(self, timeout, poll_interval)

    def wait_for_completion(
        self, timeout: float | None = 300.0, poll_interval: float = 0.5
    ) -> Task:
        """Sync twin of `await_for_completion`."""
        return self._owner.wait_for_completion(self, timeout, poll_interval)

    # -- metrics and the deep plan ---------------------------------------------

    def _reporter(self, configuration: Configuration | None) -> TaskOwner:
        return self._owner if configuration is None else default_owner(configuration)

    async def areport_metrics(self, configuration: Configuration | None = None) -> None:
        """Report this run's metrics (tokens, tools, status, result) to the platform.

        Filled from the task as the published SDK does: the task id as execution
        and memory thread, its input text, ``tokens`` as the worker's tokens,
        ``used_tools`` as the calls made, its model (or ``xpander``). Sent
        through this task's client, or the one kept for ``configuration``.
        Raises ValueError, before any request, when the task has no ``tokens``.
        """
        await self._reporter(configuration).areport_metrics(self)

    def report_metrics(self, configuration: Configuration | None = None) -> None:
        """Sync twin of `areport_metrics`."""
        self._reporter(configuration).report_metrics(self)

    def _plan_status(self, fresh: Task) -> PlanFollowingStatus:
        # The reload brings the plan; what this run holds locally stays.
        kept = {"result": self.result, "status": self.status, "tokens": self.tokens}
        self.take(fresh)
        self.__dict__.update(kept)
        plan = self.deep_planning
        if not (plan and plan.enabled and plan.started and plan.enforce):
            return PlanFollowingStatus(can_finish=True)
        if ends_with_question(self.result):
            return PlanFollowingStatus(can_finish=True)  # asking the user is a way to finish
        items = plan.tasks if isinstance(plan.tasks, list) else []
        open_items = [item for item in items if not item.completed]
        return PlanFollowingStatus(can_finish=not open_items, uncompleted_tasks=open_items)

    async def aget_plan_following_status(self) -> PlanFollowingStatus:
        """Whether the task may finish by its deep plan; reloads the plan first.

        It may finish unless planning is enabled, started and enforced with items
        not completed; a result that ends by asking the user a question may
        always finish. The task's local ``result``, ``status`` and ``tokens``
        are kept across the reload. Unlike the published SDK, a failed reload
        raises (rather than answering "may finish").
        """
        return self._plan_status(await self._owner.aget(self.id))

    def get_plan_following_status(self) -> PlanFollowingStatus:
        """Sync twin of `aget_plan_following_status`."""
        return self._plan_status(self._owner.get(self.id))

    # -- activity and external tasks -------------------------------------------

    async def aget_activity_log(self) -> ActivityThread:
        """The task's activity thread: its messages, tool calls and reasoning."""
        return await self._owner.aget_activity_log(self.agent_id, self.id)

    def get_activity_log(self) -> ActivityThread:
        """Sync twin of `aget_activity_log`."""
        return self._owner.get_activity_log(self.agent_id, self.id)

    @classmethod
    async def areport_external_task(
        cls,
        configuration: Configuration | None = None,
        agent_id: str | None = None,
        id: str | None = None,
        input: str | None = None,
        llm_response: Any = None,
        tokens: Tokens | None = None,
        is_success: bool | None = True,
        result: str | None = None,
        duration: float | None = 0,
        used_tools: list[str] | None = None,
    ) -> Task:
        """Record a task that ran outside the platform; returns the recorded task."""
        return await default_owner(configuration).areport_external_task(
            agent_id=agent_id,  # type: ignore[arg-type]  # checked there, with a clear error
            id=id,
            input=input,
            llm_response=llm_response,
            tokens=tokens,
            is_success=is_success,
            result=result,
            duration=duration,
            used_tools=used_tools,
        )

    @classmethod
    def report_external_task(
        cls,
        configuration: Configuration | None = None,
        agent_id: str | None = None,
        id: str | None = None,
        input: str | None = None,
        llm_response: Any = None,
        tokens: Tokens | None = None,
        is_success: bool | None = True,
        result: str | None = None,
        duration: float | None = 0,
        used_tools: list[str] | None = None,
    ) -> Task:
        """Sync twin of `areport_external_task`."""
        return default_owner(configuration).report_external_task(
            agent_id=agent_id,  # type: ignore[arg-type]
            id=id,
            input=input,
            llm_response=llm_response,
            tokens=tokens,
            is_success=is_success,
            result=result,
            duration=duration,
            used_tools=used_tools,
        )


class TasksListItem(Model):
    """A task as listed: its summary fields. `load` / `aload` fetch the whole `Task`."""

    id: str
    agent_id: str
    organization_id: str
    status: AgentExecutionStatus
    user_id: str | None
    parent_task_id: str | None
    triggering_agent_id: str | None
    created_at: datetime | None
    updated_at: datetime | None
    source_node_type: str | None
    result: str | None
    title: str | None
    execution_kind: str | None
    process: dict[str, Any] | None
    conversation_kind: ConversationKind | None
    extra: dict[str, Any]
    #: The server's id of the list request this entry came from.
    request_id: str | None
    _model: gen.TasksListItem

    def __init__(
        self, data: gen.TasksListItem, owner: TaskOwner, request_id: str | None = None
    ) -> None:
        self._owner = owner
        self._model = data
        self.extra = dict(data.additional_properties)
        self.request_id = request_id

    @classmethod
    def from_model(cls, data: dict[str, Any], tasks: TaskOwner) -> TasksListItem:
        """An entry from its JSON object (as the API lists it), bound to ``tasks``."""
        return cls(gen.TasksListItem.from_dict(data), tasks)

    def to_dict(self) -> dict[str, Any]:
        """The entry as the API's JSON object, unknown fields included."""
        out = dict(self.extra)
        out.update({name: to_wire(getattr(self, name)) for name in _LIST_READER.names})
        return out

    def __repr__(self) -> str:
        return (
            f"TasksListItem(id={self.id!r}, agent_id={self.agent_id!r}, "
            f"status={self.status!r}, title={self.title!r})"
        )

    def _owner_for(self, configuration: Configuration | None) -> TaskOwner:
        return self._owner if configuration is None else default_owner(configuration)

    async def aload(self, configuration: Configuration | None = None) -> Task:
        """The whole task, through the client that listed it (or the one for ``configuration``)."""
        return await self._owner_for(configuration).aget(self.id)

    def load(self, configuration: Configuration | None = None) -> Task:
        """The whole task (sync twin of `aload`)."""
        return self._owner_for(configuration).get(self.id)


_TASK_READER.install(Task)
_LIST_READER.install(TasksListItem)


def _pydantic_protocol() -> ModelProtocol:
    """What serves the models' pydantic methods (``model_dump``, ...): loaded at the first
    call, so ``import xpander_sdk`` does not pay for it."""
    from ._pydantic import serve

    return serve(Task, TasksListItem)


set_model_protocol(_pydantic_protocol)
