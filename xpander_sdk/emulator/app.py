"""The emulator's HTTP face: Starlette routes for every operation of ``openapi.yaml``.

Each handler checks, in this order: the API key (401), the body size (413), that the body
is JSON (400), that the request matches the spec (422, see ``validation``); then it acts and
answers with spec-shaped JSON. Nothing is stored for a request that fails a check.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from .agents import AgentRouter, load_agents
from .auth import authorize
from .body import json_of, read_body
from .clock import Clock
from .config import EmulatorConfig
from .control import ControlApi
from .errors import ApiError, FieldError, error_response
from .faults import FaultMiddleware, FaultRegistry, is_event_stream
from .hosts import HostRule, TrustedHosts
from .journal import Journal, RequestLog, is_control, note
from .metrics import MetricsLog, metrics_control_route, report_metrics_route
from .model import Task
from .runner import AgentFunction, demo_agent, load_agent
from .service import LIST_FILTERS, TaskService
from .spec import path_templates
from .sse import event_stream
from .state import export_state, export_text, parse_state, write_atomically
from .store import KeyUse, StateRows, Store
from .validation import validate_request

log = logging.getLogger("xpander_sdk.emulator")

# The spec's path templates, one per operation.
TASK_BY_AGENT = "/agent-execution/{agent_or_task_id}"
LIST_BY_AGENT = "/agent-execution/executions/history/{agent_id}"
LIST_BY_USER = "/agent-execution/executions/history/user/{user_id}"
GET_TASK = "/agent-execution/{task_id}/status"
UPDATE_TASK = "/agent-execution/{task_id}/update"
REPORT_TASK = "/agent-execution/{agent_id}/report_task"
ACTIVITY = "/activity/{agent_id}/{task_id}"
EVENTS = "/{organization_id}/agent-execution/{task_id}/events"


class EmulatorApp(Starlette):
    """The emulator's ASGI app; ``app.state.emulator`` is its ``Emulator``.

    Layers, outermost first: ``RequestLog`` (``x-request-id`` on every answer, the journal),
    ``TrustedHosts`` (400 for a Host it does not answer), Starlette's error layer,
    ``FaultMiddleware``, ``OrganizationPrefix``, ``ClockHold``, the routes.
    """

    def __init__(self, journal: Journal, hosts: HostRule, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.journal = journal
        self.hosts = hosts

    def build_middleware_stack(self) -> ASGIApp:
        """Starlette's stack, inside the Host check and the request log (so its 500s carry a
        request id too)."""
        # Outside Starlette's own error layer, so even its 500s carry a request id; the Host
        # check before everything else, faults included.
        app = TrustedHosts(super().build_middleware_stack(), self.hosts)
        return RequestLog(app, self.journal)


class Emulator:
    """One emulator: its store, task service, fault registry, journal and ASGI app (``.app``).

    Construction ends the runs an earlier process left unfinished (see
    ``TaskService.end_interrupted_runs``) and loads ``config.import_path`` if given.
    """

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        agent: AgentFunction
        if config.agent is None:
            agent = demo_agent(config.step_delay)
        elif isinstance(config.agent, str):
            agent = load_agent(config.agent)
        else:
            agent = config.agent
        self.agents = AgentRouter(agent, config.step_delay, load_agents(config.agents))
        """What runs each task: the agent rules in force, and the default agent."""
        self.clock = Clock(config.clock)
        """The time every timestamp shows, and every wait of a run takes (see ``clock``)."""
        self.store = Store(config.db)
        self.metrics = MetricsLog(config.db, self.clock)
        self.service = TaskService(self.store, config.organization_id, self.agents, self.clock)
        self.faults = FaultRegistry()
        self.journal = Journal(config.journal_size, self.clock)
        self._key_locks: dict[str, tuple[asyncio.Lock, list[int]]] = {}
        self._closed = False
        try:
            if config.import_path is not None:
                self.service.replace_state(read_state_file(config.import_path))
            self.interrupted = self.service.end_interrupted_runs()
        except BaseException:
            self.store.close()
            self.metrics.close()
            raise
        self.app = EmulatorApp(
            self.journal,
            HostRule(config.host, config.allowed_hosts),
            routes=self._routes() + ControlApi(self).routes() + [metrics_control_route(self)],
            middleware=[
                Middleware(FaultMiddleware, self.faults, enabled=config.faults, clock=self.clock),
                Middleware(OrganizationPrefix),
                Middleware(ClockHold, self.clock),
            ],
            exception_handlers={
                ApiError: self._on_api_error,
                HTTPException: self._on_http_error,
                Exception: self._on_crash,
            },
            lifespan=self._lifespan,
        )
        self.app.state.emulator = self
        # A trailing slash is part of the published SDK's events URL: serve, never redirect.
        self.app.router.redirect_slashes = False

    @property
    def asgi(self) -> EmulatorApp:
        """The ASGI app (the same as ``.app``)."""
        return self.app

    def stats(self) -> dict[str, Any]:
        """``{"requests": n, "faults_injected": {kind: n}, "tasks": n}``."""
        return self.faults.stats(self.store.count_tasks())

    def reset(self) -> None:
        """No tasks, events, idempotency keys, journal entries or fault rules left.

        Runs in progress stop without writing anything; open streams end. Call on the
        server's event loop (the control API does).
        """
        self.faults.clear()
        self.journal.clear()
        self._key_locks.clear()
        self.metrics.clear()
        self.service.reset()
        self.agents.forget()

    async def advance_clock(self, seconds: float) -> None:
        """Move a manual or auto clock ``seconds`` on; returns once every step that fell due
        is stored and taken by the streams listening (see ``clock``). ``ClockError`` on a
        real clock, ``ValueError`` for seconds out of range."""
        await self.clock.advance(seconds, self.service.settle)

    def export_state(self) -> dict[str, Any]:
        """The state document (see ``state``)."""
        return export_state(self.store)

    async def shutdown(self) -> None:
        """End every stream and run (idempotent); the server calls it before closing."""
        await self.service.shutdown()

    def close(self) -> None:
        """Write ``config.export_on_exit`` (if set), then close the database (idempotent).

        A failed export is logged; the previous file at that path is left whole.
        """
        if self._closed:
            return
        self._closed = True
        try:
            if self.config.export_on_exit is not None:
                try:
                    write_atomically(self.config.export_on_exit, export_text(self.store))
                    log.info("xpander-emulator: state written to %s", self.config.export_on_exit)
                except (OSError, ValueError) as exc:
                    log.error("xpander-emulator: could not write the state: %s", exc)
        finally:
            self.store.close()
            self.metrics.close()

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        yield
        await self.shutdown()

    def _routes(self) -> list[Route]:
        """One route per operation of the spec (``tests/emulator/test_routes`` holds the
        table against ``openapi.yaml``), plus the events URL with a trailing slash."""
        return [
            Route(LIST_BY_USER, self.list_user_tasks, methods=["GET"]),
            Route(LIST_BY_AGENT, self.list_agent_tasks, methods=["GET"]),
            Route(GET_TASK, self.get_task, methods=["GET"]),
            Route(UPDATE_TASK, self.update_task, methods=["PATCH"]),
            Route(REPORT_TASK, self.report_task, methods=["POST"]),
            Route(TASK_BY_AGENT, self.create_task, methods=["POST"]),
            Route(
                TASK_BY_AGENT.replace("{agent_or_task_id}", "{task_id}"),
                self.stop_task,
                methods=["DELETE"],
            ),
            Route(ACTIVITY, self.activity_log, methods=["GET"]),
            report_metrics_route(self),
            Route(EVENTS, self.stream_events, methods=["GET"]),
            Route(EVENTS + "/", self.stream_events, methods=["GET"]),
        ]

    # -- handlers ------------------------------------------------------------------------

    async def create_task(self, request: Request) -> Response:
        """``POST /agent-execution/{agent_id}``: create a task (idempotent) and start its run."""
        body = await self._accept(request, TASK_BY_AGENT, has_body=True)
        agent_id = request.path_params["agent_or_task_id"]
        version = request.headers.get("x-agent-version")

        def create(key: KeyUse | None) -> Task:
            task = self.service.create(agent_id, body, version, key)
            if not self.service.resumes(task["id"]):
                # Chosen now, not when the run starts, so the journal entry can say.
                note(request, "run", self.agents.choose(task).describe())
            return task

        return await self._idempotent(
            request, {"body": body, "agent_version": version}, create, start_run=True
        )

    async def report_task(self, request: Request) -> Response:
        """``POST /agent-execution/{agent_id}/report_task``: record an external task."""
        body = await self._accept(request, REPORT_TASK, has_body=True)
        agent_id = request.path_params["agent_id"]
        return await self._idempotent(
            request,
            {"body": body},
            lambda key: self.service.report(agent_id, body, key),
            start_run=False,
        )

    async def list_agent_tasks(self, request: Request) -> Response:
        """``GET /agent-execution/executions/history/{agent_id}``: an agent's tasks."""
        await self._accept(request, LIST_BY_AGENT)
        return JSONResponse(
            self.service.list_tasks(_filters(request), agent_id=request.path_params["agent_id"])
        )

    async def list_user_tasks(self, request: Request) -> Response:
        """``GET /agent-execution/executions/history/user/{user_id}``: a user's tasks."""
        await self._accept(request, LIST_BY_USER)
        filters = _filters(request)
        filters.pop("user_id", None)  # not a parameter of this route
        return JSONResponse(
            self.service.list_tasks(filters, user_id=request.path_params["user_id"])
        )

    async def get_task(self, request: Request) -> Response:
        """``GET /agent-execution/{task_id}/status``: one task."""
        await self._accept(request, GET_TASK)
        return JSONResponse(self.service.get(request.path_params["task_id"]))

    async def update_task(self, request: Request) -> Response:
        """``PATCH /agent-execution/{task_id}/update``: change a task's fields."""
        body = await self._accept(request, UPDATE_TASK, has_body=True)
        return JSONResponse(self.service.update(request.path_params["task_id"], body))

    async def stop_task(self, request: Request) -> Response:
        """``DELETE /agent-execution/{task_id}``: stop a task's run."""
        task_id = request.path_params["task_id"]
        await self._accept(request, TASK_BY_AGENT, params={"agent_or_task_id": task_id})
        return JSONResponse(self.service.stop(task_id))

    async def activity_log(self, request: Request) -> Response:
        """``GET /activity/{agent_id}/{task_id}``: a task's activity thread."""
        await self._accept(request, ACTIVITY)
        # Any agent id is accepted: the task id alone names the task.
        return JSONResponse(self.service.activity(request.path_params["task_id"]))

    async def stream_events(self, request: Request) -> Response:
        """``GET /{organization_id}/agent-execution/{task_id}/events``: the event stream."""
        await self._accept(request, EVENTS)
        task_id = request.path_params["task_id"]
        self.service.get(task_id)  # 404 before the stream starts
        after = 0
        last_seen = request.headers.get("last-event-id")
        if last_seen is not None and last_seen.strip():
            if not last_seen.strip().isdigit():
                raise ApiError(
                    422,
                    "Last-Event-ID is not an event id of this stream",
                    [FieldError("header.Last-Event-ID", "must be an id: line this server sent")],
                )
            after = int(last_seen.strip())
        return StreamingResponse(
            event_stream(
                self.service, task_id, after, self.config.heartbeat, self.config.stream_retry
            ),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    # -- the checks every request passes -------------------------------------------------

    async def _accept(
        self,
        request: Request,
        path_pattern: str,
        *,
        has_body: bool = False,
        params: dict[str, str] | None = None,
    ) -> Any:
        """Authorize and validate ``request``; its parsed JSON body (``None`` without one)."""
        authorize(request, self.config.api_key)
        raw = await read_body(request, self.config.max_body_bytes) if has_body else None
        parsed = json_of(raw) if raw else None
        errors = validate_request(
            method=request.method,
            path_pattern=path_pattern,
            path_params=params if params is not None else request.path_params,
            query=request.query_params.multi_items() if request.scope["query_string"] else (),
            headers=request.headers.items(),
            body=raw or None,
            parsed=parsed,
        )
        if errors:
            first = errors[0]
            raise ApiError(
                422, f"The request does not match the API: {first.field} {first.reason}", errors
            )
        return parsed

    async def _idempotent(
        self,
        request: Request,
        what: dict[str, Any],
        produce: Callable[[KeyUse | None], Task],
        *,
        start_run: bool,
    ) -> Response:
        """Answer ``produce(key)``, or, for an Idempotency-Key seen before, the first answer.

        ``produce`` stores the key with the task it writes, in one transaction, and the
        answer goes out after that commit: a crash keeps both or neither.
        """
        key = request.headers.get("idempotency-key")
        if key is None:
            return self._task_answer(produce(None), start_run)
        route = f"{request.method} {request.url.path}"
        fingerprint = hashlib.sha256(
            json.dumps({"route": route, **what}, sort_keys=True).encode()
        ).hexdigest()
        lock, users = self._key_locks.setdefault(key, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:  # two concurrent requests with one key: the second replays
                replay = self.store.replay(key)
                if replay is not None:
                    if replay.route != route or replay.fingerprint != fingerprint:
                        raise ApiError(
                            422,
                            "This Idempotency-Key was used for a different request",
                            [
                                FieldError(
                                    "header.Idempotency-Key",
                                    "already used with another body or route",
                                )
                            ],
                        )
                    return Response(
                        replay.body,
                        status_code=replay.status,
                        media_type="application/json",
                        headers={"Idempotent-Replayed": "true"},
                    )
                task = produce(KeyUse(key, route, fingerprint))
                return self._task_answer(task, start_run)
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._key_locks[key]

    def _task_answer(self, task: Task, start_run: bool) -> Response:
        # The run starts once the answer is out, so a create always answers ``pending``.
        background = BackgroundTask(self._start_run, task["id"]) if start_run else None
        text = self.store.text_of(task)
        return Response(text, media_type="application/json", background=background)

    async def _start_run(self, task_id: str) -> None:
        # async, so Starlette calls it on the event loop rather than in a worker thread
        self.service.start_run(task_id)

    # -- errors --------------------------------------------------------------------------

    async def _on_api_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return error_response(exc.status, exc.detail, exc.errors, exc.headers)

    async def _on_http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 404:
            empty = _empty_parameter(request.method, request.url.path)
            if empty is not None:
                return error_response(
                    422,
                    f"The path parameter {empty} is empty",
                    [FieldError(f"path.{empty}", "must not be empty")],
                )
            return error_response(404, f"No route {request.method} {request.url.path}")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names only the first route's methods; the spec's are the truth.
            headers["Allow"] = ", ".join(_spec_methods(request.url.path)) or headers.get(
                "Allow", ""
            )
        return error_response(exc.status_code, str(exc.detail), headers=headers)

    async def _on_crash(self, request: Request, exc: Exception) -> Response:
        return error_response(500, f"The emulator failed: {type(exc).__name__}")


def _filters(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items() if k in LIST_FILTERS}


def _template_regex(template: str, segment: str) -> str:
    escaped = re.escape(template).replace(r"\{", "{").replace(r"\}", "}")
    return re.sub(r"{\w+}", segment, escaped) + "/?"


def _spec_methods(path: str) -> list[str]:
    """The methods the spec documents for ``path`` (for a 405's ``Allow``)."""
    found: set[str] = set()
    for template, methods in path_templates():
        if re.fullmatch(_template_regex(template, "[^/]+"), path):
            found.update(m.upper() for m in methods)
    return sorted(found)


def _empty_parameter(method: str, path: str) -> str | None:
    """The spec parameter left empty in ``path`` (``/agent-execution/`` -> agent_or_task_id)."""
    for template, methods in path_templates():
        if method.lower() not in methods and not (method == "HEAD" and "get" in methods):
            continue
        names: list[str] = re.findall(r"{(\w+)}", template)
        match = re.fullmatch(_template_regex(template, "([^/]*)"), path)
        if match:
            for name, value in zip(names, match.groups(), strict=True):
                if not value:
                    return name
    return None


_API_ROOTS = frozenset({"agent-execution", "activity", "agents-metrics"})


class OrganizationPrefix:
    """Serves the API's routes under a ``/{organization_id}`` prefix too.

    On an agent-controller host the platform takes every path prefixed with
    the organization id, and the published SDK sends it so whenever its base
    URL names an agent-controller host or port 9016 (this emulator's default
    port). The event stream's own path starts with the organization id and is
    left as it is.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            parts = scope["path"].split("/", 3)  # ["", org, root, rest]
            if (
                len(parts) == 4
                and parts[1] not in _API_ROOTS
                and parts[2] in _API_ROOTS
                and not is_event_stream(scope["path"])
            ):
                path = "/" + parts[2] + "/" + parts[3]
                scope = {**scope, "path": path, "raw_path": path.encode()}
        await self.app(scope, receive, send)


class ClockHold:
    """A request being served holds an ``auto`` clock still (see ``clock``); event streams
    (they wait for the runs) and the control API do not."""

    def __init__(self, app: ASGIApp, clock: Clock) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_control(scope["path"]) or is_event_stream(scope["path"]):
            await self.app(scope, receive, send)
            return
        self.clock.request_started()
        try:
            await self.app(scope, receive, send)
        finally:
            self.clock.request_ended()


def create_emulator(config: EmulatorConfig | None = None) -> Emulator:
    """A new emulator (its ASGI app is ``.app``)."""
    return Emulator(config or EmulatorConfig())


def create_app(config: EmulatorConfig | None = None) -> EmulatorApp:
    """A new emulator's ASGI app, for any ASGI server (``app.state.emulator`` is the
    ``Emulator``). Call ``app.state.emulator.close()`` when done with it."""
    return create_emulator(config).app


def read_state_file(path: str | Path) -> StateRows:
    """The rows of the state document at ``path``; ``ValueError`` naming what is wrong."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read the state document {str(path)!r}: {exc}") from None
    try:
        return parse_state(doc)
    except ApiError as exc:
        raise ValueError(f"{path}: {exc.detail}") from None
