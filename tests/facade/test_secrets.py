"""No secret ever shows: not in a log line, a repr, or an exception message.

A run with every secret set (the API key, ``user_oidc_token``, ``user_tokens``
and an MCP server's ``api_key``, ``client_secret`` and ``headers``) creates,
gets, lists, updates, saves, stops and follows tasks, retries through an
injected fault and fails in every way the API lets it, while every log record
of every logger (httpx and httpcore included) is captured at DEBUG. Then
every record, every exception (with its chained causes) and the repr of
every object the run handed out is searched for each secret value.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from xpander_sdk import (
    APIConnectionError,
    AuthenticationError,
    Configuration,
    ModuleException,
    NotFoundError,
    ServerError,
    Task,
    Tasks,
    ValidationError,
)

API_KEY = "sk-live-APIKEY-7c1e5b9a3d"
WRONG_KEY = "sk-live-WRONGKEY-0f4d8e2c6b"
OIDC_TOKEN = "eyJhbGciOiJSUzI1NiJ9.OIDCTOKEN-5a7c9e"
USER_TOKEN = "ghp_USERTOKEN_3b5d7f9a1c"
MCP_API_KEY = "mcp-APIKEY-8e6c4a2f0d"
MCP_CLIENT_SECRET = "mcp-CLIENTSECRET-1d3f5b7e9a"
MCP_HEADER = "Bearer mcp-HEADER-2c4e6a8b0f"
SECRETS = [API_KEY, WRONG_KEY, OIDC_TOKEN, USER_TOKEN, MCP_API_KEY, MCP_CLIENT_SECRET, MCP_HEADER]

WITH_SECRETS: dict[str, Any] = {
    "user_oidc_token": OIDC_TOKEN,
    "user_tokens": {"github": USER_TOKEN},
    "mcp_servers": [
        {
            "name": "crm",
            "url": "https://mcp.example.com/crm",
            "api_key": MCP_API_KEY,
            "client_secret": MCP_CLIENT_SECRET,
            "headers": {"Authorization": MCP_HEADER},
        }
    ],
}


class Seen:
    """Everything the run showed: reprs of what it returned, and every error."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.errors: list[BaseException] = []

    def show(self, *objects: Any) -> None:
        for obj in objects:
            self.texts += [repr(obj), str(obj), f"{obj!r:>10}"]

    def fails(self, error: type[BaseException], action: Callable[[], Any]) -> BaseException:
        with pytest.raises(error) as caught:
            action()
        self.record(caught.value)
        return caught.value

    def record(self, exc: BaseException) -> None:
        self.errors.append(exc)
        self.texts += [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
        if isinstance(exc, ModuleException):
            self.texts += [str(exc.url), exc.description, str(exc.method)]


@pytest.fixture()
def seen() -> Seen:
    return Seen()


@pytest.fixture()
def secret_emulator(emulator_factory: Callable[..., Any]) -> Any:
    return emulator_factory(api_key=API_KEY, faults=True, step_delay=0.01)


@pytest.fixture()
def capture(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record of every logger, at DEBUG."""
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "xpander_sdk", "hpack", "asyncio"):
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def assert_no_secret(capture: pytest.LogCaptureFixture, seen: Seen) -> None:
    records = capture.records
    assert records, "nothing was logged: the capture is not working"
    assert any(r.name.startswith("httpcore") for r in records)
    assert any(r.name == "xpander_sdk" and r.levelno == logging.DEBUG for r in records)
    assert any(r.name == "xpander_sdk" and r.levelno == logging.INFO for r in records), (
        "no retry was logged"
    )
    texts = list(seen.texts)
    for record in records:
        texts.append(record.getMessage())
        texts.append(repr(record.args))
        if record.exc_info and record.exc_info[1] is not None:
            texts.append("".join(traceback.format_exception(record.exc_info[1])))
    texts.append(capture.text)
    for secret in SECRETS:
        leaks = [t for t in texts if secret in t]
        assert not leaks, f"{secret!r} leaked in: {leaks[0][:300]}"


def test_a_sync_run_with_secrets_shows_none_of_them(
    secret_emulator: Any, capture: pytest.LogCaptureFixture, seen: Seen
) -> None:
    emu = secret_emulator
    config = Configuration(
        api_key=API_KEY, base_url=emu.base_url, organization_id=emu.organization_id
    )
    seen.show(config)
    with Tasks(configuration=config) as tasks:
        seen.show(tasks)
        task = tasks.create("agent123", prompt="use the CRM", events_streaming=True, **WITH_SECRETS)
        seen.show(task, task.input)
        assert task.user_oidc_token == OIDC_TOKEN  # the secrets did travel
        assert "***" in repr(task)

        events = list(task.events())
        assert events[-1].type == "task_finished"
        seen.show(*events, *(e.data for e in events))

        seen.show(tasks.get(task.id), Task.load(task.id, config))
        seen.show(*tasks.list("agent123"), tasks.list("agent123"))
        seen.show(tasks.update(task.id, status="paused", result="paused for review"))

        # A retried request: the emulator answers 503 once, and the SDK logs the retry.
        emu.inject(kind="status", status=503, retry_after="0", path="/status$")
        seen.show(tasks.get(task.id))
        emu.inject(kind="drop", method="DELETE")
        seen.show(tasks.stop(task.id))  # dropped once, then retried

        task.internal_status = "step 2 of 3"
        seen.show(task.save(), task.set_status("completed", result="done"))

        # Failures of every kind.
        seen.fails(NotFoundError, lambda: tasks.get("no-such-task"))
        task.internal_status = "x" * 300
        seen.fails(ValidationError, task.save)
        task.internal_status = None
        emu.inject(kind="status", status=500, path="/status$")
        seen.fails(ServerError, lambda: tasks.get(task.id, max_retries=0))
        emu.inject(kind="drop", path="/status$", count=2)
        seen.fails(APIConnectionError, lambda: tasks.get(task.id, max_retries=1))
        seen.fails(TypeError, lambda: tasks.create("agent123", user_oidc_token=123))
        seen.fails(ValueError, lambda: task.set_status("finished"))

    wrong = Configuration(api_key=WRONG_KEY, base_url=emu.base_url)
    seen.show(wrong)
    with Tasks(configuration=wrong) as tasks:
        seen.show(tasks)
        seen.fails(AuthenticationError, lambda: tasks.create("agent123", **WITH_SECRETS))
        seen.fails(AuthenticationError, lambda: tasks.list("agent123"))

    assert emu.stats()["faults_injected"]["status"] == 2
    assert_no_secret(capture, seen)


async def test_an_async_run_with_secrets_shows_none_of_them(
    secret_emulator: Any, capture: pytest.LogCaptureFixture, seen: Seen
) -> None:
    emu = secret_emulator
    config = Configuration(
        api_key=API_KEY, base_url=emu.base_url, organization_id=emu.organization_id
    )
    async with Tasks(configuration=config) as tasks:
        task = await tasks.acreate(
            "agent123", prompt="use the CRM", events_streaming=True, **WITH_SECRETS
        )
        seen.show(task)

        emu.inject(kind="cut_stream", after_events=1)  # the stream is resumed, and says so
        events = [event async for event in task.aevents()]
        assert events[-1].type == "task_finished"
        seen.show(*events, *(e.data for e in events))

        emu.inject(kind="status", status=429, retry_after="0", path="/status$")
        seen.show(await tasks.aget(task.id), await Task.aload(task.id, config))
        seen.show(*(await tasks.alist("agent123")))
        seen.show(await tasks.aupdate(task.id, status="paused"))
        task.title = "renamed"
        seen.show(await task.asave(), await task.astop())

        async def fail(action: Any) -> None:
            try:
                await action
            except ModuleException as exc:
                seen.record(exc)
            else:
                raise AssertionError("no error")

        await fail(tasks.aget("no-such-task"))
        task.internal_status = "x" * 300
        await fail(task.asave())
        emu.inject(kind="status", status=503, path="/status$")
        await fail(tasks.aget(task.id, max_retries=0))

    async with Tasks(Configuration(api_key=WRONG_KEY, base_url=emu.base_url)) as tasks:
        try:
            await tasks.aget(task.id)
        except AuthenticationError as exc:
            seen.record(exc)

    assert len(seen.errors) == 4
    assert_no_secret(capture, seen)
