"""The pooled HTTP clients of one `Tasks`, and the calls that go through them.

`ApiClient` owns an ``httpx.Client`` and, per event loop, an
``httpx.AsyncClient``, each behind the retrying transport, wrapped in the
generated ``AuthenticatedClient`` that the generated endpoint functions take.
Inside the retrying transport is httpx's own, or one that sends through an
httpx client the caller gave (`_user_client`).

A call is built once, as a `Call` (the generated operation, its arguments,
its options, and how its answer is read), and sent by either twin:
`ApiClient.run` calls the operation's ``sync_detailed`` function,
`ApiClient.arun` its ``asyncio_detailed`` one, and both hand the `Answer` to
the call's own reader. So a method and its async twin cannot read the same
answer two ways.

Lifetime (what `Tasks` documents): the sync client is made on the first sync
call, under a lock, and closed by `close` / `aclose`. An async client is made
on the first async call in an event loop, for that loop only, and closed by
whichever comes first: `aclose` (or `close`), or the end of its loop. The
end of a loop is seen through a small async generator per loop client
(`_close_at_loop_end`), which the loop finalizes when it shuts down
(``asyncio.run``, ``asyncio.Runner`` and ``loop.shutdown_asyncgens()`` do), so
the client is closed inside its loop, while that can still be done cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import threading
import weakref
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

import httpx
from xpander_api_client import AuthenticatedClient
from xpander_api_client.errors import UnreadableResponse
from xpander_api_client.types import Response

from ._answers import Answer, transport_error
from ._lean import AsyncLeanClient, LeanClient
from ._pools import async_pool, sync_pool
from ._queue import QueueTransport
from ._user_client import AsyncClientTransport, ClientTransport, check_clients
from ._validate import check_count
from ._version import __version__
from .configuration import Configuration, as_timeout
from .errors import ModuleException
from .transport import AsyncRetryTransport, CallOptions, CallState, RetryTransport

logger = logging.getLogger("xpander_sdk")

R = TypeVar("R")
_USER_AGENT = f"xpander-sdk-tasks/{__version__}"


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Operation:
    """A generated operation's two functions: ``sync_detailed`` and ``asyncio_detailed``."""

    sync: Callable[..., Response[Any]]
    asyncio: Callable[..., Awaitable[Response[Any]]]


@dataclass(frozen=True)
class Call(Generic[R]):
    """One call, built once and sent by either twin (`ApiClient.run` / `ApiClient.arun`).

    ``args`` and ``kwargs`` are the generated function's arguments (its
    ``client`` and ``extensions`` aside); ``read`` turns the `Answer` into
    what the method returns, or raises the SDK error it calls for. Every SDK
    error of the call carries its ``idempotency_key`` (a create's), if given.
    """

    operation: Operation
    args: tuple[Any, ...]
    options: CallOptions
    read: Callable[[Answer], R]
    kwargs: dict[str, Any] = field(default_factory=dict)
    idempotency_key: str | None = None

    def failed(self, error: ModuleException) -> ModuleException:
        """``error``, marked with this call's idempotency key (to send the call again with)."""
        if self.idempotency_key is not None:
            error.idempotency_key = self.idempotency_key
        return error

    def finish(self, answer: Answer) -> R:
        """The call's result: its reader's, whose errors are marked as `failed` marks them."""
        try:
            return self.read(answer)
        except ModuleException as error:
            self.failed(error)
            raise


# Every async client not yet closed keeps its loop's shutdown in view through one of these;
# the loop holds async generators only weakly, so `_LoopClient` holds it.
async def _close_at_loop_end(entry: _LoopClient) -> AsyncGenerator[None, None]:
    try:
        yield
    finally:
        await entry.close()


