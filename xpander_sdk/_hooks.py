"""Event hooks: the callables given to ``Configuration(event_hooks=...)``, and how they run.

Four events, each hook called with one argument:

- ``"request"``: each request sent, every attempt (the ``httpx.Request``,
  before it leaves; a hook may add a header);
- ``"response"``: each answer, every attempt, retried ones included (the
  ``httpx.Response``, its body already read, except an event stream's);
- ``"retry"``: each retry, before its wait (a `RetryEvent`);
- ``"resume"``: each event-stream resume, before its wait (a `ResumeEvent`),
  and the switch of a wait for completion to polling when its stream gives up
  (a `ResumeEvent` with ``polling=True``).

They run in the retry transport (and the event stream), so they see every
request whatever httpx client carries it, the SDK's or one given to `Tasks`.
Sync hooks run on every call. Async hooks (``async def``) are awaited on the
async calls and skipped on the sync ones (a warning says so, once per hook):
a sync call has no event loop to run them in. A hook that raises does not
break the call: the error is logged at WARNING under ``xpander_sdk``, with
the API key and the request's secret fields masked.
"""

from __future__ import annotations

import inspect
import json
import logging
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from ._redact import MASK, MCP_SECRET_KEYS, SECRET_FIELDS

logger = logging.getLogger("xpander_sdk")

#: The events a hook can be given for, in the order they happen.
HOOK_NAMES = ("request", "response", "retry", "resume")
#: JSON fields whose values are secrets (create bodies, MCP servers).
_SECRET_KEYS = SECRET_FIELDS | MCP_SECRET_KEYS

Hook = Callable[[Any], Any]


@dataclass(frozen=True)
class RetryEvent:
    """A request about to be sent again: what a ``"retry"`` hook gets.

    Attributes:
        attempt: the attempt that failed (1 for the first send).
        reason: why, in words (``"status 503"``, ``"ConnectError"``).
        delay: seconds the SDK waits before the next attempt.
        request: the ``httpx.Request`` to be sent again.
        status: the failed answer's HTTP status; None when there was no answer.
    """

    attempt: int
    reason: str
    delay: float
    request: httpx.Request
    status: int | None = None


@dataclass(frozen=True)
class ResumeEvent:
    """An event stream about to reconnect: what a ``"resume"`` hook gets.

    Attributes:
        task_id: the task whose events the stream carries.
        last_event_id: the last event delivered, sent as ``Last-Event-ID``
            (None when none was delivered yet: the stream starts over).
        delay: seconds the SDK waits before reconnecting.
        reason: why the stream dropped, in words.
        reconnect: how many reconnects in a row, this one included, without
            an event between them.
        polling: True when the stream gave up (after ``max_stream_reconnects``
            reconnects without an event) under a wait for completion, which
            goes on by polling the task instead: no reconnect follows.
    """

    task_id: str | None
    last_event_id: str | None
    delay: float
    reason: str
    reconnect: int
    polling: bool = False


def _is_async(hook: Hook) -> bool:
    call = getattr(hook, "__call__", None)  # noqa: B004  # an object with an async __call__
    return inspect.iscoroutinefunction(hook) or inspect.iscoroutinefunction(call)


def _name(hook: Hook) -> str:
    return str(getattr(hook, "__qualname__", None) or type(hook).__qualname__)


