"""The entry point: `Tasks`, which creates, lists, fetches, updates and stops tasks.

Every method has an async twin (``acreate`` / ``create``, ...). Both build
their request and read their answer with the same helpers; the sync one calls
the generated ``sync_detailed`` function on a pooled ``httpx.Client``, the
async one the generated ``asyncio_detailed`` function on a pooled
``httpx.AsyncClient``. No event loop is run inside another, so the sync
methods also work inside a running loop (a Jupyter cell, a FastAPI handler).
"""

from __future__ import annotations

import threading
import uuid
import weakref
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, ClassVar, Protocol, TypeVar

import httpx
from xpander_api_client import models as gen
from xpander_api_client.api.tasks import (
    create_task,
    get_task,
    get_task_activity_log,
    list_agent_tasks,
    list_user_tasks,
    report_external_task,
    stop_task,
    update_task,
)
from xpander_api_client.types import UNSET, Response, Unset

from ._client import ApiClient, expect, expect_list
from ._convert import to_wire
from ._validate import (
    check_enum,
    check_id,
    check_optional_bool,
    check_optional_enum,
    check_optional_mapping,
    check_optional_str,
    check_seconds,
    check_str_list,
)
from .configuration import Configuration
from .models import AgentExecutionStatus, OutputFormat, ThinkMode, Tokens, User
from .task import Task, TasksListItem
from .transport import CallOptions

T = TypeVar("T")


class _FreeForm(Protocol):
    @classmethod
    def from_dict(cls: type[F], src_dict: Mapping[str, Any]) -> F: ...


F = TypeVar("F", bound=_FreeForm)

# `Tasks.list` shadows the builtin inside the class body.
TaskList = list[TasksListItem]

_AGENT_FILTERS = ("user_id", "parent_task_id", "triggering_agent_id", "status", "internal_status")
_USER_FILTERS = ("parent_task_id", "triggering_agent_id", "status", "internal_status")


def _filters(filters: Mapping[str, Any] | None, allowed: Sequence[str]) -> dict[str, Any]:
    if filters is None:
        return {}
    if not isinstance(filters, Mapping):
        raise TypeError(f"filters must be a dict, not {type(filters).__name__}")
    out: dict[str, Any] = {}
    for key, value in filters.items():
        if key not in allowed:
            raise ValueError(f"filters: unknown filter {key!r}; supported: {', '.join(allowed)}")
        if value is None:
            continue
        if key == "status":
            out[key] = gen.AgentExecutionStatus(
                check_enum(value, AgentExecutionStatus, "filters['status']").value
            )
        else:
            out[key] = check_id(value, f"filters[{key!r}]")
    return out


def _user(value: User | Mapping[str, Any] | None) -> Any:
    if value is None or isinstance(value, User):
        return value
    if isinstance(value, Mapping):
        if not isinstance(value.get("email"), str):
            raise ValueError("user_details must have an 'email' (a str)")
        return to_wire(value)
    dump = getattr(value, "model_dump", None)  # the published SDK's pydantic User
    if callable(dump):
        return dump()
    raise TypeError(f"user_details must be a User or a dict, not {type(value).__name__}")


def _mcp_servers(value: Any) -> list[dict[str, Any]] | None:
    if value is None:
        return None
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise TypeError(f"mcp_servers must be a list, not {type(value).__name__}")
    servers = []
    for server in value:
        if not isinstance(server, Mapping) and not callable(getattr(server, "model_dump", None)):
            raise TypeError(f"mcp_servers must hold dicts, not {type(server).__name__}")
        servers.append(to_wire(server))
    return servers


def _unset(value: T | None) -> T | Unset:
    return UNSET if value is None else value


def _free_form(cls: type[F], value: Mapping[str, Any] | None) -> F | Unset:
    """A generated free-form object model holding ``value`` (as JSON)."""
    return UNSET if value is None else cls.from_dict(to_wire(value))


