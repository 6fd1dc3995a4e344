"""Where requests wait their turn: at most ``max_connections`` in flight per event loop.

httpcore's pool slows to a crawl when far more requests wait for it than it has
connections (each release re-scans every waiter, and the first round opens its
connections while a thousand requests queue), and it raises ``PoolTimeout``
once a request has waited its pool timeout. `QueueTransport` sits between the
retrying transport and the connection pool and lets only ``max_connections``
requests through at a time; the others wait on an ``asyncio.Semaphore``, first
come first served, with no deadline of their own. The pool under it never has
a request waiting, so 1,000 concurrent calls run at warm speed from the first
round.

A request holds its place until its answer has been read (this transport reads
it, as the retrying transport would). Event streams (``Accept:
text/event-stream``) do not queue and hold no place: one can stay open for as
long as a task runs, and letting it hold a place would starve, or deadlock, the
calls made while following it. Each stream holds a connection of its own, on
top of ``max_connections``.
"""

from __future__ import annotations

import asyncio
import weakref

import httpx

from .transport import _streams as is_event_stream


class QueueTransport(httpx.AsyncBaseTransport):
    """Sends through ``inner`` with at most ``size`` requests in flight per event loop."""

    def __init__(self, inner: httpx.AsyncBaseTransport, size: int) -> None:
        self._inner = inner
        self.size = size
        self._loop: weakref.ref[asyncio.AbstractEventLoop] | None = None
        self._semaphore = asyncio.Semaphore(size)

    def _places(self) -> asyncio.Semaphore:
        # An asyncio.Semaphore belongs to the loop it first waits on: one per loop.
        loop = asyncio.get_running_loop()
        if self._loop is None or self._loop() is not loop:
            self._loop = weakref.ref(loop)
            self._semaphore = asyncio.Semaphore(self.size)
        return self._semaphore

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if is_event_stream(request):
            return await self._inner.handle_async_request(request)
        places = self._places()
        async with places:
            response = await self._inner.handle_async_request(request)
            try:
                await response.aread()
            except BaseException:
                await response.aclose()
                raise
            return response

    async def aclose(self) -> None:
        await self._inner.aclose()