class _LoopClient:
    """One event loop's async client, and the generator that closes it when the loop ends."""

    __slots__ = ("_closed", "_forget", "client", "guard")

    def __init__(self, client: AuthenticatedClient, forget: Callable[[], None]) -> None:
        self.client = client
        self._forget = forget
        self._closed: asyncio.Future[None] | None = None
        self.guard = _close_at_loop_end(self)

    async def close(self) -> None:
        """Close the client, once: whoever comes second (the loop's end, say) waits for it."""
        if self._closed is not None:
            await self._closed
            return
        self._closed = asyncio.get_running_loop().create_future()
        try:
            self._forget()
            await self.client.get_async_httpx_client().aclose()
        finally:
            self._closed.set_result(None)

    async def aclose(self) -> None:
        """Close the client and its guard (leaving the loop nothing to finalize)."""
        await self.close()
        with contextlib.suppress(RuntimeError):  # the loop's shutdown is closing it right now
            await self.guard.aclose()

    def close_later(self, loop: asyncio.AbstractEventLoop) -> None:
        """Close the client on its own loop, from any thread (a no-op if the loop has closed)."""
        # Closed on the loop's next turn; if the loop shuts down first, its
        # shutdown closes the guard (and so the client) instead.
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nothing to do there
            loop.call_soon_threadsafe(self._start_closing, loop)

    def _start_closing(self, loop: asyncio.AbstractEventLoop) -> None:
        task = loop.create_task(self.aclose())
        _closing.add(task)  # the loop holds its tasks weakly
        task.add_done_callback(_closing.discard)


_closing: set[asyncio.Task[None]] = set()


