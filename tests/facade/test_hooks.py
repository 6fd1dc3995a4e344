"""Event hooks: `Configuration(event_hooks=...)` on requests, answers, retries and resumes.

Retries come from the emulator's fault API (``POST /_emulator/faults``),
resumes from its cut streams; every hook list is checked for what it saw.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from xpander_sdk import (
    Configuration,
    NotFoundError,
    ResumeEvent,
    RetryEvent,
    Tasks,
    TaskUpdateEventType,
)

from .control import faults, inject


class Seen:
    """Hooks that record what they were given, one list per event."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.responses: list[httpx.Response] = []
        self.retries: list[RetryEvent] = []
        self.resumes: list[ResumeEvent] = []

    def hooks(self) -> dict[str, list[Any]]:
        return {
            "request": [self.requests.append],
            "response": [self.responses.append],
            "retry": [self.retries.append],
            "resume": [self.resumes.append],
        }


@pytest.fixture()
def seen() -> Seen:
    return Seen()


@pytest.fixture()
def hooked(configuration: Configuration, seen: Seen) -> Configuration:
    return configuration.copy_with(
        retry_base_delay=0.01, retry_max_delay=0.05, event_hooks=seen.hooks()
    )


def test_hooks_see_each_request_answer_and_retry(
    emulator: Any, hooked: Configuration, seen: Seen
) -> None:
    with Tasks(configuration=hooked) as tasks:
        task = tasks.create(agent_id="agent-hook", prompt="p")
        before = faults(emulator, "status")
        inject(emulator, kind="status", status=503, retry_after="0", count=1, method="GET")
        tasks.get(task.id)
    assert faults(emulator, "status") - before == 1
    assert [r.method for r in seen.requests] == ["POST", "GET", "GET"]
    assert [r.status_code for r in seen.responses] == [200, 503, 200]
    assert seen.responses[2].json()["id"] == task.id  # the body is read before the hook
    [retry] = seen.retries
    assert (retry.attempt, retry.reason, retry.status, retry.delay) == (1, "status 503", 503, 0)
    assert retry.request is seen.requests[1]
    assert retry.request.url.path == f"/agent-execution/{task.id}/status"


async def test_async_calls_await_async_hooks_and_call_sync_ones(
    emulator: Any, configuration: Configuration
) -> None:
    order: list[str] = []

    async def on_retry(event: RetryEvent) -> None:
        order.append(f"async retry after {event.reason}")

    hooks = {"retry": [on_retry, lambda e: order.append(f"sync retry {e.attempt}")]}
    config = configuration.copy_with(retry_base_delay=0.01, event_hooks=hooks)
    async with Tasks(configuration=config) as tasks:
        task = await tasks.acreate(agent_id="agent-hook", prompt="p")
        inject(emulator, kind="drop", count=1, method="GET")
        await tasks.aget(task.id)
    assert order == ["async retry after RemoteProtocolError", "sync retry 1"]


def test_a_sync_call_skips_async_hooks_with_one_warning(
    configuration: Configuration, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[str] = []

    async def on_request(request: httpx.Request) -> None:
        calls.append("async")

    config = configuration.copy_with(event_hooks={"request": [on_request, calls.append]})
    with caplog.at_level(logging.WARNING, logger="xpander_sdk"), Tasks(config) as tasks:
        task = tasks.create(agent_id="agent-hook", prompt="p")
        tasks.get(task.id)
    assert len(calls) == 2 and "async" not in calls
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "on_request" in warnings[0] and "skipped on a sync call" in warnings[0]


def test_a_resume_hook_sees_each_stream_resume(
    emulator: Any, hooked: Configuration, seen: Seen
) -> None:
    with Tasks(configuration=hooked) as tasks:
        before = faults(emulator, "cut_stream")
        inject(emulator, kind="cut_stream", after_events=1, count=1)
        task = tasks.create(agent_id="agent-hook", prompt="p", events_streaming=True)
        events = list(task.events())
    assert faults(emulator, "cut_stream") - before == 1
    assert events[-1].type is TaskUpdateEventType.TaskFinished
    [resume] = seen.resumes
    assert resume.task_id == task.id
    assert resume.last_event_id == events[0].id
    assert resume.reconnect == 1 and resume.delay >= 0 and resume.reason
    resumed = [r for r in seen.requests if r.headers.get("last-event-id")]
    assert [r.headers["last-event-id"] for r in resumed] == [events[0].id]


async def test_an_async_resume_hook_is_awaited(emulator: Any, configuration: Configuration) -> None:
    resumes: list[str | None] = []

    async def on_resume(event: ResumeEvent) -> None:
        resumes.append(event.last_event_id)

    config = configuration.copy_with(event_hooks={"resume": [on_resume]})
    async with Tasks(configuration=config) as tasks:
        inject(emulator, kind="cut_stream", after_events=2, count=1)
        task = await tasks.acreate(agent_id="agent-hook", prompt="p", events_streaming=True)
        events = [e async for e in task.aevents()]
    assert resumes == [events[1].id]


def test_a_hook_that_raises_does_not_break_the_call_and_is_logged_without_secrets(
    configuration: Configuration, caplog: pytest.LogCaptureFixture
) -> None:
    def leaky(request: httpx.Request) -> None:
        raise RuntimeError(f"cannot audit {request.headers['x-api-key']} {request.content!r}")

    after: list[str] = []
    hooks = {"request": [leaky, lambda r: after.append(r.method)]}
    config = configuration.copy_with(event_hooks=hooks)
    secret = "eyJ-OIDC-secret-7a7a"
    with caplog.at_level(logging.WARNING, logger="xpander_sdk"), Tasks(config) as tasks:
        task = tasks.create(agent_id="agent-hook", prompt="p", user_oidc_token=secret)
        with pytest.raises(NotFoundError):  # errors still come through as they are
            tasks.get("no-such-task")
    assert task.id and after == ["POST", "GET"]  # the next hooks ran too
    lines = [r.getMessage() for r in caplog.records if r.name == "xpander_sdk"]
    raised = [line for line in lines if "raised RuntimeError" in line]
    assert len(raised) == 2 and "request hook" in raised[0] and "leaky" in raised[0]
    assert "cannot audit ***" in raised[0]
    assert all(str(configuration.api_key) not in line and secret not in line for line in lines)


def test_event_hooks_are_checked_when_the_configuration_is_made() -> None:
    with pytest.raises(ValueError, match="'on_retry', 'reqest'"):
        Configuration(api_key="k", event_hooks={"reqest": [print], "on_retry": [print]})
    with pytest.raises(TypeError, match=r"event_hooks\['retry'\]\[1\] is not callable"):
        Configuration(api_key="k", event_hooks={"retry": [print, "print"]})
    with pytest.raises(TypeError, match=r"event_hooks\['retry'\] must be a list"):
        Configuration(api_key="k", event_hooks={"retry": "print"})
    with pytest.raises(TypeError, match="event_hooks must be a dict"):
        Configuration(api_key="k", event_hooks=[print])  # type: ignore[arg-type]
    single = Configuration(api_key="k", event_hooks={"retry": print})  # type: ignore[dict-item]
    assert single.hooks and "print" in repr(single.hooks)
    assert not Configuration(api_key="k").hooks
