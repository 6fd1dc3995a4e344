"""Faults on demand, for resilience tests: wrong statuses, dropped connections, cut streams,
slow answers and slow streams.

Off unless the emulator runs with ``--faults`` (``faults=True``). Then the control API (see
``control``; the API key is needed as for the API) manages them:

* ``POST /_emulator/faults`` with a rule (below) -> 201 ``{"id": "..."}``
* ``GET /_emulator/faults`` -> the active rules; ``DELETE /_emulator/faults`` clears them
* ``GET /_emulator/stats`` -> ``{"requests": n, "faults_injected": {kind: n}, "tasks": n}``

A rule: ``{"kind": "status" | "drop" | "drop_after" | "cut_stream" | "delay" | "slow_stream",
"status": 503, "retry_after": "1", "count": 1, "rate": 0.2, "seed": 7, "method": "POST",
"path": "regex", "after_events": 2, "seconds": 0.5}``. It applies to the next ``count``
matching requests (default 1), or, with ``rate``, to that random fraction of them until
cleared. ``method`` and ``path`` (a regular expression in RE2 syntax searched in the URL
path, see ``patterns``) narrow what matches. Kinds:

* ``status``: answer ``status`` at once with an Error body (and ``Retry-After`` if given);
  the request is not processed.
* ``drop``: close the connection before processing the request; the client gets no answer.
* ``drop_after``: process the request (it is stored), then close the connection instead of
  answering: a retry must be idempotent to be safe.
* ``cut_stream``: on an event stream, close the connection abruptly after ``after_events``
  events (default 1); the client must resume with ``Last-Event-ID``.
* ``delay``: wait ``seconds`` before processing the request, then answer normally (a client
  that gives up first sees a timeout, and nothing was stored).
* ``slow_stream``: on an event stream, wait ``seconds`` before sending each event.

Control-API requests are never faulted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import threading
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .clock import WALL, Clock
from .errors import FieldError, error_body
from .journal import SERVER_SEND, is_control
from .patterns import PathPattern, PatternError

KINDS = ("status", "drop", "drop_after", "cut_stream", "delay", "slow_stream")
_STREAM_KINDS = frozenset({"cut_stream", "slow_stream"})
_TIMED_KINDS = frozenset({"delay", "slow_stream"})
MAX_SECONDS = 3600.0


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
    seconds: float = 0.0
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    _random: random.Random = field(default_factory=random.Random, repr=False)
    _pattern: PathPattern | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self._pattern = PathPattern(self.path) if self.path else None

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        if self._pattern is not None and not self._pattern.search(path):
            return False
        return self.kind not in _STREAM_KINDS or is_event_stream(path)

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
            PathPattern(body["path"])
        except PatternError as exc:
            problems.append(FieldError("body.path", str(exc)))
    after = body.get("after_events", 1)
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        problems.append(FieldError("body.after_events", "must be a non-negative integer"))
    seed = body.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        problems.append(FieldError("body.seed", "must be an integer"))
    seconds = body.get("seconds")
    if kind in _TIMED_KINDS:
        if (
            not isinstance(seconds, (int, float))
            or isinstance(seconds, bool)
            or not 0 <= seconds <= MAX_SECONDS
        ):
            problems.append(
                FieldError("body.seconds", f"must be a number of seconds, 0 to {MAX_SECONDS:g}")
            )
    elif seconds is not None:
        problems.append(FieldError("body.seconds", "only for kinds delay and slow_stream"))
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
        seconds=float(seconds)
        if kind in _TIMED_KINDS and isinstance(seconds, (int, float))
        else 0.0,
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

    def stats(self, tasks: int) -> dict[str, Any]:
        """``{"requests": n, "faults_injected": {kind: n}, "tasks": tasks}``.

        The counters cover the server's whole life (a reset clears rules, not counters):
        compare them before and after what you measure.
        """
        with self._lock:
            return {
                "requests": self.requests,
                "faults_injected": dict(self.injected),
                "tasks": tasks,
            }

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
    """ASGI middleware applying the active fault rules to API requests.

    Control-API paths pass through untouched; with faults off, requests are only counted.
    """

    def __init__(
        self,
        app: ASGIApp,
        registry: FaultRegistry,
        *,
        enabled: bool,
        clock: Clock = WALL,
    ) -> None:
        self.app = app
        self.registry = registry
        self.enabled = enabled
        self.clock = clock
        """Latency faults wait on it (the emulator's clock)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_control(scope["path"]):
            await self.app(scope, receive, send)
            return
        if not self.enabled:
            with self.registry._lock:
                self.registry.requests += 1
            await self.app(scope, receive, send)
            return
        rule = self.registry.take(scope["method"], scope["path"])
        if rule is None:
            await self.app(scope, receive, send)
        elif rule.kind == "status":
            assert rule.status is not None
            headers = {"Retry-After": rule.retry_after} if rule.retry_after is not None else {}
            await _send_json(
                send, rule.status, error_body(f"Injected fault: status {rule.status}"), headers
            )
        elif rule.kind == "drop":
            await _cut(scope, receive, send)
        elif rule.kind == "drop_after":
            await self._drop_after(scope, receive, send)
        elif rule.kind == "delay":
            await self._delay(scope, receive, send, rule.seconds)
        elif rule.kind == "slow_stream":
            await self._slow_stream(scope, receive, send, rule.seconds)
        else:
            await self._cut_stream(scope, receive, send, rule.after_events)

    async def _drop_after(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def swallow(message: Message) -> None:
            pass

        await self.app(scope, receive, swallow)
        await _cut(scope, receive, send)

    async def _delay(self, scope: Scope, receive: Receive, send: Send, pause: float) -> None:
        """Hold the request ``pause`` seconds (on the emulator's clock), then serve it, unless
        the client leaves first (then nothing is processed). The body is read while waiting
        and handed on after."""
        held: list[Message] = []
        waited = asyncio.ensure_future(self.clock.sleep(pause))
        try:
            while not waited.done():
                # Once the body is in, the next receive() returns only when the client leaves.
                message = asyncio.ensure_future(receive())
                await asyncio.wait((waited, message), return_when=asyncio.FIRST_COMPLETED)
                if not message.done():
                    message.cancel()
                    break
                if message.result()["type"] == "http.disconnect":
                    return
                held.append(message.result())
        finally:
            waited.cancel()

        async def replay() -> Message:
            return held.pop(0) if held else await receive()

        await self.app(scope, replay, send)

    async def _slow_stream(self, scope: Scope, receive: Receive, send: Send, pause: float) -> None:
        async def slowed(message: Message) -> None:
            for part in _one_event_each(message):
                if _is_event(part):
                    await self.clock.sleep(pause)
                await send(part)

        await self.app(scope, receive, slowed)

    async def _cut_stream(self, scope: Scope, receive: Receive, send: Send, after: int) -> None:
        sent = 0
        cut = False

        async def counting(message: Message) -> None:
            nonlocal sent, cut
            for part in _one_event_each(message):
                if cut:
                    raise ConnectionResetError("stream cut by an injected fault")
                if _is_event(part):
                    if sent >= after:
                        cut = True
                        await _cut(scope, receive, send)
                        raise ConnectionResetError("stream cut by an injected fault")
                    sent += 1
                await send(part)

        try:
            await self.app(scope, receive, counting)
        except BaseException:
            # Once cut, whatever the app raises (the reset, or Starlette's wrapping of it)
            # is the fault doing its job.
            if not cut:
                raise


def _is_event(message: Message) -> bool:
    """Whether an ASGI message carries SSE events (see ``_one_event_each``)."""
    body: bytes = message.get("body", b"")
    return message["type"] == "http.response.body" and body.startswith(b"id:")


def _one_event_each(message: Message) -> list[Message]:
    """``message``, split into one message per SSE event when it carries several.

    The stream writes the events it read together in one message (whole blocks, each
    ending in a blank line; JSON data has no raw newline); stream faults count and space
    out single events.
    """
    if not _is_event(message):
        return [message]
    blocks = message["body"].split(b"\n\n")[:-1]
    if len(blocks) < 2:
        return [message]
    last = len(blocks) - 1
    return [
        {
            **message,
            "body": block + b"\n\n",
            "more_body": i < last or message.get("more_body", False),
        }
        for i, block in enumerate(blocks)
    ]


async def _until_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _send_json(
    send: Send, status: int, body: object, headers: dict[str, str] | None = None
) -> None:
    payload = json.dumps(body).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})


async def _cut(scope: Scope, receive: Receive, send: Send) -> None:
    """Close the client's connection at once, mid-exchange, without an answer.

    uvicorn gives an ASGI app no way to drop a connection, so this reaches the transport
    behind uvicorn's ``send`` (a bound method of its request cycle; middleware wrap it, so the
    outermost layer leaves it in the scope). Failing that, it starts a response that promises
    a body and never sends it, which uvicorn ends by closing.
    """
    server_send = scope.get(SERVER_SEND, send)
    transport = getattr(getattr(server_send, "__self__", None), "transport", None)
    if transport is not None and hasattr(transport, "close"):
        transport.close()  # flushes what was written already (a cut stream's events)
        # Wait for uvicorn to notice, so it does not try to answer on a closed connection.
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(_until_disconnect(receive), timeout=2.0)
        return
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1")]}
    )
