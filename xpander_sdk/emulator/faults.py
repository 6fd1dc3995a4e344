"""Faults on demand, for resilience tests: wrong statuses, dropped connections, cut streams.

Off unless the emulator runs with ``--faults`` (``faults=True``). Then ``/_emulator/*`` is the
control API (no API key needed, never itself faulted):

* ``POST /_emulator/faults`` with a rule (below) -> 201 ``{"id": "..."}``
* ``GET /_emulator/faults`` -> the active rules; ``DELETE /_emulator/faults`` clears them
* ``GET /_emulator/stats`` -> ``{"requests": n, "faults_injected": {kind: n}, "tasks": n}``

A rule: ``{"kind": "status" | "drop" | "drop_after" | "cut_stream", "status": 503,
"retry_after": "1", "count": 1, "rate": 0.2, "seed": 7, "method": "POST", "path": "regex",
"after_events": 2}``. It applies to the next ``count`` matching requests (default 1), or,
with ``rate``, to that random fraction of them until cleared. ``method`` and ``path``
(``re.search`` on the URL path) narrow what matches. Kinds:

* ``status``: answer ``status`` at once with an Error body (and ``Retry-After`` if given);
  the request is not processed.
* ``drop``: close the connection before processing the request; the client gets no answer.
* ``drop_after``: process the request (it is stored), then close the connection instead of
  answering: a retry must be idempotent to be safe.
* ``cut_stream``: on an event stream, close the connection abruptly after ``after_events``
  events (default 1); the client must resume with ``Last-Event-ID``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import FieldError, error_body

KINDS = ("status", "drop", "drop_after", "cut_stream")
CONTROL_PREFIX = "/_emulator"


def is_event_stream(path: str) -> bool:
    return path.rstrip("/").endswith("/events")


@dataclass
class FaultRule:
    """One active fault; see the module docstring for the fields."""

    kind: str
    status: int | None = None
    retry_after: str | None = None
    count: int | None = 1
    rate: float | None = None
    seed: int | None = None
    method: str | None = None
    path: str | None = None
    after_events: int = 1
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    _random: random.Random = field(default_factory=random.Random, repr=False)
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self._pattern = re.compile(self.path) if self.path else None

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        if self._pattern is not None and not self._pattern.search(path):
            return False
        return self.kind != "cut_stream" or is_event_stream(path)

    def describe(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if not k.startswith("_")}


def parse_rule(body: object) -> FaultRule:
    """A FaultRule from the control API's JSON; ``ValueError`` (with ``.errors``) if invalid."""
    problems: list[FieldError] = []
    if not isinstance(body, dict):
        raise RuleError([FieldError("body", "must be a JSON object")])
    kind = body.get("kind")
    if kind not in KINDS:
        problems.append(FieldError("body.kind", f"must be one of {', '.join(KINDS)}"))
    status = body.get("status")
    if kind == "status":
        if not isinstance(status, int) or isinstance(status, bool) or not 400 <= status <= 599:
            problems.append(FieldError("body.status", "must be an HTTP error status (400-599)"))
    elif status is not None:
        problems.append(FieldError("body.status", "only for kind status"))
    retry_after = body.get("retry_after")
    if retry_after is not None and not isinstance(retry_after, (str, int)):
        problems.append(FieldError("body.retry_after", "must be a string"))
    rate = body.get("rate")
    count = body.get("count", None if rate is not None else 1)
    if rate is not None and (not isinstance(rate, (int, float)) or not 0 < rate <= 1):
        problems.append(FieldError("body.rate", "must be a number in (0, 1]"))
    if rate is not None and body.get("count") is not None:
        problems.append(FieldError("body.count", "give count or rate, not both"))
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
        problems.append(FieldError("body.count", "must be a positive integer"))
    for name in ("method", "path"):
        if body.get(name) is not None and not isinstance(body[name], str):
            problems.append(FieldError(f"body.{name}", "must be a string"))
    if isinstance(body.get("path"), str):
        try:
            re.compile(body["path"])
        except re.error as exc:
            problems.append(FieldError("body.path", f"not a regular expression: {exc}"))
    after = body.get("after_events", 1)
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        problems.append(FieldError("body.after_events", "must be a non-negative integer"))
    seed = body.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        problems.append(FieldError("body.seed", "must be an integer"))
    if problems:
        raise RuleError(problems)
    return FaultRule(
        kind=str(kind),
        status=status,
        retry_after=None if retry_after is None else str(retry_after),
        count=count,
        rate=None if rate is None else float(rate),
        seed=seed,
        method=body.get("method"),
        path=body.get("path"),
        after_events=after,
    )


class RuleError(ValueError):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.reason}" for e in errors))
        self.errors = errors


