"""Request ids and the request journal: the outermost layer of the emulator's ASGI app.

Every answer, whatever produced it (a route, an error, an injected fault, the control
API), carries an ``x-request-id`` header: a fresh uuid4 hex minted here. A client's own
``x-request-id`` is not reused (two clients could send the same one); it is logged next to
ours so the two can be matched.

The journal keeps the last ``size`` API requests in memory, newest last, each as::

    {"method", "path", "query", "status", "request_id", "time", "duration_ms", "body"}

``body`` is the parsed JSON body with its secrets replaced by ``"***"`` (``user_oidc_token``,
``user_tokens``, and an MCP server's ``api_key``, ``client_secret`` and ``headers``), a
placeholder when the body is not JSON, or ``None`` without one. Headers are not kept at all,
so the API key never reaches it. Requests to the control API (``/_emulator/...``) are not
journaled. ``status`` is ``None`` for a connection closed before any answer; ``duration_ms``
is ``None`` while an answer (an event stream) is still being sent. A handler may add notes
of its own (``note``): a create's entry has ``"run"``, what was picked to run the task (see
``agents.Choice.describe``; with no rule matching, which one came closest and why not).
"""

from __future__ import annotations

import collections
import json
import logging
import threading
import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xpander_sdk._redact import MASK, masked

from .clock import WALL, Clock
from .model import iso
from .patterns import PathPattern

log = logging.getLogger("xpander_sdk.emulator.requests")

CONTROL_PREFIX = "/_emulator"
SERVER_SEND = "xpander_emulator.server_send"
"""Scope key of the server's own ``send``: the outermost layer leaves it there for the
faults that must close the connection itself (middleware in between wrap ``send``)."""
NOTES = "xpander_emulator.notes"
"""Scope key of the dict of notes a handler adds to its request's journal entry (shared by
the copies of the scope that middleware make)."""
REDACTED = MASK


def is_control(path: str) -> bool:
    """Whether ``path`` belongs to the control API (never faulted, never journaled)."""
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")


def redact(value: Any) -> Any:
    """``value`` (parsed JSON) with every secret field's value replaced by ``"***"``.

    The SDK's own rule (`xpander_sdk._redact`), so the journal and the SDK's output
    mask the same fields.
    """
    return masked(value)


def note(request: Request, name: str, value: Any) -> None:
    """Add ``name: value`` to the journal entry of ``request`` (before its answer starts)."""
    notes = request.scope.get(NOTES)
    if notes is not None:
        notes[name] = value


def _body_record(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return redact(json.loads(raw))
    except (ValueError, RecursionError):
        # Not JSON: nothing in it can be redacted field by field, so none of it is kept.
        return f"<{len(raw)} bytes, not JSON>"


class Journal:
    """The last ``size`` requests (thread-safe); ``size == 0`` keeps none. Their times are
    ``clock``'s (the emulator's)."""

    def __init__(self, size: int, clock: Clock = WALL) -> None:
        self.size = size
        self.clock = clock
        self._lock = threading.Lock()
        self._entries: collections.deque[dict[str, Any]] = collections.deque(maxlen=size or 1)

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._entries.append(entry)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def entries(
        self, method: str | None = None, path: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Copies of the entries (newest last) with ``method`` whose path matches the
        pattern ``path`` (a regular expression in RE2 syntax, searched anywhere in the path;
        see ``patterns``); at most the last ``limit``. ``PatternError`` for a bad pattern."""
        pattern = PathPattern(path) if path is not None else None
        with self._lock:
            found = [
                dict(e)
                for e in self._entries
                if (method is None or e["method"] == method.upper())
                and (pattern is None or pattern.search(e["path"]))
            ]
        return found[-limit:] if limit is not None else found


class RequestLog:
    """ASGI middleware: the ``x-request-id`` header, the request log line and the journal."""

    def __init__(self, app: ASGIApp, journal: Journal) -> None:
        self.app = app
        self.journal = journal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope[SERVER_SEND] = send
        notes: dict[str, Any] = {}
        scope[NOTES] = notes
        request_id = uuid.uuid4().hex
        header = (b"x-request-id", request_id.encode())
        path: str = scope["path"]
        method: str = scope["method"]
        started = time.perf_counter()
        arrived = iso(self.journal.clock.now())
        entry: dict[str, Any] | None = None
        body = bytearray()
        keep = self.journal.enabled and not is_control(path)
        status: int | None = None

        async def receiving() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                body.extend(message.get("body", b""))
            return message

        async def sending(message: Message) -> None:
            nonlocal entry, status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), header]}
                if keep:
                    entry = self._entry(scope, request_id, status, bytes(body), arrived)
                    entry.update(notes)
                    self.journal.add(entry)
            await send(message)

        try:
            await self.app(scope, receiving if keep else receive, sending)
        finally:
            took = round((time.perf_counter() - started) * 1000, 3)
            if entry is not None:
                entry["duration_ms"] = took
            elif keep:
                # closed without an answer (an injected drop, or the client went away)
                self.journal.add(self._entry(scope, request_id, None, bytes(body), arrived))
            if log.isEnabledFor(logging.INFO):
                client_id = _header(scope, b"x-request-id")
                log.info(
                    "%s %s -> %s in %.1f ms request_id=%s%s",
                    method,
                    path,
                    status if status is not None else "no answer",
                    took,
                    request_id,
                    f" client_request_id={client_id!r}" if client_id else "",
                )

    @staticmethod
    def _entry(
        scope: Scope, request_id: str, status: int | None, raw: bytes, arrived: str
    ) -> dict[str, Any]:
        query: bytes = scope.get("query_string", b"")
        return {
            "method": scope["method"],
            "path": scope["path"],
            "query": query.decode("latin-1"),
            "status": status,
            "request_id": request_id,
            "time": arrived,
            "duration_ms": None,
            "body": _body_record(raw),
        }


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            text: str = value.decode("latin-1")[:200]
            return text
    return None