class ApiClient:
    """The connections and call plumbing shared by a `Tasks` and every `Task` it returns."""

    def __init__(
        self,
        configuration: Configuration,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
    ) -> None:
        check_clients(http_client, async_http_client)
        self.configuration = configuration
        api_key = configuration.require_api_key()
        self._headers = {"x-api-key": api_key, "user-agent": _USER_AGENT}
        self.base_url = configuration.get_full_url()
        self.options = CallOptions(
            max_retries=configuration.max_retries,
            retry_timeout=configuration.retry_timeout,
            base_delay=configuration.retry_base_delay,
            max_delay=configuration.retry_max_delay,
            hooks=configuration.hooks,
        )
        # The caller's clients, as inner transports (the caller closes them, never we).
        self._given = None if http_client is None else ClientTransport(http_client)
        self._given_async = (
            None if async_http_client is None else AsyncClientTransport(async_http_client)
        )
        url = httpx.URL(self.base_url)
        if url.scheme == "http" and not _is_loopback(url.host):
            logger.warning(
                "sending the API key over plain HTTP to %s; use https:// off this machine",
                url.host,
            )
        # Guards making and dropping clients (threads may share a Tasks); never held
        # across an await or a request.
        self._lock = threading.Lock()
        self._sync: AuthenticatedClient | None = None
        self._async: dict[asyncio.AbstractEventLoop, _LoopClient] = {}
        self.closed = False

    # -- clients -----------------------------------------------------------

    def _generated(self) -> AuthenticatedClient:
        return AuthenticatedClient(
            base_url=self.base_url, token="", prefix="", auth_header_name="x-api-key"
        )

    def _http_settings(self) -> dict[str, Any]:
        """What the sync and async httpx clients share (all but the transport)."""
        if self.closed:
            raise RuntimeError("this Tasks client is closed")
        return {
            "base_url": self.base_url,
            "headers": self._headers,
            "timeout": self.configuration.http_timeout,
        }

    def sync_client(self) -> AuthenticatedClient:
        """The generated client over this SDK's pooled ``httpx.Client``, made once."""
        client = self._sync
        if client is None:
            with self._lock:  # threads making their first calls at once make one client
                client = self._sync
                if client is None:
                    settings = self._http_settings()
                    inner: httpx.BaseTransport = self._given or sync_pool(self.configuration)
                    http = LeanClient(transport=RetryTransport(inner, self.options), **settings)
                    client = self._sync = self._generated().set_httpx_client(http)
        return client

    def sync_http(self) -> httpx.Client:
        """The pooled ``httpx.Client`` (for event streams)."""
        return self.sync_client().get_httpx_client()

    async def async_client(self) -> AuthenticatedClient:
        """The generated client over a pooled ``httpx.AsyncClient`` for the running loop.

        Connections belong to the event loop that opened them, so each loop
        (for example each ``asyncio.run``) gets its own pool, closed when the
        loop ends.
        """
        loop = asyncio.get_running_loop()
        entry = self._async.get(loop)
        if entry is not None:
            return entry.client
        with self._lock:
            settings = self._http_settings()
            self._drop_closed_loops()
            inner: httpx.AsyncBaseTransport
            if self._given_async is not None:
                # A client you gave wins over http_backend; the SDK's queue still keeps
                # fan-out within max_connections, so its pool never stalls either.
                inner = QueueTransport(self._given_async, self.configuration.max_connections)
            else:
                inner = async_pool(self.configuration)
            transport = AsyncRetryTransport(inner, self.options)
            http = AsyncLeanClient(transport=transport, **settings)
            owner = weakref.ref(self)  # (the guard, held by this client, must not hold it)

            def forget() -> None:
                api = owner()
                if api is not None:
                    api._forget(loop)

            entry = _LoopClient(self._generated().set_async_httpx_client(http), forget)
            self._async[loop] = entry
        # Started, the guard is one of the loop's async generators, which the loop closes
        # when it shuts down. Its first step runs to its `yield` without suspending.
        await entry.guard.asend(None)
        return entry.client

    async def async_http(self) -> httpx.AsyncClient:
        """The running loop's pooled ``httpx.AsyncClient`` (for event streams)."""
        return (await self.async_client()).get_async_httpx_client()

    def _forget(self, loop: asyncio.AbstractEventLoop) -> None:
        with self._lock:
            self._async.pop(loop, None)

    def _drop_closed_loops(self) -> None:
        # A loop closed without shutting down its async generators never closed its
        # client, and no longer can: its sockets close when Python collects them.
        for loop in [loop for loop in self._async if loop.is_closed()]:
            del self._async[loop]

    def loops(self) -> int:
        """How many event loops hold an async client of this `Tasks` now."""
        return len(self._async)

    def _close_sync(self) -> dict[asyncio.AbstractEventLoop, _LoopClient]:
        """Mark this closed, close the sync client, and hand over the loops' clients to close."""
        with self._lock:
            self.closed = True
            client, self._sync = self._sync, None
            loops, self._async = self._async, {}
        if client is not None:
            client.get_httpx_client().close()
        return loops

    def close(self) -> None:
        """Close every connection: the sync client's now, each loop's async client on its loop.

        An async client is closed on its loop's next turn (this call does not
        wait for it), or by the loop's shutdown if that comes first.
        """
        loops = self._close_sync()
        for loop, entry in loops.items():
            entry.close_later(loop)

    async def aclose(self) -> None:
        """Like `close`, and the running loop's async client is closed before this returns."""
        loops = self._close_sync()
        current = loops.pop(asyncio.get_running_loop(), None)
        for loop, entry in loops.items():
            entry.close_later(loop)
        if current is not None:
            await current.aclose()

    # -- calls -------------------------------------------------------------

    def options_for(
        self, max_retries: int | None, timeout: float | httpx.Timeout | None
    ) -> CallOptions:
        """The call options with the per-call overrides applied."""
        if max_retries is None and timeout is None:
            return self.options
        if max_retries is not None:
            check_count(max_retries, "max_retries")
        return replace(
            self.options,
            max_retries=self.options.max_retries if max_retries is None else max_retries,
            timeout=None if timeout is None else as_timeout(timeout, "timeout"),
        )

    def run(self, call: Call[R]) -> R:
        """Send ``call`` with the generated ``sync_detailed`` function; its reader's result."""
        state = CallState(call.options)
        try:
            response = call.operation.sync(
                *call.args, client=self.sync_client(), extensions=state.extensions(), **call.kwargs
            )
        except httpx.HTTPError as exc:
            raise call.failed(transport_error(exc)) from exc
        except UnreadableResponse as exc:
            answer = Answer.unreadable(exc)
        else:
            answer = Answer.of(response, state.response)
        return call.finish(answer)

    async def arun(self, call: Call[R]) -> R:
        """Async twin of `run`, with the generated ``asyncio_detailed`` function."""
        state = CallState(call.options)
        client = await self.async_client()
        try:
            response = await call.operation.asyncio(
                *call.args, client=client, extensions=state.extensions(), **call.kwargs
            )
        except httpx.HTTPError as exc:
            raise call.failed(transport_error(exc)) from exc
        except UnreadableResponse as exc:
            answer = Answer.unreadable(exc)
        else:
            answer = Answer.of(response, state.response)
        return call.finish(answer)


def operation(module: Any) -> Operation:
    """The `Operation` of a generated endpoint module."""
    return Operation(module.sync_detailed, module.asyncio_detailed)
