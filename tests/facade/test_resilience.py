"""Retries and idempotent writes, against the emulator's faults over real sockets."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from xpander_sdk import (
    APIConnectionError,
    Configuration,
    RateLimitError,
    ServerError,
    Tasks,
)
from xpander_sdk.transport import parse_retry_after

# Async calls run on each HTTP backend (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("http_backend")


@pytest.fixture()
def fast_config(configuration: Configuration) -> Configuration:
    return configuration.copy_with(retry_base_delay=0.01, retry_max_delay=0.05)


def _faults(emulator: Any, kind: str) -> int:
    return int(emulator.stats()["faults_injected"].get(kind, 0))


@pytest.mark.parametrize("status", [408, 429, 500, 503])
def test_reads_are_retried_through_error_statuses(
    emulator: Any, fast_config: Configuration, status: int
) -> None:
    with Tasks(configuration=fast_config) as tasks:
        task = tasks.create(agent_id="agent-retry", prompt="p")
        before = _faults(emulator, "status")
        emulator.inject(kind="status", status=status, retry_after="0", count=2, method="GET")
        assert tasks.get(task.id).id == task.id
    assert _faults(emulator, "status") - before == 2


async def test_async_calls_are_retried_through_dropped_connections(
    emulator: Any, fast_config: Configuration
) -> None:
    async with Tasks(configuration=fast_config) as tasks:
        task = await tasks.acreate(agent_id="agent-retry", prompt="p")
        before = _faults(emulator, "drop")
        emulator.inject(kind="drop", count=2)
        assert (await tasks.aget(task.id)).id == task.id
    assert _faults(emulator, "drop") - before == 2


def test_a_create_whose_answer_was_lost_makes_exactly_one_task(
    emulator: Any, fast_config: Configuration
) -> None:
    agent = "agent-idem-sync"
    with Tasks(configuration=fast_config) as tasks:
        # The create is applied, then the connection drops before the answer:
        # the retry carries the same Idempotency-Key and gets the first task.
        before = _faults(emulator, "drop_after")
        emulator.inject(kind="drop_after", method="POST", count=1)
        task = tasks.create(agent_id=agent, prompt="only once")
        listed = tasks.list(agent)
    assert _faults(emulator, "drop_after") - before == 1
    assert [t.id for t in listed] == [task.id]


async def test_a_report_whose_answer_was_lost_is_recorded_once(
    emulator: Any, fast_config: Configuration, http_backend: str
) -> None:
    agent = f"agent-idem-report-{http_backend}"  # one agent per run: the emulator is shared
    async with Tasks(configuration=fast_config) as tasks:
        before = _faults(emulator, "drop_after")
        emulator.inject(kind="drop_after", method="POST", count=2)
        reported = await tasks.areport_external_task(agent_id=agent, input="x", result="y")
        listed = await tasks.alist(agent)
    assert _faults(emulator, "drop_after") - before == 2  # two answers lost, three sends
    assert [t.id for t in listed] == [reported.id]


def test_updates_and_stops_are_retried_and_applied(
    emulator: Any, fast_config: Configuration
) -> None:
    with Tasks(configuration=fast_config) as tasks:
        task = tasks.create(agent_id="agent-upd-retry", prompt="p")
        dropped, refused = _faults(emulator, "drop_after"), _faults(emulator, "status")
        emulator.inject(kind="drop_after", method="PATCH", count=1)
        assert tasks.update(task.id, result="applied").result == "applied"
        emulator.inject(kind="status", status=503, method="DELETE", count=1)
        assert tasks.stop(task.id).is_manually_stopped is True
    assert _faults(emulator, "drop_after") - dropped == 1
    assert _faults(emulator, "status") - refused == 1


def test_max_retries_zero_turns_retries_off_per_call_and_per_configuration(
    emulator: Any, fast_config: Configuration
) -> None:
    with Tasks(configuration=fast_config) as tasks:
        task = tasks.create(agent_id="agent-noretry", prompt="p")
        before = _faults(emulator, "status")
        emulator.inject(kind="status", status=500, count=2)
        with pytest.raises(ServerError) as raised:
            tasks.get(task.id, max_retries=0)
        assert raised.value.status_code == 500
        assert _faults(emulator, "status") - before == 1  # sent once, not retried
    emulator.clear_faults()
    with Tasks(configuration=fast_config.copy_with(max_retries=0)) as tasks:
        before = _faults(emulator, "drop")
        emulator.inject(kind="drop", count=2)
        with pytest.raises(APIConnectionError):
            tasks.get(task.id)
        assert _faults(emulator, "drop") - before == 1
    emulator.clear_faults()


def test_retries_stop_at_the_attempt_limit(emulator: Any, fast_config: Configuration) -> None:
    with Tasks(configuration=fast_config.copy_with(max_retries=2)) as tasks:
        task = tasks.create(agent_id="agent-limit", prompt="p")
        before = _faults(emulator, "status")
        emulator.inject(kind="status", status=503, count=10)
        with pytest.raises(ServerError):
            tasks.get(task.id)
    assert _faults(emulator, "status") - before == 3  # the first try and two retries


def test_a_retry_after_beyond_the_time_budget_is_not_waited_for(
    emulator: Any, fast_config: Configuration
) -> None:
    with Tasks(configuration=fast_config.copy_with(retry_timeout=1.0)) as tasks:
        task = tasks.create(agent_id="agent-budget", prompt="p")
        before = _faults(emulator, "status")
        emulator.inject(kind="status", status=429, retry_after="30", count=2)
        with pytest.raises(RateLimitError) as raised:
            tasks.get(task.id)
    assert raised.value.retry_after == 30.0
    assert _faults(emulator, "status") - before == 1  # the 30 s wait was not taken
    emulator.clear_faults()


def test_each_retry_is_logged_at_info(
    emulator: Any, fast_config: Configuration, caplog: pytest.LogCaptureFixture
) -> None:
    with Tasks(configuration=fast_config) as tasks:
        task = tasks.create(agent_id="agent-log", prompt="p")
        emulator.inject(kind="status", status=503, retry_after="0", count=1)
        with caplog.at_level(logging.INFO, logger="xpander_sdk"):
            tasks.get(task.id)
    retries = [
        r for r in caplog.records if r.levelno == logging.INFO and "retrying" in r.getMessage()
    ]
    assert len(retries) == 1 and "after status 503 (attempt 1" in retries[0].getMessage()


def test_per_call_timeout_overrides_the_configuration(
    emulator: Any, configuration: Configuration
) -> None:
    with Tasks(configuration=configuration.copy_with(timeout=30.0)) as tasks:
        task = tasks.create(agent_id="agent-timeout", prompt="p")
        with pytest.raises(ValueError, match="timeout"):
            tasks.get(task.id, timeout=-1)
        assert tasks.get(task.id, timeout=httpx.Timeout(5.0)).id == task.id


def test_retry_after_is_read_as_seconds_or_an_http_date() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("0.5") == 0.5
    in_ten = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=10), usegmt=True)
    parsed = parse_retry_after(in_ten)
    assert parsed is not None and 5.0 < parsed <= 10.0
    assert parse_retry_after("yesterday-ish") is None
    assert parse_retry_after(None) is None
    past = format_datetime(datetime.now(timezone.utc) - timedelta(seconds=60), usegmt=True)
    assert parse_retry_after(past) == 0.0


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_body_cut_short_is_retried(mode: str) -> None:
    import asyncio

    from .servers import TASK_JSON, Answer, CannedServer

    good = Answer.json(TASK_JSON)
    cut = Answer(body=good.body[:30], content_length=len(good.body))  # headers, then a cut
    with CannedServer(good, first=[cut, cut]) as server:
        config = Configuration(api_key="k", base_url=server.base_url, retry_base_delay=0.01)
        with Tasks(configuration=config) as tasks:
            task = tasks.get("t-1") if mode == "sync" else asyncio.run(tasks.aget("t-1"))
        assert task.id == TASK_JSON["id"]
        assert server.requests == 3
