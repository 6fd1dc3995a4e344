"""SQLite state: tasks, their event logs, idempotency keys and the runs in progress.

One connection guarded by one lock serializes every write (and read), which is all the
concurrency an emulator needs and rules out torn or lost writes. A file database uses WAL,
so tasks and events survive a restart (even a SIGKILL: every answer is sent after its
transaction commits); ``:memory:`` lives as long as the store.

Writes are *staged*, then committed by ``flush``, all staged writes in one transaction (a
group commit). A write a client waits for (``save``/``append`` without ``defer``) flushes
at once, so its answer goes out committed; a run's write (``defer=True``) waits for the
next flush, which its caller schedules, so the steps of many runs share one commit. Every
read flushes first, and ``on_commit`` hears of the tasks whose logs grew only after their
commit: what anyone can see is committed. Only ``latest_task`` (a run reading its own
task) sees staged writes.

Event ids are AUTOINCREMENT ids handed out when an event is staged, in order: they keep
rising across restarts and resets and are never handed out twice, so ``Last-Event-ID``
stays meaningful.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .model import Task, complete, user_id_of

try:
    from orjson import dumps as _orjson_dumps
except ImportError:  # an install without the emulator extra's orjson
    _orjson_dumps = None  # type: ignore[assignment]

# tasks_by_user leaves out the tasks without a user (most of them): a write of such a task
# then touches one index page fewer (a file written before keeps its full index; both work).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    agent_id TEXT NOT NULL,
    user_id TEXT,
    updated_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_by_agent ON tasks (agent_id, seq);
CREATE INDEX IF NOT EXISTS tasks_by_user ON tasks (user_id, seq) WHERE user_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT NOT NULL,
    type TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_task ON events (task_id, id);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    route TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    task_id TEXT PRIMARY KEY
);
"""

_UPSERT_TASK = (
    "INSERT INTO tasks (id, agent_id, user_id, updated_at, body) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id,"
    " updated_at = excluded.updated_at, body = excluded.body"
)
_TOUCH_TASK = "UPDATE tasks SET updated_at = ? WHERE id = ?"
_INSERT_EVENT = "INSERT INTO events (id, task_id, type, body) VALUES (?, ?, ?, ?)"
_REMEMBER_KEY = (
    "INSERT OR REPLACE INTO idempotency (key, route, fingerprint, status, body, created)"
    " VALUES (?, ?, ?, 200, ?, ?)"
)
_MARK_RUN = "INSERT OR IGNORE INTO runs (task_id) VALUES (?)"
_UNMARK_RUN = "DELETE FROM runs WHERE task_id = ?"
#: Every table of the state: what `clear` empties and `load` replaces.
_STATE_TABLES = ("tasks", "events", "idempotency", "runs")

IDEMPOTENCY_TTL = 24 * 3600.0
"""Seconds an Idempotency-Key is remembered."""

RECENT_TASKS = 4096
"""Tasks kept parsed in memory (the last written or read): a run reads its task at each
step, and a read from the cache skips a query and a JSON parse."""


@dataclass(frozen=True)
class StoredEvent:
    """One event of a task's log; ``json`` is the TaskUpdateEvent exactly as streamed."""

    id: int
    type: str
    json: str


@dataclass(frozen=True)
class Replay:
    """What an earlier request with the same Idempotency-Key did."""

    route: str
    fingerprint: str
    status: int
    body: str


@dataclass(frozen=True)
class KeyUse:
    """An Idempotency-Key to remember with the task a request writes (same transaction)."""

    key: str
    route: str
    fingerprint: str


@dataclass
class _Staged:
    """Writes staged since the last commit: what ``flush`` writes in one transaction."""

    tasks: dict[str, list[Any]] = field(default_factory=dict)
    """id -> ``[agent_id, user_id, updated_at, body]`` (``body`` ``None``: only
    ``updated_at`` changed, the row is updated rather than written whole)."""
    events: list[tuple[int, str, str, str]] = field(default_factory=list)
    keys: list[tuple[str, str, str, str, float]] = field(default_factory=list)
    runs: dict[str, bool] = field(default_factory=dict)
    """id -> marked as running (``True``) or not (``False``), the last word wins."""

    def __bool__(self) -> bool:
        return bool(self.tasks or self.events or self.keys or self.runs)