class Tasks:
    """Tasks of xpander.ai agents: create, list, get, update, stop.

    Args:
        configuration: where to connect; by default read from the environment
            (``XPANDER_API_KEY``, ``XPANDER_BASE_URL``, ...).

    One `Tasks` holds one pool of connections, shared by every `Task` it
    returns; use it as a context manager (``with`` / ``async with``) or call
    `close` / `aclose` when done. Every call takes ``timeout`` (seconds) and
    ``max_retries`` to override the configuration for that call.

    Raises `ConfigurationError` when there is no API key.
    """

    _shared: ClassVar[weakref.WeakKeyDictionary[Configuration, Tasks]] = weakref.WeakKeyDictionary()
    _default: ClassVar[Tasks | None] = None
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, configuration: Configuration | None = None) -> None:
        if configuration is not None and not isinstance(configuration, Configuration):
            raise TypeError(
                f"configuration must be a Configuration, not {type(configuration).__name__}"
            )
        self.configuration = configuration or Configuration()
        self._api = ApiClient(self.configuration)

    @classmethod
    def shared(cls, configuration: Configuration | None) -> Tasks:
        """The client kept for ``configuration`` (or for the environment's), made once."""
        if configuration is not None and not isinstance(configuration, Configuration):
            raise TypeError(
                f"configuration must be a Configuration, not {type(configuration).__name__}"
            )
        with cls._shared_lock:
            if configuration is None:
                if cls._default is None or cls._default._api.closed:
                    cls._default = cls()
                return cls._default
            tasks = cls._shared.get(configuration)
            if tasks is None or tasks._api.closed:
                tasks = cls._shared[configuration] = cls(configuration)
            return tasks

    def __repr__(self) -> str:
        return f"Tasks(configuration={self.configuration!r})"

    # -- lifetime ------------------------------------------------------------

    def close(self) -> None:
        """Close the pooled connections."""
        self._api.close()

    async def aclose(self) -> None:
        """Close the pooled connections (async twin of `close`)."""
        await self._api.aclose()

    def __enter__(self) -> Tasks:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Tasks:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def _options(
        self, max_retries: int | None, timeout: float | httpx.Timeout | None
    ) -> CallOptions:
        return self._api.options_for(max_retries, timeout)

    def _task(self, response: Response[Any]) -> Task:
        return Task(expect(response, gen.Task, "a Task (JSON object)"), response.content, self)

    # -- create --------------------------------------------------------------

    def _create_request(
        self,
        agent_id: str,
        existing_task_id: str | None,
        prompt: str | None,
        file_urls: Sequence[str] | None,
        user_details: User | Mapping[str, Any] | None,
        agent_version: str | int | None,
        tool_call_payload_extension: Mapping[str, Any] | None,
        source: str | None,
        worker_id: str | None,
        run_locally: bool | None,
        output_format: OutputFormat | str | None,
        output_schema: Mapping[str, Any] | None,
        events_streaming: bool | None,
        additional_context: str | None,
        instructions_override: str | None,
        test_run_node_id: str | None,
        user_oidc_token: str | None,
        expected_output: str | None,
        mcp_servers: Sequence[Any] | None,
        triggering_agent_id: str | None,
        title: str | None,
        think_mode: ThinkMode | str | None,
        disable_attachment_injection: bool | None,
        return_metrics: bool | None,
        user_tokens: Mapping[str, Any] | None,
    ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        check_id(agent_id, "agent_id")
        if existing_task_id is not None:
            check_id(existing_task_id, "existing_task_id")
        if agent_version is not None and (
            isinstance(agent_version, bool) or not isinstance(agent_version, (str, int))
        ):
            raise TypeError(f"agent_version must be a str, not {type(agent_version).__name__}")
        user = _user(user_details)
        fmt = check_optional_enum(output_format, OutputFormat, "output_format")
        mode = check_optional_enum(think_mode, ThinkMode, "think_mode")
        payload = check_optional_mapping(tool_call_payload_extension, "tool_call_payload_extension")
        schema = check_optional_mapping(output_schema, "output_schema")
        tokens = check_optional_mapping(user_tokens, "user_tokens")
        servers = _mcp_servers(mcp_servers)
        # Built with the generated model's constructor: every argument is
        # checked above, so there is nothing left for a from_dict to parse.
        body = gen.TaskCreate(
            id=_unset(existing_task_id),
            input_=gen.AgentExecutionInput(
                text=check_optional_str(prompt, "prompt") or "",
                files=check_str_list(file_urls, "file_urls") or [],
                user=user if user is None or isinstance(user, User) else User.from_dict(user),
            ),
            payload_extension=_free_form(gen.TaskCreatePayloadExtensionType0, payload),
            source=_unset(check_optional_str(source, "source")),
            worker_id=_unset(check_optional_str(worker_id, "worker_id")),
            output_format=UNSET if fmt is None else gen.OutputFormat(fmt.value),
            output_schema=_free_form(gen.TaskCreateOutputSchemaType0, schema),
            run_locally=_unset(check_optional_bool(run_locally, "run_locally")),
            events_streaming=_unset(check_optional_bool(events_streaming, "events_streaming")),
            additional_context=_unset(check_optional_str(additional_context, "additional_context")),
            instructions_override=_unset(
                check_optional_str(instructions_override, "instructions_override")
            ),
            test_run_node_id=_unset(check_optional_str(test_run_node_id, "test_run_node_id")),
            user_oidc_token=_unset(check_optional_str(user_oidc_token, "user_oidc_token")),
            expected_output=_unset(check_optional_str(expected_output, "expected_output")),
            mcp_servers=(
                UNSET if servers is None else [gen.MCPServerDetails.from_dict(s) for s in servers]
            ),
            triggering_agent_id=_unset(
                check_optional_str(triggering_agent_id, "triggering_agent_id")
            ),
            title=_unset(check_optional_str(title, "title")),
            think_mode=UNSET if mode is None else gen.ThinkMode(mode.value),
            disable_attachment_injection=_unset(
                check_optional_bool(disable_attachment_injection, "disable_attachment_injection")
            ),
            return_metrics=_unset(check_optional_bool(return_metrics, "return_metrics")),
            user_tokens=_free_form(gen.TaskCreateUserTokensType0, tokens),
        )
        kwargs: dict[str, Any] = {
            "body": body,
            # One key per logical create, the same on each retry: never two tasks.
            "idempotency_key": str(uuid.uuid4()),
        }
        if agent_version is not None:
            kwargs["x_agent_version"] = str(agent_version)
        return (agent_id,), kwargs

    async def acreate(
        self,
        agent_id: str,
        existing_task_id: str | None = None,
        prompt: str | None = "",
        file_urls: Sequence[str] | None = None,
        user_details: User | Mapping[str, Any] | None = None,
        agent_version: str | None = None,
        tool_call_payload_extension: Mapping[str, Any] | None = None,
        source: str | None = None,
        worker_id: str | None = None,
        run_locally: bool | None = False,
        output_format: OutputFormat | str | None = None,
        output_schema: Mapping[str, Any] | None = None,
        events_streaming: bool | None = False,
        additional_context: str | None = None,
        instructions_override: str | None = None,
        test_run_node_id: str | None = None,
        user_oidc_token: str | None = None,
        expected_output: str | None = None,
        mcp_servers: Sequence[Any] | None = None,
        triggering_agent_id: str | None = None,
        title: str | None = None,
        think_mode: ThinkMode | str | None = ThinkMode.Default,
        disable_attachment_injection: bool | None = False,
        return_metrics: bool | None = None,
        user_tokens: Mapping[str, Any] | None = None,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Task:
        """Create a task for an agent; returns it (status ``pending``).

        Args:
            agent_id: the agent to run the task.
            prompt: what the agent is asked to do; ``file_urls``: files it should read.
            events_streaming: publish the task's events, for `Task.aevents`.
            (the other arguments are the API's TaskCreate fields, under the
            published SDK's names; ``agent_version`` is sent as ``x-agent-version``.)

        The create carries an ``Idempotency-Key``, so a retry after a dropped
        connection never makes a second task. Raises ValueError / TypeError for
        a bad argument, before any request, and a `ModuleException` subclass
        when the API refuses.
        """
        args, kwargs = self._create_request(
            agent_id, existing_task_id, prompt, file_urls, user_details, agent_version,
            tool_call_payload_extension, source, worker_id, run_locally, output_format,
            output_schema, events_streaming, additional_context, instructions_override,
            test_run_node_id, user_oidc_token, expected_output, mcp_servers, triggering_agent_id,
            title, think_mode, disable_attachment_injection, return_metrics, user_tokens,
        )  # fmt: skip
        options = self._options(max_retries, timeout)
        return self._task(
            await self._api.acall(create_task.asyncio_detailed, *args, options=options, **kwargs)
        )

    def create(
        self,
        agent_id: str,
        existing_task_id: str | None = None,
        prompt: str | None = "",
        file_urls: Sequence[str] | None = None,
        user_details: User | Mapping[str, Any] | None = None,
        agent_version: str | None = None,
        tool_call_payload_extension: Mapping[str, Any] | None = None,
        source: str | None = None,
        worker_id: str | None = None,
        run_locally: bool | None = False,
        output_format: OutputFormat | str | None = None,
        output_schema: Mapping[str, Any] | None = None,
        events_streaming: bool | None = False,
        additional_context: str | None = None,
        instructions_override: str | None = None,
        test_run_node_id: str | None = None,
        user_oidc_token: str | None = None,
        expected_output: str | None = None,
        mcp_servers: Sequence[Any] | None = None,
        triggering_agent_id: str | None = None,
        title: str | None = None,
        think_mode: ThinkMode | str | None = ThinkMode.Default,
        disable_attachment_injection: bool | None = False,
        return_metrics: bool | None = None,
        user_tokens: Mapping[str, Any] | None = None,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Task:
        """Create a task for an agent (sync twin of `acreate`)."""
        args, kwargs = self._create_request(
            agent_id, existing_task_id, prompt, file_urls, user_details, agent_version,
            tool_call_payload_extension, source, worker_id, run_locally, output_format,
            output_schema, events_streaming, additional_context, instructions_override,
            test_run_node_id, user_oidc_token, expected_output, mcp_servers, triggering_agent_id,
            title, think_mode, disable_attachment_injection, return_metrics, user_tokens,
        )  # fmt: skip
        options = self._options(max_retries, timeout)
        return self._task(
            self._api.call(create_task.sync_detailed, *args, options=options, **kwargs)
        )

    # -- list ----------------------------------------------------------------

    def _items(self, response: Response[Any]) -> TaskList:
        items = expect_list(response, gen.TasksListItem, "an array of TasksListItem")
        return [TasksListItem(item, self) for item in items]

    async def alist(
        self,
        agent_id: str,
        filters: Mapping[str, Any] | None = None,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> TaskList:
        """An agent's tasks, optionally filtered by ``user_id``, ``parent_task_id``,
        ``triggering_agent_id``, ``status`` or ``internal_status``."""
        check_id(agent_id, "agent_id")
        query = _filters(filters, _AGENT_FILTERS)
        options = self._options(max_retries, timeout)
        return self._items(
            await self._api.acall(
                list_agent_tasks.asyncio_detailed, agent_id, options=options, **query
            )
        )

    def list(
        self,
        agent_id: str,
        filters: Mapping[str, Any] | None = None,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> TaskList:
        """An agent's tasks (sync twin of `alist`)."""
        check_id(agent_id, "agent_id")
        query = _filters(filters, _AGENT_FILTERS)
        options = self._options(max_retries, timeout)
        return self._items(
            self._api.call(list_agent_tasks.sync_detailed, agent_id, options=options, **query)
        )

    async def alist_user_tasks(
        self,
        user_id: str,
        filters: Mapping[str, Any] | None = None,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> TaskList:
        """A user's tasks, optionally filtered by ``parent_task_id``,
        ``triggering_agent_id``, ``status`` or ``internal_status``."""
        check_id(user_id, "user_id")
        query = _filters(filters, _USER_FILTERS)
        options = self._options(max_retries, timeout)
        return self._items(
            await self._api.acall(
                list_user_tasks.asyncio_detailed, user_id, options=options, **query
            )
        )

    def list_user_tasks(
        self,
        user_id: str,
        filters: Mapping[str, Any] | None = None,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> TaskList:
        """A user's tasks (sync twin of `alist_user_tasks`)."""
        check_id(user_id, "user_id")
        query = _filters(filters, _USER_FILTERS)
        options = self._options(max_retries, timeout)
        return self._items(
            self._api.call(list_user_tasks.sync_detailed, user_id, options=options, **query)
        )

    # -- get -----------------------------------------------------------------

    async def aget(
        self,
        task_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Task:
        """The task with this id, every field. Raises `NotFoundError` when there is none."""
        check_id(task_id, "task_id")
        options = self._options(max_retries, timeout)
        return self._task(
            await self._api.acall(get_task.asyncio_detailed, task_id, options=options)
        )

    def get(
        self,
        task_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Task:
        """The task with this id (sync twin of `aget`)."""
        check_id(task_id, "task_id")
        options = self._options(max_retries, timeout)
        return self._task(self._api.call(get_task.sync_detailed, task_id, options=options))

    # -- update --------------------------------------------------------------

    @staticmethod
    def _update_body(
        tool_call_payload_extension: Mapping[str, Any] | None,
        source: str | None,
        status: AgentExecutionStatus | str | None,
        last_executed_node_id: str | None,
        result: str | None,
    ) -> dict[str, Any]:
        body = {
            "payload_extension": check_optional_mapping(
                tool_call_payload_extension, "tool_call_payload_extension"
            ),
            "source": check_optional_str(source, "source"),
            "status": to_wire(check_optional_enum(status, AgentExecutionStatus, "status")),
            "last_executed_node_id": check_optional_str(
                last_executed_node_id, "last_executed_node_id"
            ),
            "result": check_optional_str(result, "result"),
        }
        return {k: v for k, v in body.items() if v is not None}

    async def _apatch(
        self, task_id: str, body: Mapping[str, Any], options: CallOptions | None = None
    ) -> Task:
        response = await self._api.acall(
            update_task.asyncio_detailed,
            task_id,
            options=options or self._api.options,
            body=gen.TaskUpdate.from_dict(body),
        )
        return self._task(response)

    def _patch(
        self, task_id: str, body: Mapping[str, Any], options: CallOptions | None = None
    ) -> Task:
        response = self._api.call(
            update_task.sync_detailed,
            task_id,
            options=options or self._api.options,
            body=gen.TaskUpdate.from_dict(body),
        )
        return self._task(response)

    async def aupdate(
        self,
        task_id: str,
        tool_call_payload_extension: Mapping[str, Any] | None = None,
        source: str | None = None,
        status: AgentExecutionStatus | str | None = None,
        last_executed_node_id: str | None = None,
        result: str | None = None,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Task:
        """Change the fields given (the rest stay as they are); returns the updated task."""
        check_id(task_id, "task_id")
        body = self._update_body(
            tool_call_payload_extension, source, status, last_executed_node_id, result
        )
        return await self._apatch(task_id, body, self._options(max_retries, timeout))

    #: The guide spells the async update so; the same method as `aupdate`.
    auupdate = aupdate

    def update(
        self,
        task_id: str,
        tool_call_payload_extension: Mapping[str, Any] | None = None,
        source: str | None = None,
        status: AgentExecutionStatus | str | None = None,
        last_executed_node_id: str | None = None,
        result: str | None = None,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Task:
        """Change the fields given (sync twin of `aupdate`)."""
        check_id(task_id, "task_id")
        body = self._update_body(
            tool_call_payload_extension, source, status, last_executed_node_id, result
        )
        return self._patch(task_id, body, self._options(max_retries, timeout))

    # -- stop ----------------------------------------------------------------

    async def astop(
        self,
        task_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Task:
        """Stop a task's run; returns the stopped task."""
        check_id(task_id, "task_id")
        options = self._options(max_retries, timeout)
        return self._task(
            await self._api.acall(stop_task.asyncio_detailed, task_id, options=options)
        )

    def stop(
        self,
        task_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Task:
        """Stop a task's run (sync twin of `astop`)."""
        check_id(task_id, "task_id")
        options = self._options(max_retries, timeout)
        return self._task(self._api.call(stop_task.sync_detailed, task_id, options=options))

    # -- report and activity -------------------------------------------------

    @staticmethod
    def _report_request(
        agent_id: str,
        id: str | None,
        input: str | None,
        llm_response: Any,
        tokens: Tokens | Mapping[str, Any] | None,
        is_success: bool | None,
        result: str | None,
        duration: float | None,
        used_tools: Sequence[str] | None,
    ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        check_id(agent_id, "agent_id")
        if id is not None:
            check_id(id, "id")
        if tokens is not None and not isinstance(tokens, (Tokens, Mapping)):
            raise TypeError(f"tokens must be a Tokens or a dict, not {type(tokens).__name__}")
        body = {
            "id": id,
            "input": check_optional_str(input, "input"),
            "llm_response": to_wire(llm_response),
            "tokens": to_wire(tokens),
            "is_success": check_optional_bool(is_success, "is_success"),
            "result": check_optional_str(result, "result"),
            "duration": check_seconds(duration, "duration", allow_none=True),
            "used_tools": check_str_list(used_tools, "used_tools"),
        }
        body = {k: v for k, v in body.items() if v is not None}
        report = gen.TaskReport.from_dict(body)
        if llm_response is None:
            report.llm_response = UNSET
        return (agent_id,), {"body": report, "idempotency_key": str(uuid.uuid4())}

    async def areport_external_task(
        self,
        agent_id: str,
        id: str | None = None,
        input: str | None = None,
        llm_response: Any = None,
        tokens: Tokens | Mapping[str, Any] | None = None,
        is_success: bool | None = True,
        result: str | None = None,
        duration: float | None = 0,
        used_tools: Sequence[str] | None = None,
    ) -> Task:
        """Record a task that ran outside the platform; returns the recorded task."""
        args, kwargs = self._report_request(
            agent_id, id, input, llm_response, tokens, is_success, result, duration, used_tools
        )
        response = await self._api.acall(
            report_external_task.asyncio_detailed, *args, options=self._api.options, **kwargs
        )
        return self._task(response)

    def report_external_task(
        self,
        agent_id: str,
        id: str | None = None,
        input: str | None = None,
        llm_response: Any = None,
        tokens: Tokens | Mapping[str, Any] | None = None,
        is_success: bool | None = True,
        result: str | None = None,
        duration: float | None = 0,
        used_tools: Sequence[str] | None = None,
    ) -> Task:
        """Sync twin of `areport_external_task`."""
        args, kwargs = self._report_request(
            agent_id, id, input, llm_response, tokens, is_success, result, duration, used_tools
        )
        response = self._api.call(
            report_external_task.sync_detailed, *args, options=self._api.options, **kwargs
        )
        return self._task(response)

    async def aget_activity_log(self, agent_id: str, task_id: str) -> gen.ActivityThread:
        """A task's activity thread."""
        check_id(agent_id, "agent_id")
        check_id(task_id, "task_id")
        response = await self._api.acall(
            get_task_activity_log.asyncio_detailed, agent_id, task_id, options=self._api.options
        )
        return expect(response, gen.ActivityThread, "an ActivityThread")

    def get_activity_log(self, agent_id: str, task_id: str) -> gen.ActivityThread:
        """Sync twin of `aget_activity_log`."""
        check_id(agent_id, "agent_id")
        check_id(task_id, "task_id")
        response = self._api.call(
            get_task_activity_log.sync_detailed, agent_id, task_id, options=self._api.options
        )
        return expect(response, gen.ActivityThread, "an ActivityThread")
