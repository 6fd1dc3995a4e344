"""The control API under ``/_emulator/``: what a test (or the web page) asks the emulator
itself, not the Tasks API.

Every route needs the API's ``x-api-key`` (401 without it), except the web page's static
files, and, like the API, a trusted ``Host`` (400 otherwise, see ``hosts``). Bodies are read
as they arrive and refused with 413 past a limit: ``--max-body-bytes`` (the API's) for a
fault rule, ``--max-state-bytes`` for a state document. Control requests are never faulted
and never journaled. Errors have the API's ``Error`` body
(``{"detail", "errors": [{"field", "reason"}]}``).

Secrets in tasks (``user_oidc_token``, ``user_tokens``, an MCP server's ``api_key``,
``client_secret`` and ``headers``) are masked as ``"***"`` in what the control API shows
(``/tasks``, the journal), by the SDK's own rule (``xpander_sdk._redact``), as the web page
masks them. The state document is the exception: it is the emulator's whole state, made to
be imported again, so it carries the values as they are, behind the key like every route.

=========================  ==================================================================
``GET /_emulator/requests``   the journal, newest last: ``{"requests": [...]}``; query
                              ``method``, ``path`` (a regular expression in RE2 syntax,
                              at most 256 characters; see ``patterns``), ``limit``
``DELETE /_emulator/requests``  clear the journal
``POST /_emulator/reset``     no tasks, events, keys, journal entries or fault rules left;
                              runs in progress stop quietly, open streams end
``GET /_emulator/state``      the state document (see ``state``), secrets unmasked
``PUT /_emulator/state``      replace the state with a document, all or nothing (422 naming
                              what is wrong, nothing changed)
``GET /_emulator/tasks``      ``{"tasks": [Task, ...]}`` of every agent, newest first,
                              secrets masked; ``limit`` (default 200)
``GET /_emulator/tasks/{id}/run``  what ran the task: ``{"task_id", "run": {"agent",
                              "rule", "name", "note"} | null}`` (see ``agents.Choice``)
``GET /_emulator/agents``     the agent rules in force (a document; see ``agents``), each
                              with ``served``, its runs so far
``PUT /_emulator/agents``     replace them with a document (JSON, or YAML with a YAML
                              ``Content-Type``); a bad one gets 422 naming the rule, the
                              step and what is wrong, and the old rules stay
``DELETE /_emulator/agents``  no rules: every task runs the default agent
``GET /_emulator/info``       ``{"faults_enabled", "auth_required", "organization_id",
                              "version", "secrets"}``; ``secrets`` is the masking rule
                              (``{"mask", "fields", "mcp_server_fields"}``) the web page
                              applies to what it shows
``GET /_emulator/clock``      ``{"mode", "now", "pending": [{"due", "remaining",
                              "task_id"}, ...]}``: the clock (see ``clock``) and the waits
                              not ended yet, soonest first (``task_id`` null for a latency
                              fault's)
``PUT /_emulator/clock``      ``{"mode": "real" | "manual" | "auto"}``: switch modes; the
                              clock's document
``POST /_emulator/clock/advance``  ``{"seconds": N}``: move a manual or auto clock on;
                              answers (the clock's document) once every step that fell due
                              is stored and taken by the streams listening; 409 on a real
                              clock
``GET /_emulator/ui``         the web page (also ``/_emulator/ui/``); its other files are
                              ``/_emulator/ui/{file}`` (no key needed: the page asks for it)
``/_emulator/faults``         ``POST`` a rule, ``GET`` the rules, ``DELETE`` them, and
``GET /_emulator/stats``      (only with ``--faults``; 404 otherwise; see ``faults``)
=========================  ==================================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from importlib import metadata, resources
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from xpander_sdk._redact import MASK, MCP_SECRET_KEYS, SECRET_FIELDS, masked

from .agents import AgentsError, parse_agents, read_document
from .auth import authorize
from .body import parse_json, read_body, read_json
from .clock import ClockError, check_mode, check_seconds
from .errors import ApiError, FieldError
from .faults import RuleError, parse_rule
from .journal import CONTROL_PREFIX
from .patterns import PatternError
from .state import export_text, parse_state

if TYPE_CHECKING:
    from .app import Emulator

PREFIX = CONTROL_PREFIX
DEFAULT_TASKS_LIMIT = 200
SECRETS_RULE = {
    "mask": MASK,
    "fields": sorted(SECRET_FIELDS),
    "mcp_server_fields": sorted(MCP_SECRET_KEYS),
}
"""What ``xpander_sdk._redact.masked`` masks, for the web page to mask the same way."""
_UI_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}


def version() -> str:
    """The installed xpander-sdk's version (package metadata)."""
    try:
        return metadata.version("xpander-sdk")
    except metadata.PackageNotFoundError:
        return "unknown"


