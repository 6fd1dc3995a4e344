"""The emulator's behaviour: what each operation does to tasks and their event logs.

Every change goes through ``TaskService._commit``, which stores the task and appends its
events in the same transaction (a chunk, which changes no task field, is appended alone by
``append_chunk``); the task's stream subscribers wake once that transaction has committed.

A client's write commits before its answer goes out. A run's writes (its status changes and
chunks) are staged and committed together at the end of the event loop's turn: the runs
whose steps fall due on the same tick share one transaction, and their events become
visible (to reads, which commit what is staged first, and to streams) once it commits.

Every timestamp written is the service's ``clock``'s (``timestamp()``), and every run is
started on it (``Clock.start``), so the run's waits (``runner.pause``) are that clock's too.

All methods run on the server's event loop thread (the store's lock also makes them safe
from other threads).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine, Iterable
from typing import Any

from . import model
from .clock import Clock
from .errors import not_found
from .model import FINAL_STATUSES, Task
from .store import KeyUse, StateRows, Store, StoredEvent

RunFactory = Callable[["TaskService", str], Coroutine[Any, Any, None]]
"""Makes the coroutine that runs a task (see ``agents.AgentRouter``)."""

INTERRUPTED_STATUS = "error"
INTERRUPTED_RESULT = "Interrupted: the emulator stopped before this run finished"
"""How a run found unfinished at start (after a crash or a stop) ends."""


class Follower:
    """One open event stream of a task: the last event it has taken (handed to its
    connection), and whether it is listening for more (rather than busy sending)."""

    __slots__ = ("after", "listening", "task_id")

    def __init__(self, task_id: str, after: int) -> None:
        self.task_id = task_id
        self.after = after
        self.listening = False


class EventHub:
    """Wakes the subscribers of a task's stream when its log grows (event-loop only), and
    knows how far each open stream has got."""

    def __init__(self) -> None:
        self._signals: dict[str, asyncio.Event] = {}
        self._followers: set[Follower] = set()
        self._moved: asyncio.Event | None = None
        self.closed = asyncio.Event()
        self.loop: asyncio.AbstractEventLoop | None = None
        """The loop of the streams waiting (set with the first signal)."""
        self.epoch = 0
        """Counts replacements of the whole state (reset, import): streams then re-check."""

    def signal(self, task_id: str) -> asyncio.Event:
        """An event set at the next append to ``task_id``'s log (or when the hub closes)."""
        found = self._signals.get(task_id)
        if found is None:
            self.loop = asyncio.get_running_loop()
            found = self._signals[task_id] = asyncio.Event()
        return found

    def notify(self, task_id: str) -> None:
        found = self._signals.pop(task_id, None)
        if found is not None:
            found.set()

    def wake_all(self) -> None:
        """The state was replaced: every stream wakes up and looks again."""
        self.epoch += 1
        for found in self._signals.values():
            found.set()
        self._signals.clear()

    def follow(self, task_id: str, after: int) -> Follower:
        """A stream of ``task_id`` opens, having taken the events up to ``after``."""
        follower = Follower(task_id, after)
        self._followers.add(follower)
        return follower

    def took(self, follower: Follower, after: int) -> None:
        """``follower`` has taken the events up to ``after``."""
        follower.after = after
        self._move()

    def unfollow(self, follower: Follower) -> None:
        """``follower``'s stream has ended."""
        self._followers.discard(follower)
        self._move()

    def _move(self) -> None:
        if self._moved is not None:
            self._moved.set()
            self._moved = None

    async def taken(self, last_event_id: Callable[[str], int]) -> None:
        """Return once every stream listening now has taken its task's events up to
        ``last_event_id(task_id)``, or ended. (A stream busy sending, held back by a slow
        client or a slow-stream fault, is not waited for.)"""
        listening = [f for f in self._followers if f.listening]
        while any(f in self._followers and f.after < last_event_id(f.task_id) for f in listening):
            if self._moved is None:
                self._moved = asyncio.Event()
            await self._moved.wait()

    def close(self) -> None:
        """End every stream (the server is shutting down)."""
        self.closed.set()
        for found in self._signals.values():
            found.set()
        self._signals.clear()


