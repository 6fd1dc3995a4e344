"""Where a retry happens: httpx transports that retry, time and log each request.

The generated client sends every request through an ``httpx.Client`` (or
``httpx.AsyncClient``); the facade gives those clients a `RetryTransport` (or
`AsyncRetryTransport`) wrapped around httpx's own. That keeps the generated
code's calls unchanged while each request gets:

- retries with exponential backoff and jitter on connection errors, timeouts,
  408, 429 and 5xx answers, honouring ``Retry-After`` (seconds or an HTTP
  date), bounded by a number of retries and a total time;
- a log line per attempt and per retry (see `_logging`: method, URL path,
  status, attempt, duration, request id; never a header, where the API key
  travels);
- the configuration's event hooks (see `_hooks`): ``request`` and
  ``response`` on every attempt, ``retry`` before each retry's wait.

Because all of that happens here, it holds whatever transport is inside: httpx's
own, or one that sends through an httpx client the caller gave (`_user_client`).

A ``POST`` is retried only when it carries an ``Idempotency-Key`` (the facade
gives every create and report one) or when the connection was never made, so
a retry can never run a write twice. Reads, updates (which set fields) and
stops are retried freely.

Per-call settings travel with the request, as httpx's own do: the facade puts
a `CallState` in ``request.extensions["xpander"]`` (its options, and a place
where the transport leaves the final answer, for error reports). A request
without one gets the transport's own defaults. The sync and async transports
share all decisions and differ only in how they send and sleep.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone

import httpx

from ._hooks import NO_HOOKS, EventHooks, RetryEvent
from ._logging import log_attempt, log_retry

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: Methods whose request may be sent again: reads, and writes that set a state
#: (PUT, PATCH, DELETE) rather than make something new. A POST needs an
#: Idempotency-Key to join them.
RESENDABLE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})
#: The key of `CallState` in ``request.extensions``.
EXTENSION = "xpander"


@dataclass(frozen=True)
class CallOptions:
    """How patient one call is: retries, their total time, and the request timeout."""

    max_retries: int
    retry_timeout: float
    timeout: httpx.Timeout | None = None
    base_delay: float = 0.2
    max_delay: float = 8.0
    hooks: EventHooks = NO_HOOKS


class CallState:
    """One call's options, and what its transport saw; rides in ``request.extensions``.

    The facade makes one per call and keeps a reference: after the call,
    ``response`` is the answer the transport handed back (also when the
    generated code could not parse it) and ``attempts`` how many sends it took.
    """

    __slots__ = ("attempts", "options", "response")

    def __init__(self, options: CallOptions) -> None:
        self.options = options
        self.response: httpx.Response | None = None
        self.attempts = 0

    def extensions(self) -> dict[str, object]:
        """The ``extensions`` argument of an httpx request that carries this state."""
        return {EXTENSION: self}


DEFAULT_OPTIONS = CallOptions(max_retries=3, retry_timeout=60.0)


def call_state(request: httpx.Request, default: CallOptions) -> CallState:
    """The request's `CallState`, or a new one with ``default`` options."""
    state = request.extensions.get(EXTENSION)
    return state if isinstance(state, CallState) else CallState(default)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds: float = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - datetime.now(timezone.utc)).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def backoff(options: CallOptions, attempt: int) -> float:
    """The wait before retry number ``attempt``: doubling from ``base_delay``, capped, jittered."""
    cap: float = min(options.max_delay, options.base_delay * 2.0 ** (attempt - 1))
    return cap / 2 + random.uniform(0, cap / 2)


def _streams(request: httpx.Request) -> bool:
    """An event-stream request, whose body is read as it arrives, not here."""
    return bool(request.headers.get("accept") == "text/event-stream")


