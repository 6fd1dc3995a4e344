"""The task event stream (``text/event-stream``).

Wire format, one SSE block per event::

    retry: 500                      (once, first: ``stream_retry`` in milliseconds)

    id: 42
    data: {"type": "chunk", "task_id": "t1", "organization_id": "o", "time": "...", "data": "Hi"}

    : keep-alive                    (every ``heartbeat`` seconds of silence)

The stream replays the task's log from its first event (or right after ``Last-Event-ID``),
then follows live events, and ends after the first ``task_finished`` it sends. The events
read together (a replay, or what a fast agent appended since the last wake-up) go out in one
write of whole blocks: one send per subscriber per wake-up, not per event, is what lets one
task's stream feed many subscribers. Each open stream tells the hub how far it has got (a
``Follower``), so that a manual clock's advance can answer once the streams have taken what
it made. Keep-alives go by the wall clock, whatever the emulator's clock: they are about the
connection, not the run.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from .config import DEFAULT_STREAM_RETRY
from .service import TaskService
from .store import StoredEvent


def format_event(event: StoredEvent) -> bytes:
    return f"id: {event.id}\ndata: {event.json}\n\n".encode()


async def event_stream(
    service: TaskService,
    task_id: str,
    after: int,
    heartbeat: float,
    retry: float = DEFAULT_STREAM_RETRY,
) -> AsyncIterator[bytes]:
    """The stream's bytes: whole SSE blocks (a block is never split across items).

    ``retry``: seconds a client should wait before reconnecting, sent first.
    """
    yield f"retry: {round(retry * 1000)}\n\n".encode()
    last = service.store.last_event(task_id)
    if last is not None and last.type == "task_finished" and after >= last.id:
        return  # resumed after the end: nothing more will come unless the task is reopened
    hub = service.hub
    epoch = hub.epoch
    follower = hub.follow(task_id, after)
    try:
        while not hub.closed.is_set():
            # Take the wake-up signal before reading, so an append between the two is not
            # missed.
            signal = hub.signal(task_id)
            events = service.store.events_after(task_id, after)
            if events:
                blocks = []
                finished = False
                for event in events:
                    blocks.append(format_event(event))
                    after = event.id
                    if event.type == "task_finished":
                        finished = True
                        break
                hub.took(follower, after)
                yield b"".join(blocks)
                if finished:
                    return
                continue
            if hub.epoch != epoch:  # a reset or an import replaced the state
                epoch = hub.epoch
                if service.store.get_task(task_id) is None:
                    return
            follower.listening = True
            try:
                await asyncio.wait_for(signal.wait(), timeout=heartbeat)
            except asyncio.TimeoutError:
                follower.listening = False
                yield b": keep-alive\n\n"
            follower.listening = False
    finally:
        hub.unfollow(follower)