def _secret_values(value: Any, secret: bool = False) -> Iterable[str]:
    """The string leaves of a JSON value that sit under a secret key."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _secret_values(item, secret or key in _SECRET_KEYS)
    elif isinstance(value, list):
        for item in value:
            yield from _secret_values(item, secret)
    elif secret and isinstance(value, str) and value:
        yield value


def _secrets_of(request: httpx.Request | None) -> list[str]:
    if request is None:
        return []
    found = [v for v in request.headers.get_list("x-api-key") if v]
    try:
        body = json.loads(request.content) if request.content else None
    except (httpx.RequestNotRead, ValueError):
        body = None
    found += _secret_values(body)
    return found


class EventHooks:
    """The hooks of a configuration, by event; run by the transport and the event stream."""

    __slots__ = ("_any", "_hooks", "_secrets", "_warned")

    def __init__(self, hooks: Mapping[str, tuple[Hook, ...]], secrets: Iterable[str] = ()) -> None:
        self._hooks = {name: given for name, given in hooks.items() if given}
        self._any = bool(self._hooks)  # read per request: the common case is no hooks at all
        self._secrets = [s for s in secrets if s]
        self._warned: set[int] = set()

    def __bool__(self) -> bool:
        return self._any

    def __repr__(self) -> str:
        shown = {name: [_name(h) for h in hooks] for name, hooks in self._hooks.items()}
        return f"EventHooks({shown})"

    def run(self, name: str, subject: Any, request: httpx.Request | None = None) -> None:
        """Call the sync hooks for ``name`` (a sync call: async hooks are skipped)."""
        for hook in self._hooks.get(name, ()):
            if _is_async(hook):
                self._skipped(name, hook)
                continue
            try:
                result = hook(subject)
            except Exception as exc:
                self._failed(name, hook, exc, request)
                continue
            if inspect.isawaitable(result):  # a plain function that returned a coroutine
                if inspect.iscoroutine(result):
                    result.close()
                self._skipped(name, hook)

    async def arun(self, name: str, subject: Any, request: httpx.Request | None = None) -> None:
        """Call the hooks for ``name``, awaiting the async ones (an async call)."""
        for hook in self._hooks.get(name, ()):
            try:
                result = hook(subject)
                if inspect.isawaitable(result):
                    await result
            except Exception as exc:
                self._failed(name, hook, exc, request)

    def _skipped(self, name: str, hook: Hook) -> None:
        if id(hook) in self._warned:
            return
        self._warned.add(id(hook))
        logger.warning(
            "async %s hook %s skipped on a sync call (async hooks run on async calls only)",
            name,
            _name(hook),
        )

    def _failed(self, name: str, hook: Hook, exc: Exception, request: httpx.Request | None) -> None:
        message = str(exc)
        for secret in [*self._secrets, *_secrets_of(request)]:
            message = message.replace(secret, MASK)
        frames = traceback.extract_tb(exc.__traceback__)
        where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        logger.warning(
            "%s hook %s raised %s%s: %s (the call goes on)",
            name,
            _name(hook),
            type(exc).__name__,
            where,
            message[:500],
        )


NO_HOOKS = EventHooks({})


def event_hooks(value: Any, secrets: Iterable[str] = ()) -> EventHooks:
    """Check ``Configuration(event_hooks=...)`` and make it an `EventHooks`.

    ``value`` maps event names (`HOOK_NAMES`) to a list of callables (a single
    callable is taken as a list of one). Raises ValueError naming unknown
    event names, TypeError naming a hook that is not callable.
    """
    if value is None:
        return EventHooks({}, secrets)
    if not isinstance(value, Mapping):
        raise TypeError(f"event_hooks must be a dict of lists, not {type(value).__name__}")
    unknown = sorted(str(k) for k in value if k not in HOOK_NAMES)
    if unknown:
        raise ValueError(
            f"event_hooks: unknown event name(s) {', '.join(map(repr, unknown))}; "
            f"the events are {', '.join(map(repr, HOOK_NAMES))}"
        )
    hooks: dict[str, tuple[Hook, ...]] = {}
    for name, given in value.items():
        items = [given] if callable(given) else given
        if isinstance(items, (str, bytes)) or not isinstance(items, (list, tuple)):
            raise TypeError(
                f"event_hooks[{name!r}] must be a list of callables, not {type(given).__name__}"
            )
        for index, hook in enumerate(items):
            if not callable(hook):
                raise TypeError(
                    f"event_hooks[{name!r}][{index}] is not callable: {type(hook).__name__}"
                )
        hooks[name] = tuple(items)
    return EventHooks(hooks, secrets)