class Store:
    """Thread-safe access to the emulator's SQLite database at ``path``."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = _connect(path)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL survives a process crash; only a power cut may lose the last writes.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)
        self._last_written: tuple[Task | None, str] = (None, "")
        # Tasks as last written (staged included) or read, oldest first. A task is never
        # changed once stored (callers copy to change), so handing out the cached object is
        # safe.
        self._recent: dict[str, Task] = {}
        self._staged = _Staged()
        self._next_event_id = self._event_sequence() + 1
        self.on_commit: Callable[[Iterable[str]], None] | None = None
        """Called after each commit that appended events, with the ids of their tasks (in
        the order of their first event)."""

    def _event_sequence(self) -> int:
        """The highest event id ever written (AUTOINCREMENT's own record)."""
        row = self._db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'events'").fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        """Commit what is staged, then close the database."""
        with self._lock:
            self._flush()
            self._db.close()

    @property
    def staged(self) -> bool:
        """Whether writes wait for a ``flush``."""
        return bool(self._staged)

    def flush(self) -> None:
        """Commit every staged write in one transaction (nothing to do when none is)."""
        with self._lock:
            self._flush()

    def _flush(self) -> None:
        """``flush`` with the lock held."""
        staged = self._staged
        if not staged:
            return
        self._staged = _Staged()
        write = self._write
        self._db.execute("BEGIN IMMEDIATE")
        try:
            tasks = staged.tasks.items()
            write(_UPSERT_TASK, [(i, a, u, t, b) for i, (a, u, t, b) in tasks if b is not None])
            write(_TOUCH_TASK, [(t, i) for i, (_, _, t, b) in tasks if b is None])
            write(_INSERT_EVENT, staged.events)
            write(_REMEMBER_KEY, staged.keys)
            marks = staged.runs.items()
            write(_MARK_RUN, [(i,) for i, running in marks if running])
            write(_UNMARK_RUN, [(i,) for i, running in marks if not running])
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            # The staged tasks were cached as written: forget them; ids stay unused.
            for task_id in staged.tasks:
                self._recent.pop(task_id, None)
            raise
        if staged.events and self.on_commit is not None:
            self.on_commit(dict.fromkeys(task_id for _, task_id, _, _ in staged.events))

    def _write(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        # One row (a client's write) costs less through execute than executemany.
        if len(rows) == 1:
            self._db.execute(sql, rows[0])
        elif rows:
            self._db.executemany(sql, rows)

    def text_of(self, task: Task) -> str:
        """``task`` as JSON: the very text ``save`` wrote, when ``task`` is the object it was
        last given (an answer then costs no second encoding), else encoded afresh. Callers
        never change a task after saving it."""
        last, text = self._last_written
        return text if last is task else _dumps(task)

    # -- tasks -------------------------------------------------------------------------

    def get_task(self, task_id: str) -> Task | None:
        """The task as committed (shared: copy it to change it), or ``None``."""
        with self._lock:
            self._flush()
            return self._get_task(task_id)

    def latest_task(self, task_id: str) -> Task | None:
        """The task with its staged writes, without committing them (for a run, which
        changes its own task; a client must see only committed state: ``get_task``)."""
        with self._lock:
            found = self._recent.get(task_id)
            if found is not None:
                return found
            self._flush()  # not cached, so it may be staged: read it from the database
            return self._get_task(task_id)

    def _get_task(self, task_id: str) -> Task | None:
        """``get_task`` with the lock held and nothing staged."""
        found = self._recent.get(task_id)
        if found is not None:
            return found
        row = self._db.execute("SELECT body FROM tasks WHERE id = ?", (task_id,)).fetchone()
        if row is None:
            return None
        task = complete(json.loads(row[0]))
        self._remember(task)
        return task

    def _remember(self, task: Task) -> None:
        """Keep ``task`` in the cache of recent tasks (call with the lock held)."""
        self._recent.pop(task["id"], None)
        self._recent[task["id"]] = task
        if len(self._recent) > RECENT_TASKS:
            del self._recent[next(iter(self._recent))]

    def list_tasks(
        self, *, agent_id: str | None = None, user_id: str | None = None
    ) -> list[tuple[Task, str]]:
        """Tasks (oldest first) with their ``updated_at``, by agent or by user."""
        column, arg = ("agent_id", agent_id) if agent_id is not None else ("user_id", user_id)
        sql = f"SELECT body, updated_at FROM tasks WHERE {column} = ? ORDER BY seq"
        with self._lock:
            self._flush()
            rows = self._db.execute(sql, (arg,)).fetchall()
        return [(complete(json.loads(body)), updated) for body, updated in rows]

    def count_tasks(self) -> int:
        with self._lock:
            self._flush()
            (count,) = self._db.execute("SELECT COUNT(*) FROM tasks").fetchone()
        return int(count)

    def recent_tasks(self, limit: int) -> list[Task]:
        """The ``limit`` most recently created tasks of every agent, newest first."""
        with self._lock:
            self._flush()
            rows = self._db.execute(
                "SELECT body FROM tasks ORDER BY seq DESC LIMIT ?", (limit,)
            ).fetchall()
        return [complete(json.loads(body)) for (body,) in rows]

    def save(
        self,
        task: Task,
        events: Iterable[dict[str, Any]],
        *,
        updated_at: str,
        key: KeyUse | None = None,
        running: bool | None = None,
        defer: bool = False,
    ) -> list[StoredEvent]:
        """Write ``task`` and append ``events`` to its log, in one transaction.

        Each event is a TaskUpdateEvent dict; the answer gives them their ids. With ``key``,
        the Idempotency-Key is remembered with ``task`` as its answer in that same transaction,
        so a crash can never keep one without the other. ``running`` marks the task's run as
        in progress (``True``) or over (``False``); ``None`` leaves the mark as it is.

        The transaction commits before this returns, with whatever else was staged; with
        ``defer``, it is only staged, for the next ``flush`` (the caller's to arrange).
        """
        body = _dumps(task)
        self._last_written = (task, body)
        texts = [(event["type"], _event_text(event, task, body)) for event in events]
        with self._lock:
            task_id = task["id"]
            staged = self._staged
            staged.tasks[task_id] = [task["agent_id"], user_id_of(task), updated_at, body]
            stored = []
            for kind, text in texts:
                stored.append(StoredEvent(self._next_event_id, kind, text))
                staged.events.append((self._next_event_id, task_id, kind, text))
                self._next_event_id += 1
            if key is not None:
                staged.keys.append((key.key, key.route, key.fingerprint, body, time.time()))
            if running is not None:
                staged.runs[task_id] = running
            self._remember(task)
            if not defer:
                self._flush()
        return stored

    def append(
        self,
        task_id: str,
        event: Callable[[str], dict[str, Any]],
        *,
        updated_at: str,
        defer: bool = False,
    ) -> StoredEvent | None:
        """Append ``event(organization_id)`` to the log of a task that is not changed by it
        (a chunk), and set the task's ``updated_at``, in one transaction; ``None`` (and
        nothing written) when there is no such task. ``defer`` as for ``save``.

        Unlike ``save``, the task's document is neither read whole nor written again.
        """
        with self._lock:
            staged = self._staged
            cached = self._recent.get(task_id)
            if cached is not None:
                organization_id = cached["organization_id"]
            else:
                self._flush()  # not cached, so it may be staged: look in the database
                staged = self._staged
                row = self._db.execute(
                    "SELECT agent_id, json_extract(body, '$.organization_id') FROM tasks"
                    " WHERE id = ?",
                    (task_id,),
                ).fetchone()
                if row is None:
                    return None
                organization_id = row[1]
            doc = event(organization_id)
            stored = StoredEvent(self._next_event_id, doc["type"], _dumps(doc))
            self._next_event_id += 1
            staged.events.append((stored.id, task_id, stored.type, stored.json))
            row_of_task = staged.tasks.get(task_id)
            if row_of_task is not None:
                row_of_task[2] = updated_at
            else:
                staged.tasks[task_id] = [None, None, updated_at, None]
            if not defer:
                self._flush()
        return stored

    # -- events ------------------------------------------------------------------------

    def events_after(self, task_id: str, after: int = 0, limit: int = 1000) -> list[StoredEvent]:
        """The task's events with an id above ``after``, oldest first."""
        with self._lock:
            self._flush()
            rows = self._db.execute(
                "SELECT id, type, body FROM events"
                " WHERE task_id = ? AND id > ? ORDER BY id LIMIT ?",
                (task_id, after, limit),
            ).fetchall()
        return [StoredEvent(int(i), t, b) for i, t, b in rows]

    def last_event(self, task_id: str) -> StoredEvent | None:
        with self._lock:
            self._flush()
            row = self._db.execute(
                "SELECT id, type, body FROM events WHERE task_id = ? ORDER BY id DESC LIMIT 1",
                (task_id,),
            ).fetchone()
        return StoredEvent(int(row[0]), row[1], row[2]) if row else None

    def events_of(self, task_id: str, types: Iterable[str]) -> list[tuple[int, dict[str, Any]]]:
        """``(event_id, event)`` of the task's events of ``types``, oldest first."""
        wanted = tuple(types)
        marks = ", ".join("?" * len(wanted))
        with self._lock:
            self._flush()
            rows = self._db.execute(
                f"SELECT id, body FROM events WHERE task_id = ? AND type IN ({marks}) ORDER BY id",
                (task_id, *wanted),
            ).fetchall()
        return [(int(i), json.loads(body)) for i, body in rows]

    # -- idempotency -------------------------------------------------------------------

    def replay(self, key: str) -> Replay | None:
        """The remembered answer to ``key``, if one was stored in the last 24 hours."""
        with self._lock:
            self._flush()
            self._db.execute(
                "DELETE FROM idempotency WHERE created < ?", (time.time() - IDEMPOTENCY_TTL,)
            )
            row = self._db.execute(
                "SELECT route, fingerprint, status, body FROM idempotency WHERE key = ?", (key,)
            ).fetchone()
        return Replay(row[0], row[1], int(row[2]), row[3]) if row else None

    # -- runs ----------------------------------------------------------------------------

    def running(self) -> list[str]:
        """Ids of the tasks whose run was in progress (or about to start) when last written."""
        with self._lock:
            self._flush()
            rows = self._db.execute("SELECT task_id FROM runs ORDER BY rowid").fetchall()
        return [task_id for (task_id,) in rows]

    def forget_run(self, task_id: str) -> None:
        with self._lock:
            self._flush()
            self._db.execute(_UNMARK_RUN, (task_id,))

    # -- the whole state -----------------------------------------------------------------

    def clear(self) -> None:
        """Delete every task, event, key and run mark (event ids still never repeat)."""
        with self._lock:
            self._flush()
            self._recent.clear()
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._empty()
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _empty(self) -> None:
        """Delete every row of the state (inside the caller's transaction)."""
        for table in _STATE_TABLES:
            self._db.execute(f"DELETE FROM {table}")

    def dump(self) -> RawState:
        """Every row of the state, in insertion order, read in one transaction (JSON
        columns as stored: exporting copies them without parsing)."""
        with self._lock:
            self._flush()
            self._db.execute("BEGIN")
            try:
                tasks = self._db.execute(
                    "SELECT id, body, updated_at FROM tasks ORDER BY seq"
                ).fetchall()
                events = self._db.execute(
                    "SELECT id, task_id, body FROM events ORDER BY id"
                ).fetchall()
                keys = self._db.execute(
                    "SELECT key, route, fingerprint, status, body, created FROM idempotency"
                    " ORDER BY rowid"
                ).fetchall()
                runs = self._db.execute("SELECT task_id FROM runs ORDER BY rowid").fetchall()
            finally:
                self._db.execute("COMMIT")
        return RawState(tasks, events, keys, [r for (r,) in runs])

    def load(self, rows: StateRows) -> None:
        """Replace the whole state with ``rows`` in one transaction (all or nothing)."""
        with self._lock:
            self._flush()
            self._recent.clear()
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._empty()
                self._db.executemany(
                    "INSERT INTO tasks (id, agent_id, user_id, updated_at, body)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (
                        (t["id"], t["agent_id"], user_id_of(t), updated, _dumps(complete(t)))
                        for t, updated in rows.tasks
                    ),
                )
                self._db.executemany(
                    "INSERT INTO events (id, task_id, type, body) VALUES (?, ?, ?, ?)",
                    (
                        (event_id, task_id, event["type"], _dumps(event))
                        for event_id, task_id, event in rows.events
                    ),
                )
                self._db.executemany(
                    "INSERT INTO idempotency (key, route, fingerprint, status, body, created)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    rows.keys,
                )
                self._db.executemany(
                    "INSERT INTO runs (task_id) VALUES (?)", ((r,) for r in rows.runs)
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            # Ids go on above the document's (AUTOINCREMENT kept its record of those).
            self._next_event_id = max(self._next_event_id, self._event_sequence() + 1)


def _connect(path: str) -> sqlite3.Connection:
    if path == ":memory:":
        # SQLite's memdb VFS (a database private to this connection) rather than ":memory:",
        # whose commits cost more the larger the database grows (6 us at first, ~50 us at
        # 150 MB of tasks and events); memdb's stay at ~9 us. ":memory:" where memdb is not
        # built in (SQLite before 3.36).
        try:
            return sqlite3.connect(_MEMDB, uri=True, check_same_thread=False, isolation_level=None)
        except sqlite3.OperationalError:
            pass
    return sqlite3.connect(path, check_same_thread=False, isolation_level=None)


_MEMDB = "file:xpander-emulator?vfs=memdb"


@dataclass
class RawState:
    """The store's rows as ``dump`` reads them: ``tasks`` ``(id, body, updated_at)``, ``events``
    ``(id, task_id, body)``, ``keys`` ``(key, route, fingerprint, status, body, created)``
    (bodies JSON text), ``runs`` task ids."""

    tasks: list[tuple[str, str, str]]
    events: list[tuple[int, str, str]]
    keys: list[tuple[str, str, str, int, str, float]]
    runs: list[str]


@dataclass
class StateRows:
    """The rows ``load`` writes (parsed from a state document).

    ``tasks``: ``(task, updated_at)``; ``events``: ``(id, task_id, event)``;
    ``keys``: ``(key, route, fingerprint, status, body_json, created)``; ``runs``: task ids.
    """

    tasks: list[tuple[Task, str]]
    events: list[tuple[int, str, dict[str, Any]]]
    keys: list[tuple[str, str, str, int, str, float]]
    runs: list[str]


# One encoder for every write (json.dumps builds a new one per call when given options).
_encode = json.JSONEncoder(separators=(",", ":")).encode


def _dumps(value: Any) -> str:
    """``value`` as compact JSON text: by orjson (the emulator extra installs it; a task
    takes ~1 us rather than ~11), else, or for what orjson refuses (an integer beyond 64
    bits), by the standard library. Non-ASCII text stays as it is (UTF-8) with orjson and is
    escaped without: the same JSON either way."""
    if _orjson_dumps is not None:
        try:
            return _orjson_dumps(value).decode()
        except TypeError:  # orjson.JSONEncodeError
            pass
    return _encode(value)


def _event_text(event: dict[str, Any], task: Task, task_text: str) -> str:
    """``_dumps(event)``; an event whose last field, ``data``, is ``task`` reuses the task's
    text instead of encoding the whole task again (the same bytes, a third of the cost)."""
    if event.get("data") is not task or next(reversed(event)) != "data":
        return _dumps(event)
    head = _dumps({k: v for k, v in event.items() if k != "data"})
    return f'{head[:-1]},"data":{task_text}}}'