class TaskService:
    """Tasks of one organization, stored in ``store``; runs tasks with ``run_factory``."""

    def __init__(
        self,
        store: Store,
        organization_id: str,
        run_factory: RunFactory,
        clock: Clock | None = None,
    ) -> None:
        self.store = store
        self.organization_id = organization_id
        self.clock = clock or Clock()
        """Every timestamp written reads it, and every run waits on it."""
        self.hub = EventHub()
        self._run_factory = run_factory
        self._runs: dict[str, asyncio.Task[None]] = {}
        self._paused: dict[str, asyncio.Future[str | None]] = {}
        """Runs waiting for a person (a ``pause`` step), by task: their answer's future."""
        self._answers: dict[str, str | None] = {}
        """Answers a create brought to a paused run, handed over by ``start_run``."""
        self._flush_due: asyncio.AbstractEventLoop | None = None
        store.on_commit = self._committed

    # -- operations of the API ---------------------------------------------------------

    def create(
        self,
        agent_id: str,
        body: dict[str, Any],
        agent_version: str | None,
        key: KeyUse | None = None,
    ) -> Task:
        """A new pending task (or, with ``body["id"]``, that task queued again).

        The run is not started here: call ``start_run`` once the answer has gone out. The
        task is marked as running in the same transaction, so a crash before the run ends
        is found at the next start. ``key`` is remembered with the task (one transaction).
        """
        existing_id = body.get("id")
        if existing_id is not None:
            existing = self.store.get_task(existing_id)
            if existing is None:
                raise not_found(f"Task {existing_id!r} to continue", "body.id")
            task = model.continue_task(existing, body, agent_version)
            if existing_id in self._paused:
                # The person's answer to a paused run: that run goes on (``start_run``).
                task = model.complete(dict(task, hitl_request=None))
                text = (body.get("input") or {}).get("text")
                self._answers[existing_id] = text if isinstance(text, str) else None
            else:
                self.cancel_run(existing_id)
            self._commit(task, ["task_updated"], key=key, running=True)
            return task
        task = model.new_task(
            model.new_task_id(),
            agent_id,
            self.organization_id,
            body,
            agent_version,
            self.clock.now(),
        )
        self._commit(task, ["task_created"], key=key, running=True)
        return task

    def resumes(self, task_id: str) -> bool:
        """Whether ``start_run`` will hand a person's answer to the task's paused run rather
        than start a new one (a create named a paused task)."""
        return task_id in self._answers

    def get(self, task_id: str) -> Task:
        task = self.store.get_task(task_id)
        if task is None:
            raise not_found(f"Task {task_id!r}", "path.task_id")
        return task

    def list_tasks(
        self, filters: dict[str, str], *, agent_id: str | None = None, user_id: str | None = None
    ) -> list[dict[str, Any]]:
        """TasksListItems of an agent's (or a user's) tasks matching every filter given.

        Filters are the list routes' query parameters: ``user_id``, ``parent_task_id``,
        ``triggering_agent_id``, ``status``, ``internal_status``.
        """
        return [
            model.list_item(task, updated)
            for task, updated in self.store.list_tasks(agent_id=agent_id, user_id=user_id)
            if all(_FILTERS[name](task) == value for name, value in filters.items())
        ]

    def update(self, task_id: str, body: dict[str, Any]) -> Task:
        """Apply an update.

        A status change takes the task over from its simulated run, which ends there (so the
        run cannot overwrite it); a final status also appends ``task_finished``. One
        exception: ``executing`` for a run paused for a person (a ``pause`` step) lets that
        run go on, and clears the task's ``hitl_request``.
        """
        before = self.get(task_id)
        task = model.apply_update(before, body, self.clock.now())
        status = task["status"]
        changed = status != before.get("status")
        resumes = changed and status == "executing" and task_id in self._paused
        if resumes and "hitl_request" not in body:
            task = model.complete(dict(task, hitl_request=None))
        finished = status in FINAL_STATUSES and changed
        takes_over = not resumes and (status in FINAL_STATUSES or changed)
        if takes_over:
            self.cancel_run(task_id)
        self._commit(
            task,
            ["task_updated", "task_finished"] if finished else ["task_updated"],
            running=False if takes_over else None,
        )
        if resumes:
            self._answer(task_id, None)
        return task

    def stop(self, task_id: str) -> Task:
        """Stop the task at once: no further chunks, ``stopped``, ``is_manually_stopped``."""
        before = self.get(task_id)
        self.cancel_run(task_id)
        if before.get("status") == "stopped":
            self.store.forget_run(task_id)
            return before  # nothing changes, so nothing is logged
        task = dict(before, status="stopped", is_manually_stopped=True)
        task["finished_at"] = self.timestamp()
        task["duration"] = model.duration(task)
        task = model.complete(task)
        self._commit(task, ["task_updated", "task_finished"], running=False)
        return task

    def report(self, agent_id: str, body: dict[str, Any], key: KeyUse | None = None) -> Task:
        """Record a task run elsewhere, finished (``completed`` or ``failed``)."""
        task_id = body.get("id") or model.new_task_id()
        task = model.reported_task(task_id, agent_id, self.organization_id, body, self.clock.now())
        existing = self.store.get_task(task_id)
        if existing is not None:
            self.cancel_run(task_id)
            task = model.complete(
                {
                    **existing,
                    **{
                        k: v
                        for k, v in task.items()
                        if k not in {"id", "agent_id", "organization_id", "created_at"}
                    },
                }
            )
        self._commit(
            task,
            ["task_updated" if existing else "task_created", "task_finished"],
            key=key,
            running=False,
        )
        return task

    def activity(self, task_id: str) -> dict[str, Any]:
        task = self.get(task_id)
        return model.activity_thread(task, self.store.events_of(task_id, model.ACTIVITY_TYPES))

    # -- what a run does ---------------------------------------------------------------

    def begin_run(self, task_id: str) -> Task | None:
        """Move the task to ``executing``; ``None`` when it is gone or already finished."""
        task = self.store.latest_task(task_id)
        if task is None or task.get("status") in FINAL_STATUSES:
            self.store.forget_run(task_id)
            return None
        task = model.complete(dict(task, status="executing", started_at=self.timestamp()))
        self._commit(task, ["task_updated"], defer=True)
        return task

    def append_chunk(self, task_id: str, text: str, identity: dict[str, Any] | None = None) -> None:
        """Log a ``chunk`` event; ``identity`` (a MessageIdentity) stamps it when given."""
        self.append_event(task_id, "chunk", text, identity)

    def append_event(
        self, task_id: str, kind: str, data: Any, identity: dict[str, Any] | None = None
    ) -> None:
        """Log a run's event that changes no task field (a chunk, a tool call, a thought);
        ``identity`` (a MessageIdentity) stamps it when given."""
        moment = self.timestamp()

        def event(organization_id: str) -> dict[str, Any]:
            return self._event(kind, task_id, organization_id, moment, data, identity)

        if self.store.append(task_id, event, updated_at=moment, defer=True) is not None:
            self._flush_soon()

    def run_update(
        self,
        task_id: str,
        fields: dict[str, Any],
        event: str | tuple[str, Any],
        identity: dict[str, Any] | None = None,
    ) -> Task | None:
        """A run changes ``fields`` of its task, logging ``event`` (a kind whose data is the
        task, or ``(kind, data)``); ``None`` when the task is gone."""
        task = self.store.latest_task(task_id)
        if task is None:
            return None
        task = model.complete(dict(task, **fields))
        self._commit(task, [event], identity=identity, defer=True)
        return task

    def pause_run(self, task_id: str, wait_node_id: str) -> asyncio.Future[str | None]:
        """The run waits for a person: the task turns ``paused`` (``paused_at``,
        ``hitl_request``). The future gets the answer: the text of a create naming the task,
        or ``None`` when the task is PATCHed back to ``executing``."""
        answered: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        self._paused[task_id] = answered
        moment = self.timestamp()
        self.run_update(
            task_id,
            {
                "status": "paused",
                "paused_at": moment,
                "hitl_request": {"wait_node_id": wait_node_id},
            },
            "task_updated",
        )
        return answered

    def resume_run(self, task_id: str) -> None:
        """A paused run that a create answered goes on: ``executing`` again (its
        ``started_at`` stays)."""
        self.run_update(task_id, {"status": "executing"}, "task_updated")

    def _answer(self, task_id: str, answer: str | None) -> None:
        answered = self._paused.pop(task_id, None)
        if answered is not None and not answered.done():
            answered.set_result(answer)

    def finish_run(self, task_id: str, status: str, result: str | None, **extra: Any) -> None:
        """End a run with ``status`` (``completed`` or ``failed``) and ``result``."""
        task = self.store.latest_task(task_id)
        if task is None:
            self.store.forget_run(task_id)
            return
        task = dict(task, status=status, result=result, finished_at=self.timestamp(), **extra)
        task["duration"] = model.duration(task)
        self._commit(
            model.complete(task), ["task_updated", "task_finished"], running=False, defer=True
        )

    def end_interrupted_runs(self) -> list[str]:
        """End the runs the store still marks as in progress (none is running here yet).

        Called at start: they were cut short by a crash or a stop. Each unfinished task
        ends ``error`` (``INTERRUPTED_RESULT``) with ``task_updated`` and ``task_finished``,
        so its streams end. The ids of the tasks ended.
        """
        ended = []
        for task_id in self.store.running():
            if task_id in self._runs:
                continue
            task = self.store.get_task(task_id)
            if task is None or task.get("status") in FINAL_STATUSES:
                self.store.forget_run(task_id)
                continue
            self.finish_run(task_id, INTERRUPTED_STATUS, INTERRUPTED_RESULT)
            ended.append(task_id)
        self.store.flush()  # an import answers after its interrupted runs are ended
        return ended

    def reset(self) -> None:
        """Forget everything: runs stop quietly (nothing more is written), streams end."""
        self._stop_runs()
        self.store.clear()
        self.hub.wake_all()

    def replace_state(self, rows: StateRows) -> None:
        """Replace everything with ``rows``; the runs they mark end as interrupted."""
        self._stop_runs()
        self.store.load(rows)
        self.end_interrupted_runs()
        self.hub.wake_all()

    def _stop_runs(self) -> None:
        runs = list(self._runs.values())
        self._runs.clear()
        self._paused.clear()
        self._answers.clear()
        for run in runs:
            run.cancel()

    def start_run(self, task_id: str) -> None:
        """Run the task in the background (call after the create's answer was sent); or,
        when the create answered a paused run, hand that run the answer."""
        if task_id in self._answers:
            self._answer(task_id, self._answers.pop(task_id))
            return
        self.cancel_run(task_id)
        run = self.clock.start(self._run_factory(self, task_id), task_id)
        self._runs[task_id] = run
        run.add_done_callback(lambda done: self._forget(task_id, done))

    def cancel_run(self, task_id: str) -> None:
        self._paused.pop(task_id, None)
        self._answers.pop(task_id, None)
        run = self._runs.pop(task_id, None)
        if run is not None:
            run.cancel()

    def _forget(self, task_id: str, run: asyncio.Task[None]) -> None:
        if self._runs.get(task_id) is run:
            del self._runs[task_id]

    async def shutdown(self) -> None:
        """Cancel every run and end every stream."""
        self.hub.close()
        runs = list(self._runs.values())
        self._runs.clear()
        for run in runs:
            run.cancel()
        await asyncio.gather(*runs, return_exceptions=True)

    async def settle(self) -> None:
        """Commit what the runs have staged; return once the streams listening for it have
        taken it (``Clock.advance`` awaits this)."""
        self.store.flush()
        await self.hub.taken(self._last_event_id)

    def _last_event_id(self, task_id: str) -> int:
        last = self.store.last_event(task_id)
        return 0 if last is None else last.id

    def timestamp(self) -> str:
        """The clock's time as the emulator stores it (ISO 8601): every timestamp it writes."""
        return model.iso(self.clock.now())

    # -- storage -----------------------------------------------------------------------

    def _commit(
        self,
        task: Task,
        events: list[str | tuple[str, Any]],
        *,
        identity: dict[str, Any] | None = None,
        key: KeyUse | None = None,
        running: bool | None = None,
        defer: bool = False,
    ) -> list[StoredEvent]:
        """Store ``task`` with ``events`` (kinds, whose data is ``task``, or ``(kind, data)``);
        committed before this returns, or, with ``defer`` (a run's write), at the end of the
        event loop's turn."""
        moment = self.timestamp()
        docs = []
        for event in events:
            kind, data = event if isinstance(event, tuple) else (event, task)
            docs.append(
                self._event(kind, task["id"], task["organization_id"], moment, data, identity)
            )
        stored = self.store.save(
            task, docs, updated_at=moment, key=key, running=running, defer=defer
        )
        if defer:
            self._flush_soon()
        return stored

    def _flush_soon(self) -> None:
        """Commit what the store has staged at the end of this turn of the event loop (at
        once outside one), so the runs that step in this turn share one transaction."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.store.flush()
            return
        # Per loop: a flush left scheduled on a loop that stopped (an app served by one
        # loop, then another) must not hold back this one's.
        if self._flush_due is loop:
            return
        self._flush_due = loop
        loop.call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_due = None
        self.store.flush()

    def _committed(self, task_ids: Iterable[str]) -> None:
        """The store committed new events of ``task_ids``: wake their streams (on the
        streams' loop: a read from another thread may have made the commit)."""
        loop = self.hub.loop
        if loop is None or _runs_on(loop):
            self._wake(task_ids)
            return
        with contextlib.suppress(RuntimeError):  # that loop is closed: nobody to wake
            loop.call_soon_threadsafe(self._wake, list(task_ids))

    def _wake(self, task_ids: Iterable[str]) -> None:
        for task_id in task_ids:
            self.hub.notify(task_id)

    @staticmethod
    def _event(
        kind: str,
        task_id: str,
        organization_id: str,
        moment: str,
        data: Any,
        identity: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """A TaskUpdateEvent document."""
        doc = {
            "type": kind,
            "task_id": task_id,
            "organization_id": organization_id,
            "time": moment,
            "data": data,
        }
        if identity is not None:  # absent when no skill produced the event
            doc["identity"] = identity
        return doc


def _runs_on(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


_FILTERS: dict[str, Callable[[Task], object]] = {
    "user_id": model.user_id_of,
    "parent_task_id": lambda task: task.get("parent_execution"),
    "triggering_agent_id": lambda task: task.get("triggering_agent_id"),
    "status": lambda task: task.get("status"),
    "internal_status": lambda task: task.get("internal_status"),
}
LIST_FILTERS = tuple(_FILTERS)
