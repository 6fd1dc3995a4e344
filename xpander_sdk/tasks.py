"""The entry point: `Tasks`, which creates, lists, fetches, updates and stops tasks.

Every method has an async twin (``acreate`` / ``create``, ...). Both check
their arguments and build their request with the same helpers (`_requests`)
and read their answer the same way (`_answers`); the sync one calls the
generated ``sync_detailed`` function on a pooled ``httpx.Client``, the async
one the generated ``asyncio_detailed`` function on a pooled
``httpx.AsyncClient``. No event loop is run inside another, so the sync
methods also work inside a running loop (a Jupyter cell, a FastAPI handler).

`Tasks` is also the owner every `Task` it returns delegates its I/O to (the
`TaskOwner` protocol): saving, stopping, events and waiting.
"""

from __future__ import annotations

import asyncio
import functools
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, ClassVar
from urllib.parse import quote

import httpx
from xpander_api_client import models as gen
from xpander_api_client.api.tasks import (
    create_task,
    get_task,
    get_task_activity_log,
    list_agent_tasks,
    list_user_tasks,
    report_execution_metrics,
    report_external_task,
    stop_task,
    stream_task_events,
    update_task,
)

from ._answers import Answer
from ._client import ApiClient, Call, operation
from ._owner import set_default_owner_factory
from ._requests import (
    AGENT_FILTERS,
    USER_FILTERS,
    create_request,
    list_query,
    metrics_request,
    patch_body,
    report_request,
    update_body,
)
from ._shared import SharedClients
from ._stream import EventStream, aiter_events, iter_events
from ._validate import check_id, event_id
from ._wait import Waiting
from .configuration import Configuration
from .errors import StreamError
from .events import TaskUpdateEvent
from .models import (
    AgentExecutionStatus,
    AttachmentRef,
    LLMReasoningEffort,
    OutputFormat,
    Principal,
    TaskUpdateEventType,
    ThinkMode,
    Tokens,
    User,
)
from .task import Task, TasksListItem
from .transport import CallOptions

# `Tasks.list` shadows the builtin inside the class body.
TaskList = list[TasksListItem]
Timeout = float | httpx.Timeout | None

# The API's operations. Each method below builds its `Call` once, in a helper both twins
# use (``_get`` for `get` / `aget`, ...), with the reader of that operation's answer.
CREATE = operation(create_task)
LIST = operation(list_agent_tasks)
LIST_USER = operation(list_user_tasks)
GET = operation(get_task)
UPDATE = operation(update_task)
STOP = operation(stop_task)
REPORT = operation(report_external_task)
REPORT_METRICS = operation(report_execution_metrics)
ACTIVITY = operation(get_task_activity_log)


def _activity(answer: Answer) -> gen.ActivityThread:
    return answer.expect(gen.ActivityThread)


def _is_final(task: Task) -> bool:
    return isinstance(task.status, AgentExecutionStatus) and task.status.is_final


