"""Execution metrics: ``POST /agents-metrics/{agent_id}/execution``, and reading back what
was reported.

A report (the spec's ``ExecutionMetricsReport``) is checked like every other request (401
without a key, 422 naming the field, nothing kept on failure), honours ``Idempotency-Key``,
and is kept under its ``execution_id`` (the task's id) in a table of its own. The execution
need not be a task the emulator knows: the platform records metrics of runs made anywhere.
The answer is ``{"execution_id": ..., "recorded": true}`` (the published SDK reads no body).

Tests read the reports back with ``emulator.metrics.for_task(task_id)``, or over HTTP with
``GET /_emulator/metrics?task_id=...`` (``x-api-key`` required, faults mode or not)::

    {"metrics": [{"agent_id": "...", "received_at": "<ISO 8601>", "report": {...}}, ...]}

Without ``task_id`` it lists every report, oldest first.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .auth import authorize
from .clock import WALL, Clock
from .errors import ApiError, FieldError
from .model import iso

if TYPE_CHECKING:
    from .app import Emulator

REPORT_METRICS = "/agents-metrics/{agent_id}/execution"
"""The spec's path template of ``report_execution_metrics``."""

CONTROL_PATH = "/_emulator/metrics"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS execution_metrics (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    execution_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    report TEXT NOT NULL,
    idempotency_key TEXT UNIQUE
);
CREATE INDEX IF NOT EXISTS execution_metrics_by_execution
    ON execution_metrics (execution_id, seq);
"""


class MetricsLog:
    """The metrics reports an emulator received, in the database at ``path``.

    Its own connection (the task store's is private to it); a file database is shared with
    the store, so reports survive a restart like tasks do.
    """

    def __init__(self, path: str = ":memory:", clock: Clock = WALL) -> None:
        self.clock = clock
        """Its ``received_at`` times are this clock's (the emulator's)."""
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        if path != ":memory:":
            self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)

    def record(
        self, agent_id: str, report: dict[str, Any], key: str | None = None
    ) -> tuple[dict[str, Any], bool]:
        """Keep one (validated) report; the answer to send, and whether it is a replay.

        With an Idempotency-Key, the key is written in the same statement as the report,
        and a repeat of the same report is answered without keeping it twice; the same key
        with another report is a 422.
        """
        execution_id = report["execution_id"]
        text = json.dumps(report, separators=(",", ":"), sort_keys=True)
        with self._lock:
            if key is not None:
                row = self._db.execute(
                    "SELECT agent_id, report FROM execution_metrics WHERE idempotency_key = ?",
                    (key,),
                ).fetchone()
                if row is not None:
                    if tuple(row) != (agent_id, text):
                        raise ApiError(
                            422,
                            "This Idempotency-Key was used for a different request",
                            [FieldError("header.Idempotency-Key", "was used for another body")],
                        )
                    return {"execution_id": execution_id, "recorded": True}, True
            self._db.execute(
                "INSERT INTO execution_metrics"
                " (execution_id, agent_id, received_at, report, idempotency_key)"
                " VALUES (?, ?, ?, ?, ?)",
                (execution_id, agent_id, iso(self.clock.now()), text, key),
            )
        return {"execution_id": execution_id, "recorded": True}, False

    def clear(self) -> None:
        """Forget every report (the control API's reset)."""
        with self._lock:
            self._db.execute("DELETE FROM execution_metrics")

    def for_task(self, task_id: str | None = None) -> list[dict[str, Any]]:
        """Reports for execution ``task_id`` (every report when ``None``), oldest first, each
        ``{"agent_id", "received_at", "report"}``."""
        sql = "SELECT agent_id, received_at, report FROM execution_metrics"
        args: tuple[str, ...] = ()
        if task_id is not None:
            sql, args = sql + " WHERE execution_id = ?", (task_id,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY seq", args).fetchall()
        return [
            {"agent_id": agent, "received_at": at, "report": json.loads(report)}
            for agent, at, report in rows
        ]

    def close(self) -> None:
        with self._lock:
            self._db.close()


def report_metrics_route(emulator: Emulator) -> Route:
    """The Starlette route of ``report_execution_metrics`` for ``emulator``."""

    async def report_metrics(request: Request) -> Response:
        body = await emulator._accept(request, REPORT_METRICS, has_body=True)
        agent_id = request.path_params["agent_id"]
        key = request.headers.get("idempotency-key")
        answer, replayed = emulator.metrics.record(agent_id, body, key)
        headers = {"Idempotent-Replayed": "true"} if replayed else None
        return JSONResponse(answer, headers=headers)

    return Route(REPORT_METRICS, report_metrics, methods=["POST"])


def metrics_control_route(emulator: Emulator) -> Route:
    """``GET /_emulator/metrics[?task_id=...]``: the reports kept, behind the API key."""

    async def read_metrics(request: Request) -> Response:
        authorize(request, emulator.config.api_key)
        unknown = [name for name in request.query_params if name != "task_id"]
        if unknown:
            raise ApiError(
                422,
                f"Unknown query parameter {unknown[0]}",
                [FieldError(f"query.{name}", "is not a parameter here") for name in unknown],
            )
        task_id = request.query_params.get("task_id")
        return JSONResponse({"metrics": emulator.metrics.for_task(task_id)})

    return Route(CONTROL_PATH, read_metrics, methods=["GET", "HEAD"])
