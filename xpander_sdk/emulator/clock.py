"""The emulator's clock: the time every timestamp shows, and how long every wait of a run
takes.

Three modes (``--clock``, ``EmulatorServer(clock=...)``, ``PUT /_emulator/clock``):

* ``real`` (the default): the wall clock; a wait takes its time.
* ``manual``: time stands still until told to move. ``advance(seconds)`` wakes the waits
  that fall due in that window, in order (a run woken inside it may start another wait that
  also falls due: that one is served too), and returns once the runs woken have done their
  work, it is stored, and the open streams that were listening have taken it.
* ``auto``: as ``manual``, but whenever nothing is working the clock jumps to the next
  wait's end at once (as trio's ``MockClock`` autojump or Temporal's time-skipping test
  server do): a run scripted to take an hour ends in no wall time, its timestamps an hour
  apart.

What counts as working (and so holds an ``auto`` clock still): a run that is not waiting
(its code is running, a sync agent's thread included), and a request being served. What
does not: a run waiting on this clock, a run waiting on a human (see ``idle``), an open
event stream, a request held back by a latency fault, and the control API. Between jumps
the time does not move: two things that happen without a wait between them show the same
moment.

A run reaches its emulator's clock through ``Clock.start``, which creates the run's
asyncio task with a ``Hold`` in a context variable; ``pause`` (``runner.pause``) reads it.
Agents call ``pause(seconds)`` with no handle on the emulator (several may share a process,
each on its own loop and clock), and the task is the one thing that carries a run from
step to step, so the task's context is where its clock travels. Outside a run, ``pause``
sleeps on the wall clock.
"""

from __future__ import annotations

import asyncio
import contextvars
import heapq
import itertools
import math
import time
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

REAL, MANUAL, AUTO = "real", "manual", "auto"
MODES = (REAL, MANUAL, AUTO)
MAX_ADVANCE = 10 * 366 * 24 * 3600.0
"""The longest single advance, in seconds (about ten years)."""

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_LATEST_US = (datetime(9999, 12, 31, tzinfo=timezone.utc) - _EPOCH) // timedelta(microseconds=1)
"""A virtual wait never ends later than this (a datetime cannot show later moments)."""

_WORKING, _WAITING, _IDLE, _ENDED = range(4)

T = TypeVar("T")


class ClockError(ValueError):
    """A clock operation that does not fit the clock's mode (advancing a real clock)."""


def check_mode(value: object) -> str | None:
    """Why ``value`` is not a clock mode, or ``None`` when it is one."""
    if value not in MODES:
        return f"must be one of {', '.join(MODES)}"
    return None


