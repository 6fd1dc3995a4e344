"""The control API under ``/_emulator/``: what a test (or the web page) asks the emulator
itself, not the Tasks API.

Every route needs the API's ``x-api-key`` (401 without it), except the web page's static
files. Control requests are never faulted and never journaled. Errors have the API's
``Error`` body (``{"detail", "errors": [{"field", "reason"}]}``).

=========================  ==================================================================
``GET /_emulator/requests``   the journal, newest last: ``{"requests": [...]}``; query
                              ``method``, ``path`` (a regular expression), ``limit``
``DELETE /_emulator/requests``  clear the journal
``POST /_emulator/reset``     no tasks, events, keys, journal entries or fault rules left;
                              runs in progress stop quietly, open streams end
``GET /_emulator/state``      the state document (see ``state``)
``PUT /_emulator/state``      replace the state with a document, all or nothing (422 naming
                              what is wrong, nothing changed)
``GET /_emulator/tasks``      ``{"tasks": [Task, ...]}`` of every agent, newest first;
                              ``limit`` (default 200)
``GET /_emulator/info``       ``{"faults_enabled", "auth_required", "organization_id",
                              "version"}``
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

import json
import re
from collections.abc import Callable, Mapping
from importlib import metadata, resources
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .auth import authorize
from .clock import ClockError, check_mode, check_seconds
from .errors import ApiError, FieldError
from .faults import RuleError, parse_rule
from .journal import CONTROL_PREFIX
from .state import export_text, parse_state

if TYPE_CHECKING:
    from .app import Emulator

PREFIX = CONTROL_PREFIX
DEFAULT_TASKS_LIMIT = 200
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
        path = query.get("path")
        if path is not None:
            try:
                re.compile(path)
            except re.error as exc:
                raise ApiError(
                    422,
                    "The path filter is not a regular expression",
                    [FieldError("query.path", f"not a regular expression: {exc}")],
                ) from None
        limit = _positive(query, "limit")
        return JSONResponse(
            {"requests": journal.entries(method=query.get("method"), path=path, limit=limit)}
        )

    async def reset(self, request: Request) -> Response:
        self._check(request)
        self.emulator.reset()
        return JSONResponse({"reset": True})

    async def state(self, request: Request) -> Response:
        self._check(request)
        if request.method == "GET":
            return Response(export_text(self.emulator.store), media_type="application/json")
        rows = parse_state(await _json_body(request))
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
        return JSONResponse({"tasks": self.emulator.store.recent_tasks(limit)})

    async def info(self, request: Request) -> Response:
        self._check(request)
        config = self.emulator.config
        return JSONResponse(
            {
                "faults_enabled": config.faults,
                "auth_required": config.api_key is not None,
                "organization_id": config.organization_id,
                "version": version(),
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
        try:
            rule = parse_rule(await _json_body(request))
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
            (mode,) = _fields(await _json_body(request), {"mode": check_mode})
            clock.set_mode(mode)
        return JSONResponse(clock.describe())

    async def advance_clock(self, request: Request) -> Response:
        self._check(request)
        (seconds,) = _fields(await _json_body(request), {"seconds": check_seconds})
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


async def _json_body(request: Request) -> Any:
    """The request's JSON body (``None`` when empty); 400 when it is not JSON."""
    raw = await request.body()
    try:
        return json.loads(raw or b"null")
    except ValueError as exc:
        raise ApiError(400, "The body is not valid JSON", [FieldError("body", str(exc))]) from None


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