class Tasks:
    """Tasks of xpander.ai agents: create, list, get, update, stop.

    Args:
        configuration: where to connect; by default read from the environment
            (``XPANDER_API_KEY``, ``XPANDER_BASE_URL``, ...).
        http_client: an ``httpx.Client`` of yours for the sync calls (a proxy,
            a custom CA, mTLS, your own transport or httpx event hooks): every
            sync request is sent through it, with the SDK's base URL, key,
            retries, timeouts, logging and hooks around it.
        async_http_client: the same for the async calls, an ``httpx.AsyncClient``;
            it belongs to one event loop, so use this `Tasks` in that loop only.

    Every call takes ``timeout`` (seconds) and ``max_retries`` to override
    the configuration for that call.

    Lifetime: a `Tasks` makes, when first needed, one sync pool of
    connections (an ``httpx.Client``, on the first sync call) and one async
    pool per event loop (an ``httpx.AsyncClient``, on the first async call in
    that loop: connections belong to their loop; with the aiohttp backend, an
    aiohttp session). Every `Task` it returns shares them. Use it as a context
    manager (``with`` / ``async with``) or call `close` / `aclose` when done:

    - `close` / `aclose` close all of them: the sync pool at once, the running
      loop's async pool before `aclose` returns, another loop's async pool on
      that loop's next turn (or at its end, if that comes first). Any call
      afterwards raises RuntimeError.
    - An async pool is also closed when its event loop ends (``asyncio.run``,
      ``asyncio.Runner``, or any loop that runs ``loop.shutdown_asyncgens()``
      before closing), so one `Tasks` used across many ``asyncio.run`` calls
      keeps no sockets of a finished loop, and a call in a new loop gets a
      new pool. (A loop closed without shutting down its async generators
      leaves its sockets to be closed when Python collects them.)
    - Clients you give (``http_client``, ``async_http_client``) are yours:
      `close` / `aclose` leave them open.

    The class-level entry points (``Task.load``, ...) use `Tasks.shared`.

    Raises `ConfigurationError` when there is no API key, TypeError when a
    client is not an ``httpx.Client`` / ``httpx.AsyncClient``, ValueError when
    it is closed.
    """

    _default: ClassVar[Tasks | None] = None
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(
        self,
        configuration: Configuration | None = None,
        *,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
    ) -> None:
        if configuration is not None and not isinstance(configuration, Configuration):
            raise TypeError(
                f"configuration must be a Configuration, not {type(configuration).__name__}"
            )
        self._configuration = configuration or Configuration()
        self._api = ApiClient(self._configuration, http_client, async_http_client)

    @property
    def configuration(self) -> Configuration:
        """Where this client connects, and how patiently."""
        return self._configuration

    @classmethod
    def shared(cls, configuration: Configuration | None) -> Tasks:
        """The client shared for ``configuration`` (None: the environment's, made once).

        This is the default client of the class-level entry points
        (``Task.load``, ``Task.report_external_task``, ...). Equal
        configurations (every setting equal; hooks and SSL contexts by
        identity) share one client. The clients of the 8 configurations used
        last are kept open for the next call; an older one stays open while a
        task or your code still holds it, and is closed when the last
        reference goes (or at exit). One that was closed is replaced.
        """
        if configuration is not None and not isinstance(configuration, Configuration):
            raise TypeError(
                f"configuration must be a Configuration, not {type(configuration).__name__}"
            )
        if configuration is None:
            with cls._shared_lock:
                if cls._default is None or cls._default._api.closed:
                    cls._default = cls()
                return cls._default
        return _SHARED.get(configuration)

    def __repr__(self) -> str:
        return f"Tasks(configuration={self._configuration!r})"

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

    # -- shared by the twins -------------------------------------------------

    def _call(self, operation: Any, *args: Any, read: Any, options: CallOptions | None = None,
              **kwargs: Any) -> Call[Any]:  # fmt: skip
        return Call(operation, args, options or self._api.options, read, kwargs)

    def _options(self, max_retries: int | None, timeout: Timeout) -> CallOptions:
        return self._api.options_for(max_retries, timeout)

    def _task(self, answer: Answer) -> Task:
        return Task(answer.expect(gen.Task), answer.content, self, answer.request_id)

    def _items(self, answer: Answer) -> TaskList:
        items = answer.expect_list(gen.TasksListItem)
        return [TasksListItem(item, self, answer.request_id) for item in items]

    def _make_task(self, model: gen.Task, data: dict[str, Any], request_id: str | None) -> Task:
        return Task(model, json.dumps(data).encode(), self, request_id)

    # -- create --------------------------------------------------------------

    async def acreate(
        self,
        agent_id: str,
        existing_task_id: str | None = None,
        prompt: str | None = "",
        file_urls: Sequence[str] | None = None,
        user_details: User | Mapping[str, Any] | None = None,
        principal: Principal | Mapping[str, Any] | None = None,
        agent_version: str | int | None = None,
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
        llm_model_provider: str | None = None,
        llm_model_name: str | None = None,
        llm_reasoning_effort: LLMReasoningEffort | str | None = None,
        harness_cli: str | None = None,
        tool_call_limit: int | None = None,
        attachments: Sequence[AttachmentRef | Mapping[str, Any]] | None = None,
        permission_mode: str | None = None,
        *,
        idempotency_key: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Task:
        """Create a task for an agent; returns it (status ``pending``).

        The arguments are the API's TaskCreate fields under the published SDK's
        names and in its order; leave out what you do not need.

        Args:
            agent_id: the agent to run the task.
            existing_task_id: continue this task (a follow-up message) instead of
                starting a new one.
            prompt: what the agent is asked to do.
            file_urls: URLs of files the agent should read.
            user_details: the user the task runs on behalf of (a `User` or a dict).
            principal: who invoked the run (a `Principal` or a dict; its id
                non-empty, without ``:`` or whitespace).
            agent_version: run this version of the agent (sent as the
                ``x-agent-version`` header).
            tool_call_payload_extension: extra data merged into the agent's
                tool-call payloads.
            source: where the task comes from, a label (``"sdk"``, ``"slack"``).
            worker_id: the worker that should run the task.
            run_locally: run the task on the caller's own worker.
            output_format: the result's format (an `OutputFormat` or its value).
            output_schema: a JSON schema the result must follow (with
                ``output_format="json"``).
            events_streaming: publish the task's events, for `Task.aevents` and
                `Task.await_for_completion`.
            additional_context: extra context given to the agent.
            instructions_override: instructions added to the agent's system prompt.
            test_run_node_id: internal; the workflow node a test run executes.
            user_oidc_token: an OIDC token for pre-authorized tools (a secret:
                never logged or shown).
            expected_output: what the result should look like.
            mcp_servers: MCP servers the agent may use for this task (their
                ``api_key``, ``client_secret`` and ``headers`` are secrets).
            triggering_agent_id: the agent that triggered this task, if another did.
            title: a title for the task.
            think_mode: how much the agent thinks first (a `ThinkMode`).
            disable_attachment_injection: keep attached files out of the agent's
                context window.
            return_metrics: report the run's token use and tools on the task.
            user_tokens: tokens injected for MCP authentication (a secret).
            llm_model_provider: the model provider for this task only (``"openai"``).
            llm_model_name: the model for this task only.
            llm_reasoning_effort: the reasoning effort for this task only (a
                `LLMReasoningEffort` or its value).
            harness_cli: harness agents only: the CLI the conversation runs on;
                sent stripped and lower-cased, a blank value as not given.
            tool_call_limit: the most tool calls this task may make.
            attachments: per-file metadata (`AttachmentRef`s or dicts) beside
                ``file_urls``.
            permission_mode: harness agents only: ``"full"`` or ``"gated"``; sent
                stripped and lower-cased, a blank value as not given.
            idempotency_key: the create's ``Idempotency-Key`` (1 to 255 printable
                ASCII characters), to send it again safely (see below); a new
                UUID when not given.
            timeout: seconds (or an ``httpx.Timeout``) for this call only.
            max_retries: retries for this call only.

        Returns:
            The new task, bound to this client.

        Raises:
            ValueError: a bad argument, named, before any request (TypeError for
                one of the wrong type).
            ModuleException: a subclass of it when the API refuses or cannot be
                reached (see the errors reference).

        The create carries an ``Idempotency-Key``, so a retry after a dropped
        connection never makes a second task: ``idempotency_key`` when given,
        else a new UUID. Every `ModuleException` a create raises carries that key
        (``exc.idempotency_key``, also in its message): a create whose answer was
        lost can be sent again later with ``idempotency_key=exc.idempotency_key``,
        from any client or process, and answers with the task the first one
        stored (the platform remembers a key for 24 hours).
        """
        return await self._api.arun(self._create(agent_id, locals()))

    def create(
        self,
        agent_id: str,
        existing_task_id: str | None = None,
        prompt: str | None = "",
        file_urls: Sequence[str] | None = None,
        user_details: User | Mapping[str, Any] | None = None,
        principal: Principal | Mapping[str, Any] | None = None,
        agent_version: str | int | None = None,
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
        llm_model_provider: str | None = None,
        llm_model_name: str | None = None,
        llm_reasoning_effort: LLMReasoningEffort | str | None = None,
        harness_cli: str | None = None,
        tool_call_limit: int | None = None,
        attachments: Sequence[AttachmentRef | Mapping[str, Any]] | None = None,
        permission_mode: str | None = None,
        *,
        idempotency_key: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Task:
        """Create a task for an agent (sync twin of `acreate`)."""
        return self._api.run(self._create(agent_id, locals()))

    def _create(self, agent_id: str, arguments: Mapping[str, Any]) -> Call[Task]:
        request = create_request(agent_id, arguments)
        options = self._options(arguments["max_retries"], arguments["timeout"])
        # Its errors carry its key, to send it again with (see `acreate`).
        return Call(CREATE, (request.agent_id,), options, self._task, request.kwargs,
                    idempotency_key=request.idempotency_key)  # fmt: skip

    # -- list ----------------------------------------------------------------

    async def alist(
        self,
        agent_id: str,
        filters: Mapping[str, Any] | None = None,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> TaskList:
        """An agent's tasks, optionally filtered by ``user_id``, ``parent_task_id``,
        ``triggering_agent_id``, ``status`` or ``internal_status``."""
        return await self._api.arun(self._list(agent_id, filters, timeout, max_retries))

    def list(
        self,
        agent_id: str,
        filters: Mapping[str, Any] | None = None,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> TaskList:
        """An agent's tasks (sync twin of `alist`)."""
        return self._api.run(self._list(agent_id, filters, timeout, max_retries))

    def _list(
        self, agent_id: str, filters: Mapping[str, Any] | None, timeout: Timeout,
        max_retries: int | None,
    ) -> Call[TaskList]:  # fmt: skip
        check_id(agent_id, "agent_id")
        query = list_query(filters, AGENT_FILTERS)
        options = self._options(max_retries, timeout)
        return self._call(LIST, agent_id, read=self._items, options=options, **query)

    async def alist_user_tasks(
        self,
        user_id: str,
        filters: Mapping[str, Any] | None = None,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> TaskList:
        """A user's tasks, optionally filtered by ``parent_task_id``,
        ``triggering_agent_id``, ``status`` or ``internal_status``."""
        return await self._api.arun(self._list_user(user_id, filters, timeout, max_retries))

    def list_user_tasks(
        self,
        user_id: str,
        filters: Mapping[str, Any] | None = None,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> TaskList:
        """A user's tasks (sync twin of `alist_user_tasks`)."""
        return self._api.run(self._list_user(user_id, filters, timeout, max_retries))

    def _list_user(
        self, user_id: str, filters: Mapping[str, Any] | None, timeout: Timeout,
        max_retries: int | None,
    ) -> Call[TaskList]:  # fmt: skip
        check_id(user_id, "user_id")
        query = list_query(filters, USER_FILTERS)
        options = self._options(max_retries, timeout)
        return self._call(LIST_USER, user_id, read=self._items, options=options, **query)

    # -- get -----------------------------------------------------------------

    async def aget(
        self, task_id: str, *, timeout: Timeout = None, max_retries: int | None = None
    ) -> Task:
        """The task with this id, every field. Raises `NotFoundError` when there is none."""
        return await self._api.arun(self._get(task_id, timeout, max_retries))

    def get(self, task_id: str, *, timeout: Timeout = None, max_retries: int | None = None) -> Task:
        """The task with this id (sync twin of `aget`)."""
        return self._api.run(self._get(task_id, timeout, max_retries))

    def _get(self, task_id: str, timeout: Timeout, max_retries: int | None) -> Call[Task]:
        check_id(task_id, "task_id")
        options = self._options(max_retries, timeout)
        return self._call(GET, task_id, read=self._task, options=options)

    # -- update --------------------------------------------------------------

    async def apatch(
        self,
        task_id: str,
        fields: Mapping[str, Any],
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> Task:
        """Send these fields of a task (JSON, by their API names; the rest stay as they are).

        What `Task.asave` sends; also the way to set a field `aupdate` does not
        name, e.g. ``await tasks.apatch(task_id, {"internal_status": "step 2"})``.
        """
        return await self._api.arun(self._patch(task_id, fields, timeout, max_retries))

    def patch(
        self,
        task_id: str,
        fields: Mapping[str, Any],
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> Task:
        """Send these fields of a task (sync twin of `apatch`)."""
        return self._api.run(self._patch(task_id, fields, timeout, max_retries))

    def _patch(
        self, task_id: str, fields: Mapping[str, Any], timeout: Timeout, max_retries: int | None
    ) -> Call[Task]:
        check_id(task_id, "task_id")
        body = patch_body(fields)
        options = self._options(max_retries, timeout)
        return self._call(UPDATE, task_id, read=self._task, options=options, body=body)

    async def aupdate(
        self,
        task_id: str,
        tool_call_payload_extension: Mapping[str, Any] | None = None,
        source: str | None = None,
        status: AgentExecutionStatus | str | None = None,
        last_executed_node_id: str | None = None,
        result: str | None = None,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> Task:
        """Change the fields given (the rest stay as they are); returns the updated task."""
        return await self._api.arun(self._update(locals()))

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
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> Task:
        """Change the fields given (sync twin of `aupdate`)."""
        return self._api.run(self._update(locals()))

    def _update(self, arguments: Mapping[str, Any]) -> Call[Task]:
        task_id = check_id(arguments["task_id"], "task_id")
        body = update_body(
            arguments["tool_call_payload_extension"],
            arguments["source"],
            arguments["status"],
            arguments["last_executed_node_id"],
            arguments["result"],
        )
        return self._patch(task_id, body, arguments["timeout"], arguments["max_retries"])

    # -- stop ----------------------------------------------------------------

    async def astop(
        self, task_id: str, *, timeout: Timeout = None, max_retries: int | None = None
    ) -> Task:
        """Stop a task's run; returns the stopped task."""
        return await self._api.arun(self._stop(task_id, timeout, max_retries))

    def stop(
        self, task_id: str, *, timeout: Timeout = None, max_retries: int | None = None
    ) -> Task:
        """Stop a task's run (sync twin of `astop`)."""
        return self._api.run(self._stop(task_id, timeout, max_retries))

    def _stop(self, task_id: str, timeout: Timeout, max_retries: int | None) -> Call[Task]:
        check_id(task_id, "task_id")
        options = self._options(max_retries, timeout)
        return self._call(STOP, task_id, read=self._task, options=options)

    # -- report and activity -------------------------------------------------

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
        return await self._api.arun(self._report(locals()))

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
        return self._api.run(self._report(locals()))

    def _report(self, arguments: Mapping[str, Any]) -> Call[Task]:
        names = ("agent_id", "id", "input", "llm_response", "tokens", "is_success", "result",
                 "duration", "used_tools")  # fmt: skip
        kwargs = report_request(*(arguments[name] for name in names))
        return self._call(REPORT, arguments["agent_id"], read=self._task, **kwargs)

    async def areport_metrics(self, task: Task) -> None:
        """Report a run's metrics, filled from ``task`` (see `Task.areport_metrics`).

        Raises ValueError, before any request, when the task has no tokens. The
        answer's body is not read (the API promises none): a 2xx is success.
        """
        await self._api.arun(self._report_metrics(task))

    def report_metrics(self, task: Task) -> None:
        """Sync twin of `areport_metrics`."""
        self._api.run(self._report_metrics(task))

    def _report_metrics(self, task: Task) -> Call[None]:
        kwargs = metrics_request(
            task_id=task.id,
            source=task.source,
            text=task.input.text if isinstance(task.input.text, str) else None,
            status=task.status,
            internal_status=task.internal_status,
            duration=task.duration,
            model_name=task.llm_model_name,
            used_tools=task.used_tools,
            return_metrics=task.return_metrics,
            result=task.result,
            tokens=task.tokens,
        )
        return self._call(REPORT_METRICS, task.agent_id, read=Answer.expect_success, **kwargs)

    async def aget_activity_log(self, agent_id: str, task_id: str) -> gen.ActivityThread:
        """A task's activity thread."""
        return await self._api.arun(self._activity_log(agent_id, task_id))

    def get_activity_log(self, agent_id: str, task_id: str) -> gen.ActivityThread:
        """Sync twin of `aget_activity_log`."""
        return self._api.run(self._activity_log(agent_id, task_id))

    def _activity_log(self, agent_id: str, task_id: str) -> Call[gen.ActivityThread]:
        check_id(agent_id, "agent_id")
        check_id(task_id, "task_id")
        return self._call(ACTIVITY, agent_id, task_id, read=_activity)

    # -- events and waiting (what a Task delegates) --------------------------

    def _event_stream(
        self, task: Task, waiting: Waiting | None = None, after: str | int | None = None
    ) -> EventStream:
        if not task.events_streaming:
            raise ValueError(
                f"task {task.id} does not stream events: create it with events_streaming=True"
            )
        config = self._configuration
        organization_id = config.organization_id or task.organization_id
        # Each is one segment of the stream's path: checked as any id argument is.
        check_id(task.id, "task.id")
        check_id(organization_id, "organization_id")
        # The spec's path template; the events base URL may be another host
        # than the API's (agent-controller on the platform).
        path = stream_task_events.PATH.format(
            organization_id=quote(organization_id, safe=""), task_id=quote(task.id, safe="")
        )
        return EventStream(
            config.events_base_url.rstrip("/") + path,
            self._make_task,
            task_id=task.id,
            idle_timeout=config.stream_idle_timeout,
            max_reconnects=config.max_stream_reconnects,
            options=self._api.options,
            waiting=waiting,
            after=event_id(after, "after"),
        )

    async def _ais_final(self, task_id: str) -> bool:
        return _is_final(await self.aget(task_id))

    def _is_final(self, task_id: str) -> bool:
        return _is_final(self.get(task_id))

    def aiter_events(
        self, task: Task, after: str | int | None = None
    ) -> AsyncIterator[TaskUpdateEvent]:
        """A task's events as they arrive (see `Task.aevents`); with ``after``, those
        that follow the event with that id."""
        stream = self._event_stream(task, after=after)
        is_final = functools.partial(self._ais_final, task.id)
        return aiter_events(self._api.async_http, stream, is_final)

    def iter_events(self, task: Task, after: str | int | None = None) -> Iterator[TaskUpdateEvent]:
        """Sync twin of `aiter_events` (see `Task.events`)."""
        stream = self._event_stream(task, after=after)
        is_final = functools.partial(self._is_final, task.id)
        return iter_events(self._api.sync_http, stream, is_final)

    async def await_for_completion(
        self, task: Task, timeout: float | None = 300.0, poll_interval: float = 0.5
    ) -> Task:
        """Wait until ``task`` reaches a final status (see `Task.await_for_completion`)."""
        waiting = Waiting(task.id, timeout, poll_interval)
        if _is_final(task):
            return task
        if task.events_streaming:
            stream = self._event_stream(task, waiting)

            async def reloaded_final() -> bool:
                return _is_final(await task.areload())

            try:
                async for event in aiter_events(self._api.async_http, stream, reloaded_final):
                    if event.type is TaskUpdateEventType.TaskFinished and isinstance(
                        event.data, Task
                    ):
                        task.take(event.data)
            except StreamError as exc:  # the stream gave up; the task may be fine: poll it
                switch = stream.polling_after(exc)
                if stream.hooks:
                    await stream.hooks.arun("resume", switch)
            if _is_final(task):
                return task
        while True:
            await task.areload()
            if _is_final(task):
                return task
            await asyncio.sleep(waiting.next_poll())

    def wait_for_completion(
        self, task: Task, timeout: float | None = 300.0, poll_interval: float = 0.5
    ) -> Task:
        """Sync twin of `await_for_completion`."""
        waiting = Waiting(task.id, timeout, poll_interval)
        if _is_final(task):
            return task
        if task.events_streaming:
            stream = self._event_stream(task, waiting)

            def reloaded_final() -> bool:
                return _is_final(task.reload())

            try:
                for event in iter_events(self._api.sync_http, stream, reloaded_final):
                    if event.type is TaskUpdateEventType.TaskFinished and isinstance(
                        event.data, Task
                    ):
                        task.take(event.data)
            except StreamError as exc:  # the stream gave up; the task may be fine: poll it
                switch = stream.polling_after(exc)
                if stream.hooks:
                    stream.hooks.run("resume", switch)
            if _is_final(task):
                return task
        while True:
            task.reload()
            if _is_final(task):
                return task
            time.sleep(waiting.next_poll())


_SHARED: SharedClients[Tasks] = SharedClients(
    Tasks, usable=lambda tasks: not tasks._api.closed, closer=lambda tasks: tasks._api.close
)

# The class-level entry points (Task.load, ...) use the client kept per configuration.
set_default_owner_factory(Tasks.shared)