class FaultRegistry:
    """Active rules and the counters ``/_emulator/stats`` reports (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self.requests = 0
        self.injected = dict.fromkeys(KINDS, 0)

    def add(self, rule: FaultRule) -> str:
        with self._lock:
            self._rules.append(rule)
        return rule.id

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def rules(self) -> list[dict[str, Any]]:
        with self._lock:
            return [r.describe() for r in self._rules]

    def take(self, method: str, path: str) -> FaultRule | None:
        """Count a request and pick the first rule that fires for it (consuming a count)."""
        with self._lock:
            self.requests += 1
            for rule in self._rules:
                if not rule.matches(method, path):
                    continue
                if rule.rate is not None:
                    if rule._random.random() >= rule.rate:
                        continue
                elif rule.count is not None:
                    rule.count -= 1
                    if rule.count <= 0:
                        self._rules.remove(rule)
                self.injected[rule.kind] += 1
                return rule
        return None


class FaultMiddleware:
    """The outermost ASGI layer: control routes, then faults, then the emulator itself."""

    def __init__(
        self,
        app: ASGIApp,
        registry: FaultRegistry,
        *,
        enabled: bool,
        count_tasks: Callable[[], int],
    ) -> None:
        self.app = app
        self.registry = registry
        self.enabled = enabled
        self.count_tasks = count_tasks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            await self._control(scope, receive, send)
            return
        if not self.enabled:
            with self.registry._lock:
                self.registry.requests += 1
            await self.app(scope, receive, send)
            return
        rule = self.registry.take(scope["method"], path)
        if rule is None:
            await self.app(scope, receive, send)
        elif rule.kind == "status":
            assert rule.status is not None
            headers = {"Retry-After": rule.retry_after} if rule.retry_after is not None else {}
            await _send_json(
                send, rule.status, error_body(f"Injected fault: status {rule.status}"), headers
            )
        elif rule.kind == "drop":
            await _cut(receive, send)
        elif rule.kind == "drop_after":
            await self._drop_after(scope, receive, send)
        else:
            await self._cut_stream(scope, receive, send, rule.after_events)

    async def _drop_after(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def swallow(message: Message) -> None:
            pass

        await self.app(scope, receive, swallow)
        await _cut(receive, send)

    async def _cut_stream(self, scope: Scope, receive: Receive, send: Send, after: int) -> None:
        sent = 0
        cut = False

        async def counting(message: Message) -> None:
            nonlocal sent, cut
            if cut:
                raise ConnectionResetError("stream cut by an injected fault")
            if message["type"] == "http.response.body" and message.get("body", b"").startswith(
                b"id:"
            ):
                if sent >= after:
                    cut = True
                    await _cut(receive, send)
                    raise ConnectionResetError("stream cut by an injected fault")
                sent += 1
            await send(message)

        try:
            await self.app(scope, receive, counting)
        except BaseException:
            # Once cut, whatever the app raises (the reset, or Starlette's wrapping of it)
            # is the fault doing its job.
            if not cut:
                raise

    async def _control(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"].rstrip("/")
        method: str = scope["method"]
        if not self.enabled:
            await _send_json(
                send, 404, error_body("Not found (the emulator runs without --faults)")
            )
            return
        if path == f"{CONTROL_PREFIX}/faults" and method == "POST":
            raw = await _read_all(receive)
            try:
                rule = parse_rule(json.loads(raw or b"null"))
            except json.JSONDecodeError as exc:
                await _send_json(send, 400, error_body(f"Body is not JSON: {exc}"))
                return
            except RuleError as exc:
                await _send_json(send, 422, error_body("Not a valid fault rule", exc.errors))
                return
            await _send_json(send, 201, {"id": self.registry.add(rule)})
        elif path == f"{CONTROL_PREFIX}/faults" and method == "DELETE":
            self.registry.clear()
            await _send_json(send, 200, {"cleared": True})
        elif path == f"{CONTROL_PREFIX}/faults" and method == "GET":
            await _send_json(send, 200, {"rules": self.registry.rules()})
        elif path == f"{CONTROL_PREFIX}/stats" and method == "GET":
            await _send_json(send, 200, self.stats())
        else:
            await _send_json(send, 404, error_body(f"No control route {method} {path}"))

    def stats(self) -> dict[str, Any]:
        with self.registry._lock:
            requests, injected = self.registry.requests, dict(self.registry.injected)
        return {"requests": requests, "faults_injected": injected, "tasks": self.count_tasks()}


async def _until_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _read_all(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _send_json(
    send: Send, status: int, body: object, headers: dict[str, str] | None = None
) -> None:
    payload = json.dumps(body).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})


async def _cut(receive: Receive, send: Send) -> None:
    """Close the client's connection at once, mid-exchange, without an answer.

    uvicorn gives an ASGI app no way to drop a connection, so this reaches the transport
    behind uvicorn's ``send`` (a bound method of its request cycle). Failing that, it starts
    a response that promises a body and never sends it, which uvicorn ends by closing.
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None and hasattr(transport, "close"):
        transport.close()  # flushes what was written already (a cut stream's events)
        # Wait for uvicorn to notice, so it does not try to answer on a closed connection.
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(_until_disconnect(receive), timeout=2.0)
        return
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1")]}
    )
