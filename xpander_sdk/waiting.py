"""Waiting for a task to finish: by its event stream where it streams, else by polling."""

from __future__ import annotations

import asyncio
import time

from ._validate import check_seconds
from .errors import TaskWaitTimeout
from .events import aiter_events, iter_events
from .models import AgentExecutionStatus, TaskUpdateEventType
from .task import Task

_MAX_POLL = 5.0


def _is_final(task: Task) -> bool:
    return isinstance(task.status, AgentExecutionStatus) and task.status.is_final


def _deadline(timeout: float | None, poll_interval: float) -> float | None:
    check_seconds(timeout, "timeout", allow_none=True)
    check_seconds(poll_interval, "poll_interval")
    return None if timeout is None else time.monotonic() + timeout


def _timed_out(task: Task, timeout: float | None) -> TaskWaitTimeout:
    return TaskWaitTimeout(
        None, f"task {task.id} did not finish within {timeout}s (status {task.status})"
    )


def _take_final(task: Task, data: object) -> None:
    if isinstance(data, Task):
        task._apply_task(data)


async def await_completion(task: Task, timeout: float | None, poll_interval: float) -> Task:
    """See `Task.await_for_completion`."""
    deadline = _deadline(timeout, poll_interval)
    if _is_final(task):
        return task
    if task.events_streaming:

        async def follow() -> None:
            async for event in aiter_events(task, deadline):
                if event.type == TaskUpdateEventType.TaskFinished:
                    _take_final(task, event.data)

        try:
            await asyncio.wait_for(
                follow(), None if deadline is None else deadline - time.monotonic()
            )
        except (asyncio.TimeoutError, TaskWaitTimeout):
            raise _timed_out(task, timeout) from None
        if _is_final(task):
            return task
    interval = poll_interval
    while True:
        await task.areload()
        if _is_final(task):
            return task
        if deadline is not None and time.monotonic() + interval > deadline:
            raise _timed_out(task, timeout)
        await asyncio.sleep(interval)
        interval = min(_MAX_POLL, interval * 1.5)


def wait_completion(task: Task, timeout: float | None, poll_interval: float) -> Task:
    """See `Task.wait_for_completion`."""
    deadline = _deadline(timeout, poll_interval)
    if _is_final(task):
        return task
    if task.events_streaming:
        try:
            for event in iter_events(task, deadline):
                if event.type == TaskUpdateEventType.TaskFinished:
                    _take_final(task, event.data)
        except TaskWaitTimeout:
            raise _timed_out(task, timeout) from None
        if _is_final(task):
            return task
    interval = poll_interval
    while True:
        task.reload()
        if _is_final(task):
            return task
        if deadline is not None and time.monotonic() + interval > deadline:
            raise _timed_out(task, timeout)
        time.sleep(interval)
        interval = min(_MAX_POLL, interval * 1.5)