class ControlApi:
    """The control routes of one emulator."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def routes(self) -> list[Route]:
        return [
            Route(f"{PREFIX}/requests", self.requests, methods=["GET", "DELETE"]),
            Route(f"{PREFIX}/reset", self.reset, methods=["POST"]),
            Route(f"{PREFIX}/state", self.state, methods=["GET", "PUT"]),
            Route(f"{PREFIX}/tasks", self.tasks, methods=["GET"]),
            Route(PREFIX + "/tasks/{task_id}/run", self.task_run, methods=["GET"]),
            Route(f"{PREFIX}/agents", self.agents, methods=["GET", "PUT", "DELETE"]),
            Route(f"{PREFIX}/info", self.info, methods=["GET"]),
            Route(f"{PREFIX}/clock", self.clock, methods=["GET", "PUT"]),
            Route(f"{PREFIX}/clock/advance", self.advance_clock, methods=["POST"]),
            Route(f"{PREFIX}/faults", self.faults, methods=["GET", "POST", "DELETE"]),
            Route(f"{PREFIX}/stats", self.stats, methods=["GET"]),
            Route(f"{PREFIX}/ui", self.ui_file, methods=["GET"]),
            Route(f"{PREFIX}/ui/", self.ui_file, methods=["GET"]),
            Route(PREFIX + "/ui/{file}", self.ui_file, methods=["GET"]),
        ]

    def _check(self, request: Request, allowed: tuple[str, ...] = ()) -> dict[str, str]:
        """Authorize; the query parameters, refusing any not named in ``allowed``."""
        authorize(request, self.emulator.config.api_key)
        query = dict(request.query_params)
        unknown = [name for name in query if name not in allowed]
        if unknown:
            raise ApiError(
                422,
                f"Unknown query parameter {unknown[0]!r}",
                [FieldError(f"query.{n}", "is not a parameter of this route") for n in unknown],
            )
        return query

    async def requests(self, request: Request) -> Response:
        journal = self.emulator.journal
        if request.method == "DELETE":
            self._check(request)
            journal.clear()
            return JSONResponse({"cleared": True})
        query = self._check(request, ("method", "path", "limit"))
        limit = _positive(query, "limit")
        try:
            found = journal.entries(method=query.get("method"), path=query.get("path"), limit=limit)
        except PatternError as exc:
            raise ApiError(
                422, f"The path filter is refused: {exc}", [FieldError("query.path", str(exc))]
            ) from None
        return JSONResponse({"requests": found})

    async def reset(self, request: Request) -> Response:
        self._check(request)
        self.emulator.reset()
        return JSONResponse({"reset": True})

    async def state(self, request: Request) -> Response:
        self._check(request)
        if request.method == "GET":
            return Response(export_text(self.emulator.store), media_type="application/json")
        doc = await read_json(request, self.emulator.config.max_state_bytes)
        rows = parse_state(doc)
        self.emulator.service.replace_state(rows)
        return JSONResponse(
            {
                "imported": {
                    "tasks": len(rows.tasks),
                    "events": len(rows.events),
                    "idempotency_keys": len(rows.keys),
                }
            }
        )

    async def tasks(self, request: Request) -> Response:
        query = self._check(request, ("limit",))
        limit = _positive(query, "limit") or DEFAULT_TASKS_LIMIT
        return JSONResponse({"tasks": masked(self.emulator.store.recent_tasks(limit))})

    async def task_run(self, request: Request) -> Response:
        self._check(request)
        task_id = request.path_params["task_id"]
        self.emulator.service.get(task_id)  # 404 for an unknown task
        choice = self.emulator.agents.ran(task_id)
        return JSONResponse(
            {"task_id": task_id, "run": None if choice is None else choice.describe()}
        )

    async def agents(self, request: Request) -> Response:
        self._check(request)
        router = self.emulator.agents
        if request.method == "GET":
            return JSONResponse(router.rules.document())
        if request.method == "DELETE":
            router.replace(None)
            return JSONResponse({"cleared": True})
        raw = await read_body(request, self.emulator.config.max_body_bytes)
        try:
            if "yaml" in request.headers.get("content-type", ""):
                doc = read_document(raw, "The body")
            else:
                doc = parse_json(raw)
        except (AgentsError, ValueError) as exc:
            detail = exc.detail if isinstance(exc, AgentsError) else (
                "The body is not JSON (send YAML with Content-Type: application/yaml)"
            )  # fmt: skip
            raise ApiError(400, detail, [FieldError("body", str(exc))]) from None
        try:
            rules = parse_agents(doc, python=False)
        except AgentsError as exc:
            raise ApiError(422, exc.detail, exc.errors) from None
        router.replace(rules)
        return JSONResponse(rules.document())

    async def info(self, request: Request) -> Response:
        self._check(request)
        config = self.emulator.config
        return JSONResponse(
            {
                "faults_enabled": config.faults,
                "auth_required": config.api_key is not None,
                "organization_id": config.organization_id,
                "version": version(),
                "secrets": SECRETS_RULE,
            }
        )

    async def faults(self, request: Request) -> Response:
        self._faults_on(request)
        registry = self.emulator.faults
        if request.method == "GET":
            return JSONResponse({"rules": registry.rules()})
        if request.method == "DELETE":
            registry.clear()
            return JSONResponse({"cleared": True})
        body = await read_json(request, self.emulator.config.max_body_bytes)
        try:
            rule = parse_rule(body)
        except RuleError as exc:
            raise ApiError(422, "Not a valid fault rule", exc.errors) from None
        return JSONResponse({"id": registry.add(rule)}, status_code=201)

    async def stats(self, request: Request) -> Response:
        self._faults_on(request)
        return JSONResponse(self.emulator.stats())

    def _faults_on(self, request: Request) -> None:
        self._check(request)
        if not self.emulator.config.faults:
            raise ApiError(404, "Not found (the emulator runs without --faults)")

    async def clock(self, request: Request) -> Response:
        self._check(request)
        clock = self.emulator.clock
        if request.method == "PUT":
            body = await read_json(request, self.emulator.config.max_body_bytes)
            (mode,) = _fields(body, {"mode": check_mode})
            clock.set_mode(mode)
        return JSONResponse(clock.describe())

    async def advance_clock(self, request: Request) -> Response:
        self._check(request)
        body = await read_json(request, self.emulator.config.max_body_bytes)
        (seconds,) = _fields(body, {"seconds": check_seconds})
        try:
            await self.emulator.advance_clock(seconds)
        except ClockError as exc:
            raise ApiError(
                409,
                f"Cannot advance: {exc}",
                [
                    FieldError(
                        "mode", "is real: use --clock manual or auto, or PUT /_emulator/clock"
                    )
                ],
            ) from None
        return JSONResponse(self.emulator.clock.describe())

    async def ui_file(self, request: Request) -> Response:
        name = request.path_params.get("file") or "index.html"
        folder = resources.files(__package__).joinpath("ui")
        found = folder.joinpath(name) if _UI_FILE.fullmatch(name) else None
        if found is None or not found.is_file():
            raise ApiError(404, f"No file {name!r} in the web page")
        suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
        return Response(
            found.read_bytes(),
            media_type=_CONTENT_TYPES.get(suffix.lower(), "application/octet-stream"),
            headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
        )


def _fields(body: object, checks: dict[str, Callable[[object], str | None]]) -> list[Any]:
    """The values of a body that must hold exactly the fields of ``checks``, each passing its
    check (which says why a value does not); 422 naming every field that is wrong."""
    if not isinstance(body, dict):
        raise ApiError(
            422,
            f"The body must be a JSON object with {', '.join(checks)}",
            [FieldError("body", "must be a JSON object")],
        )
    problems = [
        FieldError(f"body.{name}", "is not a field of this request")
        for name in body
        if name not in checks
    ]
    for name, check in checks.items():
        reason = "is required" if name not in body else check(body[name])
        if reason:
            problems.append(FieldError(f"body.{name}", reason))
    if problems:
        raise ApiError(
            422, f"Not a valid request: {problems[0].field} {problems[0].reason}", problems
        )
    return [body[name] for name in checks]


def _positive(query: Mapping[str, str], name: str) -> int | None:
    value = query.get(name)
    if value is None:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ApiError(
            422,
            f"The {name} parameter must be a positive integer",
            [FieldError(f"query.{name}", "must be a positive integer")],
        )
    return int(value)