def check_seconds(value: object) -> str | None:
    """Why ``value`` is not a number of seconds to advance, or ``None`` when it is one."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "must be a number of seconds"
    if not math.isfinite(value) or not 0 <= value <= MAX_ADVANCE:
        return f"must be from 0 to {MAX_ADVANCE:g} seconds"
    return None


class Hold:
    """One run's line of work on a clock: working, waiting (on the clock or on a human),
    or ended. ``Clock.start`` makes one per run; only the clock changes its state."""

    __slots__ = ("_quiet", "_state", "clock", "label")

    def __init__(self, clock: Clock, label: str | None) -> None:
        self.clock = clock
        self.label = label
        self._state = _WORKING
        self._quiet: list[asyncio.Future[None]] = []
        clock._busy += 1

    def _set(self, state: int) -> None:
        old = self._state
        if old in (state, _ENDED):
            return
        self._state = state
        if state == _WORKING:
            self.clock._busy += 1
        elif old == _WORKING:
            self.clock._busy -= 1
            quiet, self._quiet = self._quiet, []
            for waiter in quiet:
                if not waiter.done():
                    waiter.set_result(None)
            self.clock._jump_soon()

    async def _stopped_working(self) -> None:
        if self._state == _WORKING:
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._quiet.append(waiter)
            await waiter


_CURRENT: contextvars.ContextVar[Hold | None] = contextvars.ContextVar(
    "xpander_emulator_run", default=None
)


@dataclass(eq=False)
class _Timer:
    """A wait on a manual or auto clock: it ends at ``due`` (µs since the epoch)."""

    due: int
    future: asyncio.Future[None]
    hold: Hold | None
    done: bool = False


@dataclass
class Pending:
    """A wait that has not ended: when it will, and whose (a task id, or ``None`` for a
    latency fault's)."""

    due: datetime
    task_id: str | None

    def describe(self, now: datetime) -> dict[str, Any]:
        return {
            "due": self.due.isoformat(),
            "remaining": max(0.0, (self.due - now).total_seconds()),
            "task_id": self.task_id,
        }


class Clock:
    """The clock of one emulator (see the module docstring), in ``mode``; use it on that
    emulator's event loop, except ``now``, which any thread may read."""

    def __init__(self, mode: str = REAL) -> None:
        problem = check_mode(mode)
        if problem:
            raise ValueError(f"clock {problem}, got {mode!r}")
        self.mode = mode
        self._now_us = time.time_ns() // 1000
        """The time of a manual or auto clock: µs since the epoch (whole, so that an hour
        of waits is exactly an hour)."""
        self._timers: list[tuple[int, int, _Timer]] = []
        self._order = itertools.count()
        self._ticks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Ticks] = (
            weakref.WeakKeyDictionary()
        )
        self._busy = 0
        """Runs working and requests being served: an auto clock jumps only at 0."""
        self._jump_due = False
        self._advancing: asyncio.Lock | None = None
        self._moving = False

    # -- reading it ----------------------------------------------------------------------

    def now(self) -> datetime:
        """The current moment (UTC)."""
        if self.mode == REAL:
            return datetime.now(timezone.utc)
        return _EPOCH + timedelta(microseconds=self._now_us)

    def pending(self) -> list[Pending]:
        """The waits not ended yet, soonest first."""
        found = [
            Pending(_EPOCH + timedelta(microseconds=t.due), _label(t.hold))
            for _, _, t in self._timers
            if not (t.done or t.future.done())  # (a cancelled wait's task may not have run yet)
        ]
        wall = datetime.now(timezone.utc)
        for loop, ticks in list(self._ticks.items()):
            now = loop.time()
            for when, waiters in list(ticks.due.items()):
                due = wall + timedelta(seconds=max(0.0, when - now))
                found += (Pending(due, _label(h)) for f, h in waiters if not f.done())
        return sorted(found, key=lambda p: p.due)

    def describe(self) -> dict[str, Any]:
        """``{"mode", "now", "pending": [{"due", "remaining", "task_id"}, ...]}``."""
        now = self.now()
        return {
            "mode": self.mode,
            "now": now.isoformat(),
            "pending": [p.describe(now) for p in self.pending()],
        }

    # -- runs and requests ---------------------------------------------------------------

    def start(self, run: Coroutine[Any, Any, None], label: str | None = None) -> asyncio.Task[None]:
        """Run ``run`` as a task of its own, working on this clock (``pause`` inside it
        waits on this clock) until it ends."""
        hold = Hold(self, label)
        task = asyncio.get_running_loop().create_task(_within(hold, run))
        task.add_done_callback(lambda _: _ended(hold, run))
        return task

    def request_started(self) -> None:
        self._busy += 1

    def request_ended(self) -> None:
        self._busy -= 1
        self._jump_soon()

    # -- waiting -------------------------------------------------------------------------

    async def sleep(self, seconds: float, hold: Hold | None = None) -> None:
        """Wait ``seconds`` on this clock; ``hold`` (the run waiting, if any) is not working
        meanwhile."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        loop = asyncio.get_running_loop()
        timer: _Timer | None = None
        if self.mode == REAL:
            ticks = self._ticks.get(loop)
            if ticks is None:
                ticks = self._ticks[loop] = _Ticks()
            future = ticks.at(loop, _tick_after(loop, seconds), hold)
        else:
            future = loop.create_future()
            due = min(self._now_us + math.ceil(seconds * 1e6), _LATEST_US)
            timer = _Timer(due, future, hold)
            heapq.heappush(self._timers, (due, next(self._order), timer))
        if hold is not None:
            hold._set(_WAITING)  # (which jumps an auto clock when nothing else works)
        elif self.mode == AUTO:
            self._jump_soon()
        try:
            await future
        except BaseException:
            # Cancelled: working again (the wake-up does that otherwise, before this runs).
            if hold is not None:
                hold._set(_WORKING)
            raise
        finally:
            if timer is not None:
                timer.done = True  # (once cancelled, it is skipped where it lies in the heap)

    async def idle(self, waited: Awaitable[T], hold: Hold | None) -> T:
        """Await ``waited`` (something outside the emulator, like a human's answer) with
        ``hold`` neither working nor waiting on this clock meanwhile."""
        if hold is not None:
            hold._set(_IDLE)
        try:
            return await waited
        finally:
            if hold is not None:
                hold._set(_WORKING)

    # -- moving it -----------------------------------------------------------------------

    async def advance(
        self, seconds: float, settle: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        """Move a manual or auto clock ``seconds`` on (see the module docstring), then await
        ``settle`` (the emulator's: its writes stored and taken by the streams).

        ``ClockError`` on a real clock; ``ValueError`` for seconds out of range.
        """
        problem = check_seconds(seconds)
        if problem:
            raise ValueError(f"seconds {problem}")
        if self.mode == REAL:
            raise ClockError("the clock is real: it moves on its own")
        if self._advancing is None:
            self._advancing = asyncio.Lock()
        async with self._advancing:
            target = min(self._now_us + math.ceil(seconds * 1e6), _LATEST_US)
            self._moving = True  # no automatic jump while this one moves the clock
            try:
                while True:
                    due = self._next_due()
                    if due is None or due > target:
                        break
                    for hold in self._fire(due):
                        await hold._stopped_working()
                    # A latency fault's wait has no hold: give it a turn to wait again.
                    await asyncio.sleep(0)
                self._now_us = max(self._now_us, target)
            finally:
                self._moving = False
            if settle is not None:
                await settle()
        self._jump_soon()

    def set_mode(self, mode: str) -> None:
        """Switch to ``mode``. From ``real``, the time carries on from the wall clock's (waits
        begun on it end in real time); to ``real``, it goes back to the wall clock's, and the
        waits pending end after the time they had left, in real time."""
        problem = check_mode(mode)
        if problem:
            raise ValueError(f"mode {problem}")
        if mode == self.mode:
            return
        if self.mode == REAL:
            self._now_us = time.time_ns() // 1000
        elif mode == REAL:
            timers = [t for _, _, t in self._timers if not t.done]
            self._timers.clear()
            if timers:
                loop = asyncio.get_running_loop()
                for timer in timers:
                    left = (timer.due - self._now_us) / 1e6
                    loop.call_later(max(0.0, left), self._wake, timer)
        self.mode = mode
        self._jump_soon()

    def _next_due(self) -> int | None:
        while self._timers and self._timers[0][2].done:
            heapq.heappop(self._timers)
        return self._timers[0][0] if self._timers else None

    def _fire(self, due: int) -> list[Hold]:
        """End the waits due at ``due`` (the clock moves there); the holds woken."""
        self._now_us = max(self._now_us, due)
        woken = []
        while self._timers and self._timers[0][0] <= due:
            _, _, timer = heapq.heappop(self._timers)
            if self._wake(timer) and timer.hold is not None:
                woken.append(timer.hold)
        return woken

    @staticmethod
    def _wake(timer: _Timer) -> bool:
        if timer.done:
            return False
        timer.done = True
        if timer.future.done():  # cancelled
            return False
        # Working from now, not from when its task next runs: no jump in between.
        if timer.hold is not None:
            timer.hold._set(_WORKING)
        timer.future.set_result(None)
        return True

    def _jump_soon(self) -> None:
        """On an auto clock with nothing working, jump to the next wait's end (at the end of
        this turn of the event loop, after what it has scheduled already: a commit, a
        stream's wake-up)."""
        if self.mode != AUTO or self._busy or self._jump_due or self._moving or not self._timers:
            return
        self._jump_due = True
        asyncio.get_running_loop().call_soon(self._jump)

    def _jump(self) -> None:
        self._jump_due = False
        if self.mode != AUTO or self._busy or self._moving:
            return
        due = self._next_due()
        if due is not None:
            self._fire(due)
            self._jump_soon()  # when only waits without a hold ended, nothing else will


async def _within(hold: Hold, run: Coroutine[Any, Any, None]) -> None:
    _CURRENT.set(hold)  # this task's own context: the run and what it awaits
    await run


def _ended(hold: Hold, run: Coroutine[Any, Any, None]) -> None:
    # A callback, not a ``finally``: a task cancelled before its first step runs none, and
    # its run was never started (closing it says so quietly; a finished one is unchanged).
    hold._set(_ENDED)
    run.close()


def _label(hold: Hold | None) -> str | None:
    return None if hold is None else hold.label


def _tick_after(loop: asyncio.AbstractEventLoop, seconds: float) -> float:
    """The loop-clock moment of the shared tick at least ``seconds`` from now."""
    tick = min(seconds / 10, 0.01)
    return math.ceil((loop.time() + seconds) / tick) * tick


class _Ticks:
    """The real-time wake-ups of one event loop, by the moment they fall due: one timer per
    moment, rather than one per sleeper in the loop's heap of timers.

    Every wake-up of the event loop costs the emulator a context switch; with hundreds of
    runs in flight, one timer per step per run was most of its CPU time. A wait ends on a
    shared tick (a tenth of its length, at most 10 ms): up to a tick late (10 ms on the
    default 0.25 s), never early, and the runs that step on one tick share one commit.
    """

    def __init__(self) -> None:
        # (No reference to the loop: it is the key of this object in a weak dictionary.)
        self.due: dict[float, list[tuple[asyncio.Future[None], Hold | None]]] = {}

    def at(
        self, loop: asyncio.AbstractEventLoop, when: float, hold: Hold | None
    ) -> asyncio.Future[None]:
        """A future done at ``when`` (the loop's clock); its own, so cancelling it (as
        cancelling its waiter does) leaves the others sharing the moment alone."""
        waiters = self.due.get(when)
        if waiters is None:
            waiters = self.due[when] = []
            loop.call_at(when, self._fire, when)
        future: asyncio.Future[None] = loop.create_future()
        waiters.append((future, hold))
        return future

    def _fire(self, when: float) -> None:
        for future, hold in self.due.pop(when):
            if not future.done():
                if hold is not None:
                    hold._set(_WORKING)
                future.set_result(None)


WALL = Clock()
"""The clock of waits made outside any emulator's run."""


def pause(seconds: float) -> Coroutine[Any, Any, None]:
    """``await pause(seconds)``: wait ``seconds`` on the clock of the emulator running this
    code (the wall clock outside a run). On a ``real`` clock the wait ends on a shared tick:
    up to a tenth of ``seconds`` (at most 10 ms) late, never early."""
    # Not a coroutine function itself: the clock's coroutine is awaited directly, one frame
    # fewer on every step of every run.
    hold = _CURRENT.get()
    return WALL.sleep(seconds) if hold is None else hold.clock.sleep(seconds, hold)


async def idle(waited: Awaitable[T]) -> T:
    """Await ``waited`` (something outside the emulator: a human's answer, say); meanwhile
    the run holds no ``auto`` clock still, and ``advance`` does not wait for it."""
    hold = _CURRENT.get()
    if hold is None:
        return await waited
    return await hold.clock.idle(waited, hold)