class _Attempts:
    """The retry decisions for one request: shared by the sync and async transports."""

    __slots__ = ("attempt", "hooks", "options", "request", "retry", "started", "state")

    def __init__(self, request: httpx.Request, default: CallOptions) -> None:
        self.request = request
        self.state = call_state(request, default)
        self.options = self.state.options
        self.hooks = self.options.hooks
        self.attempt = 0
        self.started = time.monotonic()
        #: Set when the last attempt is to be retried: what the ``retry`` hooks get.
        self.retry: RetryEvent | None = None
        if self.options.timeout is not None:
            request.extensions["timeout"] = self.options.timeout.as_dict()

    def _backoff(self) -> float:
        return backoff(self.options, self.attempt)

    def _within_budget(self, delay: float) -> bool:
        if self.attempt > self.options.max_retries:
            return False
        elapsed = time.monotonic() - self.started
        return elapsed + delay <= self.options.retry_timeout

    def _may_resend(self, exc: Exception | None) -> bool:
        if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
            return True  # the request never left: resending cannot run it twice
        if self.request.method in RESENDABLE_METHODS:
            return True
        return "idempotency-key" in self.request.headers

    def _retrying(self, reason: str, delay: float, status: int | None) -> None:
        self.retry = RetryEvent(self.attempt, reason, delay, self.request, status)

    def after_error(self, exc: httpx.TransportError, began: float) -> float | None:
        """Seconds to wait before retrying after a transport error, or None to give up.

        Logs the attempt (and the retry, if any); `retry` is set for the hooks.
        """
        self.retry = None
        delay = self._backoff()
        if self._may_resend(exc) and self._within_budget(delay):
            self._retrying(type(exc).__name__, delay, None)
        self._log(None, began, exc)
        return None if self.retry is None else delay

    def after_response(self, response: httpx.Response, began: float) -> float | None:
        """Seconds to wait before retrying this answer, or None to hand it back (logged too)."""
        self.retry = None
        if response.status_code in RETRY_STATUSES and self._may_resend(None):
            asked = parse_retry_after(response.headers.get("retry-after"))
            delay = asked if asked is not None else self._backoff()
            if self._within_budget(delay):
                self._retrying(f"status {response.status_code}", delay, response.status_code)
        self._log(response, began)
        return None if self.retry is None else self.retry.delay

    def _log(
        self, response: httpx.Response | None, began: float, exc: Exception | None = None
    ) -> None:
        retry = self.retry
        log_attempt(self.request, self.attempt, began, response, exc, final=retry is None)
        if retry is not None:
            log_retry(self.request, retry.reason, self.attempt, retry.delay, response)

    def done(self, response: httpx.Response) -> httpx.Response:
        """Hand ``response`` back as the call's answer."""
        self.state.response = response
        self.state.attempts = self.attempt
        return response


class RetryTransport(httpx.BaseTransport):
    """A sync transport that retries, logs and times each request it sends."""

    def __init__(self, inner: httpx.BaseTransport, options: CallOptions = DEFAULT_OPTIONS) -> None:
        self._inner = inner
        self._options = options

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``, retrying as the call's options allow; the last answer, or raise."""
        attempts = _Attempts(request, self._options)
        hooks = attempts.hooks
        while True:
            attempts.attempt += 1
            if hooks:
                hooks.run("request", request, request)
            began = time.monotonic()
            try:
                response = self._inner.handle_request(request)
                if not _streams(request):
                    response.read()  # a body cut short is a failure to retry, not a surprise later
            except httpx.TransportError as exc:
                delay = attempts.after_error(exc, began)
                if delay is None:
                    raise
                if hooks:
                    hooks.run("retry", attempts.retry, request)
                time.sleep(delay)
                continue
            delay = attempts.after_response(response, began)
            if hooks:
                hooks.run("response", response, request)
            if delay is None:
                return attempts.done(response)
            if hooks:
                hooks.run("retry", attempts.retry, request)
            response.read()  # drain it, so its connection can serve the retry
            response.close()
            time.sleep(delay)

    def close(self) -> None:
        """Close the transport underneath."""
        self._inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """The async twin of `RetryTransport`."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport, options: CallOptions = DEFAULT_OPTIONS
    ) -> None:
        self._inner = inner
        self._options = options

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Async twin of ``RetryTransport.handle_request``."""
        attempts = _Attempts(request, self._options)
        hooks = attempts.hooks
        while True:
            attempts.attempt += 1
            if hooks:
                await hooks.arun("request", request, request)
            began = time.monotonic()
            try:
                response = await self._inner.handle_async_request(request)
                if not _streams(request):
                    await response.aread()
            except httpx.TransportError as exc:
                delay = attempts.after_error(exc, began)
                if delay is None:
                    raise
                if hooks:
                    await hooks.arun("retry", attempts.retry, request)
                await asyncio.sleep(delay)
                continue
            delay = attempts.after_response(response, began)
            if hooks:
                await hooks.arun("response", response, request)
            if delay is None:
                return attempts.done(response)
            if hooks:
                await hooks.arun("retry", attempts.retry, request)
            await response.aread()
            await response.aclose()
            await asyncio.sleep(delay)

    async def aclose(self) -> None:
        """Close the transport underneath (async twin of ``close``)."""
        await self._inner.aclose()
