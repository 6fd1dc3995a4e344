"""SQLite state: tasks, their event logs, idempotency keys and the runs in progress.

One connection guarded by one lock serializes every write (and read), which is all the
concurrency an emulator needs and rules out torn or lost writes. A file database uses WAL,
so tasks and events survive a restart (even a SIGKILL: every answer is sent after its
transaction commits); ``:memory:`` lives as long as the store.

Event ids come from an AUTOINCREMENT column: they keep rising across restarts and resets
and are never handed out twice, so ``Last-Event-ID`` stays meaningful.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .model import Task, complete, user_id_of

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
CREATE INDEX IF NOT EXISTS tasks_by_user ON tasks (user_id, seq);
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


class Store:
    """Thread-safe access to the emulator's SQLite database at ``path``."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL survives a process crash; only a power cut may lose the last writes.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)
        self._last_written: tuple[Task | None, str] = (None, "")
        # Tasks as last written or read, oldest first. A task is never changed once stored
        # (callers copy to change), so handing out the cached object is safe.
        self._recent: dict[str, Task] = {}

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def text_of(self, task: Task) -> str:
        """``task`` as JSON: the very text ``save`` wrote, when ``task`` is the object it was
        last given (an answer then costs no second encoding), else encoded afresh. Callers
        never change a task after saving it."""
        last, text = self._last_written
        return text if last is task else _dumps(task)

    # -- tasks -------------------------------------------------------------------------

    def get_task(self, task_id: str) -> Task | None:
        """The task (shared: copy it to change it), or ``None``."""
        with self._lock:
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
            rows = self._db.execute(sql, (arg,)).fetchall()
        return [(complete(json.loads(body)), updated) for body, updated in rows]

    def count_tasks(self) -> int:
        with self._lock:
            (count,) = self._db.execute("SELECT COUNT(*) FROM tasks").fetchone()
        return int(count)

    def recent_tasks(self, limit: int) -> list[Task]:
        """The ``limit`` most recently created tasks of every agent, newest first."""
        with self._lock:
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
    ) -> list[StoredEvent]:
        """Write ``task`` and append ``events`` to its log, in one transaction.

        Each event is a TaskUpdateEvent dict; the answer gives them their ids. With ``key``,
        the Idempotency-Key is remembered with ``task`` as its answer in that same transaction,
        so a crash can never keep one without the other. ``running`` marks the task's run as
        in progress (``True``) or over (``False``); ``None`` leaves the mark as it is.
        """
        body = _dumps(task)
        self._last_written = (task, body)
        stored: list[StoredEvent] = []
        texts = [(event["type"], _event_text(event, task, body)) for event in events]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "INSERT INTO tasks (id, agent_id, user_id, updated_at, body)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                    " user_id = excluded.user_id, updated_at = excluded.updated_at,"
                    " body = excluded.body",
                    (task["id"], task["agent_id"], user_id_of(task), updated_at, body),
                )
                for kind, text in texts:
                    cursor = self._db.execute(
                        "INSERT INTO events (task_id, type, body) VALUES (?, ?, ?)",
                        (task["id"], kind, text),
                    )
                    assert cursor.lastrowid is not None
                    stored.append(StoredEvent(cursor.lastrowid, kind, text))
                if key is not None:
                    self._db.execute(
                        "INSERT OR REPLACE INTO idempotency"
                        " (key, route, fingerprint, status, body, created)"
                        " VALUES (?, ?, ?, 200, ?, ?)",
                        (key.key, key.route, key.fingerprint, body, time.time()),
                    )
                if running is True:
                    self._db.execute(
                        "INSERT OR IGNORE INTO runs (task_id) VALUES (?)", (task["id"],)
                    )
                elif running is False:
                    self._db.execute("DELETE FROM runs WHERE task_id = ?", (task["id"],))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._remember(task)
        return stored

    def append(
        self, task_id: str, event: Callable[[str], dict[str, Any]], *, updated_at: str
    ) -> StoredEvent | None:
        """Append ``event(organization_id)`` to the log of a task that is not changed by it
        (a chunk), and set the task's ``updated_at``, in one transaction; ``None`` (and
        nothing written) when there is no such task.

        Unlike ``save``, the task's document is neither read whole nor written again.
        """
        with self._lock:
            cached = self._recent.get(task_id)
            if cached is not None:
                organization_id = cached["organization_id"]
            else:
                row = self._db.execute(
                    "SELECT json_extract(body, '$.organization_id') FROM tasks WHERE id = ?",
                    (task_id,),
                ).fetchone()
                if row is None:
                    return None
                organization_id = row[0]
            doc = event(organization_id)
            text = _dumps(doc)
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cursor = self._db.execute(
                    "INSERT INTO events (task_id, type, body) VALUES (?, ?, ?)",
                    (task_id, doc["type"], text),
                )
                self._db.execute(
                    "UPDATE tasks SET updated_at = ? WHERE id = ?", (updated_at, task_id)
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        assert cursor.lastrowid is not None
        return StoredEvent(cursor.lastrowid, doc["type"], text)

    # -- events ------------------------------------------------------------------------

    def events_after(self, task_id: str, after: int = 0, limit: int = 1000) -> list[StoredEvent]:
        """The task's events with an id above ``after``, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, type, body FROM events"
                " WHERE task_id = ? AND id > ? ORDER BY id LIMIT ?",
                (task_id, after, limit),
            ).fetchall()
        return [StoredEvent(int(i), t, b) for i, t, b in rows]

    def last_event(self, task_id: str) -> StoredEvent | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, type, body FROM events WHERE task_id = ? ORDER BY id DESC LIMIT 1",
                (task_id,),
            ).fetchone()
        return StoredEvent(int(row[0]), row[1], row[2]) if row else None

    def chunks(self, task_id: str) -> list[tuple[int, str, str]]:
        """``(event_id, time, text)`` of the task's chunk events."""
        out = []
        for event in self.events_after(task_id, 0, limit=100_000):
            if event.type == "chunk":
                parsed = json.loads(event.json)
                data = parsed.get("data")
                out.append(
                    (event.id, parsed["time"], data if isinstance(data, str) else json.dumps(data))
                )
        return out

    # -- idempotency -------------------------------------------------------------------

    def replay(self, key: str) -> Replay | None:
        """The remembered answer to ``key``, if one was stored in the last 24 hours."""
        with self._lock:
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
            rows = self._db.execute("SELECT task_id FROM runs ORDER BY rowid").fetchall()
        return [task_id for (task_id,) in rows]

    def forget_run(self, task_id: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM runs WHERE task_id = ?", (task_id,))

    # -- the whole state -----------------------------------------------------------------

    def clear(self) -> None:
        """Delete every task, event, key and run mark (event ids still never repeat)."""
        with self._lock:
            self._recent.clear()
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for table in ("tasks", "events", "idempotency", "runs"):
                    self._db.execute(f"DELETE FROM {table}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def dump(self) -> RawState:
        """Every row of the state, in insertion order, read in one transaction (JSON
        columns as stored: exporting copies them without parsing)."""
        with self._lock:
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
            self._recent.clear()
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for table in ("tasks", "events", "idempotency", "runs"):
                    self._db.execute(f"DELETE FROM {table}")
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
_dumps = json.JSONEncoder(separators=(",", ":")).encode


def _event_text(event: dict[str, Any], task: Task, task_text: str) -> str:
    """``_dumps(event)``; an event whose last field, ``data``, is ``task`` reuses the task's
    text instead of encoding the whole task again (the same bytes, a third of the cost)."""
    if event.get("data") is not task or next(reversed(event)) != "data":
        return _dumps(event)
    head = _dumps({k: v for k, v in event.items() if k != "data"})
    return f'{head[:-1]},"data":{task_text}}}'
