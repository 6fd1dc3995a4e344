"""The decisions of waiting for a task, shared by the sync and async waits.

`Waiting` holds the deadline and the polling schedule; the waits themselves
(`Tasks.wait_for` / `Tasks.await_for`) only do the I/O and the sleeping, so
the twins keep the same deadline whether events arrive steadily, slowly or
not at all: the event stream checks it after every chunk it reads, and its
read timeout never runs past it.
"""

from __future__ import annotations

import time

from ._validate import check_seconds
from .errors import TaskWaitTimeout

#: The longest pause between two polls, in seconds.
MAX_POLL_INTERVAL = 5.0


class Waiting:
    """One wait: its deadline (None waits for ever) and its next poll interval."""

    __slots__ = ("deadline", "interval", "task_id", "timeout")

    def __init__(self, task_id: str, timeout: float | None, poll_interval: float) -> None:
        check_seconds(timeout, "timeout", allow_none=True)
        check_seconds(poll_interval, "poll_interval")
        self.task_id = task_id
        self.timeout = timeout
        self.interval = float(poll_interval)
        self.deadline = None if timeout is None else time.monotonic() + timeout

    def remaining(self) -> float | None:
        """Seconds left before the deadline (never negative), or None without one."""
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def check(self) -> None:
        """Raise `TaskWaitTimeout` once the deadline has passed."""
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise self.timed_out()

    def next_poll(self) -> float:
        """Seconds to sleep before the next poll; raises when the poll would come too late."""
        interval = self.interval
        if self.deadline is not None and time.monotonic() + interval > self.deadline:
            raise self.timed_out()
        self.interval = min(MAX_POLL_INTERVAL, interval * 1.5)
        return interval

    def timed_out(self, status: object = None) -> TaskWaitTimeout:
        """The error for this wait's deadline passing (``status``: where the task stood)."""
        where = f" (status {status})" if status is not None else ""
        return TaskWaitTimeout(
            None, f"task {self.task_id} did not finish within {self.timeout}s{where}"
        )
